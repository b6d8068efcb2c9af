"""Fetching an agency picture (HTTP(S), or a local file for the command) into Wagtail images."""

# Limits: NEWS_WIRE_PICTURE_TIMEOUT seconds for the whole download, at most
# WAGTAILIMAGES_MAX_UPLOAD_SIZE bytes, WAGTAILIMAGES_MAX_IMAGE_PIXELS pixels (checked from the
# header, before anything is decoded: the decompression-bomb guard), and only the image
# formats WAGTAILIMAGES_EXTENSIONS allows, as Pillow reads them (never the agency's word).
# Local files are read only for the command (a trusted operator), never for the push API.
# NEWS_WIRE_PICTURE_HOSTS, when set, lists the only hosts pictures may come from.

import hashlib
import io
import time
import urllib.request
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from wagtail.images import get_image_model

#: Pillow format → file extension (as WAGTAILIMAGES_EXTENSIONS names it).
FORMAT_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
CHUNK = 64 * 1024
USER_AGENT = "newsroom-wire-desk/1"


class PictureError(Exception):
    """The picture cannot be had; the message says why, for the story's warnings."""


def max_bytes():
    return settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE


def check_host(url):
    allowed = settings.NEWS_WIRE_PICTURE_HOSTS
    host = (urlsplit(url).hostname or "").lower()
    if allowed and host not in allowed:
        raise PictureError(f"{host or url} is not among the picture hosts allowed.")


class SafeRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows redirects to HTTP(S) URLs on allowed hosts only (urllib would follow ftp:)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise PictureError(f"Redirected to {newurl}, which is not HTTP(S).")
        check_host(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def read_capped(stream, limit, deadline):
    data = bytearray()
    while chunk := stream.read(CHUNK):
        data += chunk
        if len(data) > limit:
            raise PictureError(f"The picture is larger than {limit} bytes.")
        if time.monotonic() > deadline:
            raise PictureError("The picture took too long to download.")
    return bytes(data)


def fetch_http(url):
    check_host(url)
    timeout = settings.NEWS_WIRE_PICTURE_TIMEOUT
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(SafeRedirectHandler)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes():
                raise PictureError(f"The picture is larger than {max_bytes()} bytes.")
            return read_capped(response, max_bytes(), deadline)
    except (URLError, OSError, ValueError) as e:
        raise PictureError(f"Could not download {url}: {getattr(e, 'reason', e)}") from e


def read_local(href, base_dir):
    parts = urlsplit(href)
    path = Path(url2pathname(parts.path)) if parts.scheme == "file" else Path(href)
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    try:
        if path.stat().st_size > max_bytes():
            raise PictureError(f"The picture is larger than {max_bytes()} bytes.")
        with path.open("rb") as stream:
            return read_capped(stream, max_bytes(), time.monotonic() + 60)
    except OSError as e:
        raise PictureError(f"Could not read {path}: {e.strerror or e}") from e


def fetch(href, *, base_dir=None, allow_local=False):
    """The bytes of the picture at `href` (http(s)://, or file:// and paths when allowed)."""
    scheme = urlsplit(href).scheme.lower()
    if scheme in ("http", "https"):
        return fetch_http(href)
    if scheme == "file" or scheme == "" or len(scheme) == 1:  # "C:\…" has a one-letter scheme
        if not allow_local:
            raise PictureError(f"Local pictures ({href}) are read only by the ingest_wire command.")
        return read_local(href, base_dir)
    raise PictureError(f"Pictures are fetched over HTTP(S) only, not {scheme}:.")


def image_extension(data):
    """The file extension of an allowed, not oversized image; PictureError for anything else."""
    try:
        with PILImage.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
                raise PictureError(
                    f"The picture has {width}×{height} pixels, more than "
                    f"{settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS} allowed."
                )
            image_format = image.format
            image.verify()
    except PILImage.DecompressionBombError as e:
        raise PictureError(f"The picture has too many pixels: {e}") from e
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise PictureError("The file is not a picture Pillow can read.") from e
    extension = FORMAT_EXTENSIONS.get(image_format)
    if extension not in settings.WAGTAILIMAGES_EXTENSIONS:
        raise PictureError(f"{image_format} pictures are not accepted.")
    return extension


def store_image(data, *, title, description=""):
    """A Wagtail image of these bytes: the one already stored if the same file came before."""
    Image = get_image_model()
    extension = image_extension(data)
    # Wagtail keys image files by their SHA-1 (AbstractImage.file_hash); not a security use.
    file_hash = hashlib.sha1(data, usedforsecurity=False).hexdigest()
    existing = Image.objects.filter(file_hash=file_hash).first()
    if existing is not None:
        return existing
    name = f"{slugify(title)[:80] or 'wire-picture'}.{extension}"
    image = Image(
        title=title[:255] or "Wire picture",
        description=description[:255],
        file=ImageFile(io.BytesIO(data), name=name),
    )
    image._set_image_file_metadata()
    image.save()
    return image


def fetch_picture(picture, *, base_dir=None, allow_local=False):
    """(image, warnings): the first rendition of a WirePicture that can be had, or None."""
    errors = []
    for rendition in picture.renditions[:3]:
        try:
            data = fetch(rendition.href, base_dir=base_dir, allow_local=allow_local)
            return store_image(data, title=picture.title, description=picture.caption), []
        except PictureError as e:
            errors.append(str(e))
    if not picture.renditions:
        errors.append("The picture has no image rendition to fetch.")
    return None, [f"Lead picture {picture.uri or ''} not taken: {'; '.join(errors)}"]
