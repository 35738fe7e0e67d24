"""`build.py import FORMAT FILE`: TimelineJS sheets and JSON, ACLED exports and mapped CSV files,
written here by the tests (with the odd rows real files have), imported into fixture projects,
then checked and built as any other content."""

from __future__ import annotations

import csv
import contextlib
import io
import json
import shutil

import pytest

from dateline.config import load_config
from dateline.importers.htmltext import markdown_of
from dateline.load import load_text
from dateline.parse import parse_event
from dateline.pipeline import build

from dateline import cli
from helpers import PLACE, REPO, build_site, event

SHEET_HEADER = ["Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
                "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Alt Text",
                "Type", "Group", "Background"]

ACLED_HEADER = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
                "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
                "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
                "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
                "fatalities", "tags", "timestamp"]
# An export from before 2023: no disorder_type, civilian_targeting or tags.
OLD_ACLED_HEADER = [c for c in ACLED_HEADER if c not in ("disorder_type", "civilian_targeting", "tags")]


def csv_text(header: list[str], rows: list[dict | list]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row if isinstance(row, list) else [row.get(h, "") for h in header])
    return out.getvalue()


def sheet_row(**cells) -> dict:
    return {k.replace("_", " ").title(): v for k, v in cells.items()}


def acled_row(event_id: str, **cells) -> dict:
    row = {"event_id_cnty": event_id, "event_date": "2025-05-16", "year": "2025", "time_precision": "1",
           "disorder_type": "Political violence", "event_type": "Battles", "sub_event_type": "Armed clash",
           "actor1": "Military Forces of Pakistan (2018-)", "assoc_actor_1": "Police Forces of Pakistan (2018-)",
           "inter1": "State forces", "actor2": "BLA: Balochistan Liberation Army",
           "inter2": "Rebel group", "interaction": "State forces-Rebel group", "iso": "586", "region": "Caucasus and Central Asia",
           "country": "Pakistan", "admin1": "Balochistan", "admin2": "Quetta", "location": "Quetta",
           "latitude": "30.1872", "longitude": "67.0125", "geo_precision": "1",
           "source": "Dawn; The Balochistan Post", "source_scale": "National",
           "notes": "On 16 May 2025, BLA militants clashed with security forces in Quetta (Balochistan). 2 soldiers killed.",
           "fatalities": "2", "tags": "", "timestamp": "1747699200"}
    row.update(cells)
    return row


def run_import(tmp_path, *args, files=None):
    return build_site(tmp_path, files or {}, "import", *args)


def front(tmp_path, name: str) -> dict:
    """The entry's front matter as parse reads it (the Event), and its text."""
    text = (tmp_path / "content" / name).read_text(encoding="utf-8")
    entry, errors = load_text(name, "event", text)
    assert not errors, errors
    parsed, errors = parse_event(entry)
    assert not errors, errors
    return {"event": parsed, "text": text, "front": entry.front.value}


def entries(tmp_path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "content").glob("*.md"))


# -- HTML to Markdown ------------------------------------------------------------------------------

@pytest.mark.parametrize("html,markdown", [
    ("<p>One</p><p>Two</p>", "One\n\nTwo"),
    ("Iran <b>struck</b>, <i>Pakistan</i> <strong>replied</strong> <em>at once</em>",
     "Iran **struck**, *Pakistan* **replied** *at once*"),
    ('<a href="https://example.org/a">the report</a>', "[the report](https://example.org/a)"),
    ('<a href="https://example.org/a (b)">x</a>', "[x](<https://example.org/a (b)>)"),
    ("line one<br>line two", "line one\\\nline two"),
    ("<ul><li>first</li><li>second</li></ul><p>after</p>", "- first\n- second\n\nafter"),
    ("<ol><li>first</li><li>second</li></ol>", "1. first\n2. second"),
    ("5 * 3 = 15 &amp; [not a link](x) <3", "5 \\* 3 = 15 & \\[not a link\\](x) \\<3"),
    ("# not a heading", "\\# not a heading"),
    ('<span class="x">kept</span>', '<span class="x">kept</span>'),
    ('<a href="javascript:alert(1)">text only</a>', "text only"),
    ('<img src="https://example.org/p.jpg" alt="the crater">', "[the crater](https://example.org/p.jpg)"),
])
def test_html_becomes_markdown(html, markdown):
    assert markdown_of(html) == markdown


