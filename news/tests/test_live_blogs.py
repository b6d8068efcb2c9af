"""Live blogs: posts that go out at once, four eyes for Writers, the audit log, corrections,
the no-JavaScript page, JSON-LD, feeds and webhooks (the posts API is in test_live_posts_api.py)."""

import json
from datetime import timedelta

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageViewRestriction, Revision
from wagtail.test.utils.form_data import nested_form_data, rich_text

from news.models import LiveBlogPage, LivePost
from news.tests.factories import make_author, make_live_blog, make_live_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def blog(section):
    return make_live_blog(section, "Election night", intro="Results as they come in.")


def post_form(blog, text, **extra):
    return nested_form_data(
        {
            "live_blog": blog.pk,
            "posted_at": timezone.now().strftime("%Y-%m-%d %H:%M"),
            "author": "",
            "headline": extra.pop("headline", ""),
            "body": rich_text(f"<p>{text}</p>"),
            "image": "",
            "embed_url": "",
            **extra,
        }
    )


def ld_blocks(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')]


# The model.


def test_a_live_blog_lives_in_a_section(section, blog):
    assert LiveBlogPage in section.specific_class.allowed_subpage_models()
    assert blog.get_parent().pk == section.pk
    assert blog.status == "live"


def test_republishing_changed_words_marks_a_correction_and_keeps_the_original(blog):
    post = make_live_post(blog, "Turnout is 61%.")
    assert post.corrected_at is None

    post.body = "<p>Turnout is 64%.</p>"
    post.save_revision().publish()
    post.refresh_from_db()

    assert post.corrected_at is not None
    contents = [r.content["body"] for r in Revision.objects.for_instance(post).order_by("pk")]
    assert contents == ["<p>Turnout is 61%.</p>", "<p>Turnout is 64%.</p>"]


def test_pinning_a_post_is_not_a_correction(blog):
    post = make_live_post(blog)
    post.pinned = True
    post.save_revision().publish()
    post.refresh_from_db()
    assert post.pinned and post.corrected_at is None


def test_post_body_is_sanitised_on_save(blog):
    post = make_live_post(blog)
    post.body = '<p>Hi<script>alert(1)</script><a href="javascript:alert(1)">x</a></p>'
    post.save()
    post.refresh_from_db()
    assert "script" not in post.body and "javascript:" not in post.body


# Permissions and the audit log, through the admin.


def test_editor_post_goes_out_at_once_and_is_logged_with_its_author(client, editor, blog):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_news_livepost:add"),
        post_form(blog, "Polls have closed.", **{"action-publish": "action-publish"}),
    )
    assert response.status_code == 302, response.content[:2000]
    post = LivePost.objects.get()
    assert post.live
    actions = set(ModelLogEntry.objects.for_instance(post).values_list("action", "user_id"))
    assert {("wagtail.create", editor.pk), ("wagtail.publish", editor.pk)} <= actions


def test_writer_post_waits_for_an_editor(client, writer, editor, blog):
    client.force_login(writer)
    response = client.post(
        reverse("wagtailsnippets_news_livepost:add"),
        post_form(blog, "A scoop.", **{"action-publish": "action-publish"}),
    )
    assert response.status_code in (302, 403)
    post = LivePost.objects.get()
    assert not post.live
    assert not writer.has_perm("news.publish_livepost")
    assert editor.has_perm("news.publish_livepost")
    # It is nowhere for readers.
    assert "A scoop." not in client.get(f"/api/v2/live_blogs/{blog.pk}/posts/").content.decode()

    # An editor publishes it: the second read.
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_news_livepost:edit", args=[post.pk]),
        post_form(blog, "A scoop.", **{"action-publish": "action-publish"}),
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.live
    assert (
        ModelLogEntry.objects.for_instance(post)
        .filter(action="wagtail.publish", user=editor)
        .exists()
    )


