"""The mapping from ninjs to an article, field by field, in each major version."""

from datetime import UTC, datetime

import pytest

from news.models import ArticlePage, Author, AuthorKind
from news.tests.factories import make_author
from wire.importer import CREATED
from wire.mapping import read_story
from wire.ninjs import detect_major, validate

from .factories import ninjs_story

ITEM_1X = {
    "uri": "urn:agency:1x",
    "type": "text",
    "versioncreated": "2026-05-06T09:00:00Z",
    "firstcreated": "2026-05-06T08:00:00Z",
    "language": "fr",
    "headline": "Le barrage tient",
    "headline_sub": "Les pluies ont cessé",
    "byline": "By Ann Lee and AFP",
    "located": "LYON",
    "body_xhtml": "<p>Le barrage <em>a tenu</em>.</p>",
    "subject": [{"name": "inondations"}],
}
ITEM_3X = {
    "uri": "urn:agency:3x",
    "type": "text",
    "versionCreated": "2026-05-06T09:00:00Z",
    "firstCreated": "2026-05-06T08:00:00Z",
    "pubStatus": "usable",
    "language": "de",
    "headlines": [{"role": "main", "value": "Damm hält"}],
    "descriptions": [{"role": "summary", "value": "Der Regen hat aufgehört."}],
    "by": "Ann Lee, dpa",
    "located": "DRESDEN",
    "bodies": [{"role": "text", "contentType": "text/plain", "value": "Erster.\n\nZweiter."}],
    "subjects": [{"name": "Hochwasser"}],
}


def ingest(desk, item):
    [result] = desk.ingest(item)
    assert result.outcome == CREATED
    return ArticlePage.objects.get(pk=result.article_id)


@pytest.mark.parametrize(("item", "major"), [(ITEM_1X, "1"), (ninjs_story(), "2"), (ITEM_3X, "3")])
def test_the_version_is_detected_and_the_item_validated(item, major):
    assert detect_major(item) == major
    assert validate(item) == major


def test_a_declared_standard_wins_over_the_key_style():
    assert detect_major({"uri": "x", "standard": {"version": "3.0"}}) == "3"


def test_ninjs_1x_maps_field_by_field(desk):
    article = ingest(desk, ITEM_1X)

    assert article.title == "Le barrage tient"
    assert article.intro == "Les pluies ont cessé"
    assert article.dateline == "LYON"
    assert article.language == "fr"
    assert article.byline == "Ann Lee and AFP"
    assert [b.block_type for b in article.body] == ["paragraph"]
    assert "<i>a tenu</i>" in article.body[0].value.source
    assert [t.name for t in article.tags.all()] == ["inondations"]
    assert article.wire_first_created == datetime(2026, 5, 6, 8, tzinfo=UTC)
    assert article.wire_version_created == datetime(2026, 5, 6, 9, tzinfo=UTC)


def test_ninjs_2x_maps_field_by_field(desk):
    article = ingest(
        desk,
        ninjs_story(
            descriptions=[{"role": "summary", "value": "Water stayed <b>below</b> the crest."}]
        ),
    )

    assert article.title == "Dam holds after night of rain"
    assert article.intro == "Water stayed below the crest."
    assert article.dateline == "LYON, France"
    assert article.language == "en"
    assert article.byline == "Ann Lee and AFP"
    assert sorted(t.name for t in article.tags.all()) == ["France", "floods"]
    assert article.wire_version == "1"


def test_ninjs_3x_maps_field_by_field(desk):
    article = ingest(desk, ITEM_3X)

    assert article.title == "Damm hält"
    assert article.intro == "Der Regen hat aufgehört."
    assert article.language == "de"
    assert article.byline == "Ann Lee and dpa"
    assert article.wire_agency.name == "dpa"
    assert [str(b.value) for b in article.body][0].count("<p") == 2  # two text paragraphs