# -- TimelineJS sheets ---------------------------------------------------------------------------------

def _sheet() -> str:
    rows = [
        sheet_row(headline="Floods of the <i>Vale</i>", text="<p>Ten years of water.</p>", type="title"),
        sheet_row(year="2019", month="3", day="1", end_year="2019", end_month="6", end_day="30",
                  headline="The wet spring", text="Rain without end.", type="era"),
        sheet_row(year="2019", headline="A dam is built", text="<p>Work began.</p>", display_date="c. 2019",
                  group="Works"),
        [""] * len(SHEET_HEADER),                               # a blank row
        sheet_row(year="2019", month="4", headline="Rain all April", group="Weather"),
        sheet_row(year="2019", month="4", day="16", time="1:45 PM", end_year="2019", end_month="4", end_day="18",
                  headline="The levee <b>breaks</b>",
                  text='<p>The <b>levee</b> broke at <a href="https://news.example.org/levee">the bend</a>.</p>'
                       '<ul><li>300 homes</li><li>two bridges</li></ul><p>Old line<br>new line</p>'
                       '<span style="color:red">red</span><script>alert(1)</script>',
                  media="https://photos.example.org/levee.jpg", media_caption="The breach",
                  media_credit="A. Photographer", media_thumbnail="https://photos.example.org/t.jpg",
                  group="Floods"),
        sheet_row(year="2019", month="2", day="30", headline="No such day"),            # a bad row
        sheet_row(year="2019", month="5", text="A slide without a headline"),           # a bad row
        [""] * len(SHEET_HEADER),
    ]
    return csv_text(SHEET_HEADER, rows)


def test_a_timelinejs_sheet_keeps_precision_html_groups_and_eras(tmp_path):
    result = run_import(tmp_path, "timelinejs", "sheet.csv", files={"sheet.csv": _sheet()})
    assert result.exit_code == 1, result      # two rows skipped
    assert entries(tmp_path) == ["a-dam-is-built.md", "rain-all-april.md", "the-levee-breaks.md"]
    dam = front(tmp_path, "a-dam-is-built.md")["event"]
    assert (str(dam.date), dam.date.precision, dam.approximate, dam.tags) == ("2019", "year", True, ("Works",))
    april = front(tmp_path, "rain-all-april.md")["event"]
    assert (str(april.date), april.date.precision) == ("2019-04", "month")
    levee = front(tmp_path, "the-levee-breaks.md")["event"]
    assert (levee.title, str(levee.date), levee.time, str(levee.end)) == ("The levee breaks", "2019-04-16",
                                                                        "13:45", "2019-04-18")
    assert levee.body.startswith("The **levee** broke at [the bend](https://news.example.org/levee).\n\n"
                                 "- 300 homes\n- two bridges\n\nOld line\\\nnew line")
    assert "[The breach](https://photos.example.org/levee.jpg) (A. Photographer)" in levee.body
    assert "t.jpg" not in levee.body
    eras = (tmp_path / "content/eras.yaml").read_text()
    assert 'title: "The wet spring"' in eras and "start: 2019-03-01" in eras and "end: 2019-06-30" in eras
    assert result.errors() == [
        ("sheet.csv", 8, "row 8, column Day: '2019-02-30' does not exist: February 2019 has 28 days"),
        ("sheet.csv", 9, "row 9, column Headline: no headline: dateline needs a title for every event; "
                          "give it one")]
    assert "3 entries written, 2 skipped" in result.stdout
    assert "passed over: 2 blank rows" in result.stdout
    assert 'title = "Floods of the Vale"' in result.stdout and 'description = "Ten years of water."' in result.stdout
    assert "Background" not in result.stdout and "Media Thumbnail" in result.stdout
    built = build_site(tmp_path, {})
    assert built.exit_code == 0, built
    page = built.read("events/the-levee-breaks/index.html")
    assert "<strong>levee</strong>" in page and "alert(1)" not in page and 'style="' not in page.split("<main")[1]
    assert "The wet spring" in built.read("timeline.json")


