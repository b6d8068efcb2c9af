"""Stored XSS: the payloads (payloads.py) in every editor-controlled field stay inert everywhere.

The story is built by introspection: every text field of ArticlePage's panels, every block
of its body, the lead image's title, caption, credit and file name, the byline's author,
the tags; a second one comes in over the wire. Each screen that shows them is checked.
"""

import io
import json
import xml.etree.ElementTree as ET  # noqa: S405 - parses our own feeds

import pytest
from django.core.files.images import ImageFile
from django.test import Client
from PIL import Image as PILImage
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import APIToken

from cms.tests.security import payloads as p
from cms.tests.security.world import newsroom_user
from news.blocks import ArticleBodyBlock
from news.models import ArticleAuthor, ArticlePage, Author
from news.tests.factories import make_embed

pytestmark = pytest.mark.django_db

EMBED_URL = f"https://www.youtube.com/watch?v={p.MARKER}"


def evil_image():
    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 600), (10, 20, 30)).save(buffer, format="JPEG")
    return get_image_model().objects.create(
        title=p.EVIL, file=ImageFile(buffer, name=f"{p.EVIL[:60]}.jpg"), description=p.EVIL
    )


def evil_author():
    author = Author(slug="evil-author", kind="contributor")
    for field in p.editable_fields(Author):
        setattr(author, field.name, p.truncate(p.EVIL, field))
    author.save()
    return author


def evil_article(section, image, author, owner):
    """An article with the payload in every text field, body block, byline and tag."""
    make_embed(EMBED_URL, '<iframe src="https://www.youtube.com/embed/zq"></iframe>')
    article = ArticlePage(slug="evil-story", owner=owner, lead_image=image, live=False)
    for field in p.editable_fields(ArticlePage):
        setattr(article, field.name, p.truncate(p.EVIL, field))
    article.body = p.body_values(ArticlePage.body.field.stream_block, image.pk, EMBED_URL)
    article.article_authors.add(ArticleAuthor(author=author, sort_order=0))
    article.tags.add(p.EVIL[:100])
    section.add_child(instance=article)
    article.save_revision(user=owner).publish()
    article.refresh_from_db()
    # A later draft in review: the history, revision compare and review queue show it.
    article.intro = f"{p.EVIL} (revised)"
    article.save_revision(user=owner)
    article.get_workflow().start(article, owner)
    return article


@pytest.fixture(scope="module")
def evil(world, django_db_blocker):
    with django_db_blocker.unblock():
        image = evil_image()
        author = evil_author()
        article = evil_article(world.section, image, author, world.users["writer"])
        wired = wire_story(world)
        return {"article": article, "image": image, "author": author, "wired": wired}


def wire_story(world):
    """Agency copy full of payloads, pushed over v3 and published: the wire's input path."""
    desk = newsroom_user("agency", "Wire desk")
    _token, plaintext = APIToken.create_token(user=desk, name="agency")
    story = {
        "uri": f"urn:newsml:agency.test:2026:{p.MARKER}",
        "type": "text",
        "version": "1",
        "versioncreated": "2026-05-06T09:00:00Z",
        "language": "en",
        "headlines": [{"role": "main", "value": p.EVIL}, {"role": "sub", "value": p.EVIL}],
        "by": f"{p.EVIL[:80]}, AFP",
        "located": p.EVIL,
        "bodies": [{"role": "html", "contenttype": "text/html", "value": p.EVIL_RICH_TEXT}],
        "subjects": [{"name": p.EVIL[:90]}],
    }
    response = Client().post(
        f"/api/v3/wire/ninjs/?section={world.section.slug}&submit=false",
        json.dumps(story),
        "application/json",
        HTTP_AUTHORIZATION=f"Bearer {plaintext}",
    )
    assert response.status_code == 200, response.content[:500]
    article = ArticlePage.objects.get(wire_uri=story["uri"])
    article.get_latest_revision().publish()
    article.refresh_from_db()
    return article


def test_every_field_and_block_is_filled(evil):
    """The introspection found the fields and blocks, and the payload is stored as typed."""
    article = ArticlePage.objects.get(pk=evil["article"].pk)
    fields = [field.name for field in p.editable_fields(ArticlePage)]
    assert {"title", "intro", "dateline", "lead_image_caption", "lead_image_credit"} <= set(fields)
    for name in fields:
        assert p.MARKER in getattr(article, name), name
    stored = {block.block_type for block in article.body}
    assert stored == set(ArticleBodyBlock().child_blocks)


def test_every_body_block_is_filled():
    """A new block type must be taught to payloads.block_value(), or this fails."""
    p.body_values(ArticlePage.body.field.stream_block, 1, EMBED_URL)


def reader_paths(evil):
    article, wired = evil["article"], evil["wired"]
    return [
        article.url,
        wired.url,
        "/",
        "/world/",
        f"/search/?q={p.MARKER}",
        "/search/?q=" + p.EVIL.replace("#", "").replace("&", ""),
    ]


def fetched(paths):
    """(path, response) for each path, each answered 200."""
    client = Client()
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        yield path, response


def test_reader_pages_leave_payloads_inert(evil):
    problems = []
    for path, response in fetched(reader_paths(evil)):
        body = response.content.decode()
        assert p.MARKER in body, f"{path} does not show the story: the check would prove nothing"
        problems += [f"{path}: {problem}" for problem in p.problems_in_html(body)]
    assert not problems, "\n".join(problems)


