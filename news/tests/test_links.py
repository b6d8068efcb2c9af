"""Links never die: renamed or moved stories redirect (301), unpublished ones answer 410 Gone."""

import pytest
from wagtail.contrib.redirects.models import Redirect

from news.models import ArticlePage
from news.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def test_renaming_a_story_redirects_its_old_url(
    client, section, django_capture_on_commit_callbacks
):
    article = make_article(section, "Harbour reopens")
    revision = ArticlePage.objects.get(pk=article.pk)
    revision.slug = "harbour-reopens-after-storm"
    # Wagtail announces a slug change once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        revision.save_revision().publish()
    response = client.get("/world/harbour-reopens/")
    assert response.status_code == 301
    assert response["Location"] == "/world/harbour-reopens-after-storm/"
    assert client.get(response["Location"]).status_code == 200


def test_moving_a_story_redirects_its_old_url(client, home_page, section):
    business = make_section(home_page, "Business")
    article = make_article(section, "Oil price falls")
    article.move(business, pos="last-child")
    response = client.get("/world/oil-price-falls/")
    assert response.status_code == 301
    assert response["Location"] == "/business/oil-price-falls/"


def test_an_unpublished_story_answers_410_without_its_headline(client, section):
    article = make_article(section, "Minister resigns in scandal")
    article.unpublish()
    response = client.get("/world/minister-resigns-in-scandal/")
    assert response.status_code == 410
    assert b"no longer available" in response.content
    assert b"Minister" not in response.content
    assert client.head("/world/minister-resigns-in-scandal/").status_code == 410


def test_a_draft_never_published_answers_404(client, section):
    make_article(section, "Secret merger", publish=False)
    assert client.get("/world/secret-merger/").status_code == 404


def test_an_unknown_address_still_answers_404(client, section):
    assert client.get("/world/no-such-story/").status_code == 404
    assert client.get("/world/no-such-story").status_code in (301, 404)  # APPEND_SLASH


def test_an_editors_redirect_wins_over_410(client, section):
    article = make_article(section, "Withdrawn story")
    target = make_article(section, "Corrected story")
    article.unpublish()
    Redirect.objects.create(old_path="/world/withdrawn-story", redirect_page=target)
    response = client.get("/world/withdrawn-story/")
    assert response.status_code == 301
    assert response["Location"] == "/world/corrected-story/"


def test_republishing_brings_the_story_back(client, section):
    article = make_article(section, "Back again")
    article.unpublish()
    ArticlePage.objects.get(pk=article.pk).save_revision().publish()
    assert client.get("/world/back-again/").status_code == 200


@pytest.mark.parametrize("path", ["/world/%00/", "/%00", "/world/" + "x" * 3000 + "/"])
def test_odd_addresses_are_404_not_500(client, section, path):
    assert client.get(path).status_code == 404


# No redirect points at an address that is not live: an unreviewed slug would leak in Location.


def rename_in_the_editor(client, article, new_title, user, article_form, capture):
    """A writer's unreviewed edit that changes the story's address (the edit view's save)."""
    from django.urls import reverse

    client.force_login(user)
    with capture(execute=True):  # Wagtail announces a slug change once the edit commits
        client.post(
            reverse("wagtailadmin_pages:edit", args=[article.pk]),
            article_form(new_title, "<p>The river rose.</p>"),
        )
    client.logout()


def test_a_draft_renamed_in_an_unreviewed_edit_leaks_no_new_address(
    client, writer, story_by, article_form, django_capture_on_commit_callbacks
):
    draft = story_by(writer, title="Minister stays on")
    rename_in_the_editor(
        client,
        draft,
        "Minister quits tonight",
        writer,
        article_form,
        django_capture_on_commit_callbacks,
    )
    assert ArticlePage.objects.get(pk=draft.pk).slug == "minister-quits-tonight"

    response = client.get("/world/minister-stays-on/")

    assert response.status_code == 404
    assert not response.has_header("Location")
    assert b"quits" not in response.content


def test_an_unpublished_story_renamed_redirects_only_once_it_is_live_again(
    client, writer, story_by, article_form, django_capture_on_commit_callbacks
):
    article = story_by(writer, title="Dam holds")
    article.save_revision().publish()
    ArticlePage.objects.get(pk=article.pk).unpublish()
    rename_in_the_editor(
        client,
        article,
        "Dam breaks at dawn",
        writer,
        article_form,
        django_capture_on_commit_callbacks,
    )

    before = client.get("/world/dam-holds/")
    assert before.status_code in (404, 410)
    assert not before.has_header("Location")

    ArticlePage.objects.get(pk=article.pk).get_latest_revision().publish()
    after = client.get("/world/dam-holds/")
    assert after.status_code == 301
    assert after["Location"] == "/world/dam-breaks-at-dawn/"


def test_an_editors_redirect_to_a_story_not_yet_live_waits_for_it(client, section):
    target = make_article(section, "Embargoed results", publish=False)
    Redirect.objects.create(old_path="/results", redirect_page=target)

    assert client.get("/results/").status_code == 404

    target.save_revision().publish()
    assert client.get("/results/")["Location"] == "/world/embargoed-results/"