def test_every_sheet_error_names_its_row_and_column_and_nothing_is_a_traceback(tmp_path):
    rows = [sheet_row(year="-500", headline="Before dateline's years"),
            sheet_row(year="2020", day="3", headline="A day without a month"),
            sheet_row(year="2020", month="13", headline="Month thirteen"),
            sheet_row(year="2020", month="1", day="2", time="25:00", headline="A bad time"),
            sheet_row(year="2020", end_year="2019", headline="Ends before it starts"),
            sheet_row(year="2020", time="10:00", headline="A time on a year"),
            sheet_row(year="2020", headline="Fine"),
            sheet_row(year="2020", headline="Era without an end", type="era"),
            SHEET_HEADER[:3] + ["x"] * (len(SHEET_HEADER) + 2)]
    result = run_import(tmp_path, "timelinejs", "s.csv", files={"s.csv": csv_text(SHEET_HEADER, rows)})
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert [(line, message.split(":")[0]) for _, line, message in result.errors()] == [
        (2, "row 2, column Year"), (3, "row 3, column Day"), (4, "row 4, column Month"), (5, "row 5, column Time"),
        (6, "row 6"), (7, "row 7"), (9, "row 9, column End Year"), (10, "row 10")]
    messages = result.stderr
    assert "year -500 is outside 1 to 9999" in messages and "end 2019 is before the start 2020" in messages
    assert "a time needs a full date" in messages and "is a value holding a ',' not in quotes?" in messages
    assert entries(tmp_path) == ["fine.md"]


def test_a_file_that_is_not_a_sheet_is_refused_whole(tmp_path):
    result = run_import(tmp_path, "timelinejs", "x.csv", files={"x.csv": "when,what\n2020,x\n"})
    assert result.exit_code == 2 and "not a TimelineJS sheet: no column Year, Headline" in result.stderr
    assert entries(tmp_path) == []
    missing = run_import(tmp_path, "timelinejs", "nowhere.csv")
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    latin1 = run_import(tmp_path, "acled", "l.csv", files={"l.csv": "event_id_cnty,event_date\nPAK1,caf\xe9\n".encode("latin-1")})
    assert latin1.exit_code == 2 and "l.csv:2: not UTF-8 (byte 0xe9)" in latin1.stderr


# -- TimelineJS JSON -----------------------------------------------------------------------------------

def test_a_timelinejs_json_with_unique_ids_eras_and_bad_slides(tmp_path):
    timeline = {
        "title": {"text": {"headline": "Floods", "text": "<p>Water.</p>"}},
        "events": [
            {"start_date": {"year": 2019, "month": 4, "day": 16, "hour": 9, "minute": 5},
             "end_date": {"year": "2019", "month": "4", "day": "18"},
             "text": {"headline": "Levee &amp; bridge", "text": "<p>It <em>broke</em>.</p>"},
             "group": "Floods", "unique_id": "levee"},
            {"start_date": {"year": 2019}, "text": {"headline": "Dam"}},
            {"start_date": {"year": 12000}, "text": {"headline": "Far future"}},
            {"start_date": "2019", "text": {"headline": "Bad date"}},
            "not a slide",
        ],
        "eras": [{"start_date": {"year": 2019, "month": 3}, "end_date": {"year": 2019, "month": 6},
                  "text": {"headline": "Wet spring"}}],
    }
    result = run_import(tmp_path, "timelinejs", "t.json", files={"t.json": json.dumps(timeline)})
    assert result.exit_code == 1, result
    assert entries(tmp_path) == ["dam.md", "levee.md"]
    levee = front(tmp_path, "levee.md")
    assert levee["front"]["import_id"] == "timelinejs:levee"
    assert (levee["event"].title, levee["event"].time, str(levee["event"].end)) == ("Levee & bridge", "09:05",
                                                                                    "2019-04-18")
    assert levee["event"].body.strip() == "It *broke*."
    assert "events[2].start_date.year: year 12000 is outside 1 to 9999" in result.stderr
    assert "events[3].start_date: must be an object" in result.stderr
    assert "events[4]: not a slide" in result.stderr
    assert "end: 2019-06" in (tmp_path / "content/eras.yaml").read_text()
    assert build_site(tmp_path, {}, "check").exit_code == 0


