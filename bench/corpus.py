"""Synthetic, deterministic corpus for the side-by-side benchmark.

    python bench/corpus.py N [--places shared|distinct] [--seed S] [--out DIR]

writes the SAME N events three times, once per generator:

    DIR/dateline/content/<slug>.md          dateline's YAML front matter (docs/front-matter.md)
    DIR/dateline/content/pages/about.md     one standalone page
    DIR/dateline/content/eras.yaml          three named spans
    DIR/hugo/content/events/<slug>.md       Hugo: YAML front matter; tags, actors, places, years
                                            and months as taxonomies; sources, reports and causes
                                            as params; links to other events by file
    DIR/hugo/content/about.md
    DIR/pelican/content/<slug>.md           Pelican: Title, Date, Tags, Category (the place),
                                            Authors (the actors), Slug, Summary; links as
                                            {filename}other.md
    DIR/pelican/content/pages/about.md

Events are generated in date order over ten years, so every causal link (`in_response_to`),
sub-event (`part_of`) and `related` link points at an EARLIER event: the graph is acyclic and a
response is never dated before its cause (coarser dates only widen a span, so this holds for
month- and year-precision dates too). Bodies are about 300 words: paragraphs, one or two
headings, a list, emphasis and links to other events by file name.

Two kinds of corpus (`--places`):

- shared (the default): every event at one of the 78 places of PLACES, so places repeat and
  many events share a point.
- distinct: like conflict data, every event at a point of its own, with a name of its own (a
  generated village and its district, "Killi Shahbaz, Kech"), no two events at the same
  coordinates; 60 % of them inside one province-sized box (Balochistan: lat 25-31, lon 61-70;
  the province, "Balochistan, Pakistan", in the `country` field), the rest within about a
  degree of the shared corpus's places; one event in ten carries a long tag list (8-16 tags).
  Everything else (dates, titles, actors, bodies, sources, reports, causal links) is drawn from
  the same random stream as the shared corpus, so the two differ only in places, tag lists and
  the text and slugs those appear in. Hugo gets the same places as a taxonomy and Pelican as
  the Category: the three tools write the same place pages.

The same N, kind and seed always give byte-identical files; DIR/manifest.json says how many
events and places were written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

START = dt.date(2016, 1, 1)
END = dt.date(2025, 12, 31)

# name, country, lat, lon, precision
PLACES = [
    ("Quetta", "Pakistan", 30.18, 66.99, "town"), ("Gwadar", "Pakistan", 25.12, 62.33, "town"),
    ("Turbat", "Pakistan", 26.00, 63.04, "town"), ("Panjgur", "Pakistan", 26.97, 64.09, "district"),
    ("Karachi", "Pakistan", 24.86, 67.01, "town"), ("Peshawar", "Pakistan", 34.01, 71.58, "town"),
    ("Lahore", "Pakistan", 31.55, 74.34, "town"), ("Islamabad", "Pakistan", 33.68, 73.05, "town"),
    ("Dera Ismail Khan", "Pakistan", 31.83, 70.90, "district"), ("Bannu", "Pakistan", 32.99, 70.60, "district"),
    ("Zahedan", "Iran", 29.50, 60.86, "town"), ("Saravan", "Iran", 27.37, 62.33, "town"),
    ("Chabahar", "Iran", 25.29, 60.64, "town"), ("Kerman", "Iran", 30.28, 57.08, "town"),
    ("Tehran", "Iran", 35.69, 51.39, "town"), ("Mashhad", "Iran", 36.30, 59.61, "town"),
    ("Kandahar", "Afghanistan", 31.61, 65.71, "town"), ("Kabul", "Afghanistan", 34.53, 69.17, "town"),
    ("Herat", "Afghanistan", 34.35, 62.20, "town"), ("Jalalabad", "Afghanistan", 34.43, 70.45, "town"),
    ("Helmand", "Afghanistan", 31.36, 63.96, "province"), ("Kunduz", "Afghanistan", 36.73, 68.86, "town"),
    ("Baghdad", "Iraq", 33.31, 44.37, "town"), ("Mosul", "Iraq", 36.34, 43.13, "town"),
    ("Basra", "Iraq", 30.51, 47.78, "town"), ("Erbil", "Iraq", 36.19, 44.01, "town"),
    ("Damascus", "Syria", 33.51, 36.29, "town"), ("Aleppo", "Syria", 36.20, 37.13, "town"),
    ("Idlib", "Syria", 35.93, 36.63, "province"), ("Deir ez-Zor", "Syria", 35.33, 40.14, "town"),
    ("Beirut", "Lebanon", 33.89, 35.50, "town"), ("Sanaa", "Yemen", 15.37, 44.19, "town"),
    ("Aden", "Yemen", 12.79, 45.02, "town"), ("Marib", "Yemen", 15.46, 45.33, "district"),
    ("Hodeidah", "Yemen", 14.80, 42.95, "town"), ("Riyadh", "Saudi Arabia", 24.71, 46.68, "town"),
    ("Muscat", "Oman", 23.59, 58.41, "town"), ("Doha", "Qatar", 25.29, 51.53, "town"),
    ("Ankara", "Turkey", 39.93, 32.86, "town"), ("Diyarbakir", "Turkey", 37.91, 40.24, "town"),
    ("Mogadishu", "Somalia", 2.05, 45.32, "town"), ("Kismayo", "Somalia", -0.36, 42.55, "town"),
    ("Khartoum", "Sudan", 15.50, 32.56, "town"), ("El Fasher", "Sudan", 13.63, 25.35, "town"),
    ("Tripoli", "Libya", 32.89, 13.19, "town"), ("Benghazi", "Libya", 32.12, 20.07, "town"),
    ("Bamako", "Mali", 12.64, -8.00, "town"), ("Gao", "Mali", 16.27, -0.04, "town"),
    ("Niamey", "Niger", 13.51, 2.13, "town"), ("Maiduguri", "Nigeria", 11.85, 13.16, "town"),
    ("Ouagadougou", "Burkina Faso", 12.37, -1.52, "town"), ("Goma", "DR Congo", -1.68, 29.23, "town"),
    ("Addis Ababa", "Ethiopia", 9.03, 38.74, "town"), ("Mekelle", "Ethiopia", 13.50, 39.47, "town"),
    ("Cabo Delgado", "Mozambique", -12.33, 39.32, "province"), ("Kyiv", "Ukraine", 50.45, 30.52, "town"),
    ("Kharkiv", "Ukraine", 49.99, 36.23, "town"), ("Donetsk", "Ukraine", 48.02, 37.80, "town"),
    ("Odesa", "Ukraine", 46.48, 30.72, "town"), ("Tbilisi", "Georgia", 41.72, 44.79, "town"),
    ("Stepanakert", "Azerbaijan", 39.82, 46.75, "town"), ("Yangon", "Myanmar", 16.84, 96.17, "town"),
    ("Mandalay", "Myanmar", 21.96, 96.09, "town"), ("Rakhine", "Myanmar", 20.10, 93.60, "province"),
    ("Marawi", "Philippines", 8.00, 124.29, "town"), ("Kashmir Valley", "India", 34.08, 74.80, "district"),
    ("Manipur", "India", 24.66, 93.91, "province"), ("Dhaka", "Bangladesh", 23.81, 90.41, "town"),
    ("Colombo", "Sri Lanka", 6.93, 79.86, "town"), ("Kathmandu", "Nepal", 27.72, 85.32, "town"),
    ("Bogotá", "Colombia", 4.71, -74.07, "town"), ("Cauca", "Colombia", 2.50, -76.60, "province"),
    ("Culiacán", "Mexico", 24.81, -107.39, "town"), ("Port-au-Prince", "Haiti", 18.59, -72.31, "town"),
    ("Caracas", "Venezuela", 10.48, -66.90, "town"), ("Lima", "Peru", -12.05, -77.04, "town"),
]

ACTORS = [
    "Pakistan Army", "Frontier Corps", "Counter Terrorism Department", "Balochistan Liberation Army",
    "Baloch Liberation Front", "Tehrik-i-Taliban Pakistan", "Jaish al-Adl", "Islamic State Khorasan",
    "Islamic Revolutionary Guard Corps", "Iranian Border Guards", "Taliban government", "Afghan Border Forces",
    "Iraqi Security Forces", "Peshmerga", "Popular Mobilization Forces", "Syrian Democratic Forces",
    "Hayat Tahrir al-Sham", "Syrian Arab Army", "Hezbollah", "Israel Defense Forces", "Houthis",
    "Saudi-led coalition", "Yemeni government forces", "Southern Transitional Council", "Al-Shabaab",
    "African Union mission", "Somali National Army", "Rapid Support Forces", "Sudanese Armed Forces",
    "Libyan National Army", "Government of National Unity", "JNIM", "Wagner Group", "Malian Armed Forces",
    "Boko Haram", "ISWAP", "Nigerian Army", "M23", "FARDC", "MONUSCO", "Tigray Defence Forces",
    "Ethiopian National Defense Force", "Fano militia", "Ukrainian Armed Forces", "Russian Armed Forces",
    "Tatmadaw", "Arakan Army", "People's Defence Force", "Three Brotherhood Alliance", "Philippine Army",
    "Maute group", "Indian Army", "Central Reserve Police Force", "Kuki militants", "Meitei groups",
    "ELN", "FARC dissidents", "Sinaloa Cartel", "Mexican National Guard", "Viv Ansanm", "Haitian National Police",
    "United Nations", "International Committee of the Red Cross", "Amnesty International", "Human Rights Watch",
    "European Union", "United States", "China", "Russia", "Turkey", "Qatar", "Oman", "Saudi Arabia",
    "Iran", "Pakistan", "Afghanistan", "India", "Baloch Yakjehti Committee", "Pashtun Tahafuz Movement",
    "local tribal elders", "provincial government", "federal government", "interior ministry",
    "foreign ministry", "election commission", "supreme court", "opposition parties", "student unions",
]

TAGS = [
    "cross-border strike", "airstrike", "drone strike", "suicide bombing", "roadside bomb", "ambush",
    "raid", "kidnapping", "assassination", "targeted killing", "protest", "sit-in", "strike action",
    "curfew", "internet shutdown", "arrests", "enforced disappearance", "trial", "verdict", "election",
    "ceasefire", "peace talks", "prisoner exchange", "sanctions", "diplomatic protest", "ambassador recalled",
    "border closure", "refugees", "displacement", "humanitarian aid", "flood", "earthquake", "attack on police",
    "attack on military", "attack on civilians", "attack on infrastructure", "railway", "highway",
    "port", "mining", "energy", "shelling", "siege", "offensive", "withdrawal", "massacre", "mass grave",
    "journalists", "health workers", "schools",
]

PUBLISHERS = [
    "Dawn", "The Express Tribune", "The News International", "Geo News", "Reuters", "Associated Press",
    "Agence France-Presse", "Al Jazeera", "BBC News", "The Guardian", "The New York Times",
    "The Washington Post", "Radio Free Europe", "Voice of America", "IRNA", "Tasnim News Agency",
    "Tolo News", "Ariana News", "Rudaw", "The National", "Arab News", "Middle East Eye", "Anadolu Agency",
    "Le Monde", "Deutsche Welle", "The Hindu", "Kyiv Independent", "The Irrawaddy", "Crisis Group",
    "ACLED", "UN OCHA", "ReliefWeb",
]

REPORTERS = [
    "the provincial home department", "the police", "a military spokesperson", "hospital officials",
    "the district administration", "a government minister", "the group's spokesperson", "local residents",
    "the health ministry", "rescue officials", "a UN agency", "a human rights group", "the interior ministry",
    "a tribal elder", "the army's media wing", "opposition lawmakers",
]

AUTHORS = ["Saleem Shahid", "Amina Yusuf", "Jon Boone", "Maria Abi-Habib", "Tariq Naqash", "Farah Ahmed",
           "Peter Mills", "Nadia Rahman", "Omar Farooq", "Lena Fischer", "Ravi Menon", "Hannah Cole"]

VERBS = [
    ("attack", "Gunmen attack {target} in {place}", "attack"),
    ("bombing", "Bomb kills {n} near {target} in {place}", "bombing"),
    ("strike", "{actor} strikes {target} near {place}", "strike"),
    ("protest", "Thousands protest in {place} over {issue}", "protest"),
    ("raid", "{actor} raids suspected hideouts around {place}", "raid"),
    ("clash", "{actor} and {actor2} clash outside {place}", "clash"),
    ("talks", "{actor} and {actor2} hold talks in {place}", "talks"),
    ("curfew", "Curfew imposed in {place} after {issue}", "curfew"),
    ("arrests", "Dozens arrested in {place} after {issue}", "arrests"),
    ("ceasefire", "Ceasefire announced for {place}", "ceasefire"),
    ("kidnapping", "{n} workers abducted on the road to {place}", "kidnapping"),
    ("verdict", "Court in {place} rules on {issue}", "verdict"),
]
TARGETS = ["a police station", "an army post", "a checkpoint", "a market", "a bus", "a convoy", "a mosque",
           "a gas pipeline", "a railway line", "a polling station", "a government office", "a border crossing",
           "a school", "a hospital", "a coal mine", "a port terminal", "a passenger train", "a power pylon"]
ISSUES = ["missing persons", "fuel prices", "power cuts", "border trade", "water shortages", "election results",
          "a journalist's killing", "security operations", "a court ruling", "land allocation",
          "mining leases", "the arrest of activists", "internet restrictions", "a curfew"]
NOUNS = ["the attack", "the operation", "the talks", "the blast", "the protest", "the clashes", "the strike",
         "the curfew", "the raids", "the announcement", "the ruling", "the convoy", "the ceasefire"]
ADJS = ["heavy", "sporadic", "renewed", "unprecedented", "coordinated", "brief", "sustained", "limited",
        "fierce", "peaceful", "tense", "uneasy"]
TIMES = ["early on Monday", "late on Tuesday", "before dawn", "around midday", "after evening prayers",
         "over the weekend", "the following morning", "within hours", "two days later", "overnight"]
OUTCOMES = ["roads were closed for most of the day", "mobile internet was suspended across the district",
            "shops and schools stayed shut", "families gathered outside the hospital for news",
            "the highway was reopened after security clearance", "the provincial assembly called an emergency session",
            "officials promised compensation to the families of the dead", "the border crossing was closed to trade",
            "rescue teams searched the rubble until nightfall", "security was tightened at government buildings"]
HEADINGS = ["Background", "What happened", "Reactions", "Aftermath", "Casualties", "Context", "What officials said"]
GROUPS = ["civilians", "security", "militants", "unspecified"]
ERAS = [
    ("border-tensions-2017", "Border tensions of 2017", "2017-03-01", "2017-08-31",
     "Months of cross-border incidents and diplomatic protests."),
    ("election-season-2020", "Election season, 2020", "2020-06-01", "2020-11-30",
     "Campaigning, the vote and the disputes over its results."),
    ("ceasefire-2023", "The 2023 ceasefire", "2023-02-15", "2023-10-15",
     "A negotiated pause in the fighting and its slow collapse."),
]


# The distinct corpus: the province-sized box most of its events are in, the districts that name
# them (each point takes the nearest district's name), and the parts of the village names.
BOX = (25.0, 31.0, 61.0, 70.0)          # lat min, lat max, lon min, lon max: about Balochistan
IN_BOX = 0.6                            # the share of events inside it
PROVINCE = "Balochistan, Pakistan"      # their `country`
DISTRICTS = [
    ("Quetta", 30.18, 66.99), ("Pishin", 30.58, 67.00), ("Killa Abdullah", 30.73, 66.66),
    ("Chaman", 30.92, 66.45), ("Zhob", 31.34, 69.45), ("Sherani", 31.40, 69.80), ("Loralai", 30.37, 68.60),
    ("Duki", 30.15, 68.57), ("Musakhel", 30.86, 69.82), ("Barkhan", 29.90, 69.53), ("Kohlu", 29.89, 69.25),
    ("Dera Bugti", 29.03, 69.15), ("Sibi", 29.54, 67.88), ("Harnai", 30.10, 67.94), ("Ziarat", 30.38, 67.73),
    ("Kachhi", 29.45, 67.60), ("Naseerabad", 28.63, 68.30), ("Jaffarabad", 28.30, 68.20),
    ("Sohbatpur", 28.52, 68.54), ("Jhal Magsi", 28.28, 67.45), ("Mastung", 29.80, 66.85),
    ("Kalat", 29.03, 66.59), ("Surab", 28.49, 66.26), ("Khuzdar", 27.81, 66.61), ("Awaran", 26.46, 65.23),
    ("Lasbela", 26.23, 66.31), ("Hub", 25.05, 66.88), ("Gwadar", 25.12, 62.33), ("Pasni", 25.26, 63.47),
    ("Kech", 26.00, 63.04), ("Panjgur", 26.97, 64.09), ("Washuk", 27.73, 64.78), ("Kharan", 28.58, 65.42),
    ("Nushki", 29.55, 66.02), ("Chagai", 29.30, 64.70), ("Dalbandin", 28.89, 64.41), ("Nokkundi", 28.82, 62.75),
    ("Taftan", 28.97, 61.60), ("Mashkel", 27.92, 63.25), ("Ormara", 25.21, 64.64),
]
VILLAGE_PREFIXES = ["Killi", "Goth", "Dera", "Chah", "Kaur", "Band", "Basti", "Mand", "Pir", "Sar", "Kuh",
                    "Dasht", "Nal", "Tump", "Kalag", "Jhal"]
VILLAGE_SYLLABLES = ["ab", "bar", "dar", "gul", "jan", "kar", "lal", "mir", "nur", "pir", "sar", "shah", "tal",
                     "zar", "bal", "chak", "dil", "gor", "haj", "kas", "mal", "nok", "pat", "rak", "sab", "tak",
                     "war", "zeh", "bak", "hos"]
VILLAGE_ENDINGS = ["", "abad", "zai", "ani", "wal", "kot", "pur", "an"]
LONG_TAGS = 0.1                         # the share of events with a long tag list
LONG_TAG_COUNT = (8, 16)


class DistinctPlaces:
    """Places of their own for the distinct corpus, from a random stream of their own (so that
    every other draw is the shared corpus's): a new name and a new point for every event."""

    def __init__(self, seed: int):
        self.rng = random.Random(f"dateline-bench-places-{seed}")
        self.names: set[str] = set()     # place slugs taken (place pages are named by slug)
        self.points: set[tuple[float, float]] = set()

    def _village(self) -> str:
        rng = self.rng
        root = rng.choice(VILLAGE_SYLLABLES) + rng.choice(VILLAGE_SYLLABLES) + rng.choice(VILLAGE_ENDINGS)
        return f"{rng.choice(VILLAGE_PREFIXES)} {root.capitalize()}"

    def _point(self, draw) -> tuple[float, float]:
        while True:
            lat, lon = draw()
            point = (round(max(-89.0, min(89.0, lat)), 4), round((lon + 180) % 360 - 180, 4))
            if point not in self.points:
                self.points.add(point)
                return point

    def place(self, shared: tuple) -> tuple:
        """A place of its own: inside the box (named after the nearest district), or near
        `shared`, the place the shared corpus has for this event."""
        rng = self.rng
        if rng.random() < IN_BOX:
            lat, lon = self._point(lambda: (rng.uniform(BOX[0], BOX[1]), rng.uniform(BOX[2], BOX[3])))
            area = min(DISTRICTS, key=lambda d: (d[1] - lat) ** 2 + (d[2] - lon) ** 2)[0]
            country = PROVINCE
        else:
            lat, lon = self._point(lambda: (rng.gauss(shared[2], 0.4), rng.gauss(shared[3], 0.4)))
            area, country = shared[0], shared[1]
        while True:
            name = f"{self._village()}, {area}"
            if slugify(name) not in self.names:
                self.names.add(slugify(name))
                break
        return (name, country, lat, lon, "town" if rng.random() < 0.8 else "district")

    def tags(self, tags: list[str]) -> list[str]:
        """One event in ten gets a long tag list (its own tags first)."""
        if self.rng.random() >= LONG_TAGS:
            return tags
        more = [t for t in self.rng.sample(TAGS, LONG_TAG_COUNT[1]) if t not in tags]
        return tags + more[:self.rng.randint(*LONG_TAG_COUNT) - len(tags)]


def slugify(text: str) -> str:
    text = text.lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


@dataclass
class Event:
    index: int
    slug: str
    title: str
    date: dt.date
    precision: str                 # day | month | year
    time: str | None
    summary: str
    place: tuple
    actors: list[str]
    tags: list[str]
    sources: list[dict]
    reports: list[dict]
    in_response_to: list[str] = field(default_factory=list)
    part_of: str | None = None
    related: list[str] = field(default_factory=list)
    body: str = ""                 # with {link:slug|text} placeholders

    @property
    def date_text(self) -> str:
        if self.precision == "year":
            return f"{self.date.year:04d}"
        if self.precision == "month":
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()


def _sentence(rng: random.Random, ev: Event) -> str:
    place = ev.place[0]
    actor = rng.choice(ev.actors)
    patterns = [
        lambda: f"{rng.choice(REPORTERS).capitalize()} said {rng.choice(NOUNS)} began {rng.choice(TIMES)} "
                f"on the outskirts of {place}, and that {rng.choice(OUTCOMES)}.",
        lambda: f"According to {rng.choice(PUBLISHERS)}, {actor} had warned of {rng.choice(ADJS)} action "
                f"for weeks before {rng.choice(NOUNS)}.",
        lambda: f"Residents described {rng.choice(ADJS)} gunfire {rng.choice(TIMES)}; {rng.choice(OUTCOMES)}.",
        lambda: f"{actor} denied any role in {rng.choice(NOUNS)} and blamed {rng.choice(ACTORS)} for the "
                f"{rng.choice(ADJS)} escalation around {place}.",
        lambda: f"The dispute over {rng.choice(ISSUES)} had simmered in {ev.place[1]} for months, and "
                f"{rng.choice(REPORTERS)} said it was *not the first warning* of its kind.",
        lambda: f"By {rng.choice(TIMES)}, {rng.choice(OUTCOMES)}, while {rng.choice(REPORTERS)} gave "
                f"**conflicting accounts** of who was responsible.",
        lambda: f"Analysts quoted by {rng.choice(PUBLISHERS)} linked {rng.choice(NOUNS)} to {rng.choice(ISSUES)} "
                f"and to a wider pattern of {rng.choice(ADJS)} violence in the region.",
        lambda: f"The {rng.choice(['provincial', 'federal', 'local', 'interim'])} authorities announced an "
                f"inquiry and said {rng.choice(OUTCOMES)}.",
    ]
    return rng.choice(patterns)()


def _body(rng: random.Random, ev: Event, n: int, slugs: list[str]) -> str:
    words = 0
    parts: list[str] = []
    link_targets = set(ev.in_response_to)
    link_targets |= {slugs[rng.randrange(n)] for _ in range(rng.randint(1, 2))}
    link_targets.discard(ev.slug)
    links = sorted(link_targets)
    headings = rng.sample(HEADINGS, rng.randint(1, 2))
    paragraph_no = 0
    while words < 280:
        sentences = [_sentence(rng, ev) for _ in range(rng.randint(2, 4))]
        if links and (paragraph_no % 2 == 1 or len(links) > 2):
            target = links.pop()
            anchor = rng.choice(["an earlier incident", "the events before it", "what preceded it",
                                 "a related report", "the previous clashes", "a similar attack"])
            sentences.append(f"See also [{anchor}]({{link:{target}}}).")
        text = " ".join(sentences)
        parts.append(text)
        words += len(text.split())
        paragraph_no += 1
        if paragraph_no == 2 and headings:
            parts.append(f"## {headings.pop()}")
        if paragraph_no == 3:
            items = rng.sample(OUTCOMES, rng.randint(3, 4))
            parts.append("\n".join(f"- {item[0].upper()}{item[1:]}." for item in items))
            words += sum(len(i.split()) for i in items)
            if headings:
                parts.append(f"## {headings.pop()}")
    for target in links:   # any link not placed yet goes into a last paragraph
        parts.append(f"Earlier coverage: [{target.replace('-', ' ')}]({{link:{target}}}).")
    return "\n\n".join(parts) + "\n"


KINDS = ("shared", "distinct")


def generate(n: int, seed: int = 1, places: str = "shared") -> list[Event]:
    """N events in date order; `places`: "shared" or "distinct" (see the module's docstring)."""
    if places not in KINDS:
        raise ValueError(f"places must be one of {KINDS}, not {places!r}")
    rng = random.Random(seed)
    distinct = DistinctPlaces(seed) if places == "distinct" else None
    span = (END - START).days
    day_offsets = sorted(rng.randrange(span + 1) for _ in range(n))
    events: list[Event] = []
    used: set[str] = set()
    for i, offset in enumerate(day_offsets):
        date = START + dt.timedelta(days=offset)
        roll = rng.random()
        precision = "year" if roll < 0.01 else "month" if roll < 0.06 else "day"
        place = rng.choice(PLACES)
        actors = rng.sample(ACTORS, rng.randint(1, 3))
        tags = rng.sample(TAGS, rng.randint(1, 3))
        if distinct:
            place, tags = distinct.place(place), distinct.tags(tags)
        key, pattern, _ = rng.choice(VERBS)
        title = pattern.format(target=rng.choice(TARGETS), place=place[0], actor=actors[0],
                               actor2=rng.choice(ACTORS), issue=rng.choice(ISSUES), n=rng.randint(2, 40))
        base = slugify(f"{key} {place[0]} {date.isoformat()}")
        slug = base if base not in used else f"{base}-{i}"
        used.add(slug)
        time = f"{rng.randint(0, 23):02d}:{rng.choice(['00', '15', '30', '45'])}" \
            if precision == "day" and rng.random() < 0.3 else None
        sources = []
        for s in range(rng.randint(1, 3)):
            pub = rng.choice(PUBLISHERS)
            src = {"id": f"s{s + 1}", "publisher": pub,
                   "title": f"{title}: {rng.choice(['what we know', 'officials respond', 'live updates', 'eyewitness accounts', 'death toll rises'])}",
                   "date": (date + dt.timedelta(days=rng.randint(0, 3))).isoformat()}
            if rng.random() < 0.7:
                src["url"] = f"https://news.example.org/{slugify(pub)}/{date.year}/{slug}-{s + 1}"
            if rng.random() < 0.3:
                src["author"] = rng.choice(AUTHORS)
            sources.append(src)
        reports = []
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            report = {"as_of": (date + dt.timedelta(days=rng.randint(0, 5))).isoformat(),
                      "by": rng.choice(REPORTERS), "source": rng.choice(sources)["id"]}
            if rng.random() < 0.4:
                report["at_least"] = True
            if rng.random() < 0.1:
                report["unverified"] = True
            killed = {g: rng.randint(1, 30) for g in rng.sample(GROUPS, rng.randint(1, 2))}
            report["killed"] = killed
            if rng.random() < 0.5:
                report["injured"] = {g: rng.randint(1, 60) for g in rng.sample(GROUPS, 1)}
            if rng.random() < 0.2:
                report["note"] = f"Figure given {rng.choice(TIMES)}; *not independently confirmed*."
            reports.append(report)
        summary = (f"{actors[0]} and {rng.choice(REPORTERS)} gave accounts of {rng.choice(NOUNS)} in "
                   f"{place[0]}, {place[1]}, where {rng.choice(OUTCOMES)}.")
        ev = Event(i, slug, title, date, precision, time, summary, place, actors, tags, sources, reports)
        if i > 0:
            recent = max(0, i - 300)
            if rng.random() < 0.35:
                ev.in_response_to = sorted({events[rng.randrange(recent, i)].slug
                                            for _ in range(rng.randint(1, 2))})
            if rng.random() < 0.05:
                parent = events[rng.randrange(max(0, i - 20), i)]
                if parent.part_of is None:
                    ev.part_of = parent.slug
            if rng.random() < 0.1:
                other = events[rng.randrange(recent, i)].slug
                if other not in ev.in_response_to and other != ev.part_of:
                    ev.related = [other]
        events.append(ev)
    slugs = [e.slug for e in events]
    for ev in events:
        ev.body = _body(rng, ev, n, slugs)
    return events


# ------------------------------------------------------------------------------- writers ---

def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _flow_map(d: dict) -> str:
    return "{" + ", ".join(f"{k}: {q(v) if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else v}"
                           for k, v in d.items()) + "}"


def _links(body: str, fmt) -> str:
    return re.sub(r"\{link:([^}]+)\}", lambda m: fmt(m.group(1)), body)


def dateline_file(ev: Event) -> str:
    out = ["---", f"title: {q(ev.title)}", f"date: {ev.date_text}"]
    if ev.time:
        out.append(f'time: "{ev.time}"')
    out.append(f"summary: {q(ev.summary)}")
    name, country, lat, lon, precision = ev.place
    out += ["place:", f"  name: {q(name)}", f"  country: {q(country)}", f"  lat: {lat}", f"  lon: {lon}",
            f"  precision: {precision}"]
    out.append("actors: [" + ", ".join(q(a) for a in ev.actors) + "]")
    out.append("tags: [" + ", ".join(q(t) for t in ev.tags) + "]")
    if ev.in_response_to:
        out.append("in_response_to: [" + ", ".join(ev.in_response_to) + "]")
    if ev.part_of:
        out.append(f"part_of: {ev.part_of}")
    if ev.related:
        out.append("related: [" + ", ".join(ev.related) + "]")
    out.append("sources:")
    for s in ev.sources:
        out.append(f"  - id: {s['id']}")
        for key in ("publisher", "title"):
            out.append(f"    {key}: {q(s[key])}")
        out.append(f"    date: {s['date']}")
        for key in ("url", "author"):
            if key in s:
                out.append(f"    {key}: {q(s[key])}")
    if ev.reports:
        out.append("reports:")
        for r in ev.reports:
            out.append(f"  - as_of: {r['as_of']}")
            out.append(f"    by: {q(r['by'])}")
            out.append(f"    source: {r['source']}")
            for key in ("at_least", "unverified"):
                if r.get(key):
                    out.append(f"    {key}: true")
            for key in ("killed", "injured"):
                if key in r:
                    out.append(f"    {key}: {_flow_map(r[key])}")
            if "note" in r:
                out.append(f"    note: {q(r['note'])}")
    out.append("---")
    return "\n".join(out) + "\n" + _links(ev.body, lambda slug: f"{slug}.md")


def hugo_file(ev: Event) -> str:
    # Hugo needs a full date: a month- or year-precision event sorts on its first day.
    precise = ev.date if ev.precision == "day" else \
        ev.date.replace(day=1) if ev.precision == "month" else ev.date.replace(month=1, day=1)
    stamp = precise.isoformat() + (f"T{ev.time}:00Z" if ev.time else "")
    name, country, lat, lon, precision = ev.place
    out = ["---", f"title: {q(ev.title)}", f"date: {stamp}", f"slug: {ev.slug}", f"summary: {q(ev.summary)}",
           "tags: [" + ", ".join(q(t) for t in ev.tags) + "]",
           "actors: [" + ", ".join(q(a) for a in ev.actors) + "]",
           f"places: [{q(name)}]",
           f'years: ["{precise.year}"]']
    if ev.precision != "year":
        out.append(f'months: ["{precise.year}-{precise.month:02d}"]')
    out += ["params:", f"  date_text: {q(ev.date_text)}",
            f"  place: {{name: {q(name)}, country: {q(country)}, lat: {lat}, lon: {lon}, precision: {precision}}}"]
    if ev.in_response_to:
        out.append("  in_response_to: [" + ", ".join(ev.in_response_to) + "]")
    if ev.part_of:
        out.append(f"  part_of: {ev.part_of}")
    if ev.related:
        out.append("  related: [" + ", ".join(ev.related) + "]")
    out.append("  sources:")
    for s in ev.sources:
        out.append("    - " + _flow_map(s))
    if ev.reports:
        out.append("  reports:")
        for r in ev.reports:
            flat = {k: v for k, v in r.items() if k not in ("killed", "injured")}
            line = "    - " + _flow_map(flat)[:-1]
            for key in ("killed", "injured"):
                if key in r:
                    line += f", {key}: {_flow_map(r[key])}"
            out.append(line + "}")
    out.append("---")
    return "\n".join(out) + "\n" + _links(ev.body, lambda slug: f"{slug}.md")


def pelican_file(ev: Event) -> str:
    precise = ev.date if ev.precision == "day" else \
        ev.date.replace(day=1) if ev.precision == "month" else ev.date.replace(month=1, day=1)
    stamp = precise.isoformat() + (f" {ev.time}" if ev.time else "")
    # Pelican has one category per article and a list of authors: the place and the actors.
    out = [f"Title: {ev.title}", f"Date: {stamp}", f"Slug: {ev.slug}", f"Category: {ev.place[0]}",
           "Tags: " + ", ".join(ev.tags), "Authors: " + ", ".join(ev.actors), f"Summary: {ev.summary}"]
    return "\n".join(out) + "\n\n" + _links(ev.body, lambda slug: f"{{filename}}{slug}.md")


ABOUT_BODY = ("This timeline is **synthetic**: generated by `bench/corpus.py` to measure build speed. "
              "Every event, figure and source is made up.\n")


def write(events: list[Event], out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    d = out / "dateline" / "content"
    h = out / "hugo" / "content"
    p = out / "pelican" / "content"
    for folder in (d / "pages", h / "events", p / "pages"):
        folder.mkdir(parents=True)
    for ev in events:
        (d / f"{ev.slug}.md").write_text(dateline_file(ev), encoding="utf-8")
        (h / "events" / f"{ev.slug}.md").write_text(hugo_file(ev), encoding="utf-8")
        (p / f"{ev.slug}.md").write_text(pelican_file(ev), encoding="utf-8")
    (d / "pages" / "about.md").write_text(f"---\ntitle: About\nsummary: What this is.\n---\n{ABOUT_BODY}",
                                          encoding="utf-8")
    (d / "eras.yaml").write_text("".join(
        f"- slug: {slug}\n  title: {q(title)}\n  start: {start}\n  end: {end}\n  summary: {q(summary)}\n"
        for slug, title, start, end, summary in ERAS), encoding="utf-8")
    (h / "about.md").write_text(f"---\ntitle: About\nsummary: What this is.\n---\n{ABOUT_BODY}", encoding="utf-8")
    (p / "pages" / "about.md").write_text(f"Title: About\nSlug: about\nSummary: What this is.\n\n{ABOUT_BODY}",
                                          encoding="utf-8")
    # what every tool's output must hold: a page per event and one per place
    manifest = {"events": len(events), "places": len({ev.place[0] for ev in events})}
    (out / "manifest.json").write_text(json.dumps(manifest) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of events")
    parser.add_argument("--places", choices=KINDS, default="shared",
                        help="shared: a short list of places; distinct: a point and a name for every event")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="folder to (re)create (default: bench/work/corpus-KIND-N)")
    args = parser.parse_args(argv)
    out = args.out or Path(__file__).resolve().parent / "work" / f"corpus-{args.places}-{args.n}"
    events = generate(args.n, args.seed, args.places)
    write(events, out)
    words = sum(len(e.body.split()) for e in events) / max(1, len(events))
    places = len({e.place[0] for e in events})
    print(f"Wrote {len(events):,} events (about {words:.0f} words each) at {places:,} places "
          f"to {out}/{{dateline,hugo,pelican}}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
