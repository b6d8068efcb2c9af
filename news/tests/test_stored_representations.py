"""Each live article's API representation is stored in parts when a change is published, and a
cold read (no cache, no keep) answers from them: byte for byte the computed answer, in a fixed
number of queries, and never older than a committed change (news/api/stored.py).

Changes are made inside django_capture_on_commit_callbacks(execute=True), as production
commits: the parts they stale are deleted inside the change and computed again after it.
"""

import json
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction, Site

from news.api import stored as stored_module
from news.api.stored import store_all_representations, store_representations
from news.models import ArticlePage, PictureRights, StoredRepresentation
from news.tests.factories import (
    add_note,
    at,
    make_article,
    make_author,
    make_embed,
    make_image,
    make_section,
    paragraph,
)
from news.tests.test_api_fragments import ARTICLE_DATA_TABLES
from news.tests.test_freshness_matrix import (  # the same changes, made the same way
    change_tags,
    delete,
    edit_headline,
    edit_image,
    make_private,
    move,
    rename_author,
    unpublish,
)

pytestmark = pytest.mark.django_db

Kind = StoredRepresentation.Kind
HEADLINE = "Harbour reopens after the storm"
# Tables a cold read of an article whose parts are stored never touches (visibility and order
# still come from the pages and articles tables).
ARTICLE_TABLES = (*ARTICLE_DATA_TABLES, "news_correctionnote")


@pytest.fixture(autouse=True)
def cold(settings):
    # Nothing cached or kept between requests: only the stored parts can spare the work.
    settings.NEWS_CACHE_TIMEOUT = 0
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0


class Newsroom:
    """A story with everything a representation shows, a story linked from its body, one that
    shares its tag from another section (so shows it as related), and a correction."""

    def __init__(self, home_page):
        self.world = make_section(home_page, "World")
        self.business = make_section(home_page, "Business")
        self.author = make_author("Jane Roe", role="Reporter")
        self.image = make_image("Quay picture", width=64, height=48, description="Cranes")
        self.inline = make_image("Crane picture", width=48, height=32)
        self.document = get_document_model().objects.create(
            title="Port report", file=ContentFile(b"report", name="port-report.txt")
        )
        self.linked = make_article(self.world, "Dock plans", published_at=at(2026, 1, 1))
        self.story = make_article(
            self.world,
            HEADLINE,
            intro="Ships sail again.",
            dateline="PORT ELLIS",
            authors=[self.author, make_author("AFP", kind="agency")],
            tags=["quayside", "shipping"],
            lead_image=self.image,
            lead_image_caption="Boats wait.",
            lead_image_credit="AFP photo",
            body=[
                paragraph(
                    f'<p>See <a linktype="page" id="{self.linked.pk}">the plans</a> and '
                    f'<a linktype="document" id="{self.document.pk}">the report</a>.</p>'
                ),
                ("heading", "What next"),
                (
                    "image",
                    {"image": self.inline, "caption": "Cargo.", "credit": "Ledger", "alt": ""},
                ),
                ("quote", {"quote": "Open again.", "attribution": "Harbour master"}),
            ],
        )
        # Microseconds in its dates, as a real publish has them (API v3 writes milliseconds).
        ArticlePage.objects.filter(pk=self.story.pk).update(
            first_published_at=at(2026, 1, 3) + timedelta(microseconds=123456),
            last_published_at=at(2026, 1, 3, 13) + timedelta(microseconds=654321),
        )
        self.neighbour = make_article(
            self.business, "Shipping rates climb", tags=["quayside"], published_at=at(2026, 1, 2)
        )
        add_note(self.story, "An earlier version misnamed the harbour.")

    def surfaces(self):
        """{surface: path} of the cold reads that show the story."""
        cards = "_,id,title,html_url,intro,dateline,first_published_at,authors,section,lead_image"
        return {
            "v2 detail": f"/api/v2/pages/{self.story.pk}/",
            "v3 detail": f"/api/v3/pages/{self.story.pk}/",
            "v2 card list": f"/api/v2/pages/?type=news.ArticlePage&fields={cards}",
            "v2 section list": (
                f"/api/v2/pages/?type=news.ArticlePage&child_of={self.world.pk}&fields={cards}"
            ),
            "v2 full list": "/api/v2/pages/?type=news.ArticlePage&fields=*",
            "related card (v2)": f"/api/v2/pages/{self.neighbour.pk}/",
            "related card (v3)": f"/api/v3/pages/{self.neighbour.pk}/",
        }


