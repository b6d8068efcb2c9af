"""Every kind of change reaches every surface that shows the story, with every cache on.

Each change is made through the real path (a published revision, unpublish, move,
publish_scheduled, a view restriction, delete…) after every surface was read once, so each
surface answers from the response cache or the kept fragments if it still may. Then each
surface must show the new state and none of the old (or nothing at all of a story readers
may no longer see). Runs on Redis when REDIS_URL is set, on the local-memory cache otherwise.
"""

import os
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from news.api.stored import store_all_representations
from news.models import ArticlePage, PictureRights
from news.tests.factories import (
    add_note,
    at,
    make_article,
    make_author,
    make_image,
    make_section,
    paragraph,
)

pytestmark = pytest.mark.django_db

HEADLINE = "Harbour reopens after the storm"


@pytest.fixture(autouse=True)
def caches_on(settings, request):
    settings.NEWS_CACHE_TIMEOUT = 300
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 300
    if os.environ.get("REDIS_URL"):
        request.getfixturevalue("redis_cache")


class Newsroom:
    """The story under change, two stories that show it as related, and their sections."""

    def __init__(self, home_page, *, publish=True):
        self.world = make_section(home_page, "World")
        self.business = make_section(home_page, "Business")
        self.author = make_author("Jane Roe")
        self.image = make_image("Quay picture", width=64, height=48, description="Cranes at dawn")
        self.story = make_article(
            self.world,
            HEADLINE,
            authors=[self.author],
            tags=["quayside"],
            lead_image=self.image,
            body=[paragraph("<p>Cranes swung back into work at first light.</p>")],
            publish=publish,
        )
        earlier = at(2026, 1, 1)
        # One picked it by hand; the other shares its tag from another section.
        self.picker = make_article(
            self.world, "Port diary", related=[self.story], published_at=earlier
        )
        self.neighbour = make_article(
            self.business, "Shipping rates climb", tags=["quayside"], published_at=earlier
        )
        make_article(self.business, "Coast closes", tags=["gales"], published_at=earlier)

        self.first_address = self.story.url

    def surfaces(self):
        """{surface: path} of everything that shows the story (and its first address)."""
        story = ArticlePage.objects.filter(pk=self.story.pk).first()
        section = story.get_parent().slug if story else "world"
        address = story.url if story else self.first_address
        return {
            "article page": address,
            "JSON-LD": address,
            "first address": self.first_address,
            "section page": f"/{section}/",
            "first section page": "/world/",
            "home": "/",
            "tag listing": "/feeds/tag/quayside/rss/",
            "new tag listing": "/feeds/tag/gales/rss/",
            "tag page": "/tags/quayside/",
            "new tag page": "/tags/gales/",
            "site feed": "/feeds/rss/",
            "section feed": f"/feeds/section/{section}/atom/",
            "sitemap": "/sitemap.xml",
            "news sitemap": "/sitemap-news.xml",
            "API v2 list": "/api/v2/pages/?type=news.ArticlePage",
            "API v2 detail": f"/api/v2/pages/{self.story.pk}/",
            "API v3 detail": f"/api/v3/pages/{self.story.pk}/",
            "related card (page)": self.picker.url,
            "related card (API)": f"/api/v2/pages/{self.neighbour.pk}/",
            "related card (API v3)": f"/api/v3/pages/{self.neighbour.pk}/",
            "ninjs export": f"/api/v3/pages/{self.story.pk}/ninjs/",
            "corrections page": "/corrections/",
            "corrections feed": "/feeds/corrections/atom/",
            # Never cached whole, but its story cards are kept (news/cards.py).
            "search page": "/search/?q=harbour",
            "search page (filters)": f"/search/?section={section}&from=2020-01-01",
        }


def body_of(client, surface, path):
    response = client.get(path)
    text = response.content.decode()
    if surface == "JSON-LD":
        text = " ".join(
            re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
        )
    return response.status_code, text


# What each surface shows of the story: its headline, address, byline, tags, picture.
SHOWS_HEADLINE = {
    "article page",
    "JSON-LD",
    "section page",
    "home",
    "tag listing",
    "tag page",
    "site feed",
    "section feed",
    "news sitemap",
    "API v2 list",
    "API v2 detail",
    "API v3 detail",
    "related card (page)",
    "related card (API)",
    "related card (API v3)",
    "ninjs export",
    "search page",
    "search page (filters)",
}
SHOWS_ADDRESS = SHOWS_HEADLINE - {"ninjs export"} | {"sitemap"}
SHOWS_BYLINE = {
    "article page",
    "JSON-LD",
    "section page",
    "home",
    "site feed",
    "section feed",
    "tag listing",
    "tag page",
    "API v2 list",
    "API v2 detail",
    "API v3 detail",
    "related card (page)",
    "ninjs export",
    "search page",
    "search page (filters)",
}
SHOWS_TAGS = {"article page", "API v2 list", "API v2 detail", "API v3 detail", "ninjs export"}
SHOWS_PICTURE_TITLE = {"API v2 list", "API v2 detail", "API v3 detail"}
EVERY_SURFACE = SHOWS_HEADLINE | SHOWS_ADDRESS


