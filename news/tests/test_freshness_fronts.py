"""Fronts and the banner are fresh at once on every surface that shows them, caches on.

The sibling of test_freshness_matrix.py for curated fronts and the breaking-news banner:
every surface is read once (so the response cache and the kept fragments hold it), the change
is made through its real path, then each surface must show the new state and nothing of the
old, nor anything of a story readers may no longer see.
"""

import os
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from home.models import HomeFrontStory
from news.models import BreakingNews, SectionFrontStory
from news.tests.factories import at, make_article, make_section, paragraph

pytestmark = pytest.mark.django_db

PLACED = "Harbour reopens after the storm"
BANNER = "Storm closes the coast road"


@pytest.fixture(autouse=True)
def caches_on(settings, request):
    settings.NEWS_CACHE_TIMEOUT = 300
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 300
    if os.environ.get("REDIS_URL"):
        request.getfixturevalue("redis_cache")


def set_banner(text=BANNER, article=None, expires_in=timedelta(hours=2)):
    banner = BreakingNews(text=text, article=article, expires_at=timezone.now() + expires_in)
    banner.save()
    banner.save_revision().publish()
    return banner


class Desk:
    """A home and a section front, each leading with the placed story; older stories to fill."""

    def __init__(self, home_page, *, placed_live=True, banner=None):
        self.home = home_page
        self.world = make_section(home_page, "World")
        self.business = make_section(home_page, "Business")
        self.placed = make_article(
            self.world,
            PLACED,
            body=[paragraph("<p>Cranes swung back into work.</p>")],
            publish=placed_live,
        )
        self.fillers = [
            make_article(self.world, f"Older story {n}", published_at=at(2025, 1, n + 1))
            for n in range(3)
        ]
        self.other = make_article(self.business, "Rates climb", published_at=at(2025, 2, 1))
        self.arrange(self.home, HomeFrontStory, lead=self.placed, top=[self.fillers[0]])
        self.arrange(self.world, SectionFrontStory, lead=self.placed, top=[self.fillers[0]])
        self.banner = set_banner(article=self.fillers[1]) if banner else None

    @staticmethod
    def arrange(page, row_model, *, lead, top):
        page.lead_article = lead
        page.front_stories = [
            row_model(article=article, sort_order=n) for n, article in enumerate(top)
        ]
        page.save_revision().publish()

    def surfaces(self):
        return {
            "home": "/",
            "section page": "/world/",
            "other section page": "/business/",
            "article page": self.other.url,
            "API v2 home": f"/api/v2/pages/{self.home.pk}/",
            "API v3 home": f"/api/v3/pages/{self.home.pk}/",
            "API v2 section": f"/api/v2/pages/{self.world.pk}/",
            "API v3 section": f"/api/v3/pages/{self.world.pk}/",
        }


FRONTS = {
    "home",
    "section page",
    "API v2 home",
    "API v3 home",
    "API v2 section",
    "API v3 section",
}
EVERY_SURFACE = FRONTS | {"other section page", "article page"}
# The banner shows on every reader page, and in the home and section representations.
SHOWS_BANNER = EVERY_SURFACE


def unpublish_placed(desk):
    desk.placed.unpublish()


def make_placed_private(desk):
    PageViewRestriction.objects.create(
        page=desk.placed, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )


def reach_placed_schedule(desk):
    desk.placed.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))
    call_command("publish_scheduled", verbosity=0)


def edit_placed_headline(desk):
    desk.placed.title = "Harbour stays shut"
    desk.placed.save_revision().publish()


def rearrange_home(desk):
    desk.arrange(desk.home, HomeFrontStory, lead=desk.fillers[2], top=[])


def set_the_banner(desk):
    set_banner()


def take_down_the_banner(desk):
    desk.banner.unpublish()


def edit_the_banner(desk):
    desk.banner.text = "Coast road reopens"
    desk.banner.save_revision().publish()


def let_the_banner_expire(desk):
    desk.banner.expires_at = timezone.now() + timedelta(seconds=1)
    desk.banner.save_revision().publish()
    for path in desk.surfaces().values():
        desk.client.get(path)  # cached again, with the banner about to expire
    time.sleep(1.2)


