"""Images of the content folder made fit to publish, with Pillow: each resized to the widths a
page's `srcset` offers, in WebP and in its own format (JPEG or PNG) for browsers without WebP,
and with every byte of metadata left behind (EXIF, GPS, XMP, IPTC, comments: a photographer's
position must never be published). Only the pixels are kept, turned upright as EXIF said.

Every result is kept in the image store (<project>/.cache/dateline/images/), by the digest of
the original's bytes and what was asked of it: an image that has not changed is never decoded
again, whatever else changed. Deleting the folder never changes the output."""

from __future__ import annotations

import io
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageOps

from .cache import digest

# The widths offered in srcset (CSS pixels on a 1x screen up to a wide column on a 2x one). An
# image narrower than one of them is offered at its own width instead: never enlarged.
WIDTHS = (480, 960, 1600)
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}     # what `media:` takes, and its fallback's suffix
WEBP_QUALITY = 78
JPEG_QUALITY = 82
# A larger image is a mistake (a 90-megapixel scan), not a picture for a page; it is refused
# from its header, before it is decoded.
MAX_PIXELS = 50_000_000
STORE = "images"
INFO_FILE = "info.pickle"


@dataclass(frozen=True)
class ImageInfo:
    """What the page needs to know of an original, kept by the digest of its bytes."""
    digest: str
    width: int
    height: int
    format: str                 # a key of FORMATS

    @property
    def fallback(self) -> str:
        """The suffix of the variants in the original's own kind (WebP's fallback is JPEG)."""
        return "jpg" if self.format == "WEBP" else FORMATS[self.format]

    def widths(self) -> tuple[int, ...]:
        """The widths of its variants: those of WIDTHS it is wider than, and its own up to the
        largest."""
        below = [w for w in WIDTHS if w < min(self.width, WIDTHS[-1])]
        return tuple(below + [min(self.width, WIDTHS[-1])])

    def height_at(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))


@dataclass(frozen=True)
class Variant:
    """One file made of an original: the subject of its media/ route."""
    rel: str                    # the original, relative to the content folder
    digest: str                 # of the original's bytes
    width: int
    suffix: str                 # "webp", "jpg" or "png"


class ImageError(ValueError):
    """An image that cannot be published: the message says why and what to do."""


# How variants are made (this code, Pillow's version): a change to either makes them again.
RECIPE = digest(Path(__file__).read_bytes(), PIL.__version__)[:12]


def file_name(variant: Variant) -> str:
    """A variant's file in the image store: by the original's digest and what was made of it."""
    return f"{variant.digest}.{RECIPE}.{variant.width}.{variant.suffix}"


def variant_path(rel: str, width: int, suffix: str) -> str:
    """The output path of a variant: media/2024/x/photo.960.webp for content/2024/x/photo.jpg."""
    stem = rel.rpartition(".")[0] if "." in rel.rpartition("/")[2] else rel
    return f"media/{stem}.{width}.{suffix}"


