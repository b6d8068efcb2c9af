"""The demo newsroom without its logins (NEWS_DEMO_USERS off): a database of its own, apart
from test_load_demo.py's shared load."""

import pytest
from django.contrib.auth import get_user_model

from news.demo import WORKFLOW_STORIES, load_demo
from news.models import ArticlePage
from news.tests.test_load_demo import without_rendition_warmup

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = ["admin", "editor", "writer"]


def test_no_demo_users_without_the_setting(settings, home_page, media_root):
    settings.NEWS_DEMO_USERS = False

    with without_rendition_warmup():
        counts = load_demo()

    assert counts["users"] == 0
    assert not get_user_model().objects.filter(username__in=DEMO_USERNAMES).exists()
    assert counts["articles"] >= 12
    # The workflow stories need the demo writer and editor.
    assert not ArticlePage.objects.filter(slug__in=[s["slug"] for s in WORKFLOW_STORIES])
