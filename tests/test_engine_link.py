"""Stage 3 (link.py) and the Markdown links of stage 4: checks across files — slugs, addresses,
relations, cycles, drafts, tag spellings — and the order of the timeline they produce."""

from __future__ import annotations

import pytest

from helpers import Raw, assert_error, build_site, event, page, valid_timeline, write_files


def check(tmp_path, files):
    return build_site(tmp_path, files, "check")


# -- slugs and addresses ----------------------------------------------------------------------------

def test_two_files_with_the_same_slug(tmp_path):
    files = {"content/a.md": event(slug="flood"), "content/b.md": event(slug="flood")}
    assert_error(check(tmp_path, files), "content/b.md", 4,
                 "slug 'flood' is already used by a.md: both would write /events/flood/")


def test_slug_equal_to_another_file_name(tmp_path):
    files = {"content/flood.md": event(), "content/z.md": event(summary="Same.", slug="flood")}
    assert_error(check(tmp_path, files), "content/z.md", 5, "slug 'flood' is already used by flood.md")


def test_a_draft_still_owns_its_slug(tmp_path):
    files = {"content/a.md": event(slug="flood", draft=True), "content/b.md": event(slug="flood")}
    assert_error(check(tmp_path, files), "content/b.md", 4, "slug 'flood' is already used by a.md")


def test_two_pages_with_the_same_slug(tmp_path):
    files = {"content/a.md": event(), "content/pages/about.md": page(),
             "content/pages/who.md": page(slug="about")}
    assert_error(check(tmp_path, files), "content/pages/who.md", 3, "slug 'about' is already used by pages/about.md")


def test_an_event_and_a_page_may_share_a_slug(tmp_path):
    timeline = valid_timeline(tmp_path, {"content/about.md": event(), "content/pages/about.md": page()})
    assert [e.slug for e in timeline.events] == [p.slug for p in timeline.pages] == ["about"]


@pytest.mark.parametrize("name", ["events", "tags", "actors", "places", "map", "static", "404", "2024"])
def test_page_slug_reserved_for_the_generator(tmp_path, name):
    files = {"content/a.md": event(), f"content/pages/{name}.md": page()}
    assert_error(check(tmp_path, files), f"content/pages/{name}.md", 1,
                 f"the page slug '{name}' is reserved for the generator's own pages")


def test_alias_colliding_with_an_existing_page(tmp_path):
    files = {"content/a.md": event(summary="x", aliases=["/old/", "/about/"]), "content/pages/about.md": page()}
    assert_error(check(tmp_path, files), "content/a.md", 5, "alias /about/ is the address of an existing page")


def test_alias_colliding_with_an_event(tmp_path):
    files = {"content/a.md": event(aliases=["/events/b/"]), "content/b.md": event()}
    assert_error(check(tmp_path, files), "content/a.md", 4, "alias /events/b/ is the address of an existing page")


def test_alias_claimed_twice(tmp_path):
    files = {"content/a.md": event(aliases=["/old/"]), "content/b.md": event(aliases=["/old/"])}
    assert_error(check(tmp_path, files), "content/b.md", 4, "alias /old/ is also claimed by a.md")


@pytest.mark.parametrize("alias", ["/tags/rain/", "/tags/", "/2024/", "/2024/01/", "/map/", "/places/riverton/",
                                   "/static/dateline.css/", "/404.html/", "/schema/event.json/", "/x/index.html/",
                                   "/actors/the-mayor/", "/feed/"])
def test_alias_on_an_address_the_generator_writes(tmp_path, alias):
    # Its redirect would silently replace that page, or (for a file) crash the write.
    files = {"content/a.md": event(tags=["rain"], actors=["The mayor"], place={
        "name": "Riverton", "lat": 1, "lon": 1, "precision": "town"}, aliases=[alias])}
    assert_error(check(tmp_path, files), "content/a.md", 7, f"alias {alias} is an address the generator writes")


