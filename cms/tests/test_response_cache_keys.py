"""The response cache keys a request by its known query parameters, sorted; others not stored."""

import pytest

from news.tests.factories import make_article

pytestmark = pytest.mark.django_db

LIST = "/api/v2/pages/"


@pytest.fixture
def story(section):
    return make_article(section, "Harbour reopens", tags=["quayside"])


def response_keys(redis_cache):
    client = redis_cache._cache.get_client()
    return [
        key for key in client.keys(f"{redis_cache.key_prefix}:*") if b"newsroom:response:" in key
    ]


def test_the_same_parameters_in_another_order_are_one_entry(client, story):
    first = client.get(f"{LIST}?type=news.ArticlePage&limit=5&fields=title")
    assert first.status_code == 200
    again = client.get(f"{LIST}?fields=title&limit=5&type=news.ArticlePage")
    assert again.get("X-Cache") == "hit"
    assert again.content == first.content


@pytest.mark.parametrize(
    "path",
    [
        # Wagtail's jQuery cache buster: the API accepts it, the cache ignores it.
        f"{LIST}?type=news.ArticlePage&_=1733312000",
        "/api/v3/pages/?_=1733312000",
        "/world/?fbclid=abc",
        "/world/harbour-reopens/?x=1",
        "/feeds/rss/?page=2",
        "/sitemap.xml?utm_source=mail",
        f"/world/?page={'9' * 201}",
    ],
)
def test_a_request_with_an_unknown_parameter_is_answered_but_not_stored(client, story, path):
    first = client.get(path)
    assert first.status_code == 200
    again = client.get(path)
    assert again.get("X-Cache") is None
    assert again.content == first.content
    assert "public" in again["Cache-Control"]


@pytest.mark.parametrize(
    "path", ["/world/?page=1", f"{LIST}?type=news.ArticlePage&tags=quayside", "/api/v3/pages/"]
)
def test_known_parameters_are_stored(client, story, path):
    client.get(path)
    assert client.get(path).get("X-Cache") == "hit"


@pytest.mark.redis
def test_random_query_strings_do_not_fill_redis(client, story, redis_cache):
    client.get(f"{LIST}?type=news.ArticlePage")
    stored = len(response_keys(redis_cache))
    for n in range(20):
        assert client.get(f"{LIST}?type=news.ArticlePage&_={n}").status_code == 200
        assert client.get(f"{LIST}?type=news.ArticlePage&nonsense={n}").status_code == 400
        assert client.get(f"/world/?n={n}").status_code == 200
    assert len(response_keys(redis_cache)) == stored == 1
