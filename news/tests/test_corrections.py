"""Corrections, clarifications and updates: reviewed, dated, shown everywhere, never taken back."""

import json
import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import inline_formset

from news.editorial.second_read import needs_second_read
from news.models import ArticlePage, CorrectionNote
from news.tests.factories import add_note, at, make_article
from wire.tests.test_export import EXPORT_SCHEMAS, official_validator

pytestmark = pytest.mark.django_db

NOTE = "An earlier version of this story misstated the mayor's name."


def fresh(article):
    return ArticlePage.objects.get(pk=article.pk)


@pytest.fixture
def story(section):
    return make_article(section, "Mayor opens the new bridge", published_at=at(2026, 5, 1))


@pytest.fixture
def corrected(story):
    add_note(story, NOTE)
    return fresh(story)


def test_a_published_note_is_dated_by_its_publish(corrected):
    [note] = corrected.corrections.all()
    assert note.published_at == corrected.last_published_at
    assert note.kind == "correction"


def test_the_article_page_shows_the_note_below_the_body_and_flags_it_at_the_top(client, corrected):
    html = client.get(corrected.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    flag = soup.select_one(".article__header .article__corrections-flag")
    assert flag is not None and "This story has been corrected" in flag.text
    notes = soup.select_one(".article__body ~ .article__corrections")
    assert NOTE in notes.text
    stamp = notes.select_one("time")["datetime"]
    assert stamp == corrected.corrections.get().published_at.isoformat()
    # "Last updated" follows the note.
    assert f'Last updated at <time datetime="{corrected.last_published_at.isoformat()}"' in html


def test_a_note_in_a_draft_shows_nowhere_until_it_is_published(client, story):
    add_note(story, NOTE, publish=False)
    assert NOTE not in client.get(story.url).content.decode()
    assert client.get(f"/api/v2/pages/{story.pk}/").json()["corrections"] == []
    assert NOTE not in client.get("/corrections/").content.decode()


@pytest.mark.parametrize("path", ["/api/v2/pages/{pk}/", "/api/v3/pages/{pk}/"])
def test_the_api_detail_carries_the_published_notes(client, corrected, path):
    data = client.get(path.format(pk=corrected.pk)).json()
    note = corrected.corrections.get()
    assert data["corrections"] == [
        {"kind": "correction", "text": NOTE, "published_at": note.published_at.isoformat()}
    ]


def test_the_api_list_carries_the_notes_in_a_fixed_number_of_queries(
    client, section, corrected, django_assert_max_num_queries
):
    url = "/api/v2/pages/?type=news.ArticlePage&limit=1"
    with django_assert_max_num_queries(30) as one:
        client.get(url)
    for number in range(4):
        add_note(make_article(section, f"Story {number}"), f"Note {number}.")
    with django_assert_max_num_queries(len(one.captured_queries)):
        data = client.get("/api/v2/pages/?type=news.ArticlePage&limit=5").json()
    texts = {item["corrections"][0]["text"] for item in data["items"]}
    assert texts == {NOTE, *(f"Note {n}." for n in range(4))}


def test_the_openapi_document_types_the_notes(client):
    document = client.get("/api/v3/openapi.json").json()
    schemas = document["components"]["schemas"]
    corrections = schemas["ArticlePageSchema"]["properties"]["corrections"]
    [array] = [kind for kind in corrections["anyOf"] if kind.get("type") == "array"]
    note = schemas[array["items"]["$ref"].rsplit("/", 1)[-1]]
    assert set(note["properties"]) == {"kind", "text", "published_at"}
    assert note["properties"]["kind"]["enum"] == ["correction", "clarification", "update"]


def test_json_ld_carries_a_correction_comment_and_date_modified_follows(client, corrected):
    html = client.get(corrected.url).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    article = next(d for d in map(json.loads, scripts) if d["@type"] == "NewsArticle")
    note = corrected.corrections.get()
    assert article["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": NOTE,
            "datePublished": note.published_at.isoformat(),
        }
    ]
    assert article["dateModified"] == note.published_at.isoformat()


@pytest.mark.parametrize("version", ["1", "2", "3"])
def test_the_ninjs_export_carries_the_notes_and_stays_valid(client, corrected, version):
    item = client.get(f"/api/v3/pages/{corrected.pk}/ninjs/?version={version}").json()
    errors = [e.message for e in official_validator(EXPORT_SCHEMAS[version]).iter_errors(item)]
    assert errors == []
    body = item["body_html"] if version == "1" else item["bodies"][0]["value"]
    assert "Corrections and updates" in body
    assert "misstated the mayor&#x27;s name" in body


def test_the_corrections_page_lists_published_notes_of_public_stories_newest_first(
    client, section, corrected
):
    later = make_article(section, "Rates hold")
    add_note(later, "Rates were held, not cut.", kind="clarification")
    hidden = make_article(section, "Secret story")
    add_note(hidden, "A note nobody may read.")
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    gone = make_article(section, "Withdrawn story")
    add_note(gone, "A note on a withdrawn story.")
    fresh(gone).unpublish()

    response = client.get("/corrections/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Rates were held") < html.index("misstated the mayor")
    assert f'href="{corrected.url}#corrections"' in html
    assert "nobody may read" not in html and "withdrawn story" not in html
    assert 'href="http://testserver/feeds/corrections/rss/"' in html


