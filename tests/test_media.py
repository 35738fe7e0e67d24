"""Images with their entries (media.py, images.py, cards.py): found beside the entry or in
content/media/, published as the variants a <picture> offers with width and height, stripped of
metadata (EXIF GPS read back with Pillow), sensitive ones closed, preview images and cards, and a
second build that never decodes an image again."""

from __future__ import annotations

import io
import json
import re
import shutil

import pytest
from PIL import Image

from dateline import cards, images
from dateline.images import ImageStore, variant_path

from helpers import PLACE, assert_error, build_site, event

PYPROJECT = """\
[tool.dateline]
title = "Test timeline"
description = "A timeline for the engine tests."
base_url = "https://example.org/"
language = "en"
search = false
"""
GPS = {1: "N", 2: (33.0, 30.0, 0.0), 3: "E", 4: (73.0, 5.0, 0.0)}


def jpeg(width: int, height: int, gps: bool = False, colour=(180, 90, 40)) -> bytes:
    image = Image.new("RGB", (width, height), colour)
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    if gps:
        exif[0x8825] = GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (20, 120, 200, 255)).save(out, "PNG")
    return out.getvalue()


FOLDER_ENTRY = f"""\
---
title: Bombing at the market
date: 2024-01-03
place: {json.dumps(PLACE)}
media:
  - src: photo.jpg
    alt: The market's burnt stalls after the blast
    caption: The market on the next morning
    credit: A. Photographer
    licence: CC BY 4.0
  - src: wounded.jpg
    alt: Wounded people carried to an ambulance
    caption: Outside the hospital
    sensitive: true
---
The market was hit at noon.
"""

SHARED_ENTRY = f"""\
---
title: Floods in the valley
date: 2024-01-05
place: {json.dumps(PLACE)}
media:
  - src: flood-map.png
    alt: A sketch map of the flooded villages
---
A sketch: ![The river's course](river.jpg)
"""

ONLY_SENSITIVE = f"""\
---
title: Aftermath
date: 2024-01-06
place: {json.dumps(PLACE)}
media:
  - src: wounded.jpg
    alt: Wounded people carried to an ambulance
    sensitive: true
---
After.
"""


def site_files() -> dict:
    return {
        "content/market-bombing/index.md": FOLDER_ENTRY,
        "content/market-bombing/photo.jpg": jpeg(2000, 1200, gps=True),
        "content/market-bombing/wounded.jpg": jpeg(1000, 800),
        "content/floods.md": SHARED_ENTRY,
        "content/media/flood-map.png": png(700, 400),
        "content/media/river.jpg": jpeg(640, 480, gps=True),
        "content/aftermath.md": ONLY_SENSITIVE,
        "content/media/wounded.jpg": jpeg(900, 600),
        "content/quiet-day.md": event(title="A quiet day", date="2024-01-04", place=PLACE),
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("media")
    result = build_site(root, site_files(), pyproject=PYPROJECT)
    assert result.exit_code == 0, result
    return result


def _img(html: str, alt: str) -> dict:
    tag = re.search(r'<img [^>]*alt="' + re.escape(alt) + '"[^>]*>', html).group(0)
    return dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag))


def test_an_entry_in_its_own_folder_takes_the_folder_name_and_its_images(built):
    html = built.read("events/market-bombing/index.html")
    img = _img(html, "The market&#39;s burnt stalls after the blast")
    # the fallback is the middle width; the box is the image's own proportion
    assert (img["width"], img["height"]) == ("960", "576")
    assert img["src"] == "../../media/market-bombing/photo.960.jpg"
    assert "loading" not in img            # the first image is in the first screen
    assert img["srcset"] == ("../../media/market-bombing/photo.480.jpg 480w, ../../media/market-bombing/photo.960.jpg"
                             " 960w, ../../media/market-bombing/photo.1600.jpg 1600w")
    source = re.search(r'<source type="image/webp" srcset="([^"]*)"', html).group(1)
    assert source.startswith("../../media/market-bombing/photo.480.webp 480w")
    assert "The market on the next morning" in html and "Credit: A. Photographer" in html and "CC BY 4.0" in html


def test_every_variant_in_srcset_exists_at_its_width_and_height(built):
    for width in images.WIDTHS:
        for suffix, kind in (("jpg", "JPEG"), ("webp", "WEBP")):
            with Image.open(built.out_dir / variant_path("market-bombing/photo.jpg", width, suffix)) as image:
                assert image.format == kind
                assert image.size == (width, round(1200 * width / 2000))
    # a smaller image is offered at its own width, never enlarged
    assert [p for p in built.files() if p.startswith("media/media/flood-map")] == [
        "media/media/flood-map.480.png", "media/media/flood-map.480.webp", "media/media/flood-map.700.png",
        "media/media/flood-map.700.webp"]
    with Image.open(built.out_dir / "media/media/flood-map.700.png") as image:
        assert image.size == (700, 400)
    # the original is not published: only what was made of it
    assert not built.exists("media/market-bombing/photo.jpg")


