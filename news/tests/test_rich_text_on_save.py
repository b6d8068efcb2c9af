"""Rich text is cleaned on every save, by any path, and `audit_rich_text` cleans what raw SQL
wrote; afterwards no channel serves anything hostile."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail import blocks
from wagtail.models import Revision

from news.blocks import PARAGRAPH_FEATURES
from news.models import ArticlePage
from news.rich_text import audit_rich_text, clean_block_data, clean_html
from news.tests.factories import make_article, paragraph

pytestmark = pytest.mark.django_db

HOSTILE = (
    "<p>Safe words <a href=\"javascript:alert('js')\">js link</a> "
    "<b onclick=\"alert('click')\">bold</b>"
    "<script>alert('script')</script><img src=x onerror=\"alert('img')\"></p>"
)
MARKERS = ("javascript:", "onclick", "onerror", "alert(")


def stored_body(article):
    """The article row's body as the database holds it (JSON text)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM news_articlepage WHERE page_ptr_id = %s", [article.pk])
        value = cursor.fetchone()[0]
    return value if isinstance(value, str) else json.dumps(value)


def stored_revision(article):
    return json.dumps(Revision.objects.get(pk=article.latest_revision_id).content)


def assert_inert(text):
    found = [marker for marker in MARKERS if marker in text.lower()]
    assert not found, (found, text[:2000])


def test_a_hostile_body_saved_through_the_orm_is_stored_clean(section):
    article = make_article(section, "Hostile copy", body=[paragraph(HOSTILE)])

    assert_inert(stored_body(article))
    assert_inert(stored_revision(article))
    assert "Safe words" in stored_body(article)
    assert "<b>bold</b>" in stored_body(article)


def test_a_revision_saved_on_its_own_is_stored_clean(section):
    article = make_article(section, "Quiet copy")
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.body = [paragraph(HOSTILE)]
    # save_revision() does not save the page's body: only the revision holds it.
    draft.save_revision()

    assert_inert(stored_revision(ArticlePage.objects.get(pk=article.pk)))


def test_a_queryset_update_is_not_a_save_so_the_audit_catches_it(section):
    article = make_article(section, "Quiet copy")
    ArticlePage.objects.filter(pk=article.pk).update(
        body=json.dumps([{"type": "paragraph", "value": HOSTILE, "id": "p1"}])
    )

    [finding] = audit_rich_text()

    assert (finding.model, finding.pk, finding.fields) == (ArticlePage, article.pk, ["body"])


def test_clean_rich_text_is_kept_byte_for_byte(section):
    other = make_article(section, "Other story")
    html = (
        '<p data-block-key="a1b2c">Words <b>bold</b> <i>italic</i> '
        '<a href="https://example.com/a?b=1&amp;c=2">out</a> '
        f'<a linktype="page" id="{other.pk}">in</a> <a href="mailto:desk@example.com">mail</a>'
        '</p><ul><li data-block-key="d4e5f">one</li></ul>'
    )
    features = tuple(PARAGRAPH_FEATURES)

    assert clean_html(html, features) == html
    article = make_article(section, "Clean copy", body=[paragraph(html)])
    assert article.body[0].value.source == html
    assert audit_rich_text() == []


@pytest.mark.parametrize(
    "html",
    [
        '<p><a href=" JaVaScRiPt:alert(1)">x</a></p>',
        '<p><a href="data:text/html,alert(1)">x</a></p>',
        '<p><a href="https://example.com/" style="color:red">x</a></p>',
        '<p><a linktype="page" id="1 onclick=alert(1)">x</a></p>',
        '<p><a linktype="page" id="99999999999999999999">x</a></p>',
        "<p>x<!-- <script>alert(1)</script> --></p>",
        "<h2>Not a paragraph feature</h2><table><tr><td>x</td></tr></table>",
        '<p><embed embedtype="image" id="1" format="left"/>x</p>',
    ],
)
def test_anything_beyond_the_editor_features_is_cleaned(html):
    features = tuple(PARAGRAPH_FEATURES)
    cleaned = clean_html(html, features)

    assert cleaned != html
    assert clean_html(cleaned, features) == cleaned  # what the editor itself would keep
    for marker in (
        "javascript",
        "data:",
        "style",
        "onclick",
        "<!--",
        "<h2",
        "<table",
        "<embed",
        "999",
    ):
        assert marker not in cleaned.lower(), cleaned


def test_rich_text_nested_in_structs_and_lists_is_cleaned():
    block = blocks.StreamBlock(
        [
            ("card", blocks.StructBlock([("text", blocks.RichTextBlock(features=["bold"]))])),
            ("items", blocks.ListBlock(blocks.RichTextBlock(features=["bold"]))),
        ]
    )
    raw = [
        {"type": "card", "value": {"text": HOSTILE}, "id": "c"},
        {"type": "items", "value": [{"type": "item", "value": HOSTILE, "id": "i"}], "id": "l"},
        {"type": "items", "value": [HOSTILE], "id": "old"},  # before Wagtail 2.16
    ]

    cleaned, changed = clean_block_data(block, raw)

    assert changed
    assert_inert(json.dumps(cleaned))
    assert raw[0]["value"]["text"] == HOSTILE  # the input is not modified


def write_hostile_rows_by_sql(article):
    """A restored backup: the live row and its latest revision hold hostile HTML."""
    stream = [{"type": "paragraph", "value": HOSTILE, "id": "p1"}]
    content = Revision.objects.get(pk=article.latest_revision_id).content
    content["body"] = json.dumps(stream)
    as_json = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE news_articlepage SET body = {as_json} WHERE page_ptr_id = %s",  # noqa: S608
            [json.dumps(stream), article.pk],
        )
        cursor.execute(
            f"UPDATE wagtailcore_revision SET content = {as_json} WHERE id = %s",  # noqa: S608
            [json.dumps(content), article.latest_revision_id],
        )


def channels(client, article, section):
    """What every reader-facing channel answers for the article."""
    urls = [
        article.url,
        f"/api/v2/pages/{article.pk}/",
        "/api/v2/pages/?type=news.ArticlePage",
        f"/api/v3/pages/{article.pk}/",
        "/feeds/rss/",
        "/feeds/atom/",
        f"/feeds/section/{section.slug}/rss/",
        *(f"/api/v3/pages/{article.pk}/ninjs/?version={v}" for v in "123"),
    ]
    answers = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        answers[url] = response.content.decode()
    return answers


def test_hostile_rows_written_by_sql_are_found_cleaned_and_served_inert(client, section, settings):
    settings.NEWS_CACHE_TIMEOUT = 300  # what was cached before the fix must not be served
    article = make_article(section, "Restored story")
    write_hostile_rows_by_sql(article)
    before = channels(client, article, section)
    assert "javascript:" in before[article.url]  # Wagtail serves stored HTML as it is

    out = StringIO()
    call_command("audit_rich_text", stdout=out)
    assert f"news.ArticlePage {article.pk}: body" in out.getvalue()
    assert f"news.ArticlePage {article.pk}, revision {article.latest_revision_id}: body" in (
        out.getvalue()
    )
    assert "Found 2 row(s)" in out.getvalue()
    assert "javascript:" in stored_body(article)  # only --fix changes anything

    call_command("audit_rich_text", "--fix", stdout=StringIO())

    assert_inert(stored_body(article))
    assert_inert(stored_revision(article))
    for url, text in channels(client, article, section).items():
        assert "Safe words" in text or "ninjs" not in url, url
        assert_inert(text)
    assert audit_rich_text() == []
