"""ninjs 1.x headlines, bodies and descriptions written as the schema's pattern properties
(`headline_<name>`, `body_<name>`, `description_<name>`) become the article's fields."""

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from news.models import ArticlePage
from wire.body import plain_text
from wire.importer import CREATED, IngestError
from wire.mapping import is_sub_headline, read_story
from wire.ninjs import SCHEMA_VERSIONS, load_schema, validate


def item_1x(uri="urn:agency:patterns", **fields):
    """A valid ninjs 1.x text item with no headline or body; `fields` add them."""
    return {"uri": uri, "type": "text", "versioncreated": "2026-05-06T09:00:00Z", **fields}


def ingest(desk, item):
    [result] = desk.ingest(item)
    assert result.outcome == CREATED
    return ArticlePage.objects.get(pk=result.article_id)


def test_the_1x_schemas_declare_headline_body_and_description_patterns():
    for version in SCHEMA_VERSIONS["1"]:
        patterns = set(load_schema(version)["patternProperties"])
        assert {"^headline_[a-zA-Z0-9_]+", "^body_[a-zA-Z0-9_]+"} <= patterns
        assert "^description_[a-zA-Z0-9_]+" in patterns


def test_an_item_with_only_headline_main_becomes_a_draft_in_review(desk):
    # As the IPTC's own 1.x documentation examples carry it.
    item = item_1x(headline_main="Dam holds after a night of rain", body_text="It held.")
    assert validate(item) == "1"

    article = ingest(desk, item)

    assert article.title == "Dam holds after a night of rain"
    assert not article.live
    assert article.editorial_status == "in_review"
    assert plain_text(article.body[0].value.source) == "It held."


def test_headline_main_comes_before_other_headlines_and_sub_headlines_never_lead():
    item = item_1x(
        headline_sub="Engineers relieved", headline_web="Dam ok", headline_main="Dam holds"
    )
    assert read_story(item, "1").headline == "Dam holds"

    del item["headline_main"]
    story = read_story(item, "1")
    assert (story.headline, story.intro) == ("Dam ok", "Engineers relieved")


def test_the_headline_property_still_wins():
    item = item_1x(headline="Dam holds", headline_main="Other")
    assert read_story(item, "1").headline == "Dam holds"


@pytest.mark.parametrize("key", ["headline_sub", "headline_subtitle", "headline_sub_headline"])
def test_an_item_whose_only_headline_is_a_sub_headline_is_refused(desk, key):
    with pytest.raises(IngestError) as refused:
        desk.ingest(item_1x(**{key: "Engineers relieved"}, body_text="It held."))

    assert "no headline" in str(refused.value)
    assert not ArticlePage.objects.exists()


@pytest.mark.parametrize(
    ("bodies", "expected"),
    [
        (
            {
                "body_text": "Plain.",
                "body_nitf": "<nitf><body><body.content><p>Nitf.</p></body.content></body></nitf>",
                "body_richtext": "<p><i>Rich.</i></p>",
                "body_xhtml": "<p><b>Xhtml.</b></p>",
                "body_html": "<p><b>Html.</b></p>",
            },
            "<b>Html.</b>",
        ),
        ({"body_text": "Plain.", "body_richtext": "<p><i>Rich.</i></p>"}, "<i>Rich.</i>"),
        (
            {
                "body_main": "Plain.",
                "body_nitf": "<nitf><body><body.content><p>Nitf.</p></body.content></body></nitf>",
            },
            "Nitf.",
        ),
        ({"body_main": "Main.", "body_text": "Text."}, "<p>Text.</p>"),
        ({"body_main": "First.\n\nSecond."}, "<p>First.</p><p>Second.</p>"),
        ({"body_main": "<p>Marked <b>up</b>.</p>"}, "<b>up</b>"),
        ({"body_html_main": "<p><b>Named twice.</b></p>"}, "<b>Named twice.</b>"),
    ],
    ids=[
        "html-first",
        "richtext-over-text",
        "nitf-over-text",
        "text-first",
        "main",
        "main-markup",
        "parts",
    ],
)
def test_bodies_are_read_richest_markup_first(bodies, expected):
    story = read_story(item_1x(headline_main="Dam holds", **bodies), "1")
    assert expected in story.body_html


def test_plain_text_bodies_are_escaped_not_read_as_markup():
    story = read_story(item_1x(headline_main="Dam", body_main="a < b & c"), "1")
    assert story.body_html == "<p>a &lt; b &amp; c</p>"


def test_a_description_is_the_standfirst_when_there_is_no_sub_headline(desk):
    item = item_1x(
        headline_main="Dam holds",
        description_usage="Not for the standfirst",
        description_summary="Water stayed <b>below</b> the crest.",
        body_text="It held.",
    )
    assert ingest(desk, item).intro == "Water stayed below the crest."

    item = {**item, "uri": "urn:agency:with-sub", "headline_sub": "Engineers relieved"}
    assert ingest(desk, item).intro == "Engineers relieved"


def test_a_picture_caption_comes_from_its_description_properties():
    picture = {
        "type": "picture",
        "uri": "urn:picture",
        "description_caption": "Boats wait.",
        "renditions": {"large": {"href": "https://pictures.example/a.jpg"}},
    }
    item = item_1x(headline_main="Dam", associations={"mainpic": picture})
    assert validate(item) == "1"
    assert read_story(item, "1").picture.caption == "Boats wait."


# Items written from the schema itself: every key is drawn from its pattern properties.
SCHEMA_1X = load_schema(SCHEMA_VERSIONS["1"][0])
PATTERNS = {
    prefix: next(p for p in SCHEMA_1X["patternProperties"] if p.startswith(f"^{prefix}_"))
    for prefix in ("headline", "body", "description")
}
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=40)


def pattern_fields(prefix):
    return st.dictionaries(st.from_regex(PATTERNS[prefix], fullmatch=True), TEXT, max_size=3)


def expected_headline(item):
    """What a reader would call the headline: headline_main, else any non-sub headline."""
    named = [(k, v) for k, v in item.items() if k.startswith("headline_")]
    named.sort(key=lambda kv: "main" not in kv[0].lower().split("_")[1:])
    for key, value in named:
        if not is_sub_headline(key.lower().split("_")[1:]) and plain_text(value):
            return plain_text(value)
    return ""


uris = (f"urn:agency:generated:{n}" for n in itertools.count())


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    headlines=pattern_fields("headline"),
    bodies=pattern_fields("body"),
    descriptions=pattern_fields("description"),
)
def test_every_valid_item_with_a_headline_in_any_form_becomes_a_draft(
    desk, headlines, bodies, descriptions
):
    item = item_1x(uri=next(uris), **headlines, **bodies, **descriptions)
    assert validate(item) == "1"
    headline = expected_headline(item)

    if not headline:
        with pytest.raises(IngestError, match="no headline"):
            desk.ingest(item)
        return
    article = ingest(desk, item)
    assert article.title == headline[:254].rstrip() + "…" if len(headline) > 255 else headline
    assert not article.live
    assert article.editorial_status == "in_review"
    assert not re.search(r"<script|javascript:", str(article.body), re.I)


def test_a_headline_of_symbols_only_still_gets_a_slug(desk):
    first = ingest(desk, item_1x(uri="urn:agency:2026:bang", headline_main="!!!"))
    second = ingest(desk, item_1x(uri="urn:other:2026:bang", headline_main="???"))

    assert (first.title, first.slug) == ("!!!", "urnagency2026bang")
    assert second.slug == "urnother2026bang"
