// dateline: the filters of a list cut into pages (page/2/, page/3/ ...), loaded by dateline.js
// the first time such a list is filtered. It reads every event from events.geojson and lists
// those of the list's pages that match, in place of this page's list and pager.
var SHOWN_AT_ONCE = 100;
var everyEvent = null;

function loadEvents(root) {
  if (!everyEvent) {
    everyEvent = fetch(new URL("events.geojson", root).href).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then(function (data) {
      // the dates as the entries give them ("2024-01"), as the pages' own lists carry them;
      // date and end in the file are full days, for data tools
      return data.features.map(function (f) {
        var p = f.properties;
        return Object.assign({}, p, { date: p.date_text, end: p.end_text });
      });
    });
  }
  return everyEvent;
}

function resultLine(event, root) {
  var li = document.createElement("li");
  var when = document.createElement("time");
  when.dateTime = event.date;
  when.textContent = event.date;
  var link = document.createElement("a");
  link.href = new URL("events/" + event.slug + "/", root).href;
  link.textContent = event.title;
  link.dir = "auto";
  li.append(when, " ", link);
  if (event.place) {
    var where = document.createElement("span");
    where.className = "muted";
    where.dir = "auto";
    where.textContent = " " + event.place;
    li.append(where);
  }
  return li;
}

// use: what dateline.js shares ({root, matches, applyHere, say, count, isActive, current, words, num}:
// words(msgid, values) and num(n) in the page's language).
export function show(form, state, use) {
  var results = document.getElementById("filter-results");
  var paged = [document.querySelector(".timeline"), document.querySelector("nav.pager")];
  if (!use.isActive(state)) {
    results.hidden = true;
    results.textContent = "";
    paged.forEach(function (el) { if (el) el.hidden = false; });
    use.applyHere(state);
    use.say("");
    return;
  }
  use.say(use.words("Filtering every page…"));
  loadEvents(use.root).then(function (events) {
    if (!use.current()) return;                       // the filters have changed since
    var fromYear = parseInt(form.dataset.fromYear, 10) || 0;
    var found = events.filter(function (e) { return parseInt(e.date, 10) >= fromYear && use.matches(e, state); });
    paged.forEach(function (el) { if (el) el.hidden = true; });
    var list = document.createElement("ol");
    list.className = "filter-result-list";
    var more = document.createElement("button");
    more.type = "button";
    more.className = "more-button";
    more.textContent = use.words("More matches");
    var shown = 0;
    var showMore = function () {
      found.slice(shown, shown + SHOWN_AT_ONCE).forEach(function (e) { list.append(resultLine(e, use.root)); });
      shown = Math.min(found.length, shown + SHOWN_AT_ONCE);
      more.hidden = shown >= found.length;
    };
    more.addEventListener("click", showMore);
    results.replaceChildren(list, more);
    showMore();
    results.hidden = false;
    use.say(use.words("%(count)s across all %(pages)s pages.",
                      { count: use.count(found.length), pages: use.num(parseInt(form.dataset.pages, 10)) }));
  }).catch(function () {
    if (!use.current()) return;
    // events.geojson cannot be read (a page opened from disk): this page alone, and say so
    use.say(use.words("%(count)s on this page; the other pages could not be read here.",
                      { count: use.count(use.applyHere(state)) }));
  });
}