def test_json_ld_never_breaks_out_of_its_script(evil):
    for article in (evil["article"], evil["wired"]):
        html = Client().get(article.url).content.decode()
        blocks = [
            script
            for script in p.BeautifulSoup(html, "html.parser").find_all("script")
            if script.get("type") == "application/ld+json"
        ]
        assert blocks
        for script in blocks:
            data = json.loads(script.string)
            assert p.MARKER in json.dumps(data) or "BreadcrumbList" in json.dumps(data)
        assert "</script><script>" not in html


def api_paths(evil):
    article, wired, image = evil["article"], evil["wired"], evil["image"]
    return [
        f"/api/v2/pages/{article.pk}/",
        f"/api/v2/pages/{wired.pk}/",
        "/api/v2/pages/?type=news.ArticlePage&fields=*",
        f"/api/v2/pages/?type=news.ArticlePage&search={p.MARKER}",
        f"/api/v3/pages/{article.pk}/",
        f"/api/v3/pages/{wired.pk}/",
        f"/api/v2/images/{image.pk}/",
        f"/api/v3/pages/{article.pk}/ninjs/",
        f"/api/v3/pages/{wired.pk}/ninjs/",
    ]


def test_api_rich_text_holds_no_executable_markup(evil):
    """Plain fields are JSON strings (text to a front end); markup fields must be inert."""
    problems = []
    for path, response in fetched(api_paths(evil)):
        data = response.json()
        assert p.MARKER in json.dumps(data), path
        for html in p.rich_text_values(data):
            problems += [f"{path}: {problem}" for problem in p.problems_in_html(html)]
        if "ninjs" in path:
            for body in (
                data.get("body_html", ""),
                *[b.get("value", "") for b in data.get("bodies", [])],
            ):
                problems += [f"{path}: {problem}" for problem in p.problems_in_html(body)]
    assert not problems, "\n".join(problems)


def feed_markup(xml_text):
    """The HTML of each feed entry (RSS description, Atom summary and content)."""
    root = ET.fromstring(xml_text)  # noqa: S314 - our own feed, parsed to prove it well-formed
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("description", "summary", "content", "encoded") and element.text:
            yield element.text


@pytest.mark.parametrize(
    "path",
    ["/feeds/rss/", "/feeds/atom/", "/feeds/section/world/rss/", "/feeds/section/world/atom/"],
)
def test_feeds_are_well_formed_and_their_markup_inert(evil, path):
    response = Client().get(path)
    assert response.status_code == 200
    text = response.content.decode()
    assert p.MARKER in text
    problems = []
    for html in feed_markup(text):
        problems += p.problems_in_html(html)
    assert not problems, "\n".join(problems)


def tag_feed_paths():
    tag = Tag.objects.get(name__contains=p.MARKER, name__startswith="<")
    return [f"/feeds/tag/{tag.slug}/rss/", f"/feeds/tag/{tag.slug}/atom/"]


def test_tag_feeds_of_a_hostile_tag(evil):
    for path in tag_feed_paths():
        response = Client().get(path)
        assert response.status_code in (200, 404), path
        if response.status_code == 200:
            for html in feed_markup(response.content.decode()):
                assert not p.problems_in_html(html), path


def admin_paths(evil):
    article = evil["article"]
    return [
        "/admin/",
        f"/admin/pages/{article.get_parent().pk}/",
        f"/admin/pages/{article.pk}/edit/",
        f"/admin/pages/{article.pk}/history/",
        f"/admin/pages/{article.pk}/revisions/compare/earliest...latest/",
        f"/admin/pages/{article.pk}/revisions/compare/live...latest/",
        f"/admin/pages/{article.pk}/workflow_history/",
        f"/admin/pages/search/?q={p.MARKER}",
        "/admin/articles/",
        "/admin/images/",
        f"/admin/images/{evil['image'].pk}/",
        "/admin/snippets/news/author/",
        f"/admin/snippets/news/author/edit/{evil['author'].pk}/",
        f"/admin/pages/{evil['wired'].pk}/edit/",
        "/admin/reports/page-types-usage/",
        "/admin/choose-page/?q=" + p.MARKER,
    ]


def test_admin_screens_leave_payloads_inert(world, evil):
    """As a superuser, who may open every screen that shows the payloads."""
    client = Client()
    client.force_login(world.users["other"])
    problems = []
    for path in admin_paths(evil):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        problems += [f"{path}: {x}" for x in p.problems_in_html(body, allow_own_scripts=True)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "html",
    [
        f"<p>{p.EVIL}</p>",
        f"<a href=\"javascript:alert('{p.MARKER}')\">x</a>",
        f'<a href="data:text/html,{p.MARKER}">x</a>',
        f'<div onclick="alert({p.MARKER!r})">x</div>',
        f"<svg><desc>{p.MARKER}</desc></svg>",
        "<p>zqtpl49</p>",
        '<script type="application/ld+json">{"a": "</script>'
        f"<script>alert('{p.MARKER}')</script>\"}}</script>",
    ],
)
def test_the_inert_check_catches_live_payloads(html):
    """The checks above can fail: each live payload is caught, the escaped text is not."""
    assert p.problems_in_html(html)


def test_the_inert_check_passes_escaped_payloads():
    from django.utils.html import escape

    assert not p.problems_in_html(f"<p>{escape(p.EVIL)}</p>")
