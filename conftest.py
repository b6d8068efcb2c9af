"""Project-wide pytest fixtures: the default site's home page and a section to put stories in."""

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def real_services_answer():
    """With REDIS_URL set (as in CI), an unreachable Redis fails the run instead of skipping."""
    if url := os.environ.get("REDIS_URL"):
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=3).ping()
        except redis.RedisError as error:
            pytest.fail(f"REDIS_URL={url} is set but Redis does not answer: {error}", pytrace=False)


@pytest.fixture
def home_page(db):
    from home.models import HomePage

    return HomePage.objects.get(depth=2)


@pytest.fixture
def section(home_page):
    from news.tests.factories import make_section

    return make_section(home_page, "World")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: the database rolls back, so must cached responses."""
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep uploaded and generated images out of the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# The editorial workflow (news/editorial/): newsroom users, their stories, and how they
# reach the admin and the v3 API.


@pytest.fixture
def newsroom_user(db, django_user_model):
    """Builds a user in one of the newsroom groups made by the data migration."""
    from django.contrib.auth.models import Group

    def make(group_name, username):
        user = django_user_model.objects.create_user(
            username=username,
            email=f"{username}@newsroom.test",
            password=f"{username}-password",
            first_name=username.title(),
        )
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return make


@pytest.fixture
def writer(newsroom_user):
    return newsroom_user("Writers", "wendy")


@pytest.fixture
def editor(newsroom_user):
    return newsroom_user("Editors", "eddie")


@pytest.fixture
def second_editor(newsroom_user):
    return newsroom_user("Editors", "erin")


@pytest.fixture
def story_by(section):
    """Builds a draft article whose owner and last author is the given user."""
    from news.tests.factories import make_article, paragraph

    def make(user, title="Flood barriers fail in the night", text="The river rose.", **fields):
        article = make_article(
            section, title, publish=False, owner=user, body=[paragraph(f"<p>{text}</p>")], **fields
        )
        article.save_revision(user=user)
        return article

    return make


@pytest.fixture
def bearer():
    """The Authorization header of a new v3 API token for a user: client.get(url, **bearer(u))."""
    from wagtail.models import APIToken

    def make(user):
        _token, plaintext = APIToken.create_token(user=user, name="test token")
        return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}

    return make


@pytest.fixture
def article_form():
    """POST data for the article editor: article_form("Headline", "<p>Body</p>", **extra)."""
    from django.utils.text import slugify
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    def make(title, body_html="<p>The river rose.</p>", slug=None, **extra):
        return nested_form_data(
            {
                "title": title,
                "slug": slug or slugify(title),
                "intro": "",
                "dateline": "",
                "language": "en-us",
                "body": streamfield([("paragraph", rich_text(body_html))]),
                "tags": "",
                "comments": inline_formset([]),
                "article_authors": inline_formset([]),
                "related_links": inline_formset([]),
                **extra,
            }
        )

    return make