def test_json_that_is_not_a_timeline_is_refused_whole(tmp_path):
    broken = run_import(tmp_path, "timelinejs", "t.json", files={"t.json": '{"events": [\n  {"start_date": }\n]}'})
    assert broken.exit_code == 2 and "t.json:2: not JSON: Expecting value" in broken.stderr
    other = run_import(tmp_path, "timelinejs", "t.json", files={"t.json": '{"items": []}'})
    assert other.exit_code == 2 and 'it must be an object with an "events" list' in other.stderr
    # JSON is known by its first character too, whatever the file is called
    named = run_import(tmp_path, "timelinejs", "export.txt",
                       files={"export.txt": '{"events": [{"start_date": {"year": 2001}, "text": {"headline": "X"}}]}'})
    assert named.exit_code == 0 and entries(tmp_path) == ["x.md"]


def test_round_trip_of_the_bundled_sites_timeline_json(tmp_path):
    """The bundled site's timeline.json, imported into an empty project and built, gives the same
    events, dates, headlines, groups and eras (TimelineJS orders slides by date itself; events of
    the same day may come in another order)."""
    bundled = tmp_path / "bundled"
    shutil.copytree(REPO / "content", bundled / "content")
    shutil.copy(REPO / "pyproject.toml", bundled / "pyproject.toml")
    built = build(load_config(bundled, {"search": False}), write=True, cache=False)
    assert not built.errors
    original = json.loads((bundled / "site/timeline.json").read_text())
    project = tmp_path / "empty"
    result = run_import(project, "timelinejs", str(bundled / "site/timeline.json"))
    assert result.exit_code == 0, result
    assert "30 entries written" in result.stdout and "2 added to content/eras.yaml" in result.stdout
    again = build_site(project, {}, "--no-search")
    assert again.exit_code == 0, again
    copy = json.loads(again.read("timeline.json"))

    def slides(data):
        return sorted((e["unique_id"], json.dumps(e["start_date"]), json.dumps(e.get("end_date")),
                       e["display_date"], e["text"]["headline"], e.get("group")) for e in data["events"])
    assert len(original["events"]) == 30
    assert slides(copy) == slides(original)
    assert copy["eras"] == original["eras"]


# -- ACLED -----------------------------------------------------------------------------------------

def _acled() -> str:
    rows = [
        acled_row("PAK1"),                                                     # YYYY-MM-DD, 2 killed
        acled_row("PAK2", event_date="17-05-2025", time_precision="2", fatalities="0", geo_precision="2",
                  location="Turbat", admin1="Balochistan", latitude="26.0", longitude="63.05",
                  event_type="Explosions/Remote violence", sub_event_type="Remote explosive/landmine/IED",
                  civilian_targeting="Civilian targeting", tags="women targeted: girls"),
        [""] * len(ACLED_HEADER),
        acled_row("PAK3", event_date="18 May 2025", time_precision="3", latitude="", longitude="",
                  geo_precision="", fatalities="", source="", notes="Protest * with <b>odd</b> [text]."),
        acled_row("PAK4", event_date="31-02-2025"),                             # no such day
        acled_row("PAK5", latitude="abc"),                                      # not a number
        acled_row("PAK6", fatalities="-3"),                                     # not a count
        acled_row("PAK7", event_date="2025-05"),                                 # not a full date
    ]
    return csv_text(ACLED_HEADER, rows)


