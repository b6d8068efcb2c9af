"""The demo newsroom loader: what it builds, and that running it again duplicates nothing."""

import io
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, PageLogEntry, Revision, TaskState, WorkflowState

from home.models import HomePage
from news.demo import BANNER, HOME_TOP_STORIES, SECTION_FRONTS, WORKFLOW_STORIES, load_demo
from news.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    AuthorKind,
    BreakingNews,
    CorrectionNote,
    PictureRights,
    RelatedArticle,
    SectionPage,
)

PAGE_LINK = re.compile(r'<a linktype="page" id="(\d+)">')
DEMO_USERNAMES = ["admin", "editor", "writer"]


def without_rendition_warmup():
    """Publishing a demo story warms its pictures' renditions in every format (AVIF takes
    about a second a picture: most of a load's time). What the demo builds does not depend on
    them, and the warm-up has tests of its own (test_background_tasks.py)."""
    return mock.patch("news.renditions.warm_renditions")


@pytest.fixture(scope="module")
def shared_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """One load, by `manage.py load_demo`, for every test of this module, rolled back after
    them: (what load_demo() counted, what the command printed, the pictures' MEDIA_ROOT).

    A load takes seconds, most of it Wagtail indexing each save. Each test still runs in its
    own savepoint inside this transaction, so whatever a test changes is undone. Every test
    here uses it (a test that needs an empty database lives in another module).
    """
    media = tmp_path_factory.mktemp("demo-media")
    counted = {}

    def counting_load(**kwargs):
        counted.update(load_demo(**kwargs))
        return counted

    output = io.StringIO()
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        with transaction.atomic():
            with (
                mock.patch("news.management.commands.load_demo.load_demo", counting_load),
                without_rendition_warmup(),
            ):
                call_command("load_demo", stdout=output)
            yield counted, output.getvalue(), media
            transaction.set_rollback(True)


@pytest.fixture
def demo(shared_demo, db, settings):
    counts, _output, media = shared_demo
    settings.MEDIA_ROOT = media  # its pictures' files (pages make renditions from them)
    return counts


@pytest.fixture
def articles(demo):
    return list(ArticlePage.objects.live().for_listing())


def snapshot():
    """How many of each thing the loader makes exist right now."""
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "authors": Author.objects.count(),
        "bylines": ArticleAuthor.objects.count(),
        "images": get_image_model().objects.count(),
        "collections": Collection.objects.count(),
        "users": get_user_model().objects.count(),
        "tags": Tag.objects.count(),
        "related_links": RelatedArticle.objects.count(),
        "notes": CorrectionNote.objects.count(),
        "rights": PictureRights.objects.count(),
    }