def test_gps_and_all_other_metadata_are_gone(built):
    published = [p for p in built.files() if p.startswith("media/") and p.endswith((".jpg", ".webp"))]
    assert "media/media/river.jpg" in published    # a body's image, published at its own size
    for path in published:
        with Image.open(built.out_dir / path) as image:
            exif = image.getexif()
            assert not exif.get_ifd(0x8825), path
            assert len(exif) == 0, path
            assert "exif" not in image.info and "xmp" not in image.info, path
    with Image.open(built.out_dir / "media/media/river.jpg") as image:
        assert image.size == (640, 480)


def test_body_images_resolve_from_content_media_with_their_size(built):
    html = built.read("events/floods/index.html")
    img = _img(html, "The river’s course")   # the Markdown engine's typographic apostrophe
    assert img["src"] == "../../media/media/river.jpg"
    assert (img["width"], img["height"], img["loading"]) == ("640", "480", "lazy")


def test_a_sensitive_image_is_closed_and_never_the_preview(built):
    html = built.read("events/market-bombing/index.html")
    details = re.search(r'<details class="sensitive-media">(.*?)</details>', html, re.S).group(1)
    assert "Wounded people carried to an ambulance" in details
    assert 'loading="lazy"' in details
    assert "<details class=\"sensitive-media\" open" not in html
    og = re.search(r'<meta property="og:image" content="([^"]*)"', html).group(1)
    assert og == "https://example.org/media/market-bombing/photo.1600.jpg"
    assert '<meta property="og:image:width" content="1600">' in html
    assert '<meta property="og:image:height" content="960">' in html
    # an event whose only image is sensitive gets a card, not that image
    after = built.read("events/aftermath/index.html")
    assert re.search(r'<meta property="og:image" content="([^"]*)"', after).group(1) == \
        "https://example.org/cards/aftermath.png"
    assert "wounded" not in re.search(r'<script type="application/ld\+json">(.*?)</script>', after, re.S).group(1)


def test_json_ld_names_the_same_image(built):
    html = built.read("events/market-bombing/index.html")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["image"] == {"@type": "ImageObject", "url": "https://example.org/media/market-bombing/photo.1600.jpg",
                             "width": 1600, "height": 960}


def test_an_event_without_an_image_gets_a_card(built):
    html = built.read("events/quiet-day/index.html")
    assert '<meta property="og:image" content="https://example.org/cards/quiet-day.png">' in html
    assert '<meta property="og:image:width" content="1200">' in html
    with Image.open(built.out_dir / "cards/quiet-day.png") as drawn:
        card = drawn.convert("RGB")   # a palette image: its colours as RGB
        assert (drawn.format, card.size) == ("PNG", (cards.WIDTH, cards.HEIGHT))
        # the accent band along the reading edge, the theme's background beside it
        assert card.getpixel((5, 300)) == (0xa3, 0x20, 0x1a)
        assert card.getpixel((600, 600)) == (0xfb, 0xfa, 0xf7)
    assert not built.exists("cards/market-bombing.png")   # it has a photograph to show


def test_a_missing_alt_is_an_error_at_its_line(tmp_path):
    files = site_files()
    files["content/market-bombing/index.md"] = FOLDER_ENTRY.replace(
        "    alt: Wounded people carried to an ambulance\n", "")
    result = build_site(tmp_path, files, pyproject=PYPROJECT)
    assert_error(result, "content/market-bombing/index.md", 11, "missing required key 'alt'")


def test_a_missing_file_is_an_error_at_its_line(tmp_path):
    files = site_files()
    del files["content/market-bombing/photo.jpg"]
    result = build_site(tmp_path, files, pyproject=PYPROJECT)
    assert_error(result, "content/market-bombing/index.md", 6,
                 "image 'photo.jpg' not found (looked for content/market-bombing/photo.jpg and "
                 "content/media/photo.jpg): save it beside the entry or in content/media/")


def test_a_body_image_missing_names_both_places(tmp_path):
    files = site_files()
    del files["content/media/river.jpg"]
    result = build_site(tmp_path, files, pyproject=PYPROJECT)
    assert_error(result, "content/floods.md", 9, "image 'river.jpg', but there is no such file in the content "
                                                 "folder (looked for content/river.jpg)")