def test_an_acled_export_with_three_date_formats_and_odd_rows(tmp_path):
    result = run_import(tmp_path, "acled", "acled.csv", files={"acled.csv": _acled()})
    assert result.exit_code == 1, result
    assert "Traceback" not in result.stderr
    assert result.errors() == [
        ("acled.csv", 6, "row 6, column event_date: '2025-02-31' does not exist: February 2025 has 28 days"),
        ("acled.csv", 7, "row 7, column latitude: 'abc' is not a number"),
        ("acled.csv", 8, "row 8, column fatalities: '-3' is not a whole number of people (0 or more)"),
        ("acled.csv", 9, "row 9, column event_date: '2025-05' is not a full date: write YYYY-MM-DD, DD-MM-YYYY "
                         "or '16 May 2025'")]
    names = entries(tmp_path)
    assert names == ["armed-clash-in-quetta-2025-05.md", "armed-clash-in-quetta.md",
                     "remote-explosive-landmine-ied-in-turbat.md"]
    quetta = front(tmp_path, "armed-clash-in-quetta.md")
    event_ = quetta["event"]
    assert quetta["front"]["import_id"] == "acled:PAK1"
    assert (str(event_.date), event_.approximate) == ("2025-05-16", False)
    assert event_.place.name == "Quetta, Balochistan" and event_.place.precision == "town"
    assert (event_.place.lat, event_.place.lon, event_.place.country) == (30.1872, 67.0125, "Pakistan")
    assert event_.actors == ("Military Forces of Pakistan (2018-)", "Police Forces of Pakistan (2018-)",
                             "BLA: Balochistan Liberation Army")
    assert event_.tags == ("Battles", "Armed clash")
    assert [s.publisher for s in event_.sources] == ["ACLED (Armed Conflict Location & Event Data)", "Dawn",
                                                      "The Balochistan Post"]
    assert not any(s.url for s in event_.sources)
    (report,) = event_.reports
    assert (str(report.as_of), report.by, report.killed.unspecified) == ("2025-05-20", "ACLED", 2)
    assert "conservative" in report.note
    assert event_.body.startswith("On 16 May 2025, BLA militants clashed")
    turbat = front(tmp_path, "remote-explosive-landmine-ied-in-turbat.md")["event"]
    assert (str(turbat.date), turbat.approximate, turbat.place.precision) == ("2025-05-17", True, "district")
    assert "Civilian targeting" in turbat.tags
    (zero,) = turbat.reports
    assert not zero.killed and "not that nobody died" in zero.note
    month = front(tmp_path, "armed-clash-in-quetta-2025-05.md")
    assert (str(month["event"].date), month["event"].place, month["event"].reports) == ("2025-05", None, ())
    assert month["event"].body.startswith("Protest \\* with \\<b\\>odd\\</b\\> \\[text\\].")
    assert "1 event without coordinates" in result.stdout and "passed over: 1 blank row" in result.stdout
    assert "3 entries written, 4 skipped" in result.stdout
    built = build_site(tmp_path, {})
    assert built.exit_code == 0, built
    rows = {r["title"]: r for r in csv.DictReader(io.StringIO(built.read("events.csv")))}
    assert rows["Armed clash in Quetta"]["fatalities"] == "2"
    assert rows["Armed clash in Quetta"]["geo_precision"] == "1" and rows["Armed clash in Quetta"]["event_type"] == "Battles"