def test_aliases_that_are_old_addresses_are_fine(tmp_path):
    files = {"content/a.md": event(aliases=["/events/old-name/", "/2019/flood/", "/tags/old-tag/"])}
    assert valid_timeline(tmp_path, files).events[0].aliases == ("/events/old-name/", "/2019/flood/", "/tags/old-tag/")


@pytest.mark.parametrize("kind,first,second,line", [
    ("tags", ["BLA attack"], ["bla-attack"], 4),
    ("actors", ["River Authority"], ["river authority"], 4),
])
def test_two_spellings_of_one_term(tmp_path, kind, first, second, line):
    files = {"content/a.md": event(date="2024-01-01", **{kind: first}),
             "content/b.md": event(date="2024-01-02", **{kind: ["other", *second]})}
    assert_error(check(tmp_path, files), "content/b.md", line,
                 f"'{second[0]}' and '{first[0]}' (a.md) would share the page /{kind}/", count=1)


def test_two_spellings_of_one_place(tmp_path):
    located = "---\ntitle: {}\ndate: 2024-01-0{}\nplace:\n  name: {}\n  lat: 1\n  lon: 1\n  precision: town\n---\n"
    files = {"content/b.md": located.format("B", 1, "Riverton"), "content/c.md": located.format("C", 2, "riverton")}
    assert_error(check(tmp_path, files), "content/c.md", 5,
                 "'riverton' and 'Riverton' (b.md) would share the page /places/riverton/: spell them the same")


def test_one_spelling_in_two_events_is_one_term(tmp_path):
    files = {"content/a.md": event(tags=["BLA attack"]), "content/b.md": event(tags=["BLA attack"])}
    (term,) = valid_timeline(tmp_path, files).terms["tags"]
    assert (term.name, term.slug, sorted(term.events)) == ("BLA attack", "bla-attack", ["a", "b"])


# -- relations ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("key,value", [("in_response_to", ["gone"]), ("part_of", "gone"), ("related", ["gone"])])
def test_relation_to_a_missing_event(tmp_path, key, value):
    result = check(tmp_path, {"content/a.md": event(**{key: value})})
    assert_error(result, "content/a.md", 4, f"'{key}' points at 'gone', but no event has that slug "
                                            "(no file content/gone.md)")


def test_relation_error_points_at_the_list_item(tmp_path):
    text = "---\ntitle: A\ndate: 2024-01-15\nrelated:\n  - b\n  - gone\n---\n"
    files = {"content/a.md": text, "content/b.md": event()}
    assert_error(check(tmp_path, files), "content/a.md", 6, "'related' points at 'gone'")


def test_response_to_a_later_event(tmp_path):
    files = {"content/a.md": event(in_response_to=["b"]), "content/b.md": event(date="2024-01-16")}
    assert_error(check(tmp_path, files), "content/a.md", 4,
                 "this event (2024-01-15) cannot respond to 'b', which happened later (2024-01-16)")


def test_response_of_month_precision_to_a_day_of_that_month_is_fine(tmp_path):
    files = {"content/a.md": event(date="2024-01", in_response_to=["b"]), "content/b.md": event(date="2024-01-20")}
    assert valid_timeline(tmp_path, files).led_to == {"b": ("a",)}


def test_in_response_to_cycle_between_same_day_events(tmp_path):
    files = {"content/a.md": event(in_response_to=["b"]), "content/b.md": event(in_response_to=["a"])}
    assert_error(check(tmp_path, files), "content/a.md", 4, "'in_response_to' forms a cycle: a → b → a")


def test_three_event_cycle_is_reported_once(tmp_path):
    files = {"content/a.md": event(in_response_to=["c"]), "content/b.md": event(in_response_to=["a"]),
             "content/c.md": event(in_response_to=["b"])}
    assert_error(check(tmp_path, files), "content/a.md", 4, "forms a cycle: a → c → b → a")