@pytest.mark.parametrize("name, data, message", [
    ("photo.gif", b"GIF89a", "is not JPEG, PNG or WebP"),
    ("photo.jpg", b"not an image at all", "cannot be read as an image"),
])
def test_an_image_that_cannot_be_published_is_an_error(tmp_path, name, data, message):
    files = site_files()
    files["content/market-bombing/index.md"] = FOLDER_ENTRY.replace("src: photo.jpg", f"src: {name}")
    files[f"content/market-bombing/{name}"] = data
    result = build_site(tmp_path, files, pyproject=PYPROJECT)
    assert_error(result, "content/market-bombing/index.md", 6, message)


def test_an_image_on_another_site_is_an_error(tmp_path):
    files = site_files()
    files["content/market-bombing/index.md"] = FOLDER_ENTRY.replace("src: photo.jpg",
                                                                    "src: https://example.com/p.jpg")
    result = build_site(tmp_path, files, pyproject=PYPROJECT)
    assert_error(result, "content/market-bombing/index.md", 6, "is on another site")


def test_a_second_build_decodes_no_image(tmp_path, monkeypatch):
    first = build_site(tmp_path, site_files(), pyproject=PYPROJECT)
    assert first.exit_code == 0, first
    made = {p: (first.out_dir / p).read_bytes() for p in first.files() if p.startswith(("media/", "cards/"))}
    # the whole site is written again (no output to compare with), and an entry changed: every
    # page is rendered again, yet each image and card comes from the store

    def refuse(*args, **kwargs):
        raise AssertionError("an image was decoded or drawn again")
    monkeypatch.setattr(ImageStore, "_open", refuse)
    monkeypatch.setattr(cards, "draw", refuse)
    shutil.rmtree(first.out_dir)
    files = site_files()
    files["content/floods.md"] = SHARED_ENTRY.replace("A sketch:", "A sketch by the council:")
    second = build_site(tmp_path, files, pyproject=PYPROJECT)
    assert second.exit_code == 0, second
    assert {p: (second.out_dir / p).read_bytes() for p in made} == made


def test_a_changed_image_is_made_again(tmp_path):
    first = build_site(tmp_path, site_files(), pyproject=PYPROJECT)
    before = (first.out_dir / "media/media/flood-map.700.png").read_bytes()
    files = site_files()
    files["content/media/flood-map.png"] = png(640, 400)
    second = build_site(tmp_path, files, pyproject=PYPROJECT)
    assert second.exit_code == 0, second
    assert not second.exists("media/media/flood-map.700.png")
    with Image.open(second.out_dir / "media/media/flood-map.640.png") as image:
        assert image.size == (640, 400)
    assert before != (second.out_dir / "media/media/flood-map.640.png").read_bytes()
    img = _img(second.read("events/floods/index.html"), "A sketch map of the flooded villages")
    assert (img["src"], img["width"], img["height"]) == ("../../media/media/flood-map.640.png", "640", "400")
    # the store keeps what this state of the site uses: the old map's variants are gone
    store = tmp_path / ".cache/dateline/images"
    old = ImageStore(None).info(png(700, 400)).digest
    new = ImageStore(None).info(png(640, 400)).digest
    names = [p.name for p in store.iterdir()]
    assert not [n for n in names if n.startswith(old)]
    assert sorted(n for n in names if n.startswith(new)) == [f"{new}.{images.RECIPE}.{w}.{s}" for w in (480, 640) for s in ("png", "webp")]
    assert len([n for n in names if n.startswith("card-")]) == 2    # the quiet day's and the aftermath's


