"""Picture rights: an expired picture disappears everywhere, the story stays, editors are told."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model

from news.models import ArticlePage, PictureRights
from news.pictures import expire_picture_rights, stories_that_lost_a_picture
from news.tests.factories import make_article, make_image, paragraph

pytestmark = pytest.mark.django_db

PAST = timedelta(minutes=-5)


def expire(image, delta=PAST, **rights):
    """Give the picture rights that expire at now + delta (saved as an editor would)."""
    return PictureRights.objects.update_or_create(
        image=image, defaults={"licence": "agency", "expires_at": timezone.now() + delta, **rights}
    )[0]


@pytest.fixture
def picture():
    return make_image("Quay picture", width=64, height=48, description="Cranes at dawn")


@pytest.fixture
def body_picture():
    return make_image("Dock picture", width=64, height=48)


@pytest.fixture
def story(section, picture, body_picture):
    body = [
        paragraph("<p>Cranes swung back into work.</p>"),
        ("image", {"image": body_picture, "caption": "The dock.", "credit": "", "alt": ""}),
    ]
    return make_article(section, "Harbour reopens", lead_image=picture, body=body)


SURFACES = [
    "{url}",
    "/feeds/rss/",
    "/feeds/atom/",
    "/api/v2/pages/{pk}/",
    "/api/v3/pages/{pk}/",
    "/api/v2/pages/?type=news.ArticlePage",
    "/api/v3/pages/{pk}/ninjs/",
    "/api/v3/pages/{pk}/ninjs/?version=1",
    "/world/",
    "/",
]


@pytest.mark.parametrize("surface", SURFACES)
def test_an_expired_picture_disappears_and_the_story_stays(client, story, picture, surface):
    path = surface.format(url=story.url, pk=story.pk)
    assert "quay-picture" in client.get(path).content.decode()
    expire(picture)
    response = client.get(path)
    assert response.status_code == 200
    text = response.content.decode()
    assert "quay-picture" not in text
    assert "Harbour reopens" in text or "ninjs" in path or "/api/v2/pages/?" in path


def test_the_api_gives_no_lead_image_and_the_page_no_figure(client, story, picture):
    expire(picture)
    assert client.get(f"/api/v2/pages/{story.pk}/").json()["lead_image"] is None
    html = client.get(story.url).content.decode()
    assert "article__lead-image" not in html
    assert ArticlePage.objects.get(pk=story.pk).live


def test_an_expired_body_picture_leaves_nothing_not_even_its_caption(client, story, body_picture):
    expire(body_picture)
    html = client.get(story.url).content.decode()
    assert "dock-picture" not in html and "The dock." not in html
    blocks = client.get(f"/api/v2/pages/{story.pk}/").json()["body"]
    assert [block["value"] for block in blocks if block["type"] == "image"] == [None]
    ninjs = client.get(f"/api/v3/pages/{story.pk}/ninjs/").json()
    assert "dock-picture" not in json.dumps(ninjs)


def test_json_ld_and_share_tags_lose_the_picture(client, story, picture):
    expire(picture)
    html = client.get(story.url).content.decode()
    [data] = [
        d
        for d in map(json.loads, re.findall(r'ld\+json">(.*?)</script>', html, re.S))
        if d["@type"] == "NewsArticle"
    ]
    assert "image" not in data
    assert 'property="og:image"' not in html


def test_rights_expiring_later_change_nothing_yet_but_bound_the_cache_lifetime(
    client, story, picture, settings
):
    settings.NEWS_CACHE_TIMEOUT = 300
    settings.NEWS_CACHE_MAX_AGE = 600
    expire(picture, timedelta(seconds=90))
    response = client.get(story.url)
    assert "quay-picture" in response.content.decode()
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"])[1])
    assert 0 < max_age <= 90


def test_the_chooser_hides_expired_pictures(client, admin_user, picture, body_picture):
    expire(picture)
    client.force_login(admin_user)
    html = client.get(reverse("wagtailimages_chooser:choose")).content.decode()
    assert "Dock picture" in html
    assert "Quay picture" not in html


def test_the_v2_images_endpoint_hides_expired_pictures(client, picture, body_picture):
    expire(picture)
    titles = {item["title"] for item in client.get("/api/v2/images/").json()["items"]}
    assert titles == {"Dock picture"}
    assert client.get(f"/api/v2/images/{picture.pk}/").status_code == 404


def edit(client, story, article_form, **extra):
    data = article_form(story.title, slug=story.slug, **extra)
    return client.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), data)


def test_the_article_form_refuses_an_expired_lead_picture(
    client, admin_user, section, article_form
):
    story = make_article(section, "Harbour reopens")
    stale = make_image("Stale picture", width=64, height=48)
    expire(stale)
    client.force_login(admin_user)
    response = edit(client, story, article_form, lead_image=str(stale.pk))
    assert response.status_code == 200
    assert "The rights to this picture have expired" in response.content.decode()
    assert ArticlePage.objects.get(pk=story.pk).get_latest_revision().content["lead_image"] is None


def test_the_article_form_refuses_an_expired_body_picture(
    client, admin_user, section, article_form
):
    from wagtail.test.utils.form_data import rich_text, streamfield

    story = make_article(section, "Harbour reopens")
    stale = make_image("Stale picture", width=64, height=48)
    expire(stale)
    client.force_login(admin_user)
    body = streamfield(
        [
            ("paragraph", rich_text("<p>Text.</p>")),
            ("image", {"image": str(stale.pk), "caption": "", "credit": "", "alt": ""}),
        ]
    )
    response = edit(client, story, article_form, body=body)
    assert response.status_code == 200
    assert "The rights to this picture have expired" in response.content.decode()


def test_the_daily_run_handles_each_expiry_once_and_names_the_stories(story, picture):
    PictureRights.objects.create(image=picture, expires_at=timezone.now() + PAST)
    out = io.StringIO()
    call_command("expire_picture_rights", stdout=out)
    assert "Rights expired: Quay picture (stories that lost it: Harbour reopens)" in out.getvalue()
    assert PictureRights.objects.get(pk=picture.pk).expiry_handled_at is not None
    assert expire_picture_rights() == []


def test_the_daily_run_bumps_the_pictures_dependency(story, picture):
    from cms.caching import versions
    from news.dependencies import image_key

    PictureRights.objects.filter(pk=picture.pk).delete()
    PictureRights.objects.bulk_create(
        [PictureRights(image=picture, expires_at=timezone.now() + PAST)]
    )  # no signal: as if the moment simply came
    before = versions([image_key(picture.pk)])[image_key(picture.pk)]
    expire_picture_rights()
    assert versions([image_key(picture.pk)])[image_key(picture.pk)] > before


def test_the_dashboard_flags_the_stories_that_lost_a_picture(client, editor, story, picture):
    expire(picture)
    assert [s.title for s in stories_that_lost_a_picture()] == ["Harbour reopens"]
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Stories that lost a picture" in html
    assert "Harbour reopens" in html and "Quay picture" in html


def test_the_dashboard_says_nothing_when_no_picture_expired(client, editor, story, picture):
    expire(picture, timedelta(days=3))
    client.force_login(editor)
    assert (
        "Stories that lost a picture"
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def image_form(image, **rights):
    return {
        "title": image.title,
        "collection": str(image.collection_id),
        "tags": "",
        "alt_text": "",
        "description": "",
        "focal_point_x": "",
        "focal_point_y": "",
        "focal_point_width": "",
        "focal_point_height": "",
        **rights,
    }


def test_the_image_admin_edits_the_rights(client, admin_user, picture):
    client.force_login(admin_user)
    url = reverse("wagtailimages:edit", args=[picture.pk])
    assert 'name="licence"' in client.get(url).content.decode()
    response = client.post(
        url,
        image_form(
            picture,
            licence="creative_commons",
            licence_name="CC BY 4.0",
            copyright_holder="Jane Roe",
            usage_terms="Credit the photographer.",
            expires_at="2030-01-31 12:00",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rights = PictureRights.objects.get(image=picture)
    assert (rights.licence, rights.licence_name, rights.copyright_holder) == (
        "creative_commons",
        "CC BY 4.0",
        "Jane Roe",
    )
    assert rights.licence_label == "Creative Commons (CC BY 4.0)"
    assert rights.expires_at.year == 2030


def test_the_image_admin_wants_the_name_of_a_creative_commons_licence(client, admin_user, picture):
    client.force_login(admin_user)
    url = reverse("wagtailimages:edit", args=[picture.pk])
    response = client.post(url, image_form(picture, licence="creative_commons"))
    assert response.status_code == 200
    assert "Name the Creative Commons licence." in response.content.decode()
    assert not PictureRights.objects.filter(image=picture).exists()


def test_an_edit_that_names_no_licence_keeps_the_pictures_licence(client, admin_user, picture):
    # Uploads and edits from elsewhere (the v3 API, bulk upload) need not name a licence: a
    # new picture is ours, an existing one keeps what it had.
    client.force_login(admin_user)
    url = reverse("wagtailimages:edit", args=[picture.pk])
    client.post(url, image_form(picture, licence="agency", copyright_holder="AFP"))
    response = client.post(url, image_form(picture, copyright_holder="AFP"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PictureRights.objects.get(image=picture).licence == "agency"


def test_listing_pictures_with_rights_costs_no_query_per_story(
    client, section, django_assert_max_num_queries
):
    def add(n, start=0):
        for i in range(start, start + n):
            image = make_image(f"Picture {i}", width=32, height=24)
            PictureRights.objects.create(image=image, expires_at=timezone.now() + timedelta(days=9))
            make_article(section, f"Story {i}", lead_image=image)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    add(2)
    client.get("/feeds/rss/")
    with CaptureQueriesContext(connection) as few:
        client.get("/feeds/rss/", {"_": "1"})
    add(6, start=2)
    client.get("/feeds/rss/", {"_": "2"})
    with CaptureQueriesContext(connection) as many:
        client.get("/feeds/rss/", {"_": "3"})
    assert len(many) == len(few)
    assert get_image_model().objects.count() == 8
