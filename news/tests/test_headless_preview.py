"""Headless preview: the admin's Preview sends editors to the front end with a token that
reads the unsaved state over API v2 and v3, in the live detail's shape, and nothing else."""

import time
from types import SimpleNamespace
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from news.models import ArticlePage
from news.tests.factories import at, make_article, make_author, make_image

pytestmark = pytest.mark.django_db

FRONT_END = "https://front.example/preview"
# Differ between a preview and the publication that follows it.
VOLATILE = {"last_published_at"}


@pytest.fixture
def headless(settings):
    settings.HEADLESS_PREVIEW_URL = FRONT_END
    settings.HEADLESS_PREVIEW_TTL = 600
    return settings


@pytest.fixture
def story(section):
    related = make_article(section, "Port strike ends", intro="Dockers return.")
    return make_article(
        section,
        "Harbour reopens",
        intro="Ships sail again.",
        dateline="PORT ELLIS",
        authors=[make_author("Jane Doe")],
        lead_image=make_image("Harbour"),
        lead_image_caption="Boats wait.",
        tags=["shipping"],
        related=[related],
    )


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def story_form(article_form, story):
    """The story's edit form with the headline and more changed, as an editor types it.

    The body block keeps one id, as the editor's form does between preview and publish.
    """

    bylines = list(story.article_authors.all())
    related = list(story.related_links.all())

    def make(title="Harbour reopens at last", **extra):
        return article_form(
            title,
            "<p>The first ships sailed at dawn.</p>",
            slug=story.slug,
            intro="Ships sail again after a week.",
            dateline="PORT ELLIS",
            lead_image=str(story.lead_image_id),
            lead_image_caption="Boats wait.",
            tags="shipping, storms",
            # The byline and the related link the story has, then a byline added.
            article_authors=inline_formset(
                [
                    *({"id": str(link.pk), "author": str(link.author_id)} for link in bylines),
                    {"author": str(make_author("AFP").pk)},
                ],
                initial=len(bylines),
            ),
            related_links=inline_formset(
                [{"id": str(link.pk), "article": str(link.article_id)} for link in related],
                initial=len(related),
            ),
            **({"body-0-id": "5c0ffee0-0000-4000-8000-000000000001"} | extra),
        )

    return make


def preview(client, url, data):
    """POST the form the way the preview panel does, then GET what the panel shows."""
    posted = client.post(url, data)
    assert posted.status_code == 200
    assert posted.json()["is_valid"] is True
    return client.get(url, {"in_preview_panel": "true"})


def front_end_link(response):
    """The front-end URL the preview page sends the editor to, checked and parsed."""
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    link = soup.find("a", string="Open preview in the front end")["href"]
    refresh = soup.find("meta", attrs={"http-equiv": "refresh"})["content"]
    assert refresh == f"0; url={link}"
    assert link.startswith(FRONT_END + "?")
    return link, {name: values[0] for name, values in parse_qs(urlsplit(link).query).items()}


@pytest.fixture
def story_data(story_form):
    """One editing session's form data (rich text gets new block keys on every conversion)."""
    return story_form()


@pytest.fixture
def previewed(headless, editor_client, story, story_data):
    """The query of the front-end URL after an editor previews unsaved changes to the story."""
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[story.pk])
    return front_end_link(preview(editor_client, url, story_data))[1]


def v2_preview(params, pk=None):
    url = f"/api/v2/page_preview/{pk}/" if pk else "/api/v2/page_preview/"
    return Client().get(url, params)


def v3_preview(params, pk=None):
    url = f"/api/v3/pages/{pk}/preview/" if pk else "/api/v3/page_preview/"
    return Client().get(url, params)


def publish_through_admin(client, page, data):
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), {**data, "action-publish": "publish"}
    )
    assert response.status_code == 302, response.content[:2000]


# Preview in the admin


def test_preview_sends_the_editor_to_the_front_end_with_a_token(previewed, story):
    assert previewed["content_type"] == "news.articlepage"
    assert signing.loads(previewed["token"], salt="news.preview")["page"] == story.pk


