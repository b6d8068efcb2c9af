"""A GIN index on `title || body` of Wagtail's search index entries, built concurrently.

Wagtail's PostgreSQL search matches `title || body` against the query, and its own
migrations index `title` and `body` apart, so every search read the whole table (one
tsvector concatenation per article). The expression must stay written exactly as
search/backend.py (and Wagtail's query) writes it for the planner to use the index.
Non-atomic: CREATE INDEX CONCURRENTLY refuses a transaction, and builds without blocking
writes to the index. Nothing on SQLite or MySQL, whose search has its own tables.
"""

from django.db import migrations

INDEX = "search_indexentry_title_body_gin"
TABLE = "wagtailsearch_indexentry"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # A concurrent build that failed leaves an invalid index behind; build it again.
    schema_editor.execute(
        f"DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        f"WHERE c.relname = '{INDEX}' AND NOT i.indisvalid) THEN DROP INDEX {INDEX}; END IF; END $$"
    )
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON {TABLE} USING gin ((title || body))"
    )
    # Statistics on the expression: without them the planner guesses 50 matches for any
    # word and, for a common one, reads every match through the index to sort them.
    schema_editor.execute(f"ANALYZE {TABLE}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