def test_exif_orientation_is_applied_and_dropped(tmp_path):
    image = Image.new("RGB", (400, 200), (0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6      # on its side: shown 200 wide, 400 high
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    store = ImageStore(None)
    info = store.info(out.getvalue())
    assert (info.width, info.height) == (200, 400)
    made = Image.open(io.BytesIO(store.make(out.getvalue(), 200, "webp")))
    assert made.size == (200, 400) and 0x0112 not in made.getexif()


def test_a_body_image_that_cannot_be_read_is_an_error_at_its_link(tmp_path):
    files = site_files()
    files["content/media/river.jpg"] = b"JPG"
    result = build_site(tmp_path, files, pyproject=PYPROJECT)
    assert_error(result, "content/floods.md", 9, "image 'river.jpg' cannot be read as an image")


URDU = cards.Card("ٹائم لائن", "کرمان میں دو دھماکے", "3 جنوری، 2024", "کرمان", "ur", True)


@pytest.mark.skipif(not (cards.features.check("raqm") and cards.font_file("ur")),
                    reason="Pillow cannot shape Urdu here: it needs libraqm's fribidi (Debian: apt-get install "
                           "libfribidi0) and the Nastaliq font (apt-get install fonts-noto-core)")
def test_a_card_in_urdu_is_drawn_in_urdu_where_it_can_be_shaped(monkeypatch):
    assert cards.can_draw(URDU)
    with Image.open(io.BytesIO(cards.draw(URDU))) as drawn:
        card = drawn.convert("RGB")   # a palette image: its colours as RGB
        assert card.size == (cards.WIDTH, cards.HEIGHT)
        assert card.getpixel((cards.WIDTH - 5, 300)) == (0xa3, 0x20, 0x1a)   # the band on the reading edge
    # Latin letters the Nastaliq font lacks: not drawn as boxes, the card is drawn in English
    assert not cards.can_draw(cards.Card("ٹائم لائن", "Twin bombing in Kerman", "3 جنوری، 2024", "", "ur", True))
    # without libraqm the letters would not join: never drawn so
    monkeypatch.setattr(cards.features, "check", lambda name: False)
    assert not cards.can_draw(URDU)


def test_a_card_changes_only_with_what_it_shows():
    card = cards.Card("Site", "Title", "3 January 2024", "Kerman", "en", False)
    assert card.key == cards.Card("Site", "Title", "3 January 2024", "Kerman", "en", False).key
    assert card.key != cards.Card("Site", "Title", "3 January 2024", "Kerman", "en", False, "#005f73").key
    assert card.key != cards.Card("Site", "Title", "4 January 2024", "Kerman", "en", False).key


def test_cards_take_the_accent_setting_and_each_language_has_its_own(tmp_path):
    pyproject = PYPROJECT + 'accent = "#005f73"\n\n[tool.dateline.languages.en]\nname = "English"\n\n' \
        '[tool.dateline.languages.ur]\nname = "اردو"\ndirection = "rtl"\n'
    files = {"content/quiet-day.md": event(title="A quiet day", date="2024-01-04", place=PLACE),
             "content/quiet-day.ur.md": event(title="ایک پرسکون دن", date=None, place={"name": "ریورٹن"},
                                              body="متن۔\n")}
    result = build_site(tmp_path, files, pyproject=pyproject)
    assert result.exit_code == 0, result
    with Image.open(result.out_dir / "cards/quiet-day.png") as drawn:
        card = drawn.convert("RGB")   # a palette image: its colours as RGB
        assert card.getpixel((5, 300)) == (0x00, 0x5f, 0x73)
    assert '<meta property="og:image" content="https://example.org/ur/cards/quiet-day.png">' in \
        result.read("ur/events/quiet-day/index.html")
    assert result.exists("ur/cards/quiet-day.png")
    if cards.can_draw(cards.Card("x", "ایک پرسکون دن", "4 جنوری، 2024", "ریورٹن", "ur", True)):
        assert (result.out_dir / "ur/cards/quiet-day.png").read_bytes() != \
            (result.out_dir / "cards/quiet-day.png").read_bytes()
    # a place named in Latin letters the Urdu font lacks: the card is the English one, not boxes
    del files["content/quiet-day.ur.md"]
    files["content/quiet-day.ur.md"] = event(title="ایک پرسکون دن", date=None, body="متن۔\n")
    again = build_site(tmp_path, files, pyproject=pyproject)
    assert (again.out_dir / "ur/cards/quiet-day.png").read_bytes() == (again.out_dir / "cards/quiet-day.png").read_bytes()


def test_a_broken_entry_in_a_folder_is_not_reported_again_by_what_links_it(tmp_path):
    files = site_files()
    files["content/market-bombing/index.md"] = FOLDER_ENTRY.replace("date: 2024-01-03", "date: 2024-13-03")
    files["content/quiet-day.md"] = event(title="A quiet day", date="2024-01-04", place=PLACE,
                                          related=["market-bombing"])
    result = build_site(tmp_path, files, pyproject=PYPROJECT)
    assert_error(result, "content/market-bombing/index.md", 3, "2024-13-03")


def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded(tmp_path, monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 1_000_000)    # 50 million in earnest: 2000 x 1200 is 2.4
    result = build_site(tmp_path, site_files(), pyproject=PYPROJECT)
    assert_error(result, "content/market-bombing/index.md", 6, "has 2,400,000 pixels, more than 1,000,000")


def test_an_images_words_are_marked_as_the_default_languages_on_other_pages(tmp_path):
    pyproject = PYPROJECT + '\n[tool.dateline.languages.en]\nname = "English"\n\n' \
        '[tool.dateline.languages.ur]\nname = "اردو"\ndirection = "rtl"\n'
    result = build_site(tmp_path, site_files(), pyproject=pyproject)
    assert result.exit_code == 0, result
    assert '<figure class="media-figure" lang="en">' in result.read("ur/events/market-bombing/index.html")
    assert '<figure class="media-figure">' in result.read("events/market-bombing/index.html")
    img = _img(result.read("ur/events/market-bombing/index.html"), "The market&#39;s burnt stalls after the blast")
    assert img["src"] == "../../../media/market-bombing/photo.960.jpg"     # made once, for every language
