"""The entries' images: `media:` in the front matter found in the content folder (beside the
entry, or in content/media/), each read once for its size (images.py), published as the
variants a page's <picture> offers, and described to the templates as Figures. Images a body
links to (`![x](photo.jpg)`) are published at their own size with their metadata stripped, and
get their width and height in the HTML, so nothing moves as they load."""

from __future__ import annotations

import html as htmlib
import posixpath
import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from .errors import ContentError, error
from .images import FORMATS, ImageError, ImageInfo, ImageStore, Variant, variant_path
from .markdown import MAX_MEDIA_BYTES, MEDIA
from .model import Event, Media
from .routes import Route

RASTER = (".jpg", ".jpeg", ".png", ".webp")
# How wide the page shows an image (static/dateline.css: .event-media is the text's measure,
# 42rem; below that, the screen less the page's 1rem margins).
SIZES = "(min-width: 46rem) 42rem, calc(100vw - 2rem)"


def resolve(events: list[Event], files: dict[str, int]) -> tuple[list[Event], list[ContentError]]:
    """The events with each image's file found (Media.path), or an error at its line: a file
    beside the entry's, else in content/media/."""
    errors: list[ContentError] = []
    resolved = []
    for event in events:
        if not event.media:
            resolved.append(event)
            continue
        found = []
        for item in event.media:
            path, problem = locate(event.path, item.src, files)
            if problem:
                errors.append(error(event.path, item.line, problem))
            else:
                found.append(replace(item, path=path))
        resolved.append(replace(event, media=tuple(found)))
    return resolved, errors


def locate(entry: str, src: str, files: dict[str, int]) -> tuple[str, str | None]:
    """(content path, None) of an image an entry names, or ("", what is wrong)."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        return "", (f"image '{src}' is on another site, and pages load nothing from other sites: save it "
                    f"beside the entry or in content/media/ and give its file name")
    name = unquote(parts.path).lstrip("/")
    beside = posixpath.normpath(posixpath.join(posixpath.dirname(entry), name))
    shared = posixpath.normpath(posixpath.join(MEDIA, name))
    for candidate in (beside, shared):
        if candidate in files and not candidate.startswith("../"):
            if not candidate.lower().endswith(RASTER):
                return "", f"image '{src}' is not JPEG, PNG or WebP: save it as one of those"
            if files[candidate] > MAX_MEDIA_BYTES:
                return "", (f"image '{src}' is {files[candidate]:,} bytes; an image may be at most "
                            f"{MAX_MEDIA_BYTES:,}: make it smaller")
            return candidate, None
    return "", (f"image '{src}' not found (looked for content/{beside} and content/{shared}): save it "
                f"beside the entry or in content/media/, or correct the name")


@dataclass(frozen=True)
class Figure:
    """An image as the page shows it (templates: `figures`)."""
    media: Media
    info: ImageInfo
    webp: str                   # srcset of the WebP variants, root paths
    fallback: str               # srcset of the variants in the original's format
    src: str                    # the fallback <img src>: its middle width
    width: int                  # of `src`: with height, the box the page keeps for it
    height: int
    largest: str                # the largest fallback variant (the preview image)
    largest_width: int
    largest_height: int
    sizes: str = SIZES


def variants(rel: str, info: ImageInfo) -> list[Variant]:
    return [Variant(rel, info.digest, width, suffix) for suffix in ("webp", info.fallback)
            for width in info.widths()]


def figure(media: Media, info: ImageInfo) -> Figure:
    widths = info.widths()

    def srcset(suffix: str) -> str:
        return ", ".join(f"/{quote(variant_path(media.path, w, suffix))} {w}w" for w in widths)

    middle = widths[min(1, len(widths) - 1)]
    top = widths[-1]
    return Figure(media, info, srcset("webp"), srcset(info.fallback),
                  "/" + quote(variant_path(media.path, middle, info.fallback)), middle, info.height_at(middle),
                  "/" + quote(variant_path(media.path, top, info.fallback)), top, info.height_at(top))


def figures(event: Event, infos: dict[str, ImageInfo]) -> list[Figure]:
    return [figure(m, infos[m.path]) for m in event.media if m.path in infos]


def preview(event: Event, infos: dict[str, ImageInfo]) -> Figure | None:
    """The event's first image that is not sensitive: what a shared link shows."""
    return next((f for f in figures(event, infos) if not f.media.sensitive), None)


def inventory(content: Path, events, linked: set[str], store: ImageStore, entries=()
              ) -> tuple[dict[str, ImageInfo], list[ContentError]]:
    """The size and kind of every image the entries name or their bodies link to (raster
    files only: an SVG is published as it is), read from the store where known. `entries`:
    those whose bodies may link them (an image that cannot be read is an error at the link)."""
    infos: dict[str, ImageInfo] = {}
    errors: list[ContentError] = []
    named = {m.path: (e.path, m.line, m.src) for e in events for m in e.media}
    wanted = sorted(set(named) | {rel for rel in linked if rel.lower().endswith(RASTER)})
    for rel in wanted:
        try:
            infos[rel] = store.info((content / rel).read_bytes())
        except ImageError as exc:
            entry, line, src = named.get(rel) or _linked_from(rel, entries) or (str(content / rel), 1, rel)
            errors.append(error(entry, line, f"image '{src}' {exc}"))
        except OSError as exc:
            errors.append(error(str(content / rel), 1, f"cannot read the image: {exc.strerror}"))
    store.save()
    return infos, errors


def _linked_from(rel: str, entries) -> tuple[str, int, str] | None:
    """(entry, line, name as written) of the first body that links content file `rel`."""
    name = rel.rpartition("/")[2]
    for item in entries:
        for text in (name, quote(name)):
            at = item.body.find(text)
            if at >= 0:
                return item.path, item.body_line + item.body[:at].count("\n"), text
    return None


def routes(events, linked: set[str], infos: dict[str, ImageInfo]) -> dict[str, Route]:
    """The media/ routes: every variant of the entries' images, and every file bodies link to
    (a raster image at its own size, stripped; anything else as it is)."""
    table: dict[str, Route] = {}
    for rel in sorted(linked):
        info = infos.get(rel)
        subject = rel if info is None else Variant(rel, info.digest, info.width, FORMATS[info.format])
        table[f"{MEDIA}/{rel}"] = Route(f"{MEDIA}/{rel}", "media", subject)
    for rel in sorted({m.path for e in events for m in e.media}):
        if rel in infos:
            for v in variants(rel, infos[rel]):
                path = variant_path(rel, v.width, v.suffix)
                table.setdefault(path, Route(path, "media", v))
    return table


_BODY_IMG = re.compile(r'<img\s(?![^>]*\bwidth=)[^>]*?\bsrc="/' + MEDIA + r'/([^"#?]*)"')


def sized(html: str, infos: dict[str, ImageInfo]) -> str:
    """Body HTML with the width and height of each image of the content folder it shows."""
    if f'src="/{MEDIA}/' not in html:
        return html

    def add(found: re.Match) -> str:
        info = infos.get(unquote(htmlib.unescape(found.group(1))))
        if info is None:
            return found.group(0)
        return found.group(0).replace("<img ", f'<img width="{info.width}" height="{info.height}" ', 1)
    return _BODY_IMG.sub(add, html)


__all__ = ["resolve", "locate", "Figure", "figure", "figures", "preview", "inventory", "routes", "sized", "SIZES"]