def test_part_of_cycle(tmp_path):
    files = {"content/a.md": event(part_of="b"), "content/b.md": event(part_of="a")}
    assert_error(check(tmp_path, files), "content/a.md", 4, "'part_of' forms a cycle: a → b → a")


def test_response_that_is_part_of_its_own_answer(tmp_path):
    # Each relation alone has no cycle, together they leave no order: the two events used to vanish.
    files = {"content/a.md": event(in_response_to=["b"]), "content/b.md": event(part_of="a"),
             "content/c.md": event()}
    assert_error(check(tmp_path, files), "content/a.md", 4,
                 "'in_response_to' and 'part_of' together form a cycle: a → b → a")


@pytest.mark.parametrize("key,value", [("in_response_to", ["a"]), ("part_of", "a"), ("related", ["a"])])
def test_self_reference(tmp_path, key, value):
    assert_error(check(tmp_path, {"content/a.md": event(**{key: value})}), "content/a.md", 4,
                 f"'{key}' points at the event itself")


@pytest.mark.parametrize("key,value", [("in_response_to", ["b"]), ("part_of", "b"), ("related", ["b"])])
def test_relation_to_a_draft(tmp_path, key, value):
    files = {"content/a.md": event(**{key: value}), "content/b.md": event(draft=True)}
    assert_error(check(tmp_path, files), "content/a.md", 4,
                 f"'{key}' points at 'b', which is a draft: publish it or remove the link")


def test_a_draft_is_not_checked_for_relations(tmp_path):
    files = {"content/a.md": event(), "content/b.md": event(draft=True, related=["gone"])}
    assert [e.slug for e in valid_timeline(tmp_path, files).events] == ["a"]


def test_relation_to_a_broken_event_reports_only_the_broken_file(tmp_path):
    files = {"content/a.md": event(in_response_to=["b"]), "content/b.md": event(date="2024-13-01")}
    assert_error(check(tmp_path, files), "content/b.md", 3, "has no month 13", count=1)


# -- Markdown links between content files -------------------------------------------------------------

def test_markdown_link_to_a_missing_file(tmp_path):
    body = "First paragraph.\n\nSecond, with [a link](gone.md) in it.\n"
    assert_error(check(tmp_path, {"content/a.md": event(body=body)}), "content/a.md", 7,
                 "link to 'gone.md', but there is no such content file")


def test_markdown_link_in_a_page(tmp_path):
    files = {"content/a.md": event(), "content/pages/about.md": page(body="See [this](a.md).\n")}
    # Links are relative to the file: from pages/ an event is ../a.md.
    assert_error(check(tmp_path, files), "content/pages/about.md", 4, "link to 'a.md'")


def test_markdown_links_resolve_to_pages(tmp_path):
    files = {"content/a.md": event(body="[B](b.md#sources), [about](pages/about.md), [web](https://x.org/a.md)\n"),
             "content/b.md": event(),
             "content/pages/about.md": page(body="[A](../a.md) and [self](about.md)\n")}
    from dateline.config import load_config
    from dateline.site import load
    site, errors = load(load_config(write_files(tmp_path, files)))
    assert not errors
    bodies = site.bodies
    assert '<a href="/events/b/#sources">B</a>' in bodies["a.md"]
    assert '<a href="/about/">about</a>' in bodies["a.md"]
    assert '<a href="https://x.org/a.md">web</a>' in bodies["a.md"]
    assert '<a href="/events/a/">A</a>' in bodies["pages/about.md"]


# -- the order of the timeline --------------------------------------------------------------------------

def slugs(timeline):
    return [e.slug for e in timeline.events]


def test_date_order_with_coarse_dates_heading_what_they_contain(tmp_path):
    files = {"content/d.md": event(date="2024-01-15"), "content/m.md": event(date="2024-01"),
             "content/y.md": event(date="2024"), "content/old.md": event(date="2023-12-31"),
             "content/feb.md": event(date="2024-02-01")}
    assert slugs(valid_timeline(tmp_path, files)) == ["old", "y", "m", "d", "feb"]


