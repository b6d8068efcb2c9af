"""Search text is bounded (search/query_guard.py) and hostile queries never cause a 500.

Every channel that takes search text from outside: reader search, API v2 and v3, and the
admin's searches (as an editor).
"""

import pytest
from django.test import Client

from search.query_guard import MAX_QUERY_LENGTH, MAX_QUERY_TERMS

pytestmark = pytest.mark.django_db

PATHOLOGICAL = {
    "thousands_of_terms": "storm " * 5000,
    "long_single_token": "x" * 10_000,
    "nul_byte": "port\x00strike",
    "unbalanced_quote": '"port strike',
    "quotes_only": '"""',
    "unbalanced_brackets": "((port) AND [strike",
    "operators_only": "AND OR NOT -",
    "fts_syntax": 'NEAR(port strike) title:x ^2 * "a" -b +c',
    "sql_like": "%_\\'; --",
    "control_characters": "\x01\x02\x1b[31m",
    "unicode": "ストーム 🌊 \u202e",
}

# (path, parameter, who): who is None for anonymous, else the role whose session is used.
CHANNELS = [
    ("/search/", "q", None),
    ("/api/v2/pages/", "search", None),
    ("/api/v2/pages/", "autocomplete", None),
    ("/api/v2/images/", "search", None),
    ("/api/v2/documents/", "search", None),
    ("/api/v3/pages/", "search", None),
    ("/admin/pages/search/", "q", "editor"),
    ("/admin/images/", "q", "editor"),
    ("/admin/documents/", "q", "editor"),
    ("/admin/articles/", "q", "editor"),
    ("/admin/choose-page/search/", "q", "editor"),
]


def client_for(world, who):
    client = Client(raise_request_exception=False)
    if who:
        client.force_login(world.users[who])
    return client


@pytest.mark.parametrize("query", PATHOLOGICAL, ids=str)
@pytest.mark.parametrize("path,parameter,who", CHANNELS, ids=lambda value: str(value))
def test_hostile_search_text_is_refused_or_bounded(world, path, parameter, who, query):
    response = client_for(world, who).get(path, {parameter: PATHOLOGICAL[query]})
    assert response.status_code < 500, response.content[:300]
    if path.startswith("/api/") and response.status_code == 400:
        assert response["Content-Type"].startswith(("application/json", "application/problem"))


@pytest.mark.parametrize(
    "path,parameter", [(p, q) for p, q, who in CHANNELS if p.startswith("/api/")]
)
def test_api_search_limits_are_exactly_those_documented(world, path, parameter):
    client = Client()
    longest = "a" * MAX_QUERY_LENGTH
    most_words = " ".join(["storm"] * MAX_QUERY_TERMS)
    assert client.get(path, {parameter: longest}).status_code == 200
    assert client.get(path, {parameter: longest + "a"}).status_code == 400
    assert client.get(path, {parameter: most_words}).status_code == 200
    assert client.get(path, {parameter: most_words + " storm"}).status_code == 400
    assert client.get(path, {parameter: "port\x00strike"}).status_code == 400


def test_reader_search_reports_the_limits(world):
    client = Client()
    too_long = client.get("/search/", {"q": "a" * (MAX_QUERY_LENGTH + 1)})
    too_many = client.get("/search/", {"q": " ".join(["storm"] * (MAX_QUERY_TERMS + 1))})
    assert f"at most {MAX_QUERY_LENGTH} characters" in too_long.content.decode()
    assert f"at most {MAX_QUERY_TERMS} words" in too_many.content.decode()