def test_an_old_acled_export_without_the_2023_columns(tmp_path):
    row = {k: v for k, v in acled_row("AFG9", event_date="05-01-2019").items() if k in OLD_ACLED_HEADER}
    result = run_import(tmp_path, "acled", "old.csv", files={"old.csv": csv_text(OLD_ACLED_HEADER, [row])})
    assert result.exit_code == 0, result
    quetta = front(tmp_path, "armed-clash-in-quetta.md")["event"]
    assert str(quetta.date) == "2019-01-05" and quetta.tags == ("Battles", "Armed clash")


def test_never_overwrites_and_update_touches_only_its_own_entries(tmp_path):
    mine = event(title="Armed clash in Quetta", date="2020-01-01", place=PLACE)
    files = {"acled.csv": csv_text(ACLED_HEADER, [acled_row("PAK1"), acled_row("PAK2", location="Sibi")]),
             "content/armed-clash-in-quetta.md": mine}
    first = run_import(tmp_path, "acled", "acled.csv", files=files)
    assert first.exit_code == 0, first
    assert (tmp_path / "content/armed-clash-in-quetta.md").read_text() == mine
    assert entries(tmp_path) == ["armed-clash-in-quetta-2025-05-16.md", "armed-clash-in-quetta.md",
                                 "armed-clash-in-sibi.md"]
    # Imported twice without --update: nothing changes, the second says why.
    before = {n: (tmp_path / "content" / n).read_bytes() for n in entries(tmp_path)}
    again = run_import(tmp_path, "acled", "acled.csv")
    assert again.exit_code == 0 and "0 entries written, 2 skipped" in again.stdout
    assert "2 events imported before" in again.stdout and "--update rewrites them" in again.stdout
    assert {n: (tmp_path / "content" / n).read_bytes() for n in entries(tmp_path)} == before
    # A newer export: PAK1's toll changed, PAK3 is new; PAK2 is not in it.
    sibi = tmp_path / "content/armed-clash-in-sibi.md"
    sibi.write_text(sibi.read_text().replace("BLA militants", "Edited militants"))
    newer = csv_text(ACLED_HEADER, [acled_row("PAK1", fatalities="5"), acled_row("PAK3", location="Kech")])
    (tmp_path / "acled.csv").write_text(newer)
    updated = run_import(tmp_path, "acled", "acled.csv", "--update")
    assert updated.exit_code == 0, updated
    assert "1 entry written, 1 updated, 0 unchanged, 0 skipped" in updated.stdout
    assert front(tmp_path, "armed-clash-in-quetta-2025-05-16.md")["event"].reports[0].killed.unspecified == 5
    assert (tmp_path / "content/armed-clash-in-quetta.md").read_text() == mine       # not imported: untouched
    assert "Edited militants" in sibi.read_text()                                   # not in this file: untouched
    assert (tmp_path / "content/armed-clash-in-kech.md").exists()
    same = run_import(tmp_path, "acled", "acled.csv", "--update")
    assert "0 entries written, 0 updated, 2 unchanged" in same.stdout
    assert build_site(tmp_path, {}, "check").exit_code == 0


def test_an_imported_entry_moved_into_a_folder_is_still_known(tmp_path):
    """Events are read from any folder of content/: one the editor filed away is the same entry."""
    files = {"acled.csv": csv_text(ACLED_HEADER, [acled_row("PAK1")])}
    assert run_import(tmp_path, "acled", "acled.csv", files=files).exit_code == 0
    (tmp_path / "content/2025").mkdir()
    moved = tmp_path / "content/2025/armed-clash-in-quetta.md"
    (tmp_path / "content/armed-clash-in-quetta.md").rename(moved)
    again = run_import(tmp_path, "acled", "acled.csv")
    assert again.exit_code == 0 and "0 entries written, 1 skipped" in again.stdout, again
    (tmp_path / "acled.csv").write_text(csv_text(ACLED_HEADER, [acled_row("PAK1", fatalities="7")]))
    updated = run_import(tmp_path, "acled", "acled.csv", "--update")
    assert updated.exit_code == 0 and "1 updated" in updated.stdout, updated
    assert entries(tmp_path) == [] and "7" in moved.read_text()
    assert build_site(tmp_path, {}, "check").exit_code == 0