def test_preview_url_keeps_the_front_ends_own_query(headless, editor_client, story, story_form):
    headless.HEADLESS_PREVIEW_URL = FRONT_END + "?site=ledger&token=stale"
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[story.pk])
    link, query = front_end_link(preview(editor_client, url, story_form()))
    assert query["site"] == "ledger"
    assert parse_qs(urlsplit(link).query)["token"] == [query["token"]] != ["stale"]


def test_without_headless_preview_url_the_admin_renders_the_html_preview(
    settings, editor_client, story, story_form
):
    settings.HEADLESS_PREVIEW_URL = ""
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[story.pk])
    response = preview(editor_client, url, story_form())
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("h1", class_="article__headline").get_text() == "Harbour reopens at last"
    assert FRONT_END not in response.content.decode()


# Reading the preview


def test_v2_preview_is_the_unsaved_form_state(previewed, story):
    response = v2_preview(previewed)
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == story.pk
    assert data["title"] == "Harbour reopens at last"
    assert data["intro"] == "Ships sail again after a week."
    assert data["byline"] == "Jane Doe and AFP"
    assert data["tags"] == ["shipping", "storms"]
    assert [a["title"] for a in data["related_articles"]] == ["Port strike ends"]
    assert "first ships sailed" in data["body"][0]["value"]
    # Nothing was saved: the live page and the latest revision keep the old headline.
    assert Client().get(f"/api/v2/pages/{story.pk}/").json()["title"] == "Harbour reopens"
    story.refresh_from_db()
    assert story.get_latest_revision_as_object().title == "Harbour reopens"


def test_v3_preview_is_the_unsaved_form_state(previewed, story):
    for response in (v3_preview(previewed), v3_preview({"token": previewed["token"]}, story.pk)):
        assert response.status_code == 200
        data = response.json()
        assert data["id"] == story.pk
        assert data["title"] == "Harbour reopens at last"
        assert data["byline"] == "Jane Doe and AFP"


def test_v2_preview_by_page_id(previewed, story):
    response = v2_preview({"token": previewed["token"]}, story.pk)
    assert response.status_code == 200
    assert response.json()["title"] == "Harbour reopens at last"


def test_preview_responses_are_never_cached(previewed, story):
    for response in (v2_preview(previewed), v3_preview(previewed)):
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_a_later_preview_gets_its_own_token(previewed, editor_client, story, story_form):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[story.pk])
    _, later = front_end_link(preview(editor_client, url, story_form("Harbour shut again")))
    assert v2_preview(later).json()["title"] == "Harbour shut again"
    assert v2_preview(previewed).json()["title"] == "Harbour reopens at last"


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_preview_equals_the_live_detail_once_published(
    version, settings, previewed, editor_client, story, story_data
):
    fetch, detail_url = {
        "v2": (v2_preview, f"/api/v2/pages/{story.pk}/"),
        "v3": (v3_preview, f"/api/v3/pages/{story.pk}/"),
    }[version]
    previewed_data = fetch(previewed).json()

    settings.NEWS_ALLOW_SELF_APPROVAL = True
    publish_through_admin(editor_client, story, story_data)
    live = Client().get(detail_url).json()

    assert live["title"] == "Harbour reopens at last"
    assert previewed_data.keys() == live.keys()
    for field in live.keys() - VOLATILE:
        assert previewed_data[field] == live[field], field


def test_preview_neither_reads_nor_keeps_live_related_cards(
    headless, settings, editor_client, section, story, story_form
):
    settings.NEWS_CACHE_TIMEOUT = 0
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 300
    ferry = make_article(section, "Ferry returns")
    live_url = f"/api/v2/pages/{story.pk}/"
    assert Client().get(live_url).json()["related_articles"][0]["title"] == "Port strike ends"

    url = reverse("wagtailadmin_pages:preview_on_edit", args=[story.pk])
    repicked = story_form(**{"related_links-0-article": str(ferry.pk)})
    query = front_end_link(preview(editor_client, url, repicked))[1]
    for response in (v2_preview(query), v3_preview(query)):
        assert response.json()["related_articles"][0]["title"] == "Ferry returns"
    # The editor's unsaved pick reached no live reader.
    assert Client().get(live_url).json()["related_articles"][0]["title"] == "Port strike ends"