@pytest.fixture
def room(home_page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        room = Newsroom(home_page)
    store_all_representations()
    return room


def answer(client, path):
    response = client.get(path)
    return response.status_code, response.content


def sql_of(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return response.content, [query["sql"] for query in captured.captured_queries]


def expected_parts():
    """The parts every live article should have stored: related cards for all, own fields
    and body for the public ones (a body with an embed is not stored)."""
    expected = set()
    for article in ArticlePage.objects.live():
        expected.add((article.pk, Kind.RELATED_CARDS))
        if ArticlePage.objects.filter(pk=article.pk).public().exists():
            expected.add((article.pk, Kind.FIELDS))
            if not any(block.block_type == "embed" for block in article.body):
                expected.add((article.pk, Kind.BODY))
    return expected


def stored_keys():
    return set(StoredRepresentation.objects.values_list("article_id", "kind"))


# What a read takes.


def test_a_publish_stores_every_part_of_every_live_story(room):
    assert stored_keys() == expected_parts()
    fields = json.loads(StoredRepresentation.objects.get(key=f"{room.story.pk}:fields").value)
    assert fields["title"] == HEADLINE and fields["authors"][0]["name"] == "Jane Roe"
    assert "body" not in fields and "detail_url" not in fields


def test_answers_from_stored_parts_are_the_computed_answers_byte_for_byte(client, room):
    story, section = room.story, room.world
    paths = [
        *room.surfaces().values(),
        f"/api/v2/pages/{story.pk}/?fields=*",
        f"/api/v2/pages/{story.pk}/?fields=_,title,parent",
        f"/api/v2/pages/{story.pk}/?fields=-body,-related_articles",
        f"/api/v2/pages/{story.pk}/?fields=body,tags",
        "/api/v2/pages/?type=news.ArticlePage",
        "/api/v2/pages/?type=news.ArticlePage&limit=1&offset=1",
        f"/api/v2/pages/?type=news.ArticlePage&child_of={section.pk}&fields=-body",
        "/api/v2/pages/?type=news.ArticlePage&fields=_,id,related_articles,last_published_at",
    ]
    from_parts = {}
    for path in paths:
        content, sql = sql_of(client, path)
        from_parts[path] = content
        assert not [table for table in ARTICLE_TABLES if f'"{table}"' in " ".join(sql)], path
    StoredRepresentation.objects.all().delete()
    computed = {path: client.get(path).content for path in paths}
    for path in paths:
        assert from_parts[path] == computed[path], path
    assert b"2026-01-03T12:00:00.123456Z" in from_parts[paths[0]]  # v2: microseconds
    assert b"2026-01-03T12:00:00.123Z" in from_parts[paths[1]]  # v3: milliseconds


def test_a_story_under_an_unpublished_section_is_answered_as_wagtail_answers_it(
    client, room, django_capture_on_commit_callbacks
):
    from wagtail.actions.unpublish_page import UnpublishPageAction

    with django_capture_on_commit_callbacks(execute=True):
        UnpublishPageAction(room.world, include_descendants=False).execute()
    paths = [f"/api/v2/pages/{room.story.pk}/", f"/api/v3/pages/{room.story.pk}/"]
    read = [sql_of(client, path) for path in paths]
    assert not [sql for _content, sql in read if '"news_articleauthor"' in " ".join(sql)]
    from_parts = [content for content, _sql in read]
    assert json.loads(from_parts[0])["meta"]["parent"] is None  # v2: not a visible page
    assert json.loads(from_parts[1])["meta"]["parent"]["title"] == "World"  # v3: its parent
    StoredRepresentation.objects.all().delete()
    assert [client.get(path).content for path in paths] == from_parts


def test_a_cold_detail_reads_two_queries(client, room):
    for path in (f"/api/v2/pages/{room.story.pk}/", f"/api/v3/pages/{room.story.pk}/"):
        client.get(path)
        _content, sql = sql_of(client, path)
        # The site version (cms/caching.py) and the visible article's stored parts.
        assert len(sql) == 2, sql


@pytest.mark.parametrize("fields", ["_,id,title,authors,section,lead_image", "*"])
def test_a_list_reads_as_many_queries_for_many_stories_as_for_few(client, room, fields):
    for n in range(8):
        make_article(room.world, f"Story {n}", tags=["quayside"], published_at=at(2025, 1, n + 1))
    store_all_representations()
    path = f"/api/v2/pages/?type=news.ArticlePage&fields={fields}&limit="
    client.get(f"{path}2")
    few = len(sql_of(client, f"{path}2")[1])
    content, sql = sql_of(client, f"{path}10")
    assert len(json.loads(content)["items"]) == 10
    assert len(sql) == few


def test_a_part_made_by_other_code_or_settings_is_not_read(client, room, settings):
    path = f"/api/v2/pages/{room.story.pk}/"
    first = client.get(path).content
    StoredRepresentation.objects.update(made_with="made-elsewhere")
    assert '"news_articleauthor"' in " ".join(sql_of(client, path)[1])
    store_all_representations()
    assert '"news_articleauthor"' not in " ".join(sql_of(client, path)[1])
    settings.MEDIA_URL = "/pictures/"
    content, sql = sql_of(client, path)
    assert b"/pictures/" in content and content != first
    assert '"news_articleauthor"' in " ".join(sql)  # computed, not read


def test_a_story_with_an_embed_stores_no_body(client, section, django_capture_on_commit_callbacks):
    make_embed("https://video.example.com/watch/7", '<div class="player">Video</div>')
    with django_capture_on_commit_callbacks(execute=True):
        story = make_article(
            section, "Match report", body=[("embed", "https://video.example.com/watch/7")]
        )
    assert {kind for _pk, kind in stored_keys()} == {Kind.FIELDS, Kind.RELATED_CARDS}
    # The provider's HTML, as the embeds table holds it at the read.
    from wagtail.embeds.models import Embed

    Embed.objects.update(html='<div class="player">New player</div>')
    body = client.get(f"/api/v2/pages/{story.pk}/").json()["body"]
    assert '<div class="player">New player</div>' in body[0]["value"]["html"]


def test_a_draft_never_reaches_the_stored_parts(client, room):
    draft = ArticlePage.objects.get(pk=room.story.pk)
    draft.title = "Secret draft headline"
    draft.save_revision()
    store_all_representations()
    for surface, path in room.surfaces().items():
        assert b"Secret draft headline" not in client.get(path).content, surface


def test_a_private_story_has_no_own_parts_and_stays_hidden(
    client, room, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=room.story, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
        )
    assert (room.story.pk, Kind.FIELDS) not in stored_keys()
    assert client.get(f"/api/v2/pages/{room.story.pk}/").status_code == 404
    assert client.get(f"/api/v3/pages/{room.story.pk}/").status_code == 404


# What a change does: each kind of change reaches every cold read, and the parts it staled
# are stored again.


def edit_body_image(room):
    room.inline.title = "Crane picture, recropped"
    room.inline.save()


def rename_tag(room):
    tag = Tag.objects.get(name="shipping")
    tag.name = "seafaring"
    tag.save()


def rename_section(room):
    room.world.title = "Worldwide"
    room.world.save_revision().publish()


def move_linked_story(room):
    ArticlePage.objects.get(pk=room.linked.pk).move(room.business, pos="last-child")


def replace_document_file(room):
    room.document.file = ContentFile(b"new report", name="harbour-report.txt")
    room.document.save()


def publish_correction(room):
    add_note(room.story, "The harbour reopened on Tuesday, not Monday.")


def expire_picture(room):
    PictureRights.objects.create(
        image=room.image, licence="agency", expires_at=timezone.now() - timedelta(minutes=1)
    )


def change_site_address(room):
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "news.example.com", 443
    site.save()


def add_redirect(room):
    Redirect.objects.create(old_path="/old-harbour", redirect_page=room.story)


STORY = ("v2 detail", "v3 detail", "v2 card list", "v2 full list")
DETAILS = ("v2 detail", "v3 detail", "v2 full list")
RELATED = ("related card (v2)", "related card (v3)")

# change: (make it, {surfaces: text now shown}, {surfaces: text no longer shown}); None: the
# story left, and no read may show its headline.
CHANGES = {
    "headline edit": (
        edit_headline,
        {(*STORY, *RELATED): "Harbour stays shut"},
        {(*STORY, *RELATED): HEADLINE},
    ),
    "author rename": (rename_author, {STORY: "Joan Poe"}, {STORY: "Jane Roe"}),
    "lead picture edit": (
        edit_image,
        {STORY: "Quay picture, recropped"},
        {STORY: '"Quay picture"'},
    ),
    "body picture edit": (
        edit_body_image,
        {DETAILS: "Crane picture, recropped"},
        {DETAILS: '"Crane picture"'},
    ),
    "tag rename": (rename_tag, {DETAILS: "seafaring"}, {DETAILS: '"shipping"'}),
    "tag change": (change_tags, {DETAILS: "gales"}, {DETAILS: '"shipping"'}),
    "section rename": (rename_section, {STORY: '"Worldwide"'}, {STORY: '"World"'}),
    "move to another section": (
        move,
        {(*STORY, *RELATED): "/business/harbour-reopens-after-the-storm/"},
        {(*STORY, *RELATED): "/world/harbour-reopens-after-the-storm/"},
    ),
    "linked story moved": (move_linked_story, {DETAILS: "/business/dock-plans/"}, {}),
    "linked document replaced": (
        replace_document_file,
        {DETAILS: "harbour-report.txt"},
        {DETAILS: "port-report.txt"},
    ),
    "correction published": (
        publish_correction,
        {DETAILS: "not Monday"},
        {},
    ),
    "picture rights expired": (
        expire_picture,
        {STORY: HEADLINE},
        {(*STORY, *RELATED): "quay-picture"},
    ),
    "site address change": (
        change_site_address,
        {(*STORY, *RELATED): "https://news.example.com/world/harbour-reopens"},
        {(*STORY, *RELATED): "http://localhost/world/harbour-reopens"},
    ),
    "redirect added": (add_redirect, {STORY: HEADLINE}, {}),
    "unpublish": (unpublish, None, None),
    "privacy change": (make_private, None, None),
    "delete": (delete, None, None),
}


@pytest.mark.parametrize("change", CHANGES)
def test_each_change_reaches_every_cold_read_and_is_stored_again(
    client, room, change, django_capture_on_commit_callbacks
):
    make_change, shown, gone = CHANGES[change]
    surfaces = room.surfaces()
    for path in surfaces.values():
        assert client.get(path).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        make_change(room)

    failures = []
    for surface, path in surfaces.items():
        status, content = answer(client, path)
        text = content.decode()
        if shown is None:
            if HEADLINE in text:
                failures.append(f"{surface} still shows the story")
            continue
        for surfaces_shown, expected in shown.items():
            if surface in surfaces_shown and expected not in text:
                failures.append(f"{surface} ({status}) lacks {expected!r}")
        for surfaces_gone, stale in gone.items():
            if surface in surfaces_gone and stale in text:
                failures.append(f"{surface} still shows {stale!r}")
    assert not failures, f"after {change}:\n" + "\n".join(failures)
    # Every part the change staled is stored again, and reads take them.
    assert stored_keys() == expected_parts()
    if shown is not None:
        _content, sql = sql_of(client, surfaces["v2 detail"])
        assert '"news_articleauthor"' not in " ".join(sql)


def test_until_the_change_commits_no_stale_part_is_read(client, room):
    # Inside the change's transaction (no commit here): the parts are gone, reads compute.
    rename_author(room)
    assert not StoredRepresentation.objects.filter(key=f"{room.story.pk}:fields").exists()
    assert "Joan Poe" in client.get(f"/api/v2/pages/{room.story.pk}/").content.decode()


def test_a_part_showing_a_picture_is_not_read_once_its_rights_end(client, room):
    ends = timezone.now() + timedelta(seconds=2)
    PictureRights.objects.create(image=room.image, licence="agency", expires_at=ends)
    store_all_representations()
    fields = StoredRepresentation.objects.get(key=f"{room.story.pk}:fields")
    assert fields.until == int(ends.timestamp() * 1_000_000_000)
    path = f"/api/v2/pages/{room.story.pk}/"
    assert "quay-picture" in client.get(path).content.decode()

    # Nobody edits anything: the moment passes.
    time.sleep(max(0, (ends - timezone.now()).total_seconds()) + 0.2)

    for surface, path in room.surfaces().items():
        assert "quay-picture" not in client.get(path).content.decode(), surface


def test_a_change_that_commits_while_parts_are_computed_is_not_missed(
    client, section, django_capture_on_commit_callbacks, monkeypatch
):
    # The story shows the other as related through a shared tag, not a pick: nothing names
    # the story when the other changes, only its stored cards show the other.
    with django_capture_on_commit_callbacks(execute=True):
        other = make_article(section, "Rates hold", tags=["markets"], published_at=at(2026, 1, 1))
        story = make_article(section, "Rates climb", tags=["markets"], published_at=at(2026, 1, 2))
    StoredRepresentation.objects.filter(article=story).delete()

    computed = stored_module.computed_parts
    raced = []

    def computed_then_a_change_commits(article_ids, kinds, as_of):
        parts = computed(article_ids, kinds, as_of)
        if story.pk in article_ids and not raced:
            raced.append(True)
            # Committed after this computation read the other story, before it writes.
            with django_capture_on_commit_callbacks(execute=True):
                other.title = "Rates hold steady"
                other.save_revision().publish()
        return parts

    monkeypatch.setattr(stored_module, "computed_parts", computed_then_a_change_commits)
    store_representations([story.pk])
    assert raced
    cards = json.loads(StoredRepresentation.objects.get(key=f"{story.pk}:related_cards").value)
    assert [card["title"] for card in cards] == ["Rates hold steady"]
    titles = [
        card["title"]
        for card in client.get(f"/api/v2/pages/{story.pk}/").json()["related_articles"]
    ]
    assert titles == ["Rates hold steady"]


def test_store_representations_command_stores_every_part(room):
    from io import StringIO

    from django.core.management import call_command

    StoredRepresentation.objects.all().delete()
    out = StringIO()
    call_command("store_representations", stdout=out)
    assert stored_keys() == expected_parts()
    assert f"{len(expected_parts())} parts" in out.getvalue()
