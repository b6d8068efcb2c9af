"""A change purges, from the CDN, every URL that shows the page (against a server on 127.0.0.1)."""

import pytest

from news.tests.factories import at, make_article, make_section

pytestmark = pytest.mark.django_db

SITE_PATHS = {
    "/",
    "/feeds/rss/",
    "/feeds/atom/",
    "/sitemap.xml",
    "/sitemap-news.xml",
    "/api/v2/pages/",
    "/api/v2/pages/?type=news.ArticlePage",
    "/api/v3/pages/",
}


def api_paths(page):
    return {f"/api/v2/pages/{page.pk}/", f"/api/v3/pages/{page.pk}/"}


def test_publishing_purges_the_article_its_section_home_feeds_sitemaps_and_api(section, cdn):
    article = make_article(section, "Purged story", tags=["storms"])
    expected = {
        "/world/purged-story/",
        "/world/",
        "/feeds/section/world/rss/",
        "/feeds/section/world/atom/",
        "/feeds/tag/storms/rss/",
        "/feeds/tag/storms/atom/",
        "/tags/storms/",
        *SITE_PATHS,
        *api_paths(article),
    }
    assert expected <= cdn()


def test_publishing_purges_the_page_of_each_tag_listing_that_shows_the_story(
    section, cdn, purge_server, settings
):
    settings.NEWS_ARTICLES_PER_PAGE = 2
    for day in range(1, 6):
        make_article(section, f"Newer {day}", tags=["storms"], published_at=at(2024, 2, day))
    purge_server.received.clear()
    make_article(section, "Older story", tags=["storms"], published_at=at(2024, 1, 1))
    purged = cdn()
    # Five newer stories, two a page: the story is on the third page.
    assert {"/tags/storms/", "/tags/storms/?page=3"} <= purged
    assert "/tags/storms/?page=2" not in purged


def test_purges_go_to_the_site_host(section, cdn, purge_server):
    make_article(section, "Purged story")
    assert {host for host, _path in purge_server.received} == {"localhost"}


def test_a_story_shown_as_related_purges_the_pages_that_show_it(
    section, home_page, cdn, purge_server
):
    business = make_section(home_page, "Business")
    picked = make_article(business, "Dockers vote to strike")
    story = make_article(section, "Harbour reopens", related=[picked])
    purge_server.received.clear()
    picked.title = "Dockers call off the strike"
    picked.save_revision().publish()
    purged = cdn()
    assert "/world/harbour-reopens/" in purged
    assert api_paths(story) <= purged
    assert "/business/" in purged


def test_unpublishing_purges_the_story_and_its_listings(section, cdn, purge_server):
    story = make_article(section, "Withdrawn story")
    purge_server.received.clear()
    story.unpublish()
    assert {"/world/withdrawn-story/", "/world/", "/", *api_paths(story)} <= cdn()


def test_moving_purges_the_old_and_the_new_place(section, home_page, cdn, purge_server):
    business = make_section(home_page, "Business")
    story = make_article(section, "Moved story")
    purge_server.received.clear()
    story.move(business, pos="last-child")
    purged = cdn()
    assert {"/world/moved-story/", "/business/moved-story/", "/world/", "/business/"} <= purged
    assert "/feeds/section/world/rss/" in purged


def test_deleting_purges_the_story_and_its_section(section, cdn, purge_server):
    story = make_article(section, "Deleted story")
    purge_server.received.clear()
    story.delete()
    assert {"/world/deleted-story/", "/world/"} <= cdn()


def test_the_listing_page_that_shows_an_older_story_is_purged(section, settings, cdn, purge_server):
    settings.NEWS_ARTICLES_PER_PAGE = 2
    old = make_article(section, "Old story")
    for n in range(4):
        make_article(section, f"Newer {n}")
    purge_server.received.clear()
    old.title = "Old story, corrected"
    old.save_revision().publish()
    assert "/world/?page=3" in cdn()


def test_nothing_is_purged_without_a_configured_cdn(section, purge_server):
    make_article(section, "Quiet story")
    assert purge_server.received == []


def test_purges_wait_for_the_commit(section, cdn, purge_server):
    # A CDN miss between a purge and the commit would fetch the old page and keep it.
    article = make_article(section, "Late story", publish=False)
    purge_server.received.clear()

    article.get_latest_revision().publish()

    early = {path for _host, path in purge_server.received}
    assert "/feeds/rss/" not in early and "/world/" not in early
    assert {"/feeds/rss/", "/world/", "/world/late-story/"} <= cdn()


def test_renaming_an_author_purges_the_pages_with_the_byline(section, cdn, purge_server):
    from news.tests.factories import make_author

    jane = make_author("Jane Roe")
    story = make_article(section, "Bylined story", authors=[jane])
    make_article(section, "Unsigned story")
    cdn()  # the publishes' own purges
    purge_server.received.clear()
    jane.name = "Joan Poe"
    jane.save()
    purged = cdn()
    assert {"/world/bylined-story/", *api_paths(story)} <= purged
    assert "/world/unsigned-story/" not in purged


def test_editing_a_picture_purges_the_pages_that_show_it(section, cdn, purge_server):
    from news.tests.factories import make_image

    picture = make_image("Quay", width=64, height=48)
    story = make_article(section, "Pictured story", lead_image=picture)
    purge_server.received.clear()
    picture.title = "Quay at dusk"
    picture.save()
    assert {"/world/pictured-story/", *api_paths(story)} <= cdn()