def test_the_same_id_twice_in_one_file_is_imported_once(tmp_path):
    text = csv_text(ACLED_HEADER, [acled_row("PAK1"), acled_row("PAK1", location="Sibi")])
    result = run_import(tmp_path, "acled", "a.csv", files={"a.csv": text})
    assert result.exit_code == 1
    assert "a.csv:3: row 3: the same id as row 2 (acled:PAK1)" in result.stderr
    assert entries(tmp_path) == ["armed-clash-in-quetta.md"]


def test_import_into_another_content_folder(tmp_path):
    text = csv_text(ACLED_HEADER, [acled_row("PAK1")])
    result = run_import(tmp_path, "acled", "a.csv", "--content", "elsewhere", files={"a.csv": text})
    assert result.exit_code == 0, result
    assert (tmp_path / "elsewhere/armed-clash-in-quetta.md").exists()
    assert "into elsewhere/" in result.stdout


def test_many_rows_of_few_titles_get_unique_names_and_pass_check(tmp_path):
    """Enough rows to be checked on every core; 1,500 events of 20 titles: each title's first event
    takes its name, the next the name with the date, the rest a number."""
    rows = [acled_row(f"PAK{i}", location=f"Town {i % 20}", fatalities=str(i % 7)) for i in range(1_500)]
    result = run_import(tmp_path, "acled", "big.csv", files={"big.csv": csv_text(ACLED_HEADER, rows)})
    assert result.exit_code == 0, result
    assert "1,500 entries written" in result.stdout
    names = entries(tmp_path)
    assert len(names) == 1_500
    assert {"armed-clash-in-town-3.md", "armed-clash-in-town-3-2025-05-16.md",
            "armed-clash-in-town-3-2025-05-16-2.md", "armed-clash-in-town-3-2025-05-16-73.md"} <= set(names)
    assert build_site(tmp_path, {}, "check").exit_code == 0


# -- any CSV, mapped -------------------------------------------------------------------------------

def test_a_csv_mapped_on_the_command_line(tmp_path):
    text = "ID,When,What,Where,Lat,Lon,Topics,Notes\n" \
           "7,2021-07-14,River rises,Riverton,46.2,7.4,flood;rain,The *river* rose.\n" \
           "8,July 2021,Dry spell,,,,drought,\n" \
           "9,yesterday,Bad date,,,,,\n"
    result = run_import(tmp_path, "csv", "d.csv", "--map", "id=ID", "--map", "title=What", "--map", "date=When",
                        "--map", "place=Where", "--map", "lat=Lat", "--map", "lon=Lon", "--map", "tags=Topics",
                        "--map", "body=Notes", "--default", "precision=town", files={"d.csv": text})
    assert result.exit_code == 1, result
    assert "d.csv:4: row 4, column When: 'yesterday' is not a date" in result.stderr
    river = front(tmp_path, "river-rises.md")
    assert river["front"]["import_id"] == "csv:7"
    assert river["event"].place.precision == "town" and river["event"].tags == ("flood", "rain")
    assert river["event"].body.strip() == "The \\*river\\* rose."
    assert str(front(tmp_path, "dry-spell.md")["event"].date) == "2021-07"


def test_a_csv_mapped_in_a_toml_file(tmp_path):
    mapping = ('separator = "|"\nbody_format = "html"\n[columns]\ntitle = "Headline"\ndate = "Date"\n'
               'tags = ["Kind", "Region"]\nbody = "Text"\n')
    text = "Headline,Date,Kind,Region,Text\nA,2020-01-02,flood|rain,North,<p>Big <b>one</b></p>\n"
    result = run_import(tmp_path, "csv", "d.csv", "--mapping", "map.toml",
                        files={"d.csv": text, "map.toml": mapping})
    assert result.exit_code == 0, result
    a = front(tmp_path, "a.md")["event"]
    assert a.tags == ("flood", "rain", "North") and a.body.strip() == "Big **one**"


