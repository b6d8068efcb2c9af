"""Builders of wire test data: ninjs items and picture bytes."""

import io

from PIL import Image


def ninjs_story(uri="urn:newsml:agency.test:2026:dam", version="1", **fields):
    """A minimal valid ninjs 2.x text item; `fields` add or replace keys."""
    item = {
        "uri": uri,
        "type": "text",
        "version": version,
        "versioncreated": "2026-05-06T09:00:00Z",
        "language": "en",
        "headlines": [{"role": "main", "value": "Dam holds after night of rain"}],
        "by": "Ann Lee, AFP",
        "located": "LYON, France",
        "bodies": [{"role": "html", "contenttype": "text/html", "value": "<p>The dam held.</p>"}],
        "subjects": [{"name": "floods"}, {"name": "France"}],
    }
    item.update(fields)
    return item


def jpeg_bytes(width=64, height=48, colour=(200, 40, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="JPEG")
    return buffer.getvalue()