def publish(room):
    room.story.get_latest_revision().publish()


def unpublish(room):
    room.story.unpublish()


def edit_headline(room):
    room.story.title = "Harbour stays shut"
    room.story.save_revision().publish()


def move(room):
    room.story.move(room.business, pos="last-child")


def change_tags(room):
    room.story.tags.clear()
    room.story.tags.add("gales")
    room.story.save_revision().publish()


def rename_author(room):
    room.author.name = "Joan Poe"
    room.author.save()


def edit_image(room):
    room.image.title = "Quay picture, recropped"
    room.image.save()


def make_private(room):
    PageViewRestriction.objects.create(
        page=room.story, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )


def reach_schedule(room):
    room.story.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))
    call_command("publish_scheduled", verbosity=0)


def delete(room):
    room.story.delete()


NOTE = "An earlier version gave the wrong date for the reopening."
SHOWS_NOTES = {
    "article page",
    "JSON-LD",
    "API v2 list",
    "API v2 detail",
    "API v3 detail",
    "ninjs export",
    "corrections page",
    "corrections feed",
}


def publish_correction(room):
    add_note(room.story, NOTE)


# The picture's file name, in every rendition URL a surface shows.
PICTURE = "quay-picture"


def expire_picture(room):
    """An editor sets the picture's rights to have ended (the image admin saves its rights)."""
    PictureRights.objects.create(
        image=room.image, licence="agency", expires_at=timezone.now() - timedelta(minutes=1)
    )