def test_preview_accepts_the_live_details_fields_parameter(previewed):
    response = v2_preview({**previewed, "fields": "_,title,byline"})
    assert response.status_code == 200
    assert response.json() == {"title": "Harbour reopens at last", "byline": "Jane Doe and AFP"}


# Pages being created


@pytest.fixture
def previewed_new(headless, editor_client, section, article_form):
    url = reverse("wagtailadmin_pages:preview_on_add", args=["news", "articlepage", section.pk])
    response = preview(
        editor_client, url, article_form("Storm warning", tags="storms", intro="Gales due.")
    )
    return front_end_link(response)[1]


def test_a_page_being_created_can_be_previewed(previewed_new, section, story):
    assert signing.loads(previewed_new["token"], salt="news.preview")["page"] is None
    data = v2_preview(previewed_new).json()
    assert data["id"] is None
    assert data["meta"]["detail_url"] is None
    assert data["title"] == "Storm warning"
    assert data["section"]["id"] == section.pk
    assert data["tags"] == ["storms"]
    # An unsaved story still gets related articles from its section and tags.
    assert {a["title"] for a in data["related_articles"]} == {"Harbour reopens", "Port strike ends"}
    assert not ArticlePage.objects.filter(title="Storm warning").exists()

    v3 = v3_preview(previewed_new)
    assert v3.status_code == 200
    assert (v3.json()["id"], v3.json()["title"]) == (0, "Storm warning")


def test_a_new_pages_token_reads_no_existing_page(previewed_new, story):
    assert v2_preview({"token": previewed_new["token"]}, story.pk).status_code == 404
    assert v3_preview({"token": previewed_new["token"]}, story.pk).status_code == 404


def test_section_and_home_pages_preview_too(headless, editor_client, section, home_page):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[section.pk])
    data = {"title": "World news", "slug": section.slug, "intro": "Everywhere.", "comments": ""}
    data |= {f"comments-{k}": v for k, v in inline_formset([]).items()}
    data |= {f"front_stories-{k}": v for k, v in inline_formset([]).items()}
    _, query = front_end_link(preview(editor_client, url, data))
    assert query["content_type"] == "news.sectionpage"
    response = v2_preview(query).json()
    assert (response["title"], response["intro"]) == ("World news", "Everywhere.")


def test_a_front_previews_its_unsaved_arrangement(headless, editor_client, section, home_page):
    older = make_article(section, "Older story", published_at=at(2025, 1, 1))
    lead = make_article(section, "Chosen lead", published_at=at(2025, 1, 2))
    make_article(section, "Newest story", published_at=at(2025, 1, 3))
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[home_page.pk])
    data = {"title": home_page.title, "slug": home_page.slug, "lead_article": str(lead.pk)}
    data |= {f"comments-{k}": v for k, v in inline_formset([]).items()}
    rows = [{"article": str(older.pk), "ORDER": "1"}]
    data |= nested_form_data({"front_stories": inline_formset(rows)})
    _, query = front_end_link(preview(editor_client, url, data))
    titles = [card["title"] for card in v2_preview(query).json()["front"]]
    assert titles == ["Chosen lead", "Older story", "Newest story"]
    # Nothing was saved: readers still get the newest story first.
    assert [
        c["title"] for c in editor_client.get(f"/api/v2/pages/{home_page.pk}/").json()["front"]
    ][0] == "Newest story"


# Refusals: no content in any of them


