"""The newest-first index on Wagtail's pages table (migration news.0008) and its use."""

import pytest
from django.db import connection

from news.models import ArticlePage
from news.tests.factories import at, make_article

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

INDEX = "news_page_newest_first"


def test_the_newest_first_index_exists_valid_and_nulls_last():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indisvalid, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = %s",
            [INDEX],
        )
        [(valid, definition)] = cursor.fetchall()
    assert valid
    assert "(first_published_at DESC NULLS LAST, id DESC)" in definition


def test_the_newest_first_listing_reads_the_index_in_order(section):
    for day in range(1, 4):
        make_article(section, f"Story {day}", published_at=at(2024, 1, day))
    listing = ArticlePage.objects.live().public().newest_first()[:20]
    with connection.cursor() as cursor:
        # Few rows: sorting them would be cheaper. Without sorts or table scans, only an
        # index in exactly the listing's order (NULLs last) can answer it.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = listing.explain()
    assert f"Index Scan using {INDEX}" in plan, plan