class TestDemoNewsroom:
    """What one load of the demo builds, and what loading it again leaves alone."""

    def test_builds_three_sections_of_live_articles(self, demo, home_page):
        sections = SectionPage.objects.child_of(home_page).live()
        assert sorted(section.title for section in sections) == ["Business", "Region", "World"]
        assert all(section.intro for section in sections)
        for section in sections:
            assert ArticlePage.objects.live().in_section(section).count() >= 4
        assert ArticlePage.objects.live().count() >= 12
        # Only the stories still in the workflow are not live (see TestDemoWorkflow).
        assert {a.slug for a in ArticlePage.objects.not_live()} == {
            story["slug"] for story in WORKFLOW_STORIES if story["state"] != "published_with_draft"
        }
        assert demo["sections"] == 3
        assert demo["articles"] == ArticlePage.objects.count()

    def test_builds_a_live_blog_with_posts_and_key_events(self, demo, client):
        from news.demo import LIVE_POSTS
        from news.models import LiveBlogPage, LivePost

        blog = LiveBlogPage.objects.live().get()
        assert blog.status == "live" and blog.lead_image is not None
        posts = LivePost.objects.published().filter(live_blog=blog)
        assert posts.count() == len(LIVE_POSTS) == demo["live_posts"]
        assert posts.filter(key_event=True).count() == 2
        assert posts.filter(pinned=True).count() == 1
        assert all(post.author is not None for post in posts)
        answer = client.get(f"/api/v2/live_blogs/{blog.pk}/posts/").json()
        assert len(answer["items"]) == len(LIVE_POSTS)
        assert client.get(blog.url).status_code == 200

    def test_every_article_has_bylines_lead_image_body_and_tags(self, articles):
        block_types = set()
        for article in articles:
            assert article.authors, article.title
            assert article.lead_image is not None, article.title
            assert article.lead_image_caption and article.lead_image_credit, article.title
            assert article.lead_image_alt_text, article.title
            assert len(article.body) >= 3, article.title
            assert any(block.block_type == "paragraph" for block in article.body), article.title
            assert list(article.tags.all()), article.title
            block_types.update(block.block_type for block in article.body)
        assert {"paragraph", "heading", "image", "quote"} <= block_types
        assert "embed" not in block_types

    def test_body_blocks_carry_their_values(self, articles):
        blocks = [block for article in articles for block in article.body]
        images = [block.value for block in blocks if block.block_type == "image"]
        quotes = [block.value for block in blocks if block.block_type == "quote"]
        rich_text = " ".join(
            block.value.source for block in blocks if block.block_type == "paragraph"
        )
        assert len(images) >= 3
        assert all(value["image"] is not None and value["caption"] for value in images)
        assert len(quotes) >= 3
        assert all(value["quote"] and value["attribution"] for value in quotes)
        for markup in ("<b>", "<i>", "<ul>", '<a linktype="page"'):
            assert markup in rich_text

    def test_an_article_without_standfirst_falls_back_to_its_body_for_the_teaser(self, articles):
        without_intro = [article for article in articles if not article.intro]
        assert 1 <= len(without_intro) <= 2
        for article in without_intro:
            assert article.teaser
            assert article.body_text().startswith(article.teaser.rstrip("…"))
        assert sum(bool(article.dateline) for article in articles) > len(articles) / 2

    def test_articles_are_published_over_the_last_ten_days(self, articles):
        now = timezone.now()
        first_published = [article.first_published_at for article in articles]
        assert len(set(first_published)) == len(articles)
        assert min(first_published) >= now - timedelta(days=10)
        assert max(first_published) - min(first_published) >= timedelta(days=7)
        for article in articles:
            assert article.first_published_at <= article.last_published_at <= now
        assert any(article.last_published_at > article.first_published_at for article in articles)

    def test_authors_include_staff_a_contributor_and_agencies(self, demo):
        assert Author.objects.get(slug="afp").kind == AuthorKind.AGENCY
        assert Author.objects.get(slug="northwire").kind == AuthorKind.AGENCY
        staff = Author.objects.filter(kind=AuthorKind.STAFF)
        assert staff.count() >= 4
        assert all(author.role and author.bio for author in staff)
        assert Author.objects.filter(kind=AuthorKind.CONTRIBUTOR).exists()
        assert Author.objects.filter(photo__isnull=False).count() >= 3

    def test_bylines_mix_staff_and_agencies_in_order(self, articles):
        treaty = next(article for article in articles if article.slug.startswith("arvenia"))
        assert treaty.byline == "Nadia Calloway, Rosa Fennimore and AFP"

        kinds = [tuple(author.kind for author in article.authors) for article in articles]
        assert (AuthorKind.STAFF,) in kinds
        assert (AuthorKind.STAFF, AuthorKind.STAFF) in kinds
        assert (AuthorKind.STAFF, AuthorKind.AGENCY) in kinds
        assert (AuthorKind.AGENCY,) in kinds

    def test_internal_links_in_rich_text_point_at_other_live_demo_articles(self, articles):
        live_ids = {article.pk for article in articles}
        linked = [
            (article.pk, int(page_id))
            for article in articles
            for block in article.body
            if block.block_type == "paragraph"
            for page_id in PAGE_LINK.findall(block.value.source)
        ]
        assert len(linked) >= 3
        for source, target in linked:
            assert target in live_ids
            assert target != source

    def test_hand_picked_and_tag_related_articles_are_live_demo_articles(self, articles):
        live_ids = {article.pk for article in articles}
        picked = RelatedArticle.objects.all()
        assert picked.values("page").distinct().count() >= 3
        assert all(
            link.article_id in live_ids and link.article_id != link.page_id for link in picked
        )
        # Shared tags are what give every story something to show beside it.
        for article in articles:
            assert article.get_related_articles(), article.title

    def test_pictures_are_in_the_demo_collection(self, demo):
        images = get_image_model().objects.filter(collection__name="Demo")
        assert images.count() == demo["images"] >= ArticlePage.objects.count()
        assert all(image.description and image.file_hash and image.file_size for image in images)
        lead = ArticlePage.objects.first().lead_image
        assert (lead.width, lead.height) == (1600, 900)

    def test_a_story_carries_a_published_correction_and_an_update(self, demo, client):
        notes = CorrectionNote.objects.published().select_related("page")
        assert {note.kind for note in notes} == {"correction", "update"}
        story = notes[0].page
        assert story.live
        assert "It had 40." in client.get(story.url).content.decode()
        assert "It had 40." in client.get("/corrections/").content.decode()

    def test_every_picture_carries_its_rights(self, demo):
        rights = {r.image_id: r for r in PictureRights.objects.all()}
        leads = ArticlePage.objects.live().values_list("lead_image_id", flat=True)
        assert set(leads) <= set(rights)
        licences = {r.licence for r in rights.values()}
        assert licences == {"staff", "agency", "licensed", "creative_commons"}
        assert any(r.expires_at is not None for r in rights.values())
        assert not any(r.is_expired() for r in rights.values())

    def test_home_page_leads_with_a_live_demo_article(self, demo):
        home = HomePage.objects.get(depth=2)
        assert home.lead_article is not None and home.lead_article.live
        assert home.live and not home.has_unpublished_changes
        assert home.live_revision.as_object().lead_article_id == home.lead_article_id
        assert home.get_lead_article() == home.lead_article

    def test_home_and_world_fronts_are_arranged_and_a_banner_is_up(self, demo, client):
        home = HomePage.objects.get(depth=2)
        top = [row.article.slug for row in home.front_stories.all()]
        assert top == HOME_TOP_STORIES
        front = home.get_front()
        assert [card.placement for card in front[:3]] == ["lead", "top", "top"]
        assert [card.article.slug for card in front[1:3]] == HOME_TOP_STORIES
        world = SectionPage.objects.get(slug="world")
        lead, section_top = SECTION_FRONTS["world"]
        assert [card.article.slug for card in world.get_front()[:2]] == [lead, *section_top]
        assert BreakingNews.objects.showing().get().article.slug == BANNER["article"]
        assert BANNER["text"] in client.get("/").content.decode()

    def test_demo_users_log_in_with_their_username_as_password(self, demo):
        User = get_user_model()
        admin = User.objects.get(username="admin")
        assert admin.is_superuser and admin.check_password("admin")
        for username in ("editor", "writer"):
            user = User.objects.get(username=username)
            assert user.check_password(username)
            assert not user.is_superuser
            assert user.email == f"{username}@example.com" and user.get_full_name()
            assert user.has_perm("wagtailadmin.access_admin")
        assert demo["users"] == 3

    def test_running_again_creates_no_duplicates(self, demo):
        before = snapshot()
        again = load_demo()
        assert set(again.values()) == {0}
        assert snapshot() == before

    def test_command_after_the_function_creates_nothing(self, demo):
        before = snapshot()
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        assert "nothing to create" in out.getvalue()
        assert snapshot() == before

    def test_running_again_keeps_the_lead_article_an_editor_chose(self, demo):
        home = HomePage.objects.get(depth=2)
        chosen = ArticlePage.objects.exclude(pk=home.lead_article_id).first()
        home.lead_article = chosen
        home.save_revision().publish()

        load_demo()

        assert HomePage.objects.get(depth=2).lead_article_id == chosen.pk

    def test_running_again_keeps_a_changed_password(self, demo):
        admin = get_user_model().objects.get(username="admin")
        admin.set_password("a-better-one")
        admin.save()

        load_demo()

        assert get_user_model().objects.get(username="admin").check_password("a-better-one")