def assert_refused(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith(("application/json", "application/problem+json"))
    assert "Harbour" not in response.content.decode()


def tampered(token):
    return token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")


@pytest.mark.parametrize("fetch", [v2_preview, v3_preview])
def test_missing_or_tampered_token_is_401(previewed, fetch):
    assert_refused(fetch({"content_type": "news.articlepage"}), 401)
    assert_refused(fetch({**previewed, "token": tampered(previewed["token"])}), 401)
    forged = signing.dumps(signing.loads(previewed["token"], salt="news.preview"), salt="other")
    assert_refused(fetch({**previewed, "token": forged}), 401)


@pytest.mark.parametrize("fetch", [v2_preview, v3_preview])
def test_token_is_valid_until_the_ttl_then_401(previewed, fetch):
    made = time.time()
    with mock.patch.object(signing, "time", SimpleNamespace(time=lambda: made + 590)):
        assert fetch(previewed).status_code == 200
    with mock.patch.object(signing, "time", SimpleNamespace(time=lambda: made + 601)):
        assert_refused(fetch(previewed), 401)


def test_ttl_comes_from_the_setting(previewed, headless):
    headless.HEADLESS_PREVIEW_TTL = 30
    made = time.time()
    with mock.patch.object(signing, "time", SimpleNamespace(time=lambda: made + 31)):
        assert_refused(v2_preview(previewed), 401)


def test_token_of_one_page_reads_no_other(previewed, section):
    other = make_article(section, "Other story")
    assert_refused(v2_preview({"token": previewed["token"]}, other.pk), 404)
    assert_refused(v3_preview({"token": previewed["token"]}, other.pk), 404)
    assert_refused(v2_preview({**previewed, "content_type": "news.sectionpage"}), 404)
    assert_refused(v3_preview({**previewed, "content_type": "news.sectionpage"}), 404)


@pytest.mark.parametrize("fetch", [v2_preview, v3_preview])
def test_preview_gone_from_the_cache_is_404(previewed, fetch):
    cache.clear()
    assert_refused(fetch(previewed), 404)


def test_preview_of_a_deleted_page_is_404(previewed, story):
    story.delete()
    assert_refused(v2_preview(previewed), 404)


def test_bad_query_parameters_are_400_or_422(previewed):
    assert_refused(v2_preview({**previewed, "title": "x"}), 400)
    assert_refused(v2_preview({**previewed, "fields": "nonsense"}), 400)
    assert_refused(v3_preview({**previewed, "content_type": "news.nothing"}), 422)
    assert_refused(v3_preview({"token": previewed["token"]}), 422)


def test_v3_preview_routes_are_in_the_openapi_schema(client):
    paths = client.get("/api/v3/openapi.json").json()["paths"]
    assert "/api/v3/page_preview/" in paths
    assert "/api/v3/pages/{page_id}/preview/" in paths


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_rich_text_format_is_honoured_like_the_live_detail(version, previewed):
    fetch = {"v2": v2_preview, "v3": v3_preview}[version]
    html = fetch(previewed).json()["body"][0]["value"]
    markdown = fetch({**previewed, "rich_text_format": "markdown"}).json()["body"][0]["value"]
    assert html.startswith("<p")
    assert markdown.strip() == "The first ships sailed at dawn."


def test_preview_costs_a_bounded_number_of_queries(previewed, django_assert_max_num_queries):
    v2_preview(previewed)  # makes the renditions
    # Rebuilding the page checks each stored foreign key (modelcluster's
    # from_serializable_data, as for revisions), then the live detail's own queries.
    with django_assert_max_num_queries(35):
        v2_preview(previewed)


def test_preview_neither_reads_nor_keeps_live_representations(
    headless, settings, editor_client, story, story_form
):
    settings.NEWS_CACHE_TIMEOUT = 0
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 300
    live_url = f"/api/v2/pages/{story.pk}/"
    listing = ("/api/v2/pages/", {"type": "news.ArticlePage"})
    for _ in range(2):  # the second read comes from the kept representation
        assert Client().get(live_url).json()["title"] == "Harbour reopens"

    url = reverse("wagtailadmin_pages:preview_on_edit", args=[story.pk])
    query = front_end_link(preview(editor_client, url, story_form()))[1]
    for response in (v2_preview(query), v3_preview(query), v2_preview(query, pk=story.pk)):
        assert response.json()["title"] == "Harbour reopens at last"
        assert response.json()["tags"] == ["shipping", "storms"]
    # The editor's unsaved headline reached no live reader.
    assert Client().get(live_url).json()["title"] == "Harbour reopens"
    titles = [item["title"] for item in Client().get(*listing).json()["items"]]
    assert "Harbour reopens at last" not in titles