def test_a_sub_headline_becomes_the_standfirst(desk):
    article = ingest(
        desk,
        ninjs_story(
            headlines=[
                {"role": "main", "value": "Dam holds"},
                {"role": "sub", "value": "Engineers relieved"},
            ]
        ),
    )
    assert (article.title, article.intro) == ("Dam holds", "Engineers relieved")


def test_agencies_become_agency_authors_and_people_contributors(desk):
    article = ingest(desk, ninjs_story(by="Ann Lee, Bo Chen and Reuters"))

    kinds = {a.name: a.kind for a in article.authors}
    assert kinds == {
        "Ann Lee": AuthorKind.CONTRIBUTOR,
        "Bo Chen": AuthorKind.CONTRIBUTOR,
        "Reuters": AuthorKind.AGENCY,
    }
    assert article.wire_agency.name == "Reuters"
    assert article.byline == "Ann Lee, Bo Chen and Reuters"


def test_agency_aliases_and_existing_agencies_are_recognised(desk):
    make_author("Kyodo News Wire", kind=AuthorKind.AGENCY)
    article = ingest(desk, ninjs_story(by="Associated Press / Kyodo News Wire"))

    assert [(a.name, a.kind) for a in article.authors] == [
        ("AP", AuthorKind.AGENCY),
        ("Kyodo News Wire", AuthorKind.AGENCY),
    ]


def test_existing_authors_are_matched_by_name_and_keep_their_kind(desk):
    ann = make_author("Ann Lee", kind=AuthorKind.STAFF)
    afp = make_author("AFP", kind=AuthorKind.AGENCY)

    first = ingest(desk, ninjs_story(uri="urn:a", by="ann lee, AFP"))
    second = ingest(desk, ninjs_story(uri="urn:b", by="Ann Lee and afp"))

    assert first.authors == [ann, afp] == second.authors
    assert Author.objects.count() == 2
    ann.refresh_from_db()
    assert ann.kind == AuthorKind.STAFF


def test_the_copyright_holder_names_the_agency_when_the_byline_does_not(desk):
    article = ingest(desk, ninjs_story(by="Ann Lee", copyrightholder="NTB"))

    assert article.wire_agency.name == "NTB"
    assert article.byline == "Ann Lee and NTB"


def test_without_a_language_the_article_has_the_site_language(desk, settings):
    item = ninjs_story()
    del item["language"]
    assert ingest(desk, item).language == settings.LANGUAGE_CODE


def test_a_language_that_is_no_bcp47_tag_is_a_warning(desk, settings):
    [result] = desk.ingest(ninjs_story(language="not a tag!"))

    assert ArticlePage.objects.get(pk=result.article_id).language == settings.LANGUAGE_CODE
    assert any("BCP 47" in w for w in result.warnings)


def test_headings_and_quotes_become_their_own_blocks(desk):
    body = (
        "<p>Opening.</p><h3>What next</h3><p>More.</p>"
        "<blockquote><p>We held.</p><cite>The mayor</cite></blockquote>"
    )
    article = ingest(desk, ninjs_story(bodies=[{"contenttype": "text/html", "value": body}]))

    assert [(b.block_type) for b in article.body] == ["paragraph", "heading", "paragraph", "quote"]
    assert article.body[1].value == "What next"
    assert dict(article.body[3].value) == {"quote": "We held.", "attribution": "The mayor"}


def test_html_is_preferred_to_plain_text(desk):
    bodies = [
        {"role": "text", "contenttype": "text/plain", "value": "Plain."},
        {"role": "xhtml", "contenttype": "text/html", "value": "<p><b>Rich.</b></p>"},
    ]
    article = ingest(desk, ninjs_story(bodies=bodies))
    assert "<b>Rich.</b>" in article.body[0].value.source


def test_a_long_headline_is_cut_with_a_warning():
    story = read_story(ninjs_story(headlines=[{"value": "word " * 80}]), "2")
    assert len(story.headline) == 255
    assert story.warnings == ["The headline was cut to 255 characters."]
