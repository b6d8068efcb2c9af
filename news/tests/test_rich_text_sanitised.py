"""Rich text is sanitised on save: whatever the page editor or API v3 is sent, the stored
body holds only the HTML Wagtail's rich text features allow."""

import json

import pytest
from bs4 import BeautifulSoup

from news.blocks import PARAGRAPH_FEATURES
from news.models import ArticlePage

pytestmark = pytest.mark.django_db

HOSTILE_HTML = (
    "<p>Safe words<script>alert('script')</script>"
    '<img src="x" onerror="alert(\'onerror\')">'
    "<b onmouseover=\"alert('mouseover')\">bold</b> "
    "<a href=\"javascript:alert('js')\">js link</a> "
    "<a href=\"JaVaScRiPt:alert('mixed')\">mixed case</a> "
    "<a href=\" javascript:alert('space')\">leading space</a> "
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a> '
    '<a href="vbscript:msgbox(1)">vb link</a> '
    '<iframe src="https://evil.example/"></iframe>'
    '<a href="https://example.com/" style="color:red" onclick="alert(\'click\')">fine link</a>'
    "</p>"
)

SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:", "/", "#")


def stored_paragraphs(article):
    """The database HTML of every paragraph in the article's latest revision."""
    body = article.get_latest_revision_as_object().body
    return [block.value.source for block in body if block.block_type == "paragraph"]


def assert_only_allowed_html(html):
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all(["script", "iframe", "img", "style"]), html
    for tag in soup.find_all(True):
        assert not [name for name in tag.attrs if name.startswith("on") or name == "style"], html
        if tag.name == "a" and tag.get("href") is not None:
            assert tag["href"].strip().lower().startswith(SAFE_SCHEMES), html
    for tag in soup.find_all(True):
        assert "alert(" not in " ".join(map(str, tag.attrs.values())), html
    assert "Safe words" in soup.get_text()


def contentstate(text, links):
    """Draftail's editor state: `text`, then one linked word per URL in `links`."""
    entity_map = {}
    ranges = []
    for key, url in enumerate(links):
        entity_map[str(key)] = {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}
        ranges.append({"offset": len(text), "length": 4, "key": key})
        text += "link "
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "type": "unstyled",
                    "depth": 0,
                    "text": text,
                    "inlineStyleRanges": [],
                    "entityRanges": ranges,
                    "data": {},
                }
            ],
            "entityMap": entity_map,
        }
    )


HOSTILE_URLS = [
    "javascript:alert('js')",
    "JaVaScRiPt:alert('mixed')",
    " javascript:alert('space')",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "https://example.com/",
]


def test_the_page_editor_stores_only_allowed_html(
    client, django_user_model, story_by, article_form
):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    editor = django_user_model.objects.create_superuser("root", "r@n.test", "pw")
    article = story_by(editor)
    client.force_login(editor)
    # What a hostile client can send the editor: its raw state, not what Draftail would make.
    state = contentstate("Safe words <script>alert('script')</script> ", HOSTILE_URLS)
    data = article_form(article.title, slug=article.slug)
    data.update(nested_form_data({"body": streamfield([("paragraph", state)])}))

    response = client.post(f"/admin/pages/{article.pk}/edit/", data)

    assert response.status_code == 302
    [html] = stored_paragraphs(ArticlePage.objects.get(pk=article.pk))
    assert "&lt;script&gt;" in html  # text, shown as text
    assert_only_allowed_html(html)
    assert 'href="https://example.com/"' in html


def post_json(client, url, data, headers, method="post"):
    return getattr(client, method)(
        url, json.dumps(data), content_type="application/json", **headers
    )


def test_v3_writes_cannot_carry_rich_text_into_the_body(client, section, editor, bearer):
    # The body is read-only over v3 (news/models.py api_fields): a hostile one is dropped.
    data = {
        "meta": {"type": "news.ArticlePage", "parent_id": section.pk},
        "title": "Hostile copy",
        "slug": "hostile-copy",
        "body": [{"type": "paragraph", "value": HOSTILE_HTML}],
    }

    created = post_json(client, "/api/v3/pages/", data, bearer(editor))
    article = ArticlePage.objects.get(slug="hostile-copy")
    del data["meta"]["parent_id"]
    updated = post_json(client, f"/api/v3/pages/{article.pk}/", data, bearer(editor), "patch")

    assert (created.status_code, updated.status_code) == (201, 200)
    assert stored_paragraphs(ArticlePage.objects.get(pk=article.pk)) == []
    assert "alert(" not in json.dumps(article.get_latest_revision().content)


@pytest.mark.parametrize(
    "value",
    [
        HOSTILE_HTML,
        {"format": "db_html", "content": HOSTILE_HTML},
        {
            "format": "db_markdown",
            "content": "Safe words [js](javascript:alert(1)) <script>alert(2)</script> "
            "[data](data:text/html,alert(3)) [ok](https://example.com/)",
        },
    ],
    ids=["html", "db_html", "db_markdown"],
)
def test_v3_rich_text_input_is_sanitised(value):
    # What v3 runs on every rich text it is sent (wagtail/api/v3/form_data.py), should the
    # body ever become writable.
    from wagtail.api.rich_text import APIRichText

    html, _removals = APIRichText.convert_input(value, features=PARAGRAPH_FEATURES)

    assert_only_allowed_html(html)
    assert 'href="https://example.com/"' in html


def test_the_paragraph_features_allow_no_raw_html():
    # Wagtail's whitelist is built from the features; none of these may add raw HTML or embeds.
    assert not {"embed", "image", "code-block"} & set(PARAGRAPH_FEATURES)