def test_same_day_order_is_by_time_then_title(tmp_path):
    files = {"content/a.md": event(title="Zulu", time="09:00"), "content/b.md": event(title="Alpha", time="10:00"),
             "content/c.md": event(title="Bravo"), "content/d.md": event(title="alpha two")}
    assert slugs(valid_timeline(tmp_path, files)) == ["d", "c", "a", "b"]


def test_cause_before_response_on_the_same_day(tmp_path):
    # By title and time alone the response would come first.
    files = {"content/cause.md": event(title="Zebra bridge closes", time="23:00"),
             "content/response.md": event(title="Army arrives", time="01:00", in_response_to=["cause"])}
    timeline = valid_timeline(tmp_path, files)
    assert slugs(timeline) == ["cause", "response"]
    assert timeline.led_to == {"cause": ("response",)}


def test_response_with_a_coarser_date_follows_its_cause(tmp_path):
    files = {"content/cause.md": event(date="2024-01-20"), "content/other.md": event(date="2024-01-21"),
             "content/response.md": event(date="2024-01", in_response_to=["cause"])}
    assert slugs(valid_timeline(tmp_path, files)) == ["cause", "response", "other"]


def test_parent_before_its_parts(tmp_path):
    files = {"content/part.md": event(title="A part", date="2024-01-14", part_of="whole"),
             "content/whole.md": event(title="The whole", date="2024-01-15")}
    timeline = valid_timeline(tmp_path, files)
    assert slugs(timeline) == ["whole", "part"]
    assert timeline.children == {"whole": ("part",)}


def test_led_to_and_children_are_computed_in_timeline_order(tmp_path):
    files = {"content/rain.md": event(date="2024-01-01"),
             "content/levee.md": event(date="2024-01-03", in_response_to=["rain"]),
             "content/rescue.md": event(date="2024-01-02", in_response_to=["rain"]),
             "content/inquiry.md": event(date="2024-02", in_response_to=["levee", "rescue"]),
             "content/boats.md": event(date="2024-01-02", part_of="rescue"),
             "content/draft.md": event(date="2024-01-02", draft=True)}
    timeline = valid_timeline(tmp_path, files)
    assert slugs(timeline) == ["rain", "rescue", "boats", "levee", "inquiry"]
    assert timeline.led_to == {"rain": ("rescue", "levee"), "rescue": ("inquiry",), "levee": ("inquiry",)}
    assert timeline.children == {"rescue": ("boats",)}


def test_drafts_are_left_out_of_the_timeline_and_terms(tmp_path):
    files = {"content/a.md": event(tags=["rain"]), "content/b.md": event(tags=["secret"], draft=True),
             "content/pages/p.md": page(draft=True)}
    timeline = valid_timeline(tmp_path, files)
    assert slugs(timeline) == ["a"] and timeline.pages == ()
    assert [t.name for t in timeline.terms["tags"]] == ["rain"]


def test_unquoted_dates_order_like_quoted_ones(tmp_path):
    files = {"content/a.md": event(date=Raw("2024-03-01")), "content/b.md": event(date="2024-02-01")}
    assert slugs(valid_timeline(tmp_path, files)) == ["b", "a"]


def test_the_same_missing_link_on_two_lines(tmp_path):
    body = "See [it](gone.md).\n\nAnd again [it](gone.md).\n"
    result = check(tmp_path, {"content/a.md": event(body=body)})
    assert_error(result, "content/a.md", 5, "link to 'gone.md'", count=2)
    assert_error(result, "content/a.md", 7, "link to 'gone.md'", count=2)


def test_markdown_link_to_a_draft_says_so(tmp_path):
    files = {"content/a.md": event(body="See [b](b.md).\n"), "content/b.md": event(draft=True)}
    assert_error(check(tmp_path, files), "content/a.md", 5, "draft")
