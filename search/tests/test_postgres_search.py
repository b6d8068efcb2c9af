"""PostgreSQL search: the planner reads the GIN index, and only the newest matches are ranked."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model

from news.models import ArticlePage
from news.tests.factories import at, make_article, make_image, paragraph
from search.query import ranked_article_ids

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def plan_of(sql):
    with connection.cursor() as cursor:
        # With a handful of pages, looking each one's entry up is cheaper than any index on
        # the entries, and the planner rightly does so; at 10,000 articles it picks the GIN
        # index for a rare word on its own (benchmarks/README.md). Without those lookups
        # (nested loops) the entries matching must come from an index of theirs.
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def fill_the_index(entries=3000):
    """Index entries of articles that match common words only, and fresh statistics: with a
    handful of rows the planner reads whole tables, as it should."""
    content_type = ContentType.objects.get_for_model(ArticlePage)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO wagtailsearch_indexentry (content_type_id, object_id, title_norm, "
            "autocomplete, title, body, title_text, body_text) "
            "SELECT %s, 'filler-' || n, 1.0, ''::tsvector, "
            "to_tsvector('english', 'Harbour council ' || n), "
            "to_tsvector('english', 'The ferry and the market ' || n), '', '' "
            "FROM generate_series(1, %s) AS n",
            [content_type.pk, entries],
        )
        # What (auto)vacuum does: new entries wait in the GIN index's pending list until then.
        cursor.execute("SELECT gin_clean_pending_list('search_indexentry_title_body_gin')")
        cursor.execute("ANALYZE wagtailsearch_indexentry")


def test_the_title_body_gin_index_exists_and_is_valid():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indisvalid, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = %s",
            ["search_indexentry_title_body_gin"],
        )
        [(valid, definition)] = cursor.fetchall()
    assert valid
    assert "USING gin (((title || body)))" in definition


def test_the_search_query_reads_the_title_body_gin_index(section):
    for n in range(6):
        make_article(section, f"Story {n}", published_at=at(2024, 1, n + 1))
    make_article(section, "Walrus ashore", published_at=at(2024, 2, 1))
    fill_the_index()
    with CaptureQueriesContext(connection) as queries:
        found = ranked_article_ids(ArticlePage.objects.live().public(), "walrus")
    assert len(found) == 1
    # The newest matches, then those ranked.
    matching, ranking = [q["sql"] for q in queries.captured_queries if "@@" in q["sql"]]
    plan = plan_of(matching)
    assert "search_indexentry_title_body_gin" in plan, plan
    # Wagtail's query selected the concatenated vectors of every result; ours selects ids.
    assert "_vector_" not in matching.split(" FROM ")[0]
    assert "_vector_" not in ranking.split(" FROM ")[0]


def test_only_the_newest_matches_are_ranked(section, settings):
    backends = settings.WAGTAILSEARCH_BACKENDS
    settings.WAGTAILSEARCH_BACKENDS = {"default": {**backends["default"], "RANK_WINDOW": 3}}
    make_article(section, "Ferry timetable", published_at=at(2024, 1, 1))
    for day in range(2, 6):
        make_article(
            section,
            f"Notice {day}",
            body=[paragraph("<p>The ferry leaves at noon.</p>")],
            published_at=at(2024, 1, day),
        )
    found = ranked_article_ids(ArticlePage.objects.live(), "ferry")
    titles = [ArticlePage.objects.get(pk=pk).title for pk in found]
    # The oldest match, a headline one, is outside the window of the 3 newest.
    assert titles == ["Notice 5", "Notice 4", "Notice 3"]
    # A rarer word is ranked over all of its matches, old ones too.
    assert len(ranked_article_ids(ArticlePage.objects.live(), "timetable")) == 1


def test_models_without_a_date_keep_wagtails_own_query(db):
    image = make_image(title="Walrus on the quay")
    assert list(get_image_model().objects.search("walrus")) == [image]


def ferry_notices(section, count):
    for day in range(1, count + 1):
        make_article(
            section,
            f"Ferry notice {day}",
            body=[paragraph("<p>The ferry leaves at noon.</p>")],
            published_at=at(2024, 1, day),
        )


def test_a_ranked_search_is_counted_from_its_window_without_a_count_query(section):
    ferry_notices(section, 5)
    results = ArticlePage.objects.live().search("ferry", operator="and")
    with CaptureQueriesContext(connection) as queries:
        total = results.count()
        first_page = [article.title for article in results[:2]]
    assert total == 5
    assert first_page == ["Ferry notice 5", "Ferry notice 4"]
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    # The window of matches, then the ranking of those: the count added nothing.
    assert len(queries) == 2
    assert results[1:].count() == 4
    assert results[1:3].count() == 2


def test_the_v3_list_reads_only_its_page_of_search_results(client, section):
    """Django Ninja's paginator counts with len() what has no all(): every match, each built
    as a whole page. The results' all() lets it count() from the window instead."""
    ferry_notices(section, 6)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            "/api/v3/pages/", {"type": "news.ArticlePage", "search": "ferry", "limit": 2}
        )
    assert response.status_code == 200
    assert response.json()["count"] == 6
    assert [item["title"] for item in response.json()["items"]] == [
        "Ferry notice 6",
        "Ferry notice 5",
    ]
    searches = [q["sql"] for q in queries.captured_queries if "@@" in q["sql"]]
    # The window of matches and the ranking of this page: no unbounded read of every match.
    assert len(searches) == 2
    assert all(" LIMIT " in sql for sql in searches), searches
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
