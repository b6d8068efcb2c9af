"""The article index: what it holds, how it ranks, and that only live, public stories are found."""

import pytest
from django.db import connection
from wagtail.models import PageViewRestriction

from news.models import ArticlePage
from news.tests.factories import at, make_article, make_author, paragraph
from search.query import ranked_article_ids

pytestmark = pytest.mark.django_db


def found(query):
    """Titles of the live, public articles the reader search finds, in ranked order."""
    ids = ranked_article_ids(ArticlePage.objects.live().public(), query)
    titles = dict(ArticlePage.objects.filter(pk__in=ids).values_list("pk", "title"))
    return [titles[pk] for pk in ids]


def test_headline_match_ranks_above_a_body_only_match(section):
    make_article(
        section,
        "Council meets tonight",
        body=[paragraph("<p>The harbour was the main subject of the evening.</p>")],
        published_at=at(2024, 3, 2),
    )
    make_article(section, "Harbour reopens", published_at=at(2024, 3, 1))
    assert found("harbour") == ["Harbour reopens", "Council meets tonight"]


def test_equally_relevant_stories_come_newest_first(section):
    # The older story is created last, so only the date can put the newer one first.
    make_article(section, "Storm warning", slug="storm-new", published_at=at(2024, 5, 2))
    make_article(section, "Storm warning", slug="storm-old", published_at=at(2024, 5, 1))
    ids = ranked_article_ids(ArticlePage.objects.live(), "storm")
    dates = [ArticlePage.objects.get(pk=pk).first_published_at for pk in ids]
    assert dates == [at(2024, 5, 2), at(2024, 5, 1)]


def test_a_long_headline_match_ranks_above_a_body_repeating_the_word(section):
    make_article(
        section,
        "Harbour reopens after a long and difficult winter of storms and repairs",
        published_at=at(2024, 3, 1),
    )
    make_article(
        section,
        "Council notes",
        body=[paragraph("<p>Harbour fees, harbour dues, harbour lights, harbour walls.</p>")],
        published_at=at(2024, 3, 2),
    )
    assert found("harbour")[0].startswith("Harbour reopens")


def test_equally_relevant_body_matches_come_newest_first(section):
    text = [paragraph("<p>The ferry timetable changes on Monday.</p>")]
    make_article(section, "Notice", slug="notice-new", body=text, published_at=at(2024, 5, 2))
    make_article(section, "Notice", slug="notice-old", body=text, published_at=at(2024, 5, 1))
    ids = ranked_article_ids(ArticlePage.objects.live(), "timetable")
    slugs = [ArticlePage.objects.get(pk=pk).slug for pk in ids]
    assert slugs == ["notice-new", "notice-old"]


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("walrus", {"intro": "A walrus came ashore."}),
        ("Reykjavik", {"dateline": "REYKJAVIK, Iceland"}),
        ("lighthouse", {"body": [("heading", "The old lighthouse")]}),
        ("okapi", {"tags": ["okapi"]}),
        ("Quentin", {"authors": "Quentin Blake"}),
    ],
)
def test_standfirst_body_dateline_tags_and_authors_are_searchable(section, query, fields):
    if "authors" in fields:
        fields["authors"] = [make_author(fields["authors"])]
    make_article(section, "Plain headline", **fields)
    make_article(section, "Unrelated story")
    assert found(query) == ["Plain headline"]


def test_bylines_and_tags_added_in_a_later_revision_are_found_once_published(section):
    article = make_article(section, "Quay repairs")
    revision = ArticlePage.objects.get(pk=article.pk)
    revision.tags.add("breakwater")
    revision.article_authors.add(revision.article_authors.model(author=make_author("Ida Lund")))
    revision.save_revision().publish()
    assert found("breakwater") == ["Quay repairs"]
    assert found("Lund") == ["Quay repairs"]


def test_renaming_an_author_makes_their_articles_findable_by_the_new_name(section):
    author = make_author("Mira Solberg")
    make_article(section, "Ferry timetable changes", authors=[author])

    author.name = "Mira Haugen"
    author.save()

    assert found("Haugen") == ["Ferry timetable changes"]
    assert found("Solberg") == []


def test_all_words_must_match(section):
    make_article(section, "Port strike ends")
    make_article(section, "Port reopens")
    assert found("port strike") == ["Port strike ends"]


def test_headline_has_an_autocomplete_field():
    names = [field.field_name for field in ArticlePage.get_autocomplete_search_fields()]
    assert "title" in names


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming is PostgreSQL's")
def test_postgresql_search_stems_words(section):
    make_article(section, "Dockers strike for a second day")
    assert found("strikes") == ["Dockers strike for a second day"]
    assert found("striking") == ["Dockers strike for a second day"]


def test_drafts_are_never_found(section):
    make_article(section, "Secret merger talks", publish=False)
    assert found("merger") == []


def test_unpublishing_removes_a_story_at_once(section):
    article = make_article(section, "Minister resigns")
    assert found("minister") == ["Minister resigns"]
    article.unpublish()
    assert found("minister") == []


def test_private_stories_are_never_found(section):
    article = make_article(section, "Embargoed figures")
    PageViewRestriction.objects.create(page=article, restriction_type="login")
    assert found("embargoed") == []


def test_a_live_storys_unapproved_draft_text_is_not_searchable(section):
    article = make_article(section, "Bridge closes", intro="Traffic diverted.")
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.title = "Bridge collapses"
    draft.intro = "Unconfirmed rumour of a collapse."
    draft.tags.add("rumour")
    draft.save_revision()
    assert found("collapse") == []
    assert found("rumour") == []
    assert found("bridge") == ["Bridge closes"]
