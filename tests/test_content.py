"""Checks on the bundled content itself (content/), run through the engine's public API.

These tests guard the facts the timeline must get right: the dates of the listed events, the
relations between them, that every casualty figure cites a source of its own event, that every
causal link cites the source stating the motive, that only web addresses from the research
notes appear, each correction of issue 17, and that no run of eight words is copied from the
articles the timeline cites (tests/ngrams.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ngrams
from dateline.config import load_config
from dateline.outputs.table import fatalities
from dateline.site import load
from dateline.views import casualty_line

CONTENT = Path(__file__).parent.parent / "content"

# slug -> (date, end or None), as established in the fact sheet.
EXPECTED_DATES = {
    "kerman-bombing": ("2024-01-03", None),
    "iran-strikes-panjgur": ("2024-01-16", None),
    "pakistan-recalls-ambassador": ("2024-01-17", None),
    "pakistan-strikes-saravan": ("2024-01-18", None),
    "ambassadors-return-agreed": ("2024-01-22", None),
    "saravan-workers-killed": ("2024-01-27", None),
    "foreign-ministers-talks": ("2024-01-29", None),
    "mach-kolpur-attacks": ("2024-01-29", "2024-01-30"),
    "sibi-rally-bombing": ("2024-01-30", None),
    "imran-khan-cipher-sentence": ("2024-01-30", None),
    "general-election-2024": ("2024-02-08", None),
    "harnai-panjgur-raids": ("2026-01-29", "2026-01-30"),
    "coordinated-attacks-2026": ("2026-01-31", None),
    # added in issue 17
    "iran-strikes-erbil": ("2024-01-15", None),
    "iran-strikes-idlib": ("2024-01-15", None),
    "bugti-chief-minister": ("2024-03-02", None),
    "naqvi-interior-minister": ("2024-03-11", "2024-03-13"),
    "operation-herof-2024": ("2024-08-25", "2024-08-26"),
    "quetta-railway-station-bombing": ("2024-11-09", None),
    "jaffar-express-hijacking": ("2025-03-11", "2025-03-12"),
    "noshki-convoy-attack-2025": ("2025-03-16", None),
}

# slug -> (place name, country) of the events added in issue 17
NEW_PLACES = {
    "iran-strikes-erbil": ("Erbil", "Iraq"),
    "iran-strikes-idlib": ("Taltita, Idlib province", "Syria"),
    "bugti-chief-minister": ("Quetta", "Pakistan"),
    "naqvi-interior-minister": ("Islamabad", "Pakistan"),
    "operation-herof-2024": ("Balochistan", "Pakistan"),
    "quetta-railway-station-bombing": ("Quetta", "Pakistan"),
    "jaffar-express-hijacking": ("Bolan Pass", "Pakistan"),
    "noshki-convoy-attack-2025": ("Nushki", "Pakistan"),
}

TODAY = "2026-12-05"   # the day issue 17's corrections landed

# slug -> time; every one of them is given by the sources as approximate ("about")
EXPECTED_TIMES = {
    "iran-strikes-erbil": "23:30",
    "iran-strikes-idlib": "23:40",
    "mach-kolpur-attacks": "21:00",
    "quetta-railway-station-bombing": "08:25",
    "coordinated-attacks-2026": "05:00",
}

PARENT = "coordinated-attacks-2026"
# in the order of the AP's first report (the railway: "earlier Saturday"), not alphabetical
SUB_EVENTS = [f"{PARENT}-{place}" for place in
              ("railway", "quetta", "mastung", "nushki", "dalbandin", "tump", "kharan", "pasni", "gwadar")]

# The addresses of the research notes (FACTS.md, FACTS-SOURCES.md) and the seeds that the content
# cites; nothing else may appear (an address is never guessed).
KNOWN_URLS = {
    "https://dailythepatriot.com/jaffar-express-attack-operation-complete-21-people-and-4-soldiers-martyred-all-33-terrorists-killed-ispr/",
    "https://dailytimes.com.pk/1276180/fc-men-among-five-martyred-in-attack-on-security-forces-convoy-in-nushki/",
    "https://de.irna.ir/news/85344229/Die-Zahl-der-Opfer-nach-der-Terrorexplosion-in-Kerman-erreichte",
    "https://dunyanews.tv/en/Pakistan/833234-21-terrorists-killed-14-security-officials-martyred-in-balochistan-an",
    "https://en.neonetwork.pk/08-Feb-2024/elections-2024-independents-lead-with-101-pml-n-75-ppp-54-and-mqm-p-17",
    "https://english.bombaysamachar.com/international/84-pakistani-security-personnel-killed-in-coordinated-bla-attacks-across-balochistan-separatist-group-claims/?amp=1",
    "https://english.enabbaladi.net/archives/2024/01/targets-hit-by-iran-in-syria//amp?so=related",
    "https://kurdistanchronicle.com/babat/2879",
    "https://m.greaterkashmir.com/article/bla-claims-killing-over-200-pakistani-troops-in-balochistan-offensive-officials-report-33-dead/475345",
    "https://middleeastmonitor.com/20240118-pakistan-targets-baloch-separatists-in-iran-with-retaliatory-missile-strikes/",
    "https://newyorkinsider.net/world/2024/01/30/separatist-rocket-fire-kills-pakistani-police-officer-injures-a-dozen-others/",
    "https://onmanorama.com/news/world/2025/03/15/pakistan-army-casualties-train-attack-balochistan-liberation-army-bla-claims.html",
    "https://patrika.com/state-news/world-news/bla-killed-102-pakistani-soldiers-in-balochistan-in-pakistan-18940784",
    "https://thebalochistanpost.net/2025/03/suicide-attack-on-pakistani-military-convoy-in-noshki-kills-90-soldiers-bla-claims-responsibility",
    "https://theglobeandmail.com/world/article-officials-say-one-policeman-six-insurgents-killed-as-rebels-launch/",
    "https://theguardian.com/world/2026/feb/01/dozens-killed-multiple-attacks-pakistan",
    "https://thestar.com.my/news/world/2024/01/06/exclusive-us-intelligence-confirms-islamic-state039s-afghanistan-branch-behind-iran-blasts--sources",
    "https://www.arabnews.pk/node/2631341",
    "https://www.brecorder.com/news/40291531/ppps-sarfraz-bugti-elected-as-cm-balochistan-unopposed",
    "https://www.brecorder.com/news/40291641/ppps-sarfraz-bugti-elected-balochistan-cm",
    "https://www.brecorder.com/news/40331657/us-condemns-quetta-bombing",
    "https://www.business-standard.com/world-news/death-toll-in-islamic-state-claimed-suicide-blasts-in-iran-rises-to-91-124010600408_1.html",
    "https://www.c4defence.com/iran-conflict-military-syria-lead/",
    "http://origin-web.yenisafak.com/fr/international/iran-les-gardiens-de-la-revolution-annoncent-les-tirs-de-24-missiles-contre-la-syrie-et-lirak-19625",
    "https://www.dawn.com/news/1809679/i.dawn.com",
    "https://thenews.com.pk/latest/1152901-security-forces-eliminate-6-terrorists-in-mach-terror-attack",
    "https://newsvibesofindia.com/op-bolan-in-balochistan-bla-says-it-has-killed-55-pakistani-soldiers-controls-mach-city/",
    "https://www.dawn.com/news/1820748/ishaq-dar-becomes-fm-as-pm-shehbazs-19-member-cabinet-sworn-in",
    "https://www.dawn.com/news/1854838/balochistan-rocked-by-violence-as-multiple-attacks-claim-40-lives-21-terrorists-killed",
    "https://www.dawn.com/news/1855006/balochistan-plunges-deeper-into-militancy-vortex",
    "https://www.dawn.com/news/1871234/24-killed-at-least-50-injured-in-blast-at-quetta-railway-station",
    "https://www.dawn.com/news/1898259/5-fc-personnel-martyred-at-least-12-injured-in-explosion-near-convoy-in-balochistans-noshki",
    "https://www.deccanherald.com/world/five-terrorists-killed-as-pak-security-officials-thwart-coordinated-attack-on-balochistan-provinces-mach-jail-2870781",
    "https://www.express.pk/story/2800331/mastung-jail-6-escaped-prisiners-voluntarily-return-2800331",
    "https://www.hindustantimes.com/world-news/14-pakistani-security-personnel-among-73-killed-in-terror-attacks-in-balochistan-101724690251440.html",
    "https://www.hindustantimes.com/world-news/baloch-liberation-army-claims-they-executed-214-hostages-after-pakistan-train-attack-101742012803760.html",
    "https://www.latestly.com/agency-news/world-news-pakistan-31-killed-169-injured-in-suicide-bombing-at-islamabads-imambargah-7304416.html",
    "https://www.livemint.com/news/world/pakistan-bomb-blast-death-toll-rises-to-26-many-others-remain-critical-after-attack-by-suicide-bomber-key-points/amp-11731169792047.html",
    "https://www.nation.com.pk/14-Mar-2024/mohsin-naqvi-takes-charge-of-ministry-of-interior",
    "https://www.newarab.com/news/widespread-condemnation-follows-irgc-strikes-erbil",
    "https://www.pakistanstandard.com/troops-kill-24-terrorists-in-balochistan-over-three-days-ispr/",
    "https://www.pakistantoday.com.pk/2026/02/05/operation-radd-ul-fitna-i-concludes-in-balochistan-216-terrorists-killed-top-leadership-crippled/",
    "https://www.politico.eu/article/isis-claim-bombing-iran-qassem-soleimani-memorial/",
    "https://www.rudaw.net/english/middleeast/iraq/17012024-amp",
    "https://www.theage.com.au/world/middle-east/iranian-revolutionary-guards-attacks-spy-headquarters-in-iraq-20240116-p5exn0.html?ref=rss&utm_medium=rss&utm_source=rss_world",
    "https://www.trtworld.com:443/article/16668881",
    "https://www.urdupoint.com/en/pakistan/shehbaz-sharif-elected-prime-minister-of-paki-1801051.html",
    "https://www.wionews.com/south-asia/pakistan-convoy-attack-what-we-know-about-strike-on-balochistan-frontier-corps-8858699",
}


@pytest.fixture(scope="module")
def loaded():
    site, errors = load(load_config(CONTENT.parent))
    return (site.timeline if site else None), errors


@pytest.fixture(scope="module")
def timeline(loaded):
    timeline, errors = loaded
    assert not errors, "\n".join(str(e) for e in errors)
    return timeline


@pytest.fixture(scope="module")
def by_slug(timeline):
    return {event.slug: event for event in timeline.events}


def test_content_loads_without_errors(loaded):
    timeline, errors = loaded
    assert list(errors) == [], "\n".join(str(e) for e in errors)
    assert timeline is not None


def test_every_event_has_a_source(timeline):
    missing = [event.slug for event in timeline.events if not event.sources]
    assert missing == []


def test_every_event_has_a_summary_and_place(timeline):
    for event in timeline.events:
        assert event.summary, event.slug
        assert event.place is not None, event.slug


def test_every_report_cites_a_source_of_its_own_event(timeline):
    for event in timeline.events:
        ids = {source.id for source in event.sources}
        for report in event.reports:
            assert report.source in ids, f"{event.slug}: report by {report.by!r} cites {report.source!r}"
            assert report.by, event.slug
            assert report.as_of is not None, event.slug


def test_every_relation_points_at_an_existing_event(timeline, by_slug):
    for event in timeline.events:
        targets = list(event.in_response_to) + list(event.related)
        if event.part_of:
            targets.append(event.part_of)
        for slug in targets:
            assert slug in by_slug, f"{event.slug} points at missing event {slug!r}"
            assert slug != event.slug, f"{event.slug} points at itself"


def test_responses_come_after_their_causes(timeline, by_slug):
    for event in timeline.events:
        for cause in event.in_response_to:
            assert str(by_slug[cause].date) <= str(event.date), f"{event.slug} answers later event {cause}"


@pytest.mark.parametrize("slug", sorted(EXPECTED_DATES))
def test_dates_match_the_fact_sheet(by_slug, slug):
    assert slug in by_slug, f"missing event {slug}"
    event = by_slug[slug]
    date, end = EXPECTED_DATES[slug]
    assert str(event.date) == date
    assert (str(event.end) if event.end is not None else None) == end


@pytest.mark.parametrize("slug", sorted(EXPECTED_TIMES))
def test_times_match_the_fact_sheet(by_slug, slug):
    assert by_slug[slug].time == EXPECTED_TIMES[slug]
    assert by_slug[slug].time_approximate, f"{slug}: the sources give its time as approximate"


def test_only_these_events_have_a_time(timeline):
    # Saravan's 04:05 had no cited source (issue 17), nor Kerman's 15:00: a time no cited source
    # gives is left out.
    assert {e.slug for e in timeline.events if e.time} == set(EXPECTED_TIMES)


def test_no_event_is_dated_2_february_2026(timeline):
    # Seed 004 opens "On February 2": that is the report's dateline, not the attacks' date.
    for event in timeline.events:
        assert str(event.date) != "2026-02-02", event.slug
        assert event.end is None or str(event.end) != "2026-02-02", event.slug


def test_sub_events_in_the_order_the_reporting_lists_them(timeline):
    assert list(timeline.children[PARENT]) == SUB_EVENTS


@pytest.mark.parametrize("slug", SUB_EVENTS)
def test_sub_events_of_the_2026_attacks(by_slug, slug):
    assert slug in by_slug, f"missing sub-event {slug}"
    event = by_slug[slug]
    assert event.part_of == PARENT
    assert str(event.date) == "2026-01-31"
    assert event.place is not None
    assert -90 <= event.place.lat <= 90 and -180 <= event.place.lon <= 180
    assert event.place.precision in ("town", "district", "province", "country")


def test_railway_sub_event_is_marked_province_level(by_slug):
    assert by_slug[f"{PARENT}-railway"].place.precision == "province"


def test_only_known_urls(timeline):
    for event in timeline.events:
        for source in event.sources:
            if source.url is not None:
                assert source.url in KNOWN_URLS, f"{event.slug}: unknown url {source.url}"


def test_the_guardian_is_cited_with_its_address(by_slug):
    urls = {source.url for source in by_slug[PARENT].sources}
    assert "https://theguardian.com/world/2026/feb/01/dozens-killed-multiple-attacks-pakistan" in urls


def test_timeline_starts_with_kerman_and_ends_with_the_2026_attacks(timeline):
    assert timeline.events[0].slug == "kerman-bombing"
    top_level = [event for event in timeline.events if event.part_of is None]
    assert top_level[-1].slug == PARENT


def test_response_chain_of_january_2024(by_slug):
    assert "iran-strikes-panjgur" in by_slug["pakistan-strikes-saravan"].in_response_to
    assert "iran-strikes-panjgur" in by_slug["pakistan-recalls-ambassador"].in_response_to
    assert "pakistan-strikes-saravan" in by_slug["mach-kolpur-attacks"].in_response_to
    # The IRGC tied its Idlib strike, not Panjgur, to Kerman.
    assert by_slug["iran-strikes-idlib"].in_response_to == ("kerman-bombing",)
    # Sequence, not stated motive: the 2026 raids and attacks are only related.
    assert by_slug[PARENT].in_response_to == ()
    assert "harnai-panjgur-raids" in by_slug[PARENT].related


def test_every_causal_link_cites_the_source_stating_the_motive(timeline):
    for event in timeline.events:
        for cause in event.in_response_to:
            source = event.motive_source(cause)
            assert source is not None, f"{event.slug}: 'in_response_to' {cause} cites no source for the motive"
            assert source in event.sources


def test_unverified_claims_are_marked(by_slug):
    bla_reports = [r for r in by_slug[PARENT].reports if "BLA" in r.by]
    assert bla_reports and all(r.unverified for r in bla_reports)


# -- issue 17: the six errors of fact --------------------------------------------------------

def corrected_on(event, day=TODAY) -> list[str]:
    return [c.text for c in event.corrections if str(c.date) == day]


def test_mach_no_report_of_29_january_gives_militant_deaths(by_slug):
    mach = by_slug["mach-kolpur-attacks"]
    for report in mach.reports:
        if str(report.as_of) == "2024-01-29":
            assert report.killed.militants is None, report
    achakzai = [r.killed.militants for r in mach.reports if "Achakzai" in r.by and r.killed.militants]
    assert achakzai == [5, 6], "Achakzai's counts are a sequence, five then six"
    assert not any("six" in d.lower() and "five" in d.lower() for d in mach.discrepancies)
    assert corrected_on(mach)


def test_mach_rows_never_merge_speakers_and_hedge_only_what_the_source_hedges(by_slug):
    mach = by_slug["mach-kolpur-attacks"]
    for report in mach.reports:
        assert not ("Achakzai" in report.by and "official" in report.by), report.by
    officials = [r for r in mach.reports if r.by.startswith("Two local security officials")]
    assert {(r.killed.security, r.injured.security, r.at_least) for r in officials} == {(1, None, True), (None, 15, False)}
    wounded = [r for r in mach.reports if r.source == "gm" and r.injured.security == 15]
    assert len(wounded) == 1 and "military" in wounded[0].by and "officials" in wounded[0].by


def test_panjgur_does_not_answer_kerman(by_slug):
    panjgur = by_slug["iran-strikes-panjgur"]
    assert "kerman-bombing" not in panjgur.in_response_to
    assert "kerman-bombing" in panjgur.related
    assert corrected_on(panjgur)


def test_kerman_reports_reach_91(by_slug):
    kerman = by_slug["kerman-bombing"]
    by_day = {str(r.as_of): r.killed.unspecified for r in kerman.reports}
    assert by_day["2024-01-05"] == 89 and by_day["2024-01-06"] == 91
    assert casualty_line(kerman).startswith("91 people killed")
    assert corrected_on(kerman)


def test_gwadar_has_no_report_of_at_least_six(by_slug):
    gwadar = by_slug[f"{PARENT}-gwadar"]
    for report in gwadar.reports:
        assert not (report.at_least and report.killed.civilians == 6), report
    ibad = next(r for r in gwadar.reports if "Ibad Khan" in r.by)
    assert not ibad.killed and "no total" in ibad.note
    assert corrected_on(gwadar)


def test_railway_does_not_say_both_reports_give_the_day(by_slug):
    railway = by_slug[f"{PARENT}-railway"]
    assert not any("same day" in d for d in railway.discrepancies)
    assert corrected_on(railway)


def test_harnai_raids_ended_the_day_before_the_attacks(by_slug):
    raids = by_slug["harnai-panjgur-raids"]
    assert "Days later" not in raids.body and "No\nindependent count exists" not in raids.body
    assert str(raids.end) == "2026-01-30"
    assert corrected_on(raids)


# -- issue 17: attribution and wording --------------------------------------------------------

def test_saravan_summary_gives_the_officials_nine(by_slug):
    saravan = by_slug["pakistan-strikes-saravan"]
    assert "officials said nine" in saravan.summary and "at least nine" not in saravan.summary
    assert saravan.time is None


def test_bugti_at_least_reaches_the_chart(by_slug):
    bugti = [r for r in by_slug[PARENT].reports if "Bugti" in r.by and r.killed.militants == 145]
    assert len(bugti) == 1 and bugti[0].at_least
    assert not any(r.at_least for r in by_slug[PARENT].reports if "Bugti" in r.by and r.killed.civilians)


def test_the_card_shows_the_figure_the_summary_gives(by_slug):
    assert casualty_line(by_slug["sibi-rally-bombing"]).startswith("4 people killed")
    assert "four" in by_slug["sibi-rally-bombing"].summary
    assert casualty_line(by_slug["pakistan-strikes-saravan"]).startswith("7 civilians and 2 people killed")


def test_own_voice_wording(by_slug, timeline):
    texts = "\n".join(e.body + (e.summary or "") for e in timeline.events)
    assert "BLA camps" not in texts
    assert "apparently to show off" not in texts and "purportedly" in by_slug[PARENT].body
    assert "No\nindependent count exists" not in texts and "No independent count exists" not in texts


def test_the_site_does_not_say_the_insurgency_began_in_2024():
    config = load_config(CONTENT.parent)
    assert "decades" in config.description


def test_a_partial_count_is_not_an_events_total(by_slug):
    # The interior minister's 10 counted security personnel only; totals that day run 88 to 274.
    assert fatalities(by_slug[PARENT]) == 88
    assert fatalities(by_slug["mach-kolpur-attacks"]) == 15


def test_the_era_is_named_apart_from_its_event(timeline, by_slug):
    titles = {era.title for era in timeline.eras}
    assert by_slug[PARENT].title not in titles


# -- issue 17: the missing pieces --------------------------------------------------------------

@pytest.mark.parametrize("slug", sorted(NEW_PLACES))
def test_new_events_with_their_places_and_sources(by_slug, slug):
    event = by_slug[slug]
    assert (event.place.name, event.place.country) == NEW_PLACES[slug]
    assert event.sources and all(s.url in KNOWN_URLS for s in event.sources if s.url)


def test_iraq_recalled_its_ambassador(by_slug):
    erbil = by_slug["iran-strikes-erbil"]
    assert "recalled its ambassador" in erbil.summary
    assert any(s.publisher == "TRT World" for s in erbil.sources)
    assert "iran-strikes-panjgur" in erbil.related and "iran-strikes-panjgur" in by_slug["iran-strikes-idlib"].related


def test_the_2026_wave_has_its_later_tallies(by_slug):
    parent = by_slug[PARENT]
    final = [r for r in parent.reports if r.killed.militants == 216]
    assert len(final) == 1 and (final[0].killed.civilians, final[0].killed.security) == (36, 22)
    assert "ISPR" in final[0].by and not final[0].unverified
    bla = [r for r in parent.reports if "BLA" in r.by]
    assert len(bla) == 3 and all(r.unverified for r in bla)
    assert "Operation Herof II" in parent.body
    assert "operation-herof-2024" in parent.related


def test_named_officials_are_introduced(by_slug):
    assert "Sarfraz Bugti" in by_slug["bugti-chief-minister"].actors
    assert "Mohsin Naqvi" in by_slug["naqvi-interior-minister"].actors
    assert "101" in by_slug["general-election-2024"].body


def test_the_about_page_says_how_corrections_are_made(timeline):
    about = next(p for p in timeline.pages if p.slug == "about")
    assert "## Corrections" in about.body
    assert "issue" in about.body and "pull request" in about.body


# -- no copied prose ----------------------------------------------------------------------------

def test_no_run_of_eight_words_is_copied_from_a_cited_article(timeline):
    copied = ngrams.reference()
    found = []
    for item in [*timeline.events, *timeline.pages]:
        for field, text in ngrams.texts_of(item):
            hits = [run for run in ngrams.runs(text) if ngrams.digest(run) in copied]
            found += [f"{item.path} {field}: {run}" for run in hits]
    assert not found, "runs of eight words that occur in a cited article:\n" + "\n".join(found)


def test_no_two_feed_entries_share_an_updated_instant(timeline):
    from dateline.outputs.feeds import updated_instant
    instants = [updated_instant(event) for event in timeline.events]
    assert len(set(instants)) == len(instants)
    corrected = [e for e in timeline.events if e.corrections or e.updated]
    assert corrected and all(updated_instant(e).startswith(TODAY) for e in corrected)
