"""Reader pages' markup for search engines, assistive technology and fast pictures: meta
descriptions, heading order, language, credits, <picture> with AVIF and WebP, the lead
picture first and every other one lazy."""

import re

import pytest
from bs4 import BeautifulSoup

from news.tests.factories import make_article, make_image, make_live_blog

pytestmark = pytest.mark.django_db


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def description_of(html):
    tag = html.select_one('meta[name="description"]')
    return tag["content"] if tag else None


@pytest.fixture
def front(client, home_page, section):
    """The home page with a lead story and two more in its section, as readers get it."""
    picture = make_image("Harbour", description="Boats in a harbour")
    lead = make_article(section, "Harbour reopens", intro="Ships sail.", lead_image=picture)
    make_article(section, "Port strike ends", lead_image=make_image("Quay"))
    make_article(section, "Words only")
    home_page.lead_article = lead
    home_page.save_revision().publish()
    return html_of(client, "/")


@pytest.mark.parametrize("make_story", [make_article, make_live_blog])
def test_story_description_is_the_search_description_else_standfirst_else_section_intro(
    client, section, make_story
):
    section.intro = "News from around the world."
    section.save_revision().publish()
    described = make_story(section, "Described", intro="Standfirst.", search_description="SEO.")
    standfirst = make_story(section, "Standfirst only", intro="Ships sail again.")
    bare = make_story(section, "Bare", intro="")
    assert description_of(html_of(client, described.url)) == "SEO."
    assert description_of(html_of(client, standfirst.url)) == "Ships sail again."
    assert description_of(html_of(client, bare.url)) == "News from around the world."


def test_home_page_has_a_description(client, home_page, settings):
    settings.NEWS_SITE_DESCRIPTION = "All the news."
    assert description_of(html_of(client, "/")) == "All the news."
    home_page.search_description = "The Ledger's front page."
    home_page.save_revision().publish()
    assert description_of(html_of(client, "/")) == "The Ledger's front page."


def test_corrections_page_has_a_description(client, section):
    assert "Every correction" in description_of(html_of(client, "/corrections/"))


def heading_levels(html):
    return [int(tag.name[1]) for tag in html.select("main h1, main h2, main h3, main h4")]


def assert_headings_in_order(html):
    levels = heading_levels(html)
    assert levels.count(1) == 1, levels
    assert levels[0] == 1, levels
    jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert jumps == [], levels


def test_home_headings_never_skip_a_level(front):
    assert_headings_in_order(front)
    assert front.select_one(".lead-story .card__headline").name == "h2"


def test_section_and_search_headings_never_skip_a_level(client, section):
    make_article(section, "Harbour reopens", intro="Ships sail.")
    assert_headings_in_order(html_of(client, section.url))
    results = html_of(client, "/search/?q=harbour")
    assert results.select(".card__headline")
    assert_headings_in_order(results)


def test_article_and_cards_carry_the_storys_language(client, section):
    related = make_article(section, "Grève au port", language="fr")
    story = make_article(section, "Storm in Bergen", language="nb-NO", related=[related])
    html = html_of(client, story.url)
    assert html.select_one("article.article")["lang"] == "nb-NO"
    assert html.select_one("aside.related article.card")["lang"] == "fr"
    # The chrome around the story (navigation, footer) stays in the site's language.
    assert html.html["lang"] == "en-us"


def test_picture_credit_is_announced_as_a_credit(client, section):
    story = make_article(
        section, "Storm", lead_image=make_image("Storm"), lead_image_credit="AFP photo"
    )
    caption = html_of(client, story.url).select_one(".article__lead-image figcaption")
    credit = caption.select_one(".credit")
    assert credit.get_text() == "AFP photo"
    label = credit.find_previous_sibling("span")
    assert "visually-hidden" in label["class"] and label.get_text() == "Credit:"


def sources_of(picture):
    return {source["type"]: source["srcset"] for source in picture.select("source")}


def test_lead_picture_is_avif_and_webp_first_eager_high_priority_and_preloaded(client, section):
    story = make_article(
        section,
        "Storm",
        lead_image=make_image("Storm"),
        body=[("image", {"image": make_image("Gale"), "caption": "", "credit": "", "alt": ""})],
    )
    html = html_of(client, story.url)
    picture = html.select_one(".article__lead-image picture")
    sources = sources_of(picture)
    assert list(sources) == ["image/avif", "image/webp"]
    assert [re.sub(r"\S+ ", "", part) for part in sources["image/avif"].split(", ")] == [
        "480w",
        "960w",
        "1200w",  # the picture's own width: never upscaled
    ]
    assert ".format-avif.avif" in sources["image/avif"]
    image = picture.img
    assert image["src"].endswith(".jpg")
    assert len(image["srcset"].split(",")) == 3
    assert image["sizes"] == picture.source["sizes"]
    assert image.get("loading") is None
    assert image["fetchpriority"] == "high"

    preload = html.select_one('head link[rel="preload"][as="image"]')
    assert preload["type"] == "image/avif"
    assert preload["imagesrcset"] == sources["image/avif"]
    assert preload["imagesizes"] == image["sizes"]


def test_every_other_picture_is_lazy_with_width_and_height(client, section):
    related = make_article(section, "Gale", lead_image=make_image("Gale"))
    story = make_article(
        section,
        "Storm",
        lead_image=make_image("Storm"),
        related=[related],
        body=[("image", {"image": make_image("Wave"), "caption": "", "credit": "", "alt": ""})],
    )
    html = html_of(client, story.url)
    others = [
        picture
        for picture in html.select("picture")
        if not picture.find_parent(class_="article__lead-image")
    ]
    assert len(others) == 2  # the body picture and the related card's
    for picture in others:
        assert list(sources_of(picture)) == ["image/avif", "image/webp"]
        image = picture.img
        assert image["loading"] == "lazy"
        assert int(image["width"]) > 0 and int(image["height"]) > 0
        assert "fetchpriority" not in image.attrs


def test_home_preloads_the_lead_storys_picture_and_lazy_loads_the_rest(front):
    preloads = front.select('head link[rel="preload"][as="image"]')
    assert len(preloads) == 1
    lead = front.select_one(".lead-story picture")
    assert preloads[0]["imagesrcset"] == sources_of(lead)["image/avif"]
    assert lead.img["fetchpriority"] == "high"
    # The front's other cards and the sections below it.
    rest = [image for image in front.select("main picture img") if image is not lead.img]
    assert rest and all(image["loading"] == "lazy" for image in rest)


def test_search_pages_have_a_description(client, section):
    make_article(section, "Harbour reopens", tags=["shipping"])
    assert "Search the paper" in description_of(html_of(client, "/search/"))
    assert "Search the paper" in description_of(html_of(client, "/search/?q=harbour"))