def test_writer_cannot_delete_a_post(client, writer, blog):
    post = make_live_post(blog)
    client.force_login(writer)
    response = client.post(reverse("wagtailsnippets_news_livepost:delete", args=[post.pk]))
    assert response.status_code in (302, 403)
    assert LivePost.objects.filter(pk=post.pk).exists()


def test_editor_deletes_a_post_and_the_log_keeps_it(client, editor, blog):
    post = make_live_post(blog, "Wrong result.")
    client.force_login(editor)
    response = client.post(reverse("wagtailsnippets_news_livepost:delete", args=[post.pk]))
    assert response.status_code == 302
    assert not LivePost.objects.filter(pk=post.pk).exists()
    assert ModelLogEntry.objects.filter(
        object_id=str(post.pk), action="wagtail.delete", user=editor
    ).exists()


def test_editor_correction_is_marked_and_logged(client, editor, blog):
    post = make_live_post(blog, "Turnout is 61%.")
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_news_livepost:edit", args=[post.pk]),
        post_form(blog, "Turnout is 64%.", **{"action-publish": "action-publish"}),
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.corrected_at is not None
    assert "64%" in post.body
    bodies = [r.content["body"] for r in Revision.objects.for_instance(post)]
    assert any("61%" in body for body in bodies)
    assert (
        ModelLogEntry.objects.for_instance(post)
        .filter(action="wagtail.publish", user=editor)
        .exists()
    )


def test_the_live_blog_page_itself_needs_a_second_read(editor, section):
    blog = make_live_blog(section, publish=False)
    blog.title = "Election night: the count"
    blog.save_revision(user=editor)
    blog = LiveBlogPage.objects.get(pk=blog.pk)
    assert not blog.permissions_for_user(editor).can_publish()


# The reader page, without JavaScript.


def test_page_shows_posts_newest_first_with_key_events_on_top(client, blog):
    make_live_post(blog, "First.", posted_at=timezone.now() - timedelta(minutes=5))
    make_live_post(blog, "Second.", key_event=True, headline="Polls close")
    make_live_post(blog, "Draft.", publish=False)

    response = client.get(blog.url)
    html = response.content.decode()
    html = html[html.index("<article") :]  # the body, not the JSON-LD in the head
    assert response.status_code == 200
    assert html.index("Key events") < html.index("Second.") < html.index("First.")
    assert "Polls close" in html
    assert "Draft." not in html
    soup = BeautifulSoup(html, "html.parser")
    # The poller is a static file; CSP allows no inline script.
    scripts = soup.select("script:not([type='application/ld+json'])")
    assert [s.get("src") for s in scripts if s.get("src")][-1].endswith("js/live_blog.js")
    assert all(s.get("src") for s in scripts)


def test_page_has_older_posts_pages(client, blog, settings):
    settings.NEWS_LIVE_POSTS_PER_PAGE = 2
    start = timezone.now() - timedelta(hours=1)
    for minute in range(5):
        make_live_post(blog, f"Post {minute}.", posted_at=start + timedelta(minutes=minute))
    html = client.get(blog.url).content.decode()
    assert "Post 4." in html and "Post 2." not in html
    assert 'rel="next" href="?page=2"' in html
    older = client.get(f"{blog.url}?page=3").content.decode()
    assert "Post 0." in older and "Post 4." not in older


def test_page_carries_live_blog_posting_json_ld(client, section):
    start = timezone.now() - timedelta(hours=2)
    blog = make_live_blog(section, coverage_start=start, coverage_end=start + timedelta(hours=5))
    make_live_post(blog, "Counting begins.", headline="Polls close", author=make_author("Jane Doe"))
    [data] = [d for d in ld_blocks(client.get(blog.url)) if d["@type"] == "LiveBlogPosting"]
    assert data["headline"] == "Election night"
    assert data["coverageStartTime"] == start.isoformat()
    assert data["coverageEndTime"] == (start + timedelta(hours=5)).isoformat()
    [update] = data["liveBlogUpdate"]
    assert update["@type"] == "BlogPosting"
    assert update["headline"] == "Polls close"
    assert update["articleBody"] == "Counting begins."
    assert update["author"] == {"@type": "Person", "name": "Jane Doe"}


