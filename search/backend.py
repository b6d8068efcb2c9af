"""Wagtail's database search backend, with a PostgreSQL ranking that stops at the newest matches.

Wagtail's PostgreSQL query (wagtail.search.backends.database.postgres) filters on
`title || body` of its index entries, which no index of Wagtail's covers, and ranks every
match before its LIMIT: a word found in all of 10,000 articles meant reading and ranking
10,000 body vectors (~380 ms). Here, on PostgreSQL, pages are searched in two steps:

1. the newest RANK_WINDOW matches (newest first, the walk of migration news.0008's index, or
   a GIN index scan on `title || body` (migration search.0001) for rarer words: the planner
   picks by how many stories match);
2. those matches alone ranked: stories whose headline has every word first, newest first;
   then the rest by Wagtail's own rank, newer first among equals.

So a word in every story ranks the newest RANK_WINDOW of them; a rarer one all of its
stories. Models without a publication date (images, documents, snippets) and searches on
named fields keep Wagtail's query as it is. On SQLite, Wagtail's FTS5 backend with the same
headline rule (search/backend_sqlite.py); on MySQL, Wagtail's backend.
"""

from django.db import ProgrammingError, connection
from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, When
from modelsearch.backends import database  # Wagtail's database backends live here
from wagtail.search.backends.database.postgres.postgres import (
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
    PostgresSearchResults,
)
from wagtail.search.query import Fuzzy, MatchAll, Not

# How many of the newest matches are ranked (and can be paged through) for a page search.
RANK_WINDOW = 200


def newest_first(model):
    """The ordering of the newest-first index (news.0008), or None for undated models."""
    field_names = {field.name for field in model._meta.get_fields()}
    if "first_published_at" not in field_names:
        return None
    return [F("first_published_at").desc(nulls_last=True), F("pk").desc()]


class WindowedSearchQueryCompiler(PostgresSearchQueryCompiler):
    """Wagtail's PostgreSQL query, matching through an index and ranking a bounded window."""

    def search(self, config, start, stop, score_field=None, backend=None):
        newest = newest_first(self.queryset.model)
        if (
            newest is None
            or self.fields is not None
            or isinstance(self.query, (MatchAll, Fuzzy))
            or (isinstance(self.query, Not) and isinstance(self.query.subquery, MatchAll))
        ):
            return super().search(config, start, stop, score_field, backend)

        search_query = self.build_tsquery(self.query, config=config)
        if search_query is None:  # nothing searchable in the words typed
            return self.queryset.none()
        vectors = self.get_search_vectors(search_query)
        rank = self._build_rank_expression(vectors, config)
        # alias(), not Wagtail's annotate(): the concatenated vectors stay out of the SELECT.
        # `title || body` as written is what the expression index of search.0001 covers.
        matching = self.queryset.alias(
            _vector_=F("index_entries__title")._combine(F("index_entries__body"), "||", False)
        ).filter(_vector_=search_query)

        if not self.order_by_relevance:
            return self._apply_ordering_and_scoring(matching, rank, start, stop, score_field)

        headline = ExpressionWrapper(
            Q(index_entries__title=search_query), output_field=BooleanField()
        )
        ranked = (
            self.queryset.filter(pk__in=self.window(matching, newest, backend))
            .alias(_headline_=headline)
            .order_by(
                F("_headline_").desc(),
                Case(When(_headline_=True, then=F("first_published_at"))).desc(nulls_last=True),
                rank.desc(),
                *newest,
            )
        )
        if score_field is not None:
            ranked = ranked.annotate(**{score_field: rank})
        return ranked[start:stop]

    def window(self, matching, newest, backend):
        """The ids of the newest matches, read once for a search's count and its pages.

        A list rather than a subquery: knowing the ids, the planner fetches just those rows
        to rank them; with the subquery it read the whole pages table to join it.
        """
        if not hasattr(self, "_window"):
            size = getattr(backend, "rank_window", RANK_WINDOW)
            self._window = list(matching.order_by(*newest).values_list("pk", flat=True)[:size])
        return self._window


class WindowedSearchResults(PostgresSearchResults):
    # Pages come back in the reader search's order (search/query.py): headline matches
    # first, newest first, then by relevance.
    ranks_headlines_first = True

    def pks(self):
        """The results' ids in order, without building a model instance for each."""
        return list(self.get_queryset().values_list("pk", flat=True))

    def _do_count(self):
        """The window's length, with no query of its own where the search ranked a window: the
        ranked results are exactly the window's rows. Wagtail's COUNT otherwise."""
        try:
            queryset = self.get_queryset()
            window = getattr(self.query_compiler, "_window", None)
            if window is None:
                return queryset.count()
        except ProgrammingError as error:  # a missing extension, as Wagtail says it
            self._handle_missing_postgres_extension(error)
        return len(window[self.start : self.stop])

    def all(self):
        """A copy, as QuerySet.all() gives: Django Ninja's paginator counts what has all() by
        count(), and anything else by len(), which would fetch every match as a whole page."""
        return self._clone()


class WindowedPostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = WindowedSearchQueryCompiler
    results_class = WindowedSearchResults

    def __init__(self, params):
        super().__init__(params)
        self.rank_window = params.get("RANK_WINDOW", RANK_WINDOW)


def SearchBackend(params):  # noqa: N802 - Wagtail looks a backend module's SearchBackend up
    """The windowed backend on PostgreSQL, headlines first on SQLite with FTS5 (as Wagtail's
    own selector finds it); Wagtail's database backend anywhere else."""
    if connection.vendor == "postgresql":
        return WindowedPostgresSearchBackend(params)
    backend = database.SearchBackend(params)
    if connection.vendor == "sqlite" and database.USE_SQLITE_FTS:
        from .backend_sqlite import HeadlinesFirstSQLiteSearchBackend

        return HeadlinesFirstSQLiteSearchBackend(params)
    return backend
