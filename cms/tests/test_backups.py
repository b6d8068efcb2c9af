"""Backups restore: pg_dump a small newsroom, load it into a fresh database, find the stories.

PostgreSQL only (skipped on SQLite); with DATABASE_URL on PostgreSQL a missing pg_dump or
psql fails the test. `make restore-check` runs it.
"""

import os
import shutil
import subprocess

import psycopg
import pytest
from django.db import connection

from news.tests.factories import make_article, make_author, make_section

pytestmark = [
    pytest.mark.postgres,
    # pg_dump reads from its own connection, so the newsroom must be committed;
    # serialized_rollback puts back what the data migrations made.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def client_env(settings_dict):
    """Connection options for pg_dump/psql, and the environment carrying the password."""
    options = [
        "--host",
        settings_dict["HOST"] or "127.0.0.1",
        "--port",
        str(settings_dict["PORT"] or 5432),
    ]
    if settings_dict["USER"]:
        options += ["--username", settings_dict["USER"]]
    env = {"PGPASSWORD": settings_dict["PASSWORD"] or ""}
    return options, env


def run(command, env):
    return subprocess.run(  # noqa: S603 - our own pg_dump/psql command line
        command, env={**os.environ, **env}, check=True, capture_output=True, timeout=300
    )


@pytest.fixture
def fresh_database():
    """The name of a new, empty database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore"[:63]
    admin = {**connection.get_connection_params(), "dbname": "postgres"}
    with psycopg.connect(**admin, autocommit=True) as admin_connection:
        admin_connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin_connection.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(**admin, autocommit=True) as admin_connection:
        admin_connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_dumped_newsroom_restores_into_a_fresh_database(home_page, fresh_database, tmp_path):
    for tool in ("pg_dump", "psql"):
        assert shutil.which(tool), f"{tool} is not installed: backups cannot be checked"
    world = make_section(home_page, "World")
    business = make_section(home_page, "Business")
    jane = make_author("Jane Doe")
    first = make_article(world, "Harbour reopens", authors=[jane], tags=["storms"])
    make_article(business, "Dockers vote to strike", related=[first])
    make_article(world, "Draft never published", publish=False)

    options, env = client_env(connection.settings_dict)
    dump = tmp_path / "newsroom.sql"
    run(
        ["pg_dump", *options, "--no-owner", "--file", str(dump), connection.settings_dict["NAME"]],
        env,
    )
    run(
        ["psql", *options, "--quiet", "-v", "ON_ERROR_STOP=1", "--file", str(dump), fresh_database],
        env,
    )

    params = {**connection.get_connection_params(), "dbname": fresh_database}
    with psycopg.connect(**params) as restored:
        live = restored.execute(
            "SELECT p.title FROM news_articlepage a JOIN wagtailcore_page p ON p.id = a.page_ptr_id"
            " WHERE p.live ORDER BY p.title"
        ).fetchall()
        drafts = restored.execute(
            "SELECT count(*) FROM wagtailcore_page WHERE NOT live AND title = %s",
            ["Draft never published"],
        ).fetchone()
        sections = restored.execute(
            "SELECT p.url_path FROM news_sectionpage s"
            " JOIN wagtailcore_page p ON p.id = s.page_ptr_id ORDER BY p.url_path"
        ).fetchall()
        bylines = restored.execute(
            "SELECT count(*) FROM news_articleauthor l JOIN news_author a ON a.id = l.author_id"
            " WHERE a.name = 'Jane Doe'"
        ).fetchone()
        revisions = restored.execute("SELECT count(*) FROM wagtailcore_revision").fetchone()
        migrations = restored.execute("SELECT count(*) FROM django_migrations").fetchone()

    assert [title for (title,) in live] == ["Dockers vote to strike", "Harbour reopens"]
    assert drafts == (1,)
    assert [path for (path,) in sections] == ["/home/business/", "/home/world/"]
    assert bylines == (1,)
    assert revisions[0] >= 5
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        assert migrations == cursor.fetchone()