@pytest.mark.parametrize("page", ["2", "x", "-1", "99999999999999999999"])
def test_a_bad_corrections_page_number_is_still_a_page(client, corrected, page):
    assert client.get("/corrections/", {"page": page}).status_code == 200


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_corrections_feeds_carry_the_notes(client, section, corrected, kind):
    hidden = make_article(section, "Secret story")
    add_note(hidden, "A note nobody may read.")
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    response = client.get(f"/feeds/corrections/{kind}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Correction: Mayor opens the new bridge" in text
    assert "misstated the mayor" in text
    assert f"http://testserver{corrected.url}#corrections" in text
    assert "nobody may read" not in text


def test_a_new_note_is_words_for_the_second_read(editor, second_editor, story):
    add_note(story, NOTE, by=editor, publish=False)
    assert needs_second_read(editor, fresh(story))
    assert not needs_second_read(second_editor, fresh(story))


def test_republishing_unchanged_keeps_the_notes_date_and_makes_nobody_an_author(editor, corrected):
    dated = corrected.corrections.get().published_at
    corrected.get_latest_revision_as_object().save_revision(user=editor)
    assert not needs_second_read(editor, fresh(corrected))
    fresh(corrected).get_latest_revision().publish()
    assert fresh(corrected).corrections.get().published_at == dated


def test_an_older_revision_cannot_take_a_published_note_back(client, corrected):
    before = corrected.revisions.order_by("pk").first()
    before.publish()  # a revert to the version without the note
    assert fresh(corrected).corrections.get().text == NOTE
    assert NOTE in client.get(corrected.url).content.decode()
    # …and the next version the editor opens carries it too.
    draft = fresh(corrected).get_latest_revision_as_object()
    assert [note.text for note in draft.corrections.all()] == [NOTE]


def edit_with_notes(client, article, article_form, notes):
    """POST the edit form (Save draft) with these note rows."""
    data = article_form(
        article.title,
        slug=article.slug,
        corrections=inline_formset(notes, initial=sum("id" in note for note in notes)),
    )
    return client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)


def test_the_edit_form_refuses_to_remove_a_published_note(
    client, admin_user, corrected, article_form
):
    client.force_login(admin_user)
    note = corrected.corrections.get()
    response = edit_with_notes(
        client,
        corrected,
        article_form,
        [{"id": str(note.pk), "kind": note.kind, "text": note.text, "DELETE": "1"}],
    )
    assert response.status_code == 200  # the form again, with the error
    assert "A published correction or update cannot be removed" in response.content.decode()
    assert CorrectionNote.objects.filter(pk=note.pk, text=NOTE).exists()
    assert fresh(corrected).get_latest_revision().content["corrections"][0]["text"] == NOTE


def test_the_edit_form_refuses_to_rewrite_a_published_note(
    client, admin_user, corrected, article_form
):
    client.force_login(admin_user)
    note = corrected.corrections.get()
    response = edit_with_notes(
        client,
        corrected,
        article_form,
        [{"id": str(note.pk), "kind": note.kind, "text": "Nothing was wrong."}],
    )
    assert response.status_code == 200
    assert "This note has been published, so it can no longer be changed" in (
        response.content.decode()
    )
    assert not fresh(corrected).has_unpublished_changes


def test_the_edit_form_takes_a_new_note_beside_the_published_one(
    client, admin_user, corrected, article_form
):
    client.force_login(admin_user)
    note = corrected.corrections.get()
    response = edit_with_notes(
        client,
        corrected,
        article_form,
        [
            {"id": str(note.pk), "kind": note.kind, "text": note.text},
            {"kind": "update", "text": "The bridge reopened on Friday."},
        ],
    )
    assert response.status_code == 302
    draft = fresh(corrected).get_latest_revision()
    assert [row["text"] for row in draft.content["corrections"]] == [
        NOTE,
        "The bridge reopened on Friday.",
    ]


def test_a_note_published_later_is_dated_then(corrected):
    first = corrected.corrections.get().published_at
    add_note(corrected, "The bridge reopened on Friday.", kind="update")
    dates = dict(fresh(corrected).corrections.values_list("text", "published_at"))
    assert dates[NOTE] == first
    assert dates["The bridge reopened on Friday."] > first - timedelta(0)
    assert dates["The bridge reopened on Friday."] == fresh(corrected).last_published_at


def test_the_editors_preview_shows_a_note_about_to_be_published_undated(
    client, admin_user, story, article_form
):
    client.force_login(admin_user)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[story.pk])
    data = article_form(
        story.title,
        slug=story.slug,
        corrections=inline_formset([{"kind": "update", "text": "Ferries run again."}]),
    )
    assert client.post(url, data).json()["is_valid"] is True
    html = client.get(url).content.decode()
    assert "Ferries run again." in html and "(not yet published)" in html
    client.logout()
    assert "Ferries run again." not in client.get(story.url).content.decode()
