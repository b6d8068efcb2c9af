"""Nothing an anonymous caller must not see leaks through API v2 or v3."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from news.tests.factories import at, make_article, make_image

pytestmark = pytest.mark.django_db

SECRET = "Zanzibar-secret-headline"


def everything(client, path, **params):
    response = client.get(path, params)
    return response.status_code, response.content.decode()


def assert_hidden(client, page):
    """Neither API lists, finds, shows or searches the page."""
    checks = [
        ("/api/v2/pages/", {}),
        ("/api/v2/pages/", {"type": "news.ArticlePage"}),
        ("/api/v2/pages/", {"type": "news.ArticlePage", "fields": "*"}),
        ("/api/v2/pages/", {"type": "news.ArticlePage", "search": SECRET}),
        ("/api/v2/pages/", {"type": "news.ArticlePage", "title": page.title}),
        ("/api/v2/pages/", {"type": "news.ArticlePage", "tags": "secret"}),
        ("/api/v2/pages/", {"child_of": page.get_parent().pk}),
        ("/api/v3/pages/", {}),
        ("/api/v3/pages/", {"search": SECRET}),
        ("/api/v3/pages/", {"type": "news.ArticlePage"}),
    ]
    for path, params in checks:
        status, body = everything(client, path, **params)
        assert SECRET not in body, (path, params)
        assert status in (200, 400), (path, params, status)
    for path in (f"/api/v2/pages/{page.pk}/", f"/api/v3/pages/{page.pk}/"):
        status, body = everything(client, path)
        assert status == 404, path
        assert SECRET not in body
    status, body = everything(client, "/api/v2/pages/find/", html_path=f"/world/{page.slug}/")
    assert status == 404 and SECRET not in body
    status, body = everything(client, "/api/v3/pages/find/", html_path=f"/world/{page.slug}/")
    assert status == 404 and SECRET not in body


def test_draft_never_published(client, section):
    assert_hidden(client, make_article(section, SECRET, tags=["secret"], publish=False))


def test_unpublished_article(client, section):
    article = make_article(section, SECRET, tags=["secret"])
    article.unpublish()
    assert_hidden(client, article)


def test_scheduled_article(client, section):
    article = make_article(section, SECRET, tags=["secret"], publish=False)
    article.go_live_at = at(2099, 1, 1)
    article.save_revision().publish()
    article.refresh_from_db()
    assert not article.live
    assert_hidden(client, article)


@pytest.mark.parametrize(
    "restriction",
    [{"restriction_type": "login"}, {"restriction_type": "password", "password": "x"}],
)
def test_view_restricted_article(client, section, restriction):
    article = make_article(section, SECRET, tags=["secret"])
    PageViewRestriction.objects.create(page=article, **restriction)
    assert_hidden(client, article)


def test_children_of_a_restricted_section(client, home_page):
    from news.tests.factories import make_section

    private = make_section(home_page, "Private desk")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    article = make_article(private, SECRET, tags=["secret"])
    status, body = everything(client, "/api/v2/pages/", type="news.ArticlePage")
    assert SECRET not in body
    assert everything(client, f"/api/v2/pages/{article.pk}/")[0] == 404


def test_live_articles_draft_changes_do_not_leak(client, section):
    article = make_article(section, "Published headline", intro="Published standfirst.")
    article.title = SECRET
    article.intro = "Draft standfirst."
    article.save_revision()
    for path in (f"/api/v2/pages/{article.pk}/", f"/api/v3/pages/{article.pk}/"):
        body = client.get(path).content.decode()
        assert "Published headline" in body
        assert SECRET not in body and "Draft standfirst." not in body
    body = client.get("/api/v2/pages/", {"type": "news.ArticlePage", "search": SECRET}).content
    assert SECRET.encode() not in body
    # v3's draft version is for authenticated editors only.
    body = client.get(f"/api/v3/pages/{article.pk}/", {"version": "draft"}).content.decode()
    assert SECRET not in body


def test_hand_picked_draft_is_not_a_related_article(client, section):
    draft = make_article(section, SECRET, publish=False)
    article = make_article(section, "Visible", related=[draft])
    body = client.get(f"/api/v2/pages/{article.pk}/").content.decode()
    assert SECRET not in body


def test_home_lead_article_is_never_a_draft(client, home_page, section):
    draft = make_article(section, SECRET, publish=False)
    home_page.lead_article = draft
    home_page.save_revision().publish()
    body = client.get(f"/api/v2/pages/{home_page.pk}/").content.decode()
    assert SECRET not in body


def test_no_user_data_in_page_responses(client, section):
    owner = get_user_model().objects.create_user("owner", "owner@newsroom.test", "pw")
    article = make_article(section, "Owned", owner=owner)
    for path in (
        f"/api/v2/pages/{article.pk}/",
        f"/api/v3/pages/{article.pk}/",
        "/api/v2/pages/?type=news.ArticlePage&fields=*",
    ):
        body = client.get(path).content.decode()
        assert "owner@newsroom.test" not in body
        assert '"owner"' not in body


def test_revisions_are_not_served_anonymously(client, section):
    article = make_article(section, "Revised")
    response = client.get(f"/api/v3/pages/{article.pk}/revisions/")
    assert response.status_code in (401, 403, 404)


def test_images_in_private_collections_are_not_listed(client):
    private = Collection.get_first_root_node().add_child(name="Embargoed pictures")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    make_image("Public harbour")
    secret = make_image(SECRET, collection=private)
    body = client.get("/api/v2/images/").content.decode()
    assert "Public harbour" in body
    assert SECRET not in body
    assert client.get(f"/api/v2/images/{secret.pk}/").status_code == 404


def test_documents_in_private_collections_are_not_listed(client):
    from wagtail.documents import get_document_model

    private = Collection.get_first_root_node().add_child(name="Legal")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    get_document_model().objects.create(
        title=SECRET, file=ContentFile(b"x", name="secret.txt"), collection=private
    )
    body = client.get("/api/v2/documents/").content.decode()
    assert SECRET not in body
