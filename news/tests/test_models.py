"""Model rules: page tree types, bylines, teasers, related articles and listings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from home.models import HomePage
from news.models import ArticlePage, LiveBlogPage, SectionPage
from news.renditions import RENDITIONS
from news.tests.factories import (
    at,
    make_article,
    make_author,
    make_image,
    make_section,
    paragraph,
)

pytestmark = pytest.mark.django_db


def test_section_lives_only_under_the_home_page_and_holds_articles_and_live_blogs():
    assert SectionPage.parent_page_types == ["home.HomePage"]
    assert SectionPage.allowed_subpage_models() == [ArticlePage, LiveBlogPage]
    assert SectionPage.allowed_parent_page_models() == [HomePage]


def test_article_lives_only_in_a_section_and_has_no_children(home_page, section):
    assert ArticlePage.allowed_parent_page_models() == [SectionPage]
    assert ArticlePage.allowed_subpage_models() == []
    assert ArticlePage.can_create_at(section)
    assert not ArticlePage.can_create_at(home_page)
    assert not SectionPage.can_create_at(section)
    assert HomePage.allowed_subpage_models() == [SectionPage]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["AFP"], "AFP"),
        (["Jane Doe", "John Roe"], "Jane Doe and John Roe"),
        (["Jane Doe", "John Roe", "AFP"], "Jane Doe, John Roe and AFP"),
        ([], ""),
    ],
)
def test_byline_reads_as_a_newspaper_prints_it(section, names, expected):
    authors = [make_author(name, kind="agency" if name == "AFP" else "staff") for name in names]
    article = make_article(section, "Bylined", authors=authors)
    assert article.byline == expected


def test_byline_keeps_the_editors_order(section):
    first, second = make_author("Zed Zephyr"), make_author("Amy Able")
    article = make_article(section, "Ordered", authors=[first, second])
    assert ArticlePage.objects.get(pk=article.pk).byline == "Zed Zephyr and Amy Able"


def test_teaser_is_the_standfirst_when_there_is_one(section):
    article = make_article(section, "With standfirst", intro="A short standfirst.")
    assert article.teaser == "A short standfirst."


def test_teaser_falls_back_to_the_body_cut_on_a_word_boundary(section):
    words = " ".join(f"word{n}" for n in range(60))
    article = make_article(section, "No standfirst", body=[paragraph(f"<p><b>{words}</b></p>")])
    teaser = article.teaser
    assert teaser.endswith("…")
    assert len(teaser) <= 161
    assert words.startswith(teaser[:-1])
    assert words[len(teaser) - 1] == " "  # the cut fell between two words
    assert "<b>" not in teaser


def test_teaser_of_a_short_body_is_the_whole_text_unescaped(section):
    article = make_article(section, "Short", body=[paragraph("<p>Fish &amp; chips.</p>")])
    assert article.teaser == "Fish & chips."


def test_related_articles_put_hand_picked_first_then_tags_then_section(home_page, section):
    other_section = make_section(home_page, "Business")
    same_section_old = make_article(section, "Same section", published_at=at(2024, 1, 1))
    shared_tag_elsewhere = make_article(
        other_section, "Shared tag", tags=["oil"], published_at=at(2024, 1, 2)
    )
    picked = make_article(other_section, "Picked by hand", published_at=at(2023, 1, 1))
    unrelated = make_article(other_section, "Unrelated", published_at=at(2024, 6, 1))

    article = make_article(section, "Subject", tags=["oil"], related=[picked])

    related = article.get_related_articles(limit=3)
    assert related == [picked, shared_tag_elsewhere, same_section_old]
    assert unrelated not in related
    assert article not in article.get_related_articles(limit=10)


def test_related_articles_fill_from_tags_newest_first(section):
    older = make_article(section, "Older", tags=["oil"], published_at=at(2024, 1, 1))
    newer = make_article(section, "Newer", tags=["oil"], published_at=at(2024, 2, 1))
    article = make_article(section, "Subject", tags=["oil"])
    assert article.get_related_articles(limit=2) == [newer, older]


def test_related_articles_never_include_drafts_or_private_stories(section):
    draft = make_article(section, "Draft", tags=["oil"], publish=False)
    private = make_article(section, "Private", tags=["oil"])
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    live = make_article(section, "Live", tags=["oil"])
    article = make_article(section, "Subject", tags=["oil"], related=[draft, private])
    assert article.get_related_articles(limit=10) == [live]


def test_related_articles_of_the_same_section_are_newest_first_undated_last(section):
    undated = make_article(section, "Undated")
    ArticlePage.objects.filter(pk=undated.pk).update(first_published_at=None)
    stories = [make_article(section, f"Story {n}", published_at=at(2024, 1, n)) for n in (1, 2, 3)]
    private = make_article(section, "Private", published_at=at(2024, 2, 1))
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    article = make_article(section, "Subject", published_at=at(2023, 1, 1))
    assert article.get_related_articles(limit=4) == [*reversed(stories), undated]
    assert article.get_related_articles(limit=2) == [stories[2], stories[1]]


def test_related_articles_drop_a_hand_picked_story_once_it_is_unpublished(section):
    picked = make_article(section, "Picked")
    article = make_article(section, "Subject", related=[picked])
    assert article.get_related_articles() == [picked]
    picked.unpublish()
    assert article.get_related_articles() == []


def listing_queries(articles_qs):
    with CaptureQueriesContext(connection) as captured:
        for article in articles_qs:
            (article.section.title, article.byline, article.teaser, list(article.tags.all()))
            article.lead_image.get_rendition(RENDITIONS["thumbnail"])
    return len(captured)


def test_listing_costs_the_same_queries_for_two_or_eight_articles(home_page, section):
    business = make_section(home_page, "Business")
    jane, afp = make_author("Jane Doe"), make_author("AFP", kind="agency")
    picture = make_image()
    picture.get_rendition(RENDITIONS["thumbnail"])

    def add(count):
        for n in range(count):
            make_article(
                section if n % 2 else business,
                f"Story {n} of {count}",
                authors=[jane, afp],
                tags=["oil", f"tag{n}"],
                lead_image=picture,
            )

    add(2)
    few = listing_queries(ArticlePage.objects.live().for_listing())
    add(6)
    many = listing_queries(ArticlePage.objects.live().for_listing())
    # articles, sections, bylines, tags, lead images, renditions
    assert few == many == 6


def test_listing_attaches_each_article_its_section(home_page, section):
    business = make_section(home_page, "Business")
    make_article(section, "One")
    make_article(business, "Two")
    articles = ArticlePage.objects.live().for_listing()
    assert {article.title: article.section for article in articles} == {
        "One": section,
        "Two": business,
    }


def test_latest_per_section_takes_the_newest_few_of_each(home_page, section):
    business = make_section(home_page, "Business")
    world = [make_article(section, f"World {n}", published_at=at(2024, 1, n + 1)) for n in range(4)]
    money = make_article(business, "Money", published_at=at(2024, 1, 1))
    undated = make_article(business, "Undated")
    ArticlePage.objects.filter(pk=undated.pk).update(first_published_at=None)
    latest = ArticlePage.objects.live().latest_per_section([section, business], 2)
    assert latest[section.path] == [world[3], world[2]]
    assert latest[business.path] == [money, undated]  # the undated last


def test_draft_is_not_live_and_not_listed(section):
    draft = make_article(section, "Draft", publish=False)
    assert not draft.live
    assert draft not in section.get_articles()


def test_section_lists_only_live_public_articles_newest_first(section):
    old = make_article(section, "Old", published_at=at(2024, 1, 1))
    new = make_article(section, "New", published_at=at(2024, 3, 1))
    make_article(section, "Draft", publish=False)
    private = make_article(section, "Private")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    assert list(section.get_articles()) == [new, old]


def test_a_revision_keeps_its_own_bylines_and_tags(section):
    jane, afp = make_author("Jane Doe"), make_author("AFP", kind="agency")
    article = make_article(section, "Revised", authors=[jane], tags=["oil"])
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.article_authors.add(draft.article_authors.model(author=afp, sort_order=1))
    draft.tags.add("gas")
    draft.save_revision()

    live = Page.objects.get(pk=article.pk).specific
    assert live.byline == "Jane Doe"
    assert [tag.name for tag in live.tags.all()] == ["oil"]
    latest = live.get_latest_revision_as_object()
    assert latest.byline == "Jane Doe and AFP"
    assert sorted(tag.name for tag in latest.tags.all()) == ["gas", "oil"]


def ranked_by_hand(tag, live, depth):
    """What newest_per_tag must give for one tag: its live stories, newest first, undated last."""
    stories = sorted(
        live.filter(tags__name=tag),
        key=lambda a: (a.first_published_at is not None, a.first_published_at or 0, a.pk),
        reverse=True,
    )
    return [(a.pk, a.first_published_at) for a in stories[:depth]]


def test_newest_per_tag_matches_a_full_ranking_for_busy_stale_and_rare_tags(section):
    """The early-stopping walk (busy tags) and the window it falls back on (the rest) agree
    with a ranking of every story by hand; drafts and private stories never rank."""
    from taggit.models import Tag

    from news.related import newest_per_tag

    depth = 2
    # Stale stories: older than everything tagged "busy", so the walk from the newest
    # (4 * depth rows per wanted tag) never reaches them.
    for day in (1, 2, 3):
        make_article(section, f"Stale {day}", tags=["stale"], published_at=at(2020, 1, day))
    for day in range(1, 26):  # more rows than the walk reads for three tags
        make_article(section, f"Busy {day}", tags=["busy"], published_at=at(2024, 1, day))
    rare = make_article(section, "Rare", tags=["rare", "busy"], published_at=at(2023, 1, 1))
    undated = make_article(section, "Rare undated", tags=["rare"])
    ArticlePage.objects.filter(pk=undated.pk).update(first_published_at=None)
    make_article(section, "Busy draft", tags=["busy"], publish=False)
    private = make_article(section, "Busy private", tags=["busy"], published_at=at(2025, 1, 1))
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    live = ArticlePage.objects.live().exclude(Page.objects.private_q()).in_a_site()
    tags = {tag.name: tag.pk for tag in Tag.objects.filter(name__in=["busy", "stale", "rare"])}
    ranking = newest_per_tag(set(tags.values()), live, depth)

    assert ranking == {pk: ranked_by_hand(name, live, depth) for name, pk in tags.items()}
    assert [pk for pk, _ in ranking[tags["rare"]]] == [rare.pk, undated.pk]
    assert len(ranking[tags["stale"]]) == depth
    assert private.pk not in [pk for pk, _ in ranking[tags["busy"]]]


def test_newest_per_tag_leaves_out_live_stories_outside_every_site(home_page, section):
    """A live story under a second, unrouted root ranks nowhere, whatever its date."""
    from taggit.models import Tag

    from news.related import newest_per_tag

    make_article(section, "Routed", tags=["oil"], published_at=at(2024, 1, 1))
    elsewhere_home = HomePage(title="Next home", slug="next-home")
    Page.get_first_root_node().add_child(instance=elsewhere_home)
    elsewhere = make_section(elsewhere_home, "Elsewhere")
    outside = make_article(elsewhere, "Unrouted", tags=["oil"], published_at=at(2025, 1, 1))

    live = ArticlePage.objects.live().exclude(Page.objects.private_q()).in_a_site()
    oil = Tag.objects.get(name="oil").pk
    assert outside.pk not in [pk for pk, _ in newest_per_tag({oil}, live, 3)[oil]]
    assert [a.title for a in live.filter(tags__name="oil")] == ["Routed"]
