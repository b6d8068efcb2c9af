"""The bulk benchmark loader makes a valid tree of live, served, searchable articles."""

import random
import re
from collections import Counter

import pytest
from wagtail.models import Page

from benchmarks.api_load import ENDPOINTS
from news.benchmark_data import (
    VOCABULARY,
    ZIPF_WEIGHTS,
    invented_words,
    republish_stories,
    seed_benchmark_newsroom,
    sentence,
)
from news.models import ArticlePage, SectionPage

pytestmark = pytest.mark.django_db


def test_seeding_builds_live_articles_in_a_valid_tree(client, home_page):
    assert seed_benchmark_newsroom(articles=25, batch_size=10) == 25
    assert seed_benchmark_newsroom(articles=31, batch_size=10) == 6  # tops up, never repeats
    assert seed_benchmark_newsroom(articles=31) == 0

    assert Page.find_problems() == ([], [], [], [], [])
    articles = ArticlePage.objects.live().public()
    assert articles.count() == 31
    for section in SectionPage.objects.all():
        assert section.numchild == ArticlePage.objects.child_of(section).count()

    story = articles.get(slug="bench-story-30")
    assert story.authors and story.tags.count() == 3 and story.related_links.count() == 2
    assert story.lead_image is not None
    page = client.get(story.url)
    assert page.status_code == 200
    assert story.title.encode() in page.content
    assert client.get(story.get_parent().url).status_code == 200


def test_seeded_articles_are_searchable(client, home_page):
    seed_benchmark_newsroom(articles=12)
    story = ArticlePage.objects.get(slug="bench-story-11")
    results = ArticlePage.objects.live().search(story.title.split(" (")[0])
    assert story.pk in {article.pk for article in results}


def test_republishing_publishes_new_revisions_across_sections_and_stales_what_was_kept(
    client, home_page
):
    from cms.caching import versions
    from news.dependencies import STORIES

    seed_benchmark_newsroom(articles=6)
    before = versions([STORIES])[STORIES]
    checked = []
    assert republish_stories(4, check=checked.append) == 4
    assert versions([STORIES])[STORIES] > before
    assert len({story.get_parent().pk for story in checked}) > 1
    updated = ArticlePage.objects.filter(title__contains=" (update ")
    assert 1 <= updated.count() <= 4
    for story in updated:
        assert story.live and story.latest_revision_id == story.live_revision_id
        assert story.title.count("(update ") == 1
        assert client.get(f"/api/v2/pages/{story.pk}/").json()["title"] == story.title


def test_bodies_draw_on_thousands_of_words_common_and_rare():
    assert len(set(VOCABULARY)) == len(VOCABULARY) >= 5000
    assert invented_words(100) == invented_words(100)  # the same newsroom every time
    rng = random.Random(1)
    counts = Counter(word.lower() for _ in range(2000) for word in sentence(rng, 50)[:-1].split())
    # Zipf: the first word ~100 times as frequent as the 100th, a long tail of rare ones.
    assert counts[VOCABULARY[0]] > 30 * counts[VOCABULARY[99]] > 0
    assert len(counts) > 4000
    assert ZIPF_WEIGHTS == sorted(ZIPF_WEIGHTS)


def test_benchmark_searches_a_common_a_rare_and_a_two_word_query():
    queries = [
        re.search(r"[?&](?:q|search)=([^&]+)", path)[1].split("+")
        for name, path, *_ in ENDPOINTS
        if "search" in name
    ]
    ranks = {word: VOCABULARY.index(word) for words in queries for word in words}
    assert any(len(words) == 2 for words in queries)
    assert min(ranks.values()) == 0  # in every story
    assert max(ranks.values()) >= 3000  # in a few dozen of 10,000


def test_live_blog_benchmark_seeds_once_and_posts_until_stopped(section):
    from news.benchmark_data import post_live_every, seed_live_blog
    from news.models import LivePost

    blog = seed_live_blog(posts=12)
    assert seed_live_blog(posts=12).pk == blog.pk
    assert blog.live and blog.status == "live"
    assert LivePost.objects.published().filter(live_blog=blog).count() == 12
    assert LivePost.objects.filter(live_blog=blog, key_event=True).count() == 2

    seen = []
    count = post_live_every(blog, 0, check=seen.append, stopped=lambda: len(seen) >= 3)
    assert count == 3 and all(post.live for post in seen)