class ImageStore:
    """The image store of one project (`folder` None: nothing is kept, everything is made)."""

    def __init__(self, folder: Path | None, writable: bool = True):
        self.folder = folder
        self.writable = writable      # False: `check`, which reads the store and writes nothing
        self._info: dict[str, ImageInfo] | None = None
        self._added = False

    def _infos(self) -> dict[str, ImageInfo]:
        if self._info is None:
            self._info = {}
            if self.folder is not None:
                try:
                    with open(self.folder / INFO_FILE, "rb") as handle:
                        data = pickle.load(handle)
                    if isinstance(data, dict):
                        self._info = data
                except Exception:   # missing, or from another version: start empty
                    pass
        return self._info

    def info(self, data: bytes) -> ImageInfo:
        """The size and kind of an original (ImageError if Pillow cannot read it, or it is not
        JPEG, PNG or WebP)."""
        key = digest(data)
        known = self._infos().get(key)
        if known is not None:
            return known
        image = self._open(data)
        if image.format not in FORMATS:
            raise ImageError(f"is a {image.format} image: save it as JPEG, PNG or WebP")
        width, height = image.size
        if _turned(image):
            width, height = height, width
        found = self._infos()[key] = ImageInfo(key, width, height, image.format)
        self._added = True
        return found

    def save(self) -> None:
        """Keep what info() learnt (after a build's load)."""
        if self._added and self.folder is not None and self.writable:
            write_atomic(self.folder / INFO_FILE, pickle.dumps(self._info, protocol=pickle.HIGHEST_PROTOCOL))
            self._added = False

    def variant(self, data: bytes, variant: Variant) -> bytes:
        """The bytes of a variant of `data`, from the store or made (and kept)."""
        name = file_name(variant)
        kept = self.fetch(name)
        if kept is not None:
            return kept
        made = self.make(data, variant.width, variant.suffix)
        self.keep(name, made)
        return made

    def fetch(self, name: str) -> bytes | None:
        """A file of the store, if it is there."""
        if self.folder is None:
            return None
        try:
            return (self.folder / name).read_bytes()
        except OSError:
            return None

    def keep(self, name: str, data: bytes) -> None:
        if self.folder is not None and self.writable:
            write_atomic(self.folder / name, data)

    def prune(self, keep: set[str]) -> None:
        """Remove what the last build did not use (files not named in `keep`, sizes of images
        not among them): the store holds one state of the site, not every image it ever had."""
        if self.folder is None or not self.writable or not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.name != INFO_FILE and path.name not in keep and not path.name.startswith("."):
                try:
                    path.unlink(missing_ok=True)
                except OSError:   # the site is written: a store that cannot be tidied is no error
                    pass
        digests = {name.split(".", 1)[0] for name in keep}
        infos = self._infos()
        if set(infos) - digests:
            self._info = {key: info for key, info in infos.items() if key in digests}
            self._added = True
            self.save()

    def make(self, data: bytes, width: int, suffix: str) -> bytes:
        image = self._open(data, width)
        image = ImageOps.exif_transpose(image)        # upright, as the camera meant it
        if image.width > width:
            image = image.resize((width, max(1, round(image.height * width / image.width))), Image.LANCZOS)
        return encode(image, suffix)

    def _open(self, data: bytes, width: int | None = None) -> Image.Image:
        """The image decoded; for a JPEG wanted `width` wide, at the smallest of the scales its
        decoder can skip to (1/2, 1/4, 1/8) that is still as large: a 12-megapixel photo for a
        480-pixel variant decodes in a fraction of the time."""
        try:
            image = Image.open(io.BytesIO(data))       # the header only: sizes are known before decoding
            if image.width * image.height > MAX_PIXELS:
                raise ImageError(f"has {image.width * image.height:,} pixels, more than {MAX_PIXELS:,}: "
                                 "make it smaller")
            if width is not None and image.format == "JPEG":
                across, down = image.size
                if _turned(image):
                    across, down = down, across
                scale = width / across
                wanted = (max(1, int(image.size[0] * scale)), max(1, int(image.size[1] * scale)))
                image.draft("RGB", wanted)
            image.load()
        except ImageError:
            raise
        except Image.DecompressionBombError:
            raise ImageError(f"has more than {MAX_PIXELS:,} pixels: make it smaller") from None
        except Exception as exc:   # Pillow raises many kinds for a damaged or unknown file
            raise ImageError(f"cannot be read as an image ({exc}): save it again as JPEG, PNG or WebP") from None
        return image


def encode(image: Image.Image, suffix: str) -> bytes:
    """The pixels alone, in `suffix`'s format: nothing of the original's metadata is passed on
    (Pillow writes EXIF, XMP or an ICC profile only when given them)."""
    out = io.BytesIO()
    if suffix == "png":
        pixels = image if image.mode in ("RGB", "RGBA", "L", "LA", "P") else image.convert("RGBA")
        pixels.save(out, "PNG", optimize=True)
    elif suffix == "jpg":
        pixels = image.convert("RGB") if image.mode != "RGB" else image
        pixels.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        pixels = image if image.mode in ("RGB", "RGBA") else image.convert("RGBA" if "A" in image.mode else "RGB")
        pixels.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue()


def _turned(image: Image.Image) -> bool:
    """Whether EXIF says the picture is on its side (orientations 5 to 8)."""
    try:
        return image.getexif().get(0x0112, 1) in (5, 6, 7, 8)
    except Exception:
        return False


def write_atomic(path: Path, data: bytes) -> None:
    """A file of the store, whole or not at all; a store that cannot be written is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


__all__ = ["ImageStore", "ImageInfo", "Variant", "ImageError", "variant_path", "file_name", "encode", "write_atomic", "WIDTHS", "FORMATS"]
