"""Which search backend runs: ours over Wagtail's database backend, or Elasticsearch when set."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection
from wagtail.search.backends import get_search_backend


@pytest.mark.django_db
def test_the_database_backend_is_wagtails_with_our_ranking():
    backend = type(get_search_backend()).__name__
    expected = {
        "postgresql": "WindowedPostgresSearchBackend",
        "sqlite": "HeadlinesFirstSQLiteSearchBackend",
    }[connection.vendor]
    assert backend == expected


def test_wagtailsearch_url_still_selects_elasticsearch():
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.WAGTAILSEARCH_BACKENDS['default']))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "WAGTAILSEARCH_URL": "https://search.example.com:9200",
    }
    output = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    default = json.loads(output.splitlines()[-1])
    assert default["BACKEND"] == "wagtail.search.backends.elasticsearch8"
    assert default["URLS"] == ["https://search.example.com:9200"]
