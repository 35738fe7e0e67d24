(function () {
"use strict";
document.documentElement.classList.add("js");
var ROOT = new URL("../", document.currentScript.src);

var W = document.getElementById("dateline-strings");
W = W && JSON.parse(W.textContent);
function words(id, v) {
return ((W && W.strings[id]) || id).replace(/%\((\w+)\)s/g, function (a, k) { return v[k]; });
}
function num(n) { return W ? new Intl.NumberFormat(W.lang, { useGrouping: false }).format(n) : n; }
function plural(one, other, n, v) {
var f = W && W.plurals[one];
return words(f ? f[new Intl.PluralRules(W.lang).select(n)] || f.other : n === 1 ? one : other,
Object.assign({ num: num(n) }, v));
}

var today = new Date(Date.now() - new Date().getTimezoneOffset() * 6e4).toISOString().slice(0, 10);
document.querySelectorAll(".cite-today").forEach(function (el) { el.textContent = today; });

function eventItems() {
return Array.prototype.filter.call(document.querySelectorAll(".timeline article.event"),
function (a) { return a.offsetParent !== null; });
}

var form = document.getElementById("filters");
var FIELDS = ["tag", "actor", "place", "from", "to"];

function bounds(date) {
var parts = date.split("-");
var first = [parts[0], parts[1] || "01", parts[2] || "01"].join("-");
var last = [parts[0], parts[1] || "12", parts[2] || "31"].join("-");
return [first, last];
}

function fold(text) { return (text || "").toLocaleLowerCase(); }

function fits(values, wanted, exact) {
wanted = fold(wanted);
return values.some(function (v) { v = fold(v); return exact ? v === wanted : v.indexOf(wanted) >= 0; });
}

function exact(name) { return form.elements[name].tagName === "SELECT"; }

function matches(event, state) {
if (state.tag && !fits(event.tags, state.tag, exact("tag"))) return false;
if (state.actor && !fits(event.actors, state.actor, exact("actor"))) return false;
if (state.place && !fits([event.place], state.place, exact("place"))) return false;
var span = [bounds(event.date)[0], bounds(event.end || event.date)[1]];
if (state.from && span[1] < state.from) return false;
if (state.to && span[0] > state.to) return false;
return true;
}

function fromArticle(article) {
var d = article.dataset;
return { tags: d.tags.split("|"), actors: d.actors.split("|"), place: d.place, date: d.date };
}

function readState() {
var params = new URLSearchParams(window.location.search);
var state = {};
FIELDS.forEach(function (name) { state[name] = params.get(name) || ""; });
return state;
}

function isActive(state) { return FIELDS.some(function (name) { return state[name]; }); }

function say(text) { form.querySelector(".filter-status").textContent = text; }

function count(n) { return plural("%(num)s event matches", "%(num)s events match", n); }

function applyHere(state) {
var active = isActive(state);
var shown = 0;
document.querySelectorAll(".timeline .events > li").forEach(function (li) {
var article = li.querySelector(":scope > article.event");
if (!article) { li.hidden = active; return; }           // gaps and era labels
var own = matches(fromArticle(article), state);
var anyChild = false;
li.querySelectorAll(".sub-events > li").forEach(function (sub) {
var ok = own || matches(fromArticle(sub.querySelector("article.event")), state);
sub.hidden = !ok;
if (ok) { anyChild = true; shown += 1; }
});
li.hidden = !(own || anyChild);
if (own) shown += 1;
});
document.querySelectorAll(".timeline p.gap").forEach(function (gap) { gap.hidden = active; });
document.querySelectorAll(".timeline .month, .timeline .year").forEach(function (section) {
section.hidden = !section.querySelector(".events > li:not([hidden])");
});
return shown;
}

var asked = 0, across = null;   // across.js: loaded the first time a paged list is filtered

function applyAcrossPages(state) {
var mine = ++asked;
if (!across && !isActive(state)) { say(""); return; }
var current = function () { return mine === asked; };
across = across || import(new URL("static/across.js", ROOT).href);
across.then(function (module) {
if (current()) module.show(form, state, { root: ROOT, matches: matches, applyHere: applyHere,
say: say, count: count, isActive: isActive, current: current, words: words, num: num });
}).catch(function () {
if (current()) say(words("%(count)s on this page; the other pages could not be read here.", { count: count(applyHere(state)) }));
});
}

function apply(state) {
if (form.dataset.pages) return applyAcrossPages(state);
var shown = applyHere(state);
say(isActive(state) ? words("%(count)s.", { count: count(shown) }) : "");
}

function writeState(state) {
var params = new URLSearchParams();
FIELDS.forEach(function (name) { if (state[name]) params.set(name, state[name]); });
var query = params.toString();
window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
}

if (form) {
var state = readState();
FIELDS.forEach(function (name) {
var field = form.elements[name];
if (field && state[name]) field.value = state[name];
});
apply(state);
var typing = 0;
var changed = function () {
var next = {};
FIELDS.forEach(function (name) { next[name] = form.elements[name].value.trim(); });
writeState(next);
apply(next);
};
form.addEventListener("change", changed);
form.addEventListener("input", function (event) {
if (event.target.tagName !== "INPUT" || event.target.type !== "text") return;
window.clearTimeout(typing);
typing = window.setTimeout(changed, 250);
});
form.addEventListener("reset", function () {
window.setTimeout(function () {
var empty = {};
FIELDS.forEach(function (name) { empty[name] = ""; });
writeState(empty);
apply(empty);
}, 0);
});
form.addEventListener("submit", function (event) { event.preventDefault(); });
}

var searchForm = document.getElementById("search-form");
var SEARCH_FIELDS = ["q", "tag", "actor", "year"];
var PAGE = 20;
var pagefind = null;

function loadPagefind() {
if (!pagefind) {
pagefind = import(new URL("pagefind/pagefind.js", ROOT).href).then(function (pf) {
return pf.options({ baseUrl: ROOT.pathname }).then(function () { return pf; });
});
}
return pagefind;
}

function excerpt(html) {
var p = document.createElement("p");
var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
doc.body.childNodes.forEach(function (node) {
if (node.nodeType === 1 && node.nodeName === "MARK") {
var mark = document.createElement("mark");
mark.textContent = node.textContent;
p.appendChild(mark);
} else {
p.appendChild(document.createTextNode(node.textContent));
}
});
return p;
}

function resultItem(data) {
var li = document.createElement("li");
var link = document.createElement("a");
link.href = data.url;
link.textContent = data.meta.title || data.url;
link.dir = "auto";
var heading = document.createElement("h2");
heading.appendChild(link);
li.appendChild(heading);
if (data.meta.date) {
var when = document.createElement("p");
when.className = "muted";
when.textContent = data.meta.date;
li.appendChild(when);
}
li.appendChild(excerpt(data.excerpt));
return li;
}

if (searchForm) {
var list = document.getElementById("search-results");
var status = document.getElementById("search-status");
var more = document.getElementById("search-more");
var found = [], shownCount = 0, serial = 0, timer = 0;

var showMore = function () {
var batch = found.slice(shownCount, shownCount + PAGE);
shownCount += batch.length;
var mine = serial;
return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
if (mine !== serial) return;                      // a newer search has started
items.forEach(function (data) { list.appendChild(resultItem(data)); });
more.hidden = shownCount >= found.length;
});
};

var run = function () {
var state = {}, filters = {};
SEARCH_FIELDS.forEach(function (name) { state[name] = searchForm.elements[name].value.trim(); });
["tag", "actor", "year"].forEach(function (name) { if (state[name]) filters[name] = state[name]; });
var params = new URLSearchParams();
SEARCH_FIELDS.forEach(function (name) { if (state[name]) params.set(name, state[name]); });
var query = params.toString();
window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
var mine = ++serial;
if (!state.q && !Object.keys(filters).length) {
list.textContent = ""; more.hidden = true; status.textContent = "";
return Promise.resolve();
}
status.textContent = words("Searching…");
return loadPagefind().then(function (pf) {
return pf.search(state.q || null, { filters: filters });
}).then(function (search) {
if (mine !== serial) return;                      // a newer search has started
found = search.results; shownCount = 0; list.textContent = "";
var n = found.length;
return showMore().then(function () {   // announce the count once the results are there
if (mine !== serial) return;
status.textContent = state.q
? plural("%(num)s result for “%(query)s”.", "%(num)s results for “%(query)s”.", n, { query: state.q })
: plural("%(num)s result.", "%(num)s results.", n);
});
}).catch(function () {
status.textContent = words("Search could not be loaded here. Browse by tag, actor, place or year instead.");
});
};

var params = new URLSearchParams(window.location.search);
SEARCH_FIELDS.forEach(function (name) {
if (params.get(name)) searchForm.elements[name].value = params.get(name);
});
searchForm.addEventListener("submit", function (event) { event.preventDefault(); run(); });
searchForm.addEventListener("change", function () { run(); });
searchForm.elements.q.addEventListener("input", function () {
window.clearTimeout(timer);
timer = window.setTimeout(run, 250);
});
more.addEventListener("click", function () { showMore(); });
run();
}

var current = -1;
document.addEventListener("keydown", function (event) {
if (event.altKey || event.ctrlKey || event.metaKey) return;
var target = event.target;
if (target.closest && target.closest("input, select, textarea, button, [contenteditable]")) return;
if (event.key === "/") {                 // "/" jumps to the search box, as on most sites
var box = document.querySelector("#search-form input[name=q], form.site-search input[name=q]");
if (box) { event.preventDefault(); box.focus(); box.select(); }
return;
}
var step = { j: 1, ArrowDown: 1, k: -1, ArrowUp: -1 }[event.key];
if (!step) return;
var items = eventItems();
if (!items.length) return;
var focused = target.closest ? target.closest("article.event") : null;
var from = focused ? items.indexOf(focused) : current;
var index = Math.max(0, Math.min(items.length - 1, from + step));
if (from < 0) index = step > 0 ? 0 : items.length - 1;
event.preventDefault();
items.forEach(function (a) { a.classList.remove("is-selected"); });
var article = items[index];
article.classList.add("is-selected");
current = index;
var link = article.querySelector(".event-title a");
link.focus({ preventScroll: true });
var reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
article.scrollIntoView({ block: "center", behavior: reduce ? "auto" : "smooth" });
});
})();