@pytest.mark.parametrize("args,message", [
    (("--map", "title=Headline"), "no column for 'date'"),
    (("--map", "titel=Headline", "--map", "date=Date"), "'titel' is not a field dateline imports — did you mean 'title'?"),
    (("--map", "title=Headlin", "--map", "date=Date"), "no column 'Headlin' — did you mean 'Headline'?"),
    (("--map", "title=Headline", "--map", "date=Date", "--map", "date=Date"), "only tags, actors may gather"),
    (("--mapping", "none.toml"), "none.toml: no such file"),
])
def test_a_mapping_that_cannot_be_used_is_refused(tmp_path, args, message):
    result = run_import(tmp_path, "csv", "d.csv", *args, files={"d.csv": "Headline,Date\nA,2020\n"})
    assert result.exit_code == 2 and message in result.stderr, result
    assert entries(tmp_path) == []


def test_a_row_that_check_would_refuse_is_not_written(tmp_path):
    text = csv_text(["T", "D", "Body"], [["Picture", "2020", "![a photo](https://example.org/p.jpg)"],
                                         ["Late", "2020-03", "Fine."]])
    mapping = 'body_format = "markdown"\n[columns]\ntitle = "T"\ndate = "D"\nbody = "Body"\n'
    result = run_import(tmp_path, "csv", "d.csv", "--mapping", "m.toml", files={"d.csv": text, "m.toml": mapping})
    assert result.exit_code == 1
    assert "d.csv:2: row 2: image https://example.org/p.jpg is on another site" in result.stderr
    assert entries(tmp_path) == ["late.md"]
    assert build_site(tmp_path, {}, "check").exit_code == 0


def test_mapping_options_are_for_csv_only(tmp_path):
    result = run_import(tmp_path, "acled", "a.csv", "--map", "title=x", files={"a.csv": "x\n"})
    assert result.exit_code == 2 and "--map, --default and --mapping are for the csv format" in result.stderr


# -- what is written --------------------------------------------------------------------------------

def test_hostile_text_is_written_as_yaml_that_reads_back_as_it_was(tmp_path):
    title = 'Quote " backslash \\ colon: hash # yes: no 2024-01-01 \x85 \u2028 tab\tend'
    text = csv_text(["Headline", "Date"], [[title, "2020"]])
    result = run_import(tmp_path, "csv", "h.csv", "--map", "title=Headline", "--map", "date=Date",
                        files={"h.csv": text})
    assert result.exit_code == 0, result
    (name,) = entries(tmp_path)
    assert front(tmp_path, name)["event"].title == " ".join(title.split())


def test_import_run_in_a_dateline_toml_project_from_a_subfolder(tmp_path):
    """Like every command: the project is found from inside it, and what it prints names that
    project's settings file and the installed command."""
    (tmp_path / "dateline.toml").write_text('title = "Rivers"\n')
    (tmp_path / "content/2025").mkdir(parents=True)
    timeline = {"title": {"text": {"headline": "Floods"}},
                "events": [{"start_date": {"year": 2019, "month": 4}, "text": {"headline": "Levee"}}]}
    (tmp_path / "t.json").write_text(json.dumps(timeline))
    stdout = io.StringIO()
    with contextlib.chdir(tmp_path / "content/2025"), contextlib.redirect_stdout(stdout):
        code = cli.main(["import", "timelinejs", "../../t.json"])
    assert code == 0, stdout.getvalue()
    assert (tmp_path / "content/levee.md").exists()
    assert "in dateline.toml:\n    title = \"Floods\"" in stdout.getvalue()
    assert "Check the result with: dateline check" in stdout.getvalue()