# Feeds.


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feed_has_one_entry_per_key_event(client, blog, kind):
    make_live_post(blog, "Routine.")
    make_live_post(blog, "Result in.", key_event=True, headline="Winner declared")
    response = client.get(reverse(f"feeds:live-{kind}", args=[blog.pk]))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    [entry] = feed.entries
    assert entry.title == "Winner declared"
    assert entry.link.endswith(f"{blog.url}#post-{LivePost.objects.get(key_event=True).pk}")


def test_feed_of_a_draft_or_private_live_blog_is_404(client, section, blog):
    draft = make_live_blog(section, "Draft night", publish=False)
    make_live_post(draft, "Secret.", key_event=True)
    assert client.get(reverse("feeds:live-rss", args=[draft.pk])).status_code == 404
    PageViewRestriction.objects.create(page=blog, restriction_type="login")
    assert client.get(reverse("feeds:live-rss", args=[blog.pk])).status_code == 404


# Webhooks.


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_new_post_sends_liveblog_post_published(receiver, endpoint, blog, committed):
    endpoint(events=["liveblog.post_published"])
    with committed():
        post = make_live_post(blog, "Polls have closed.", headline="Polls close")
    [payload] = receiver.payloads()
    assert payload["type"] == "liveblog.post_published"
    assert payload["data"]["id"] == blog.pk
    assert payload["data"]["post"]["id"] == post.pk
    assert payload["data"]["post"]["headline"] == "Polls close"
    assert payload["data"]["post"]["url"].endswith(f"#post-{post.pk}")


def test_posts_of_a_draft_live_blog_send_nothing(receiver, endpoint, section, committed):
    endpoint(events=["liveblog.post_published"])
    draft = make_live_blog(section, "Draft night", publish=False)
    with committed():
        make_live_post(draft, "Secret.")
    assert receiver.received == []


def test_the_event_is_offered_to_webhook_endpoints():
    from webhooks.forms import WebhookEndpointForm
    from webhooks.models import EVENTS

    assert "liveblog.post_published" in EVENTS
    choices = dict(WebhookEndpointForm.base_fields["events"].choices)
    assert "liveblog.post_published" in choices


def test_writers_posts_wait_on_editors_dashboards(client, writer, editor, blog):
    client.force_login(writer)
    client.post(reverse("wagtailsnippets_news_livepost:add"), post_form(blog, "A scoop."))
    post = LivePost.objects.get()
    assert (
        "Live posts waiting to go out"
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )

    client.force_login(editor)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Live posts waiting to go out" in home
    assert reverse("wagtailsnippets_news_livepost:edit", args=[post.pk]) in home
    listing = client.get(reverse("wagtailsnippets_news_livepost:list"), {"live": "false"})
    assert listing.status_code == 200
    assert reverse("wagtailsnippets_news_livepost:edit", args=[post.pk]) in listing.content.decode()

    make_live_post(blog, "Published.")
    post.save_revision().publish()
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Live posts waiting to go out" not in home


def test_page_queries_do_not_grow_with_the_posts_shown(client, blog, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from news.tests.factories import make_image

    settings.NEWS_CACHE_TIMEOUT = 0
    author = make_author("Jane Doe")
    for n in range(20):
        make_live_post(blog, f"Post {n}.", author=author, image=make_image(f"Picture {n}"))
    counts = {}
    for per_page in (2, 20):
        settings.NEWS_LIVE_POSTS_PER_PAGE = per_page
        client.get(blog.url)  # renditions made once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(blog.url).content.count(b'class="live-post__image"') == per_page
        counts[per_page] = len(queries)
    assert counts[20] == counts[2]