# change: (desk options, make the change, {surface: texts shown}, {surface: texts gone}).
CHANGES = {
    "placed story unpublished": (
        {},
        unpublish_placed,
        {s: ["Older story 2"] for s in FRONTS},
        {s: [PLACED] for s in EVERY_SURFACE},
    ),
    "placed story made private": (
        {},
        make_placed_private,
        {s: ["Older story 2"] for s in FRONTS},
        {s: [PLACED] for s in EVERY_SURFACE},
    ),
    "placed story's schedule reached": (
        {"placed_live": False},
        reach_placed_schedule,
        {s: [PLACED] for s in FRONTS},
        {},
    ),
    "placed story's headline edited": (
        {},
        edit_placed_headline,
        {s: ["Harbour stays shut"] for s in FRONTS},
        {s: [PLACED] for s in EVERY_SURFACE},
    ),
    "home front rearranged": (
        {},
        rearrange_home,
        {"home": ["Older story 2"], "API v2 home": ["Older story 2"]},
        {},
    ),
    "banner set": ({}, set_the_banner, {s: [BANNER] for s in SHOWS_BANNER}, {}),
    "banner taken down": (
        {"banner": True},
        take_down_the_banner,
        {},
        {s: [BANNER] for s in SHOWS_BANNER},
    ),
    "banner edited": (
        {"banner": True},
        edit_the_banner,
        {s: ["Coast road reopens"] for s in SHOWS_BANNER},
        {s: [BANNER] for s in SHOWS_BANNER},
    ),
    "banner expired": (
        {"banner": True},
        let_the_banner_expire,
        {},
        {s: [BANNER] for s in SHOWS_BANNER},
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_each_front_and_banner_change_is_fresh_on_every_surface(client, home_page, change):
    options, make_change, shown, gone = CHANGES[change]
    desk = Desk(home_page, **options)
    desk.client = client
    for _warm in range(2):  # a version first asked for counts as a change at that moment
        for path in desk.surfaces().values():
            client.get(path)
    before = {path: client.get(path) for path in desk.surfaces().values()}
    # Warm: the second read of each surface came from the response cache.
    missed = [path for path, response in before.items() if response.get("X-Cache") != "hit"]
    assert not missed

    make_change(desk)

    failures = []
    for surface, path in desk.surfaces().items():
        response = client.get(path)
        text = response.content.decode()
        for expected in shown.get(surface, []):
            if expected not in text:
                failures.append(f"{surface} ({path}, {response.status_code}) lacks {expected!r}")
        for stale in gone.get(surface, []):
            if stale in text:
                failures.append(f"{surface} ({path}) still shows {stale!r}")
    assert not failures, f"after {change}:\n" + "\n".join(failures)


# A front edit stales its front, not the site: editors rearrange fronts all day long.


def warm(client, paths):
    for _warm in range(2):
        for path in paths:
            client.get(path)
    assert all(client.get(path).get("X-Cache") == "hit" for path in paths)


def test_a_section_front_edit_refreshes_its_front_and_keeps_every_story(client, home_page):
    from news.api.stored import store_all_representations
    from news.models import StoredRepresentation

    desk = Desk(home_page)
    store_all_representations()
    stored = set(StoredRepresentation.objects.values_list("pk", flat=True))
    front_paths = [
        "/world/",
        "/feeds/section/world/rss/",
        f"/api/v2/pages/{desk.world.pk}/",
        f"/api/v3/pages/{desk.world.pk}/",
        "/sitemap.xml",  # the section's last change
    ]
    story_paths = [
        desk.other.url,
        desk.fillers[0].url,
        f"/api/v2/pages/{desk.other.pk}/",
        f"/api/v3/pages/{desk.fillers[0].pk}/",
        "/feeds/rss/",
        "/sitemap-news.xml",
    ]
    warm(client, front_paths + story_paths)

    desk.world.search_description = "Reporting from every continent."
    desk.arrange(desk.world, SectionFrontStory, lead=desk.fillers[2], top=[])

    for path in front_paths:
        assert client.get(path).get("X-Cache") != "hit", path
    for version in ("v2", "v3"):
        front = client.get(f"/api/{version}/pages/{desk.world.pk}/").json()["front"]
        assert front[0]["id"] == desk.fillers[2].pk
    assert "Reporting from every continent." in client.get("/world/").content.decode()
    # Nothing that shows only the stories or the navigation was staled (the other fronts
    # were, a handful of pages), and no story's stored representation was thrown away.
    for path in story_paths:
        assert client.get(path).get("X-Cache") == "hit", path
    assert set(StoredRepresentation.objects.values_list("pk", flat=True)) == stored


def test_a_home_front_edit_keeps_the_sections_and_stories(client, home_page):
    desk = Desk(home_page)
    kept = [desk.other.url, desk.placed.url, f"/api/v2/pages/{desk.other.pk}/", "/feeds/rss/"]
    warm(client, ["/", *kept])

    desk.arrange(desk.home, HomeFrontStory, lead=desk.fillers[2], top=[])

    assert client.get(f"/api/v2/pages/{home_page.pk}/").json()["front"][0]["id"] == (
        desk.fillers[2].pk
    )
    assert client.get("/").get("X-Cache") != "hit"
    for path in kept:
        assert client.get(path).get("X-Cache") == "hit", path


def rename_world(desk):
    desk.world.title = "Abroad"
    desk.world.save_revision().publish()


def retitle_world_intro(desk):
    desk.world.intro = "Dispatches from our correspondents."
    desk.world.save_revision().publish()


@pytest.mark.parametrize(
    ("change", "path_of", "expected"),
    [
        # Every page's navigation, and the breadcrumbs of the stories under it.
        (rename_world, lambda desk: desk.other.url, ">Abroad<"),
        (rename_world, lambda desk: desk.fillers[0].url, ">Abroad<"),
        (rename_world, lambda desk: "/business/", ">Abroad<"),
        # The meta description of its stories without a standfirst.
        (retitle_world_intro, lambda desk: desk.fillers[0].url, "Dispatches from our"),
    ],
)
def test_what_every_page_shows_of_a_section_is_fresh_everywhere(
    client, home_page, change, path_of, expected
):
    desk = Desk(home_page)
    path = path_of(desk)
    warm(client, [path])

    change(desk)

    assert expected in client.get(path).content.decode()
