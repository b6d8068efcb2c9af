"""A live blog's posts over API v2 and v3: newest first, paged, ?since=, ETag/304, cached and
fresh at once, and never a draft's or a private blog's."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from news.models import LivePost
from news.tests.factories import make_author, make_image, make_live_blog, make_live_post

pytestmark = pytest.mark.django_db

VERSIONS = ["v2", "v3"]


def url(version, blog, query=""):
    return f"/api/{version}/live_blogs/{blog.pk}/posts/{query}"


@pytest.fixture
def blog(section):
    return make_live_blog(section, "Election night")


@pytest.fixture
def posts(blog):
    start = timezone.now() - timedelta(hours=1)
    return [
        make_live_post(
            blog,
            f"Post {n}.",
            posted_at=start + timedelta(minutes=n),
            key_event=n == 1,
            headline=f"Headline {n}",
        )
        for n in range(3)
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_posts_newest_first_with_key_events_and_ids(client, blog, posts, version):
    make_live_post(blog, "Draft.", publish=False)
    answer = client.get(url(version, blog)).json()
    assert [item["id"] for item in answer["items"]] == [p.pk for p in reversed(posts)]
    assert answer["items"][0]["body"] == "<p>Post 2.</p>"
    assert [event["id"] for event in answer["key_events"]] == [posts[1].pk]
    assert answer["post_ids"] == sorted(p.pk for p in posts)
    assert answer["meta"]["total_count"] == 3
    assert answer["live_blog"]["status"] == "live"
    assert answer["live_blog"]["id"] == blog.pk


@pytest.mark.parametrize("version", VERSIONS)
def test_posts_are_paged(client, blog, posts, version):
    answer = client.get(url(version, blog, "?limit=2&offset=1")).json()
    assert [item["id"] for item in answer["items"]] == [posts[1].pk, posts[0].pk][:2]
    assert answer["meta"]["limit"] == 2 and answer["meta"]["offset"] == 1


@pytest.mark.parametrize("version", VERSIONS)
def test_since_gives_only_new_and_corrected_posts(client, blog, posts, version):
    latest = client.get(url(version, blog)).json()["meta"]["latest"]
    since = f"?since={latest.replace('+', '%2B')}"
    assert client.get(url(version, blog, since)).json()["items"] == []

    new = make_live_post(blog, "Breaking.")
    posts[0].body = "<p>Post 0, corrected.</p>"
    posts[0].save_revision().publish()
    answer = client.get(url(version, blog, since)).json()
    assert {item["id"] for item in answer["items"]} == {new.pk, posts[0].pk}
    corrected = next(item for item in answer["items"] if item["id"] == posts[0].pk)
    assert corrected["corrected_at"] is not None


@pytest.mark.parametrize("version", VERSIONS)
def test_unchanged_poll_answers_304(client, blog, posts, version):
    first = client.get(url(version, blog))
    assert first.status_code == 200
    etag = first["ETag"]
    assert "public" in first["Cache-Control"] and "max-age=2" in first["Cache-Control"]
    again = client.get(url(version, blog), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304

    make_live_post(blog, "Breaking.")
    changed = client.get(url(version, blog), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["items"][0]["body"] == "<p>Breaking.</p>"


@pytest.mark.parametrize("version", VERSIONS)
def test_polls_are_served_from_the_cache_and_fresh_at_once(client, blog, posts, version):
    client.get(url(version, blog))
    cached = client.get(url(version, blog))
    assert cached["X-Cache"] == "hit"

    post = make_live_post(blog, "Breaking.")
    fresh = client.get(url(version, blog))
    assert "X-Cache" not in fresh
    assert fresh.json()["items"][0]["id"] == post.pk
    html = client.get(blog.url).content.decode()
    assert "Breaking." in html


@pytest.mark.parametrize("version", VERSIONS)
def test_a_deleted_post_disappears_at_once_caches_included(client, blog, posts, version):
    client.get(url(version, blog))
    client.get(blog.url)
    LivePost.objects.get(pk=posts[2].pk).delete()
    answer = client.get(url(version, blog)).json()
    assert posts[2].pk not in answer["post_ids"]
    assert posts[2].pk not in [item["id"] for item in answer["items"]]
    assert "Post 2." not in client.get(blog.url).content.decode()


@pytest.mark.parametrize("version", VERSIONS)
def test_an_unpublished_post_disappears_at_once(client, blog, posts, version):
    client.get(url(version, blog))
    LivePost.objects.get(pk=posts[2].pk).unpublish()
    assert posts[2].pk not in client.get(url(version, blog)).json()["post_ids"]


@pytest.mark.parametrize("version", VERSIONS)
def test_draft_live_blog_posts_never_leak(client, section, version, editor):
    draft = make_live_blog(section, "Draft night", publish=False)
    make_live_post(draft, "Secret.")
    assert client.get(url(version, draft)).status_code == 404
    client.force_login(editor)  # not even to the newsroom: drafts are previewed in the admin
    assert client.get(url(version, draft)).status_code == 404


@pytest.mark.parametrize("version", VERSIONS)
def test_private_and_unpublished_live_blog_posts_never_leak(client, blog, posts, version):
    client.get(url(version, blog))  # cached while public
    restriction = PageViewRestriction.objects.create(page=blog, restriction_type="login")
    assert client.get(url(version, blog)).status_code == 404
    restriction.delete()
    assert client.get(url(version, blog)).status_code == 200
    blog.unpublish()
    response = client.get(url(version, blog))
    assert response.status_code == 404
    assert b"Post 1." not in response.content


@pytest.mark.parametrize("version", VERSIONS)
def test_other_pages_ids_are_404(client, section, version):
    assert client.get(f"/api/{version}/live_blogs/{section.pk}/posts/").status_code == 404
    assert client.get(f"/api/{version}/live_blogs/99999999999/posts/").status_code == 404


@pytest.mark.parametrize(
    ("query", "v2_status", "v3_status"),
    [
        ("?since=yesterday", 400, 422),
        ("?since=2026-13-45T00:00:00", 400, 422),
        ("?limit=0", 400, 422),
        ("?limit=101", 400, 422),
        ("?limit=abc", 400, 422),
        ("?offset=-1", 400, 422),
        ("?offset=99999999999999", 400, 422),
    ],
)
def test_bad_input_is_a_4xx_never_a_500(client, blog, query, v2_status, v3_status):
    v2 = client.get(url("v2", blog, query))
    v3 = client.get(url("v3", blog, query))
    assert v2.status_code == v2_status and "message" in v2.json()
    assert v3.status_code == v3_status


def test_v2_refuses_unknown_parameters(client, blog):
    assert client.get(url("v2", blog, "?sincee=1")).status_code == 400


@pytest.mark.parametrize("version", VERSIONS)
def test_queries_do_not_grow_with_the_page_size(
    client, blog, version, django_assert_max_num_queries, settings
):
    settings.NEWS_CACHE_TIMEOUT = 0
    author = make_author("Jane Doe")
    image = make_image()
    for n in range(30):
        make_live_post(blog, f"Post {n}.", author=author, image=image if n % 2 else None)
    client.get(url(version, blog, "?limit=2"))  # renditions made once
    with django_assert_max_num_queries(14):
        small = client.get(url(version, blog, "?limit=2"))
    with django_assert_max_num_queries(14):
        large = client.get(url(version, blog, "?limit=30"))
    assert len(small.json()["items"]) == 2 and len(large.json()["items"]) == 30
    assert large.json()["items"][0]["author"]["name"] == "Jane Doe"


def test_the_live_blog_itself_is_in_the_pages_api(client, blog):
    for version in VERSIONS:
        answer = client.get(f"/api/{version}/pages/{blog.pk}/").json()
        assert answer["status"] == "live"
        assert answer["posts_url"].endswith(f"/api/v2/live_blogs/{blog.pk}/posts/")
        assert answer["section"]["slug"] == "world"


def test_openapi_types_the_posts_endpoint(client):
    document = client.get("/api/v3/openapi.json").json()
    operation = document["paths"]["/api/v3/live_blogs/{page_id}/posts/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"page_id", "since", "limit", "offset"}
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    components = document["components"]["schemas"]
    name = schema["$ref"].rsplit("/", 1)[-1]
    answer = components[name]
    assert set(answer["required"]) == {"live_blog", "meta", "key_events", "post_ids", "items"}
    post = components["LivePostDict"]
    assert post["properties"]["key_event"]["type"] == "boolean"
    assert "404" in operation["responses"]
