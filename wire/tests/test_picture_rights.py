"""Wire pictures take their rights from the ninjs rights fields."""

import pytest

from news.models import PictureRights
from wire.mapping import creative_commons_name

from .factories import jpeg_bytes
from .test_pictures import ingest, with_picture

pytestmark = pytest.mark.django_db


def test_an_agency_picture_takes_holder_terms_and_expiry(desk, picture_server):
    picture_server.files["/dam.jpg"] = jpeg_bytes()
    item = with_picture(
        f"{picture_server.url}/dam.jpg",
        copyrightholder="AFP",
        copyrightnotice="© AFP 2026",
        usageterms="Editorial use only.",
        expires="2026-06-01T00:00:00Z",
    )
    _, article = ingest(desk, item)
    rights = PictureRights.objects.get(image_id=article.lead_image_id)
    assert rights.licence == "agency"
    assert rights.copyright_holder == "AFP"
    assert rights.usage_terms == "Editorial use only.\n© AFP 2026"
    assert rights.expires_at.isoformat() == "2026-06-01T00:00:00+00:00"


def test_a_creative_commons_picture_is_named_by_its_linked_rights(desk, picture_server):
    picture_server.files["/dam.jpg"] = jpeg_bytes()
    item = with_picture(
        f"{picture_server.url}/dam.jpg",
        rightsinfo={"linkedrights": "https://creativecommons.org/licenses/by-sa/4.0/"},
    )
    _, article = ingest(desk, item)
    rights = PictureRights.objects.get(image_id=article.lead_image_id)
    assert (rights.licence, rights.licence_name) == ("creative_commons", "CC BY-SA 4.0")
    # Without its own holder, the story's stands in (none here): empty, not an error.
    assert rights.expires_at is None


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://creativecommons.org/licenses/by/4.0/", "CC BY 4.0"),
        ("http://creativecommons.org/licenses/by-nc-nd/3.0/deed.de", "CC BY-NC-ND 3.0"),
        ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0"),
        ("https://example.org/licence", ""),
        ("", ""),
    ],
)
def test_creative_commons_names(url, name):
    assert creative_commons_name(url) == name