# change: (starts published, make the change, {surface: texts shown}, {surface: texts gone}).
# Surfaces not named in "shown" must not show the headline at all when the story is gone.
CHANGES = {
    "publish": (False, publish, lambda r: {s: [HEADLINE] for s in SHOWS_HEADLINE}, {}),
    "unpublish": (True, unpublish, None, None),
    "headline edit": (
        True,
        edit_headline,
        lambda r: {s: ["Harbour stays shut"] for s in SHOWS_HEADLINE},
        {s: [HEADLINE] for s in EVERY_SURFACE},
    ),
    "move to another section": (
        True,
        move,
        lambda r: (
            {s: ["/business/harbour-reopens-after-the-storm/"] for s in SHOWS_ADDRESS}
            | {"section page": [HEADLINE]}
        ),
        {s: ["/world/harbour-reopens-after-the-storm/"] for s in SHOWS_ADDRESS}
        | {"first section page": [HEADLINE]},
    ),
    "tag change": (
        True,
        change_tags,
        lambda r: (
            {s: ["gales"] for s in SHOWS_TAGS}
            | {"new tag listing": [HEADLINE], "new tag page": [HEADLINE]}
        ),
        # The list shows the neighbour's "quayside" too.
        {s: ["quayside"] for s in SHOWS_TAGS - {"API v2 list"}}
        | {"tag listing": [HEADLINE], "tag page": [HEADLINE]},
    ),
    "author rename": (
        True,
        rename_author,
        lambda r: {s: ["Joan Poe"] for s in SHOWS_BYLINE},
        {s: ["Jane Roe"] for s in SHOWS_BYLINE},
    ),
    "image edit": (
        True,
        edit_image,
        lambda r: {s: ["Quay picture, recropped"] for s in SHOWS_PICTURE_TITLE},
        {},
    ),
    "privacy change": (True, make_private, None, None),
    "schedule reached": (
        False,
        reach_schedule,
        lambda r: {s: [HEADLINE] for s in SHOWS_HEADLINE},
        {},
    ),
    "delete": (True, delete, None, None),
    "picture rights expired": (
        True,
        expire_picture,
        lambda r: {s: [HEADLINE] for s in SHOWS_HEADLINE},
        {s: [PICTURE] for s in EVERY_SURFACE},
    ),
    "correction published": (
        True,
        publish_correction,
        lambda r: {s: [NOTE] for s in SHOWS_NOTES} | {"corrections page": [HEADLINE]},
        {},
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_each_change_reaches_every_surface_with_the_caches_on(
    client, home_page, change, django_capture_on_commit_callbacks
):
    published, make_change, shown, gone = CHANGES[change]
    room = Newsroom(home_page, publish=published)
    # Every story's representation as the publish path stores it (news/api/stored.py).
    store_all_representations()
    for path in room.surfaces().values():
        client.get(path)  # warm every cache that may keep it

    # Committed, as in production: the stored related cards are computed again on commit.
    with django_capture_on_commit_callbacks(execute=True):
        make_change(room)

    failures = []
    for surface, path in room.surfaces().items():
        status, text = body_of(client, surface, path)
        if shown is None:  # the story left: nothing of it anywhere, its own page refused
            if HEADLINE in text:
                failures.append(f"{surface} ({path}) still shows the story")
            continue
        for expected in shown(room).get(surface, []):
            if expected not in text:
                failures.append(f"{surface} ({path}, {status}) lacks {expected!r}")
        for stale in gone.get(surface, []):
            if stale in text:
                failures.append(f"{surface} ({path}) still shows {stale!r}")
    assert not failures, f"after {change}:\n" + "\n".join(failures)


# What a change must leave alone: the point of keying by dependency.


@pytest.fixture
def two_sections(home_page):
    world = make_section(home_page, "World")
    business = make_section(home_page, "Business")
    make_article(world, "Harbour reopens", tags=["quayside"], published_at=at(2026, 1, 1))
    other = make_article(business, "Rates climb", tags=["markets"], published_at=at(2026, 1, 2))
    make_article(business, "Rates hold", tags=["markets"], published_at=at(2026, 1, 1))
    return world, other


OTHER_SURFACES = ["{url}", "/api/v2/pages/{pk}/", "/api/v3/pages/{pk}/"]


@pytest.mark.parametrize("surface", OTHER_SURFACES)
def test_a_publish_in_one_section_keeps_another_sections_story_cached(
    client, two_sections, surface
):
    world, other = two_sections
    path = surface.format(url=other.url, pk=other.pk)
    first = client.get(path)
    assert first.status_code == 200
    make_article(world, "Ferries resume", tags=["quayside"])
    again = client.get(path)
    assert again.get("X-Cache") == "hit"
    assert again.content == first.content
    # …while the lists that show the new story have it at once.
    assert b"Ferries resume" in client.get("/api/v2/pages/?type=news.ArticlePage").content


def test_a_publish_in_one_section_keeps_another_storys_representation(
    client, two_sections, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.NEWS_CACHE_TIMEOUT = 0  # every read runs its view; only the keep can help
    world, other = two_sections
    path = f"/api/v2/pages/{other.pk}/"
    first = client.get(path)
    make_article(world, "Ferries resume", tags=["quayside"])
    with CaptureQueriesContext(connection) as captured:
        again = client.get(path)
    assert again.content == first.content
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "news_articleauthor" not in sql and "taggit_tag" not in sql


def test_a_related_card_updates_when_the_related_story_changes(client, two_sections, settings):
    settings.NEWS_CACHE_TIMEOUT = 0
    _world, other = two_sections
    path = f"/api/v2/pages/{other.pk}/"
    [card] = client.get(path).json()["related_articles"]
    assert card["title"] == "Rates hold"
    related = ArticlePage.objects.get(title="Rates hold")
    related.title = "Rates hold steady"
    related.save_revision().publish()
    [card] = client.get(path).json()["related_articles"]
    assert card["title"] == "Rates hold steady"
    assert b"Rates hold steady" in client.get(other.url).content


# Corrections: a note reaches every surface when published (the matrix above); a draft
# note reaches none, and a story that leaves takes its notes with it.


def surfaces_showing(client, room, text):
    return [s for s, path in room.surfaces().items() if text in body_of(client, s, path)[1]]


def test_a_note_in_a_draft_leaks_nowhere_with_the_caches_on(client, home_page):
    room = Newsroom(home_page)
    for path in room.surfaces().values():
        client.get(path)
    add_note(room.story, NOTE, publish=False)
    assert surfaces_showing(client, room, NOTE) == []


@pytest.mark.parametrize("leave", [unpublish, make_private, delete])
def test_a_corrected_story_that_leaves_takes_its_note_off_every_surface(client, home_page, leave):
    room = Newsroom(home_page)
    add_note(room.story, NOTE)
    for path in room.surfaces().values():
        client.get(path)
    assert "corrections page" in surfaces_showing(client, room, NOTE)
    leave(room)
    assert surfaces_showing(client, room, NOTE) == []


# Picture rights: they end at a moment nobody edits anything, and every cache must agree.


def test_rights_that_end_while_nobody_edits_take_the_picture_off_every_cached_surface(
    client, home_page
):
    import time

    room = Newsroom(home_page)
    ends = timezone.now() + timedelta(seconds=3)
    PictureRights.objects.create(image=room.image, licence="agency", expires_at=ends)
    for path in room.surfaces().values():
        client.get(path)  # kept, with the picture
    shown_before = surfaces_showing(client, room, PICTURE)
    assert {"article page", "API v2 detail", "ninjs export", "site feed", "search page"} <= set(
        shown_before
    )

    time.sleep(max(0, (ends - timezone.now()).total_seconds()) + 0.2)

    assert surfaces_showing(client, room, PICTURE) == []
    assert "article page" in surfaces_showing(client, room, HEADLINE)


def test_the_daily_run_makes_caches_forget_a_picture_whose_expiry_was_never_signalled(
    client, home_page
):
    from news.pictures import expire_picture_rights

    room = Newsroom(home_page)
    for path in room.surfaces().values():
        client.get(path)
    # Rights written behind the application's back (no signal, no bump): only the run helps.
    PictureRights.objects.bulk_create(
        [PictureRights(image=room.image, expires_at=timezone.now() - timedelta(minutes=1))]
    )
    expire_picture_rights()
    assert surfaces_showing(client, room, PICTURE) == []


# Live blogs: every change to a post or its blog reaches every surface that shows the posts.


class LiveDesk:
    """A live blog with a key event by a named author, every surface read once (cached)."""

    def __init__(self, home_page):
        from news.tests.factories import make_live_blog, make_live_post

        self.section = make_section(home_page, "Politics")
        self.author = make_author("Lee Live")
        self.blog = make_live_blog(self.section, "Election night")
        self.post = make_live_post(
            self.blog,
            "Turnout is 61 percent.",
            headline="Turnout figure",
            key_event=True,
            author=self.author,
        )
        self.make_post = make_live_post

    def surfaces(self):
        pk = self.blog.pk
        return {
            "live blog page": self.blog.url,
            "v2 posts": f"/api/v2/live_blogs/{pk}/posts/",
            "v3 posts": f"/api/v3/live_blogs/{pk}/posts/",
            "v2 posts since": f"/api/v2/live_blogs/{pk}/posts/?since=2000-01-01T00:00:00Z",
            "key events RSS": f"/feeds/live/{pk}/rss/",
            "key events Atom": f"/feeds/live/{pk}/atom/",
        }

    def read_all(self, client):
        return {name: client.get(path) for name, path in self.surfaces().items()}


def change_new_post(desk):
    desk.make_post(desk.blog, "Exit poll: a hung parliament.", headline="Exit poll", key_event=True)
    return ["Exit poll"], []


def change_correction(desk):
    desk.post.headline = "Turnout figure corrected"
    desk.post.body = "<p>Turnout is 64 percent.</p>"
    desk.post.save_revision().publish()
    return ["Turnout figure corrected"], ["61 percent"]


def change_unpublish_post(desk):
    desk.post.unpublish()
    return [], ["Turnout figure"]


def change_delete_post(desk):
    desk.post.delete()
    return [], ["Turnout figure"]


def change_unpublish_blog(desk):
    desk.blog.unpublish()
    return [], ["Turnout figure"]


def change_private_blog(desk):
    PageViewRestriction.objects.create(page=desk.blog, restriction_type="login")
    return [], ["Turnout figure"]


def change_author_renamed(desk):
    desk.author.name = "Lee Livingstone"
    desk.author.save()
    return ["Lee Livingstone"], []


LIVE_CHANGES = {
    "new post": change_new_post,
    "correction": change_correction,
    "post unpublished": change_unpublish_post,
    "post deleted": change_delete_post,
    "blog unpublished": change_unpublish_blog,
    "blog made private": change_private_blog,
    "author renamed": change_author_renamed,
}


@pytest.mark.parametrize("change", LIVE_CHANGES)
def test_live_post_changes_are_fresh_on_every_surface(client, home_page, change):
    desk = LiveDesk(home_page)
    before = desk.read_all(client)
    assert all(r.status_code == 200 for r in before.values()), {
        n: r.status_code for n, r in before.items()
    }
    desk.read_all(client)  # now from the cache
    shown, gone = LIVE_CHANGES[change](desk)
    for name, response in desk.read_all(client).items():
        body = response.content.decode()
        for text in shown:
            assert text in body, f"{change}: {name} does not show {text!r}"
        for text in gone:
            assert text not in body, f"{change}: {name} still shows {text!r}"
