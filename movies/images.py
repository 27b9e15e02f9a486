"""Posters and stills: what an upload must be, and the resized copies pages show.

Originals go through Django's storage API (`STORAGES["default"]`: the local
MEDIA_ROOT, or S3-compatible storage in production). Each is served as a few
renditions, WebP with a JPEG fallback, made once when the picture is saved
(`make_renditions`) and named after the original, so that a page finds their
addresses and sizes without touching the storage (`picture`).
"""

from __future__ import annotations

import posixpath
import secrets
from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import get_image_dimensions
from django.core.files.storage import Storage
from django.core.validators import FileExtensionValidator
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

MAX_IMAGE_BYTES = 10 * 1024 * 1024
# A poster scanned at 300 dpi is ~10 MP. Decoding costs memory by the pixel
# (4 bytes each), whatever the file's size: a small PNG can unpack to gigabytes.
MAX_IMAGE_PIXELS = 25_000_000
IMAGE_HELP = format_lazy(
    _("A JPEG, PNG or WebP picture, up to {size} and {megapixels} megapixels."),
    size=filesizeformat(MAX_IMAGE_BYTES),
    megapixels=MAX_IMAGE_PIXELS // 1_000_000,
)

POSTER_WIDTHS = (160, 320, 640)
STILL_WIDTHS = (480, 960)
FORMATS = {"webp": "WEBP", "jpg": "JPEG"}


def _unique_name(folder: str, filename: str) -> str:
    # A new name for every upload: a picture's addresses never show another picture.
    stem, extension = posixpath.splitext(filename)
    return f"{folder}/{secrets.token_hex(4)}-{slugify(stem)[:60] or 'picture'}{extension.lower()}"


def poster_path(movie, filename: str) -> str:
    return _unique_name("posters", filename)


def still_path(still, filename: str) -> str:
    return _unique_name("stills", filename)


def validate_image_size(image: FieldFile) -> None:
    if image.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("This picture is %(size)s; upload one of at most %(limit)s.")
            % {"size": filesizeformat(image.size), "limit": filesizeformat(MAX_IMAGE_BYTES)}
        )


def validate_image_pixels(image: FieldFile) -> None:
    # Read from the header alone: a picture too big to decode is refused before it is.
    width, height = get_image_dimensions(image)
    if width is None or height is None:
        raise ValidationError(_("Upload a real picture: this file is not one."))
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(
            _(
                "This picture is %(width)s × %(height)s pixels (%(megapixels)s megapixels); "
                "upload one of at most %(limit)s megapixels."
            )
            % {
                "width": width,
                "height": height,
                "megapixels": round(width * height / 1_000_000),
                "limit": MAX_IMAGE_PIXELS // 1_000_000,
            }
        )


IMAGE_VALIDATORS = [
    # SVG is refused by name as well as by content: it may carry scripts.
    FileExtensionValidator(
        ["jpg", "jpeg", "png", "webp"],
        message=_("Upload a JPEG, PNG or WebP picture; “.%(extension)s” files are not accepted."),
    ),
    validate_image_size,
    validate_image_pixels,
]


def rendition_name(original: str, width: int, extension: str) -> str:
    """posters/dune.png at 320 px in WebP → posters/renditions/dune-320w.webp."""
    folder, filename = posixpath.split(original)
    stem = posixpath.splitext(filename)[0]
    return posixpath.join(folder, "renditions", f"{stem}-{width}w.{extension}")


def rendition_widths(original_width: int, widths: tuple[int, ...]) -> list[int]:
    # Never enlarged: a small original is its own largest rendition.
    return [width for width in widths if width < original_width] + [min(original_width, widths[-1])]


def make_renditions(image: FieldFile, widths: tuple[int, ...]) -> int:
    """Make the renditions of `image` that its storage lacks; return how many were made."""
    storage = image.storage
    wanted = [
        (width, extension)
        for width in rendition_widths(image.width, widths)
        for extension in FORMATS
        if not storage.exists(rendition_name(image.name, width, extension))
    ]
    if not wanted:
        return 0
    with image.open("rb"), Image.open(image) as original:
        upright = ImageOps.exif_transpose(original)
        # JPEG has no transparency: a transparent PNG is laid on white.
        if upright.mode in ("RGBA", "LA", "P"):
            canvas = Image.new("RGB", upright.size, "white")
            canvas.paste(upright, mask=upright.convert("RGBA"))
            upright = canvas
        upright = upright.convert("RGB")
        for width, extension in wanted:
            height = round(upright.height * width / upright.width)
            resized = upright.resize((width, height), Image.Resampling.LANCZOS)
            data = BytesIO()
            resized.save(data, FORMATS[extension], quality=82, optimize=True)
            storage.save(rendition_name(image.name, width, extension), ContentFile(data.getvalue()))
    return len(wanted)


def delete_with_renditions(storage: Storage, name: str, width: int, widths: tuple[int, ...]) -> None:
    """Remove a picture (`name`, `width` pixels wide) and its renditions from `storage`."""
    renditions = [
        rendition_name(name, rendition_width, extension)
        for rendition_width in rendition_widths(width, widths)
        for extension in FORMATS
    ]
    for stored in [name, *renditions]:
        storage.delete(stored)


@dataclass(frozen=True)
class Picture:
    """What an <img> in a <picture> needs: sources per format, the fallback, its size."""

    webp_srcset: str
    jpg_srcset: str
    src: str
    width: int
    height: int


def picture(
    image: FieldFile, width: int | None, height: int | None, widths: tuple[int, ...]
) -> Picture | None:
    """The renditions of `image` (None when there is none), from names alone."""
    if not image or not width or not height:
        return None
    storage = image.storage
    sizes = rendition_widths(width, widths)

    def srcset(extension: str) -> str:
        return ", ".join(f"{storage.url(rendition_name(image.name, w, extension))} {w}w" for w in sizes)

    # The fallback is the smallest: browsers without srcset are old and small.
    return Picture(
        webp_srcset=srcset("webp"),
        jpg_srcset=srcset("jpg"),
        src=storage.url(rendition_name(image.name, sizes[0], "jpg")),
        width=sizes[0],
        height=round(height * sizes[0] / width),
    )