def workflow_story(state):
    story = next(story for story in WORKFLOW_STORIES if story["state"] == state)
    return ArticlePage.objects.get(slug=story["slug"]), story


def history(article):
    return list(
        PageLogEntry.objects.filter(page=article)
        .order_by("timestamp", "pk")
        .values_list("action", "user__username")
    )


class TestDemoWorkflow:
    """At first login the demo shows a story at every step of the editorial workflow."""

    def test_stories_stand_in_every_editorial_state(self, demo):
        states = {
            ArticlePage.objects.get(slug=story["slug"]).editorial_status: story["state"]
            for story in WORKFLOW_STORIES
        }
        assert (
            set(states)
            == set(states.values())
            == {
                "in_review",
                "changes_requested",
                "scheduled",
                "published_with_draft",
            }
        )

    def test_the_story_in_review_was_submitted_by_the_writer(self, demo):
        article, _ = workflow_story("in_review")
        state = article.current_workflow_state

        assert state.status == WorkflowState.STATUS_IN_PROGRESS
        assert state.requested_by.username == "writer"
        assert article.get_latest_revision().user.username == "writer"
        assert history(article) == [
            ("wagtail.create", "writer"),
            ("wagtail.workflow.start", "writer"),
        ]

    def test_the_story_sent_back_carries_the_editors_comment(self, demo):
        article, story = workflow_story("changes_requested")
        task_state = TaskState.objects.filter(revision__object_id=str(article.pk)).get()

        assert task_state.status == TaskState.STATUS_REJECTED
        assert task_state.finished_by.username == "editor"
        assert task_state.get_comment() == story["comment"]
        assert ("wagtail.workflow.reject", "editor") in history(article)

    def test_the_scheduled_story_was_approved_by_a_second_reader(self, demo):
        article, _ = workflow_story("scheduled")
        revision = article.get_latest_revision()

        assert not article.live
        assert revision.approved_go_live_at > timezone.now()
        assert revision.user.username == "writer"
        assert ("wagtail.workflow.approve", "editor") in history(article)
        assert ("wagtail.publish.schedule", "editor") in history(article)

    def test_the_published_story_has_a_newer_draft_by_the_writer(self, demo):
        article, story = workflow_story("published_with_draft")

        assert article.live and article.has_unpublished_changes
        assert article.intro == story["intro"]
        assert article.get_latest_revision_as_object().intro == story["draft_intro"]
        assert article.get_latest_revision().user.username == "writer"
        assert article.live_revision.user.username == "writer"
        assert ("wagtail.publish", "editor") in history(article)

    def test_the_dashboards_show_the_workflow_at_first_login(self, demo, client):
        User = get_user_model()
        in_review, _ = workflow_story("in_review")
        sent_back, story = workflow_story("changes_requested")

        client.force_login(User.objects.get(username="editor"))
        editor_home = client.get(reverse("wagtailadmin_home")).content.decode()
        client.force_login(User.objects.get(username="writer"))
        writer_home = client.get(reverse("wagtailadmin_home")).content.decode()

        assert in_review.title in editor_home
        assert sent_back.title in writer_home
        assert escape(story["comment"]) in writer_home


def test_command_reports_what_it_created_then_that_nothing_was_left(shared_demo, demo):
    _counts, first, _media = shared_demo
    before = snapshot()
    second = io.StringIO()
    call_command("load_demo", stdout=second)

    assert "Created sections: 3, articles: 19, authors: 8" in first
    assert "live blogs: 1, live posts: 5" in first
    assert "users: 3" in first
    assert "nothing to create" in second.getvalue()
    assert snapshot() == before


def test_demo_users_join_the_editorial_groups(demo):
    # The groups come from news/migrations/0003_editorial_roles_and_workflow.py.
    User = get_user_model()
    assert list(User.objects.get(username="editor").groups.all()) == [
        Group.objects.get(name="Editors")
    ]
    assert list(User.objects.get(username="writer").groups.all()) == [
        Group.objects.get(name="Writers")
    ]
