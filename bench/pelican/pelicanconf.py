"""Pelican side of the benchmark: the same pages as dateline (see bench/README.md).

    pelican bench/work/corpus-N/pelican/content -o OUT -s bench/pelican/pelicanconf.py

Mapping: an event is an article; its place is the article's Category (one per event, as in
dateline), its actors are the article's Authors, its tags are Tags. Year and month archives are
Pelican's period archives. One Atom feed of every event with its full text, as dateline's
feed.xml (Pelican writes no JSON Feed, calendar, GeoJSON, CSV or TimelineJS file without plugins:
those of dateline's files have no counterpart here); no pagination (dateline has none), no
content cache (every run is a cold build)."""

import os

HERE = os.path.dirname(os.path.abspath(__file__))

SITENAME = "Synthetic timeline"
SITEURL = ""
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
THEME = os.path.join(HERE, "theme")
RELATIVE_URLS = True          # dateline makes every internal link relative
DEFAULT_PAGINATION = False
DEFAULT_DATE_FORMAT = "%d %B %Y"

# cold builds: no cache read or written
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
CHECK_MODIFIED_METHOD = "mtime"
DELETE_OUTPUT_DIRECTORY = False   # bench/run.py empties the output itself

# one feed, dateline's feed.xml: every event, newest first, full text
FEED_DOMAIN = ""
FEED_ATOM = None
FEED_RSS = None
FEED_ALL_ATOM = "feed.xml"
FEED_MAX_ITEMS = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

# Pelican's own Markdown engine, Python-Markdown, with the nearest extensions to dateline's GitHub
# Flavored Markdown (no code highlighting, no "meta" body parsing beyond Pelican's own)
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.footnotes": {},
        "markdown.extensions.tables": {},
        "markdown.extensions.attr_list": {},
        "markdown.extensions.abbr": {},
        "markdown.extensions.smarty": {},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}

# the addresses dateline uses
ARTICLE_URL = "events/{slug}/"
ARTICLE_SAVE_AS = "events/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
CATEGORY_URL = "places/{slug}/"
CATEGORY_SAVE_AS = "places/{slug}/index.html"
CATEGORIES_SAVE_AS = "places/index.html"
AUTHOR_URL = "actors/{slug}/"
AUTHOR_SAVE_AS = "actors/{slug}/index.html"
AUTHORS_SAVE_AS = "actors/index.html"
YEAR_ARCHIVE_URL = "{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "{date:%Y}/index.html"
MONTH_ARCHIVE_URL = "{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/index.html"
DAY_ARCHIVE_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "categories", "authors"]
STATIC_PATHS = []
THEME_STATIC_DIR = "static"
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None

# previous / next event on every event page (what the "neighbors" plugin does)
PLUGIN_PATHS = [os.path.join(HERE, "plugins")]
PLUGINS = ["neighbours"]
