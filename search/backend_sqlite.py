"""Wagtail's SQLite FTS5 search, with the reader search's rule: headline matches first.

FTS5's bm25 ranks a body that repeats a word above a long headline that holds it once, so
the API's ?search= (which pages the backend's own order) would disagree with the reader
search and with PostgreSQL (search/backend.py). Imported on SQLite only: Wagtail's FTS
model exists there alone.
"""

from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, When
from wagtail.search.backends.database.sqlite.sqlite import (
    MatchExpression,
    SQLiteFTSIndexEntry,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
    get_descendants_content_types_pks,
    normalize,
)
from wagtail.search.query import MatchAll, Not


class HeadlinesFirstSQLiteQueryCompiler(SQLiteSearchQueryCompiler):
    """Wagtail's query, with stories whose headline has every word first, newest first."""

    def search(self, config, start, stop, score_field=None):
        from .backend import newest_first

        newest = newest_first(self.queryset.model)
        query = normalize(self.query)
        if (
            newest is None
            or not self.order_by_relevance
            or self.fields is not None
            or isinstance(query, (MatchAll, Not))
        ):
            return super().search(config, start, stop, score_field)

        score = score_field or "_score"
        results = super().search(config, None, None, score)
        headlines = (
            SQLiteFTSIndexEntry.objects.filter(
                MatchExpression(["title"], self.build_search_query(query, config=config))
            )
            .filter(
                index_entry__content_type__in=get_descendants_content_types_pks(self.queryset.model)
            )
            .values("index_entry__object_id")
        )
        headline = ExpressionWrapper(Q(pk__in=headlines), output_field=BooleanField())
        ranked = results.alias(_headline_=headline).order_by(
            F("_headline_").desc(),
            Case(When(_headline_=True, then=F("first_published_at"))).desc(nulls_last=True),
            score,  # bm25: lower is better
            *newest,
        )
        return ranked[start:stop]


class HeadlinesFirstSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = HeadlinesFirstSQLiteQueryCompiler
