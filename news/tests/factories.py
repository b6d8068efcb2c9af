"""Small builders for test data: sections, authors, images and articles."""

import io
from datetime import datetime

from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from news.models import ArticleAuthor, ArticlePage, Author, AuthorKind, RelatedArticle, SectionPage


def make_section(home_page, title, **fields):
    section = SectionPage(title=title, slug=slugify(title), **fields)
    home_page.add_child(instance=section)
    section.save_revision().publish()
    return section


def make_author(name, kind=AuthorKind.STAFF, **fields):
    author, _ = Author.objects.get_or_create(
        slug=slugify(name), defaults={"name": name, "kind": kind, **fields}
    )
    return author


def make_image(title="Test picture", width=1200, height=800, colour=(30, 90, 160), **fields):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, format="JPEG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{slugify(title)}.jpg"), **fields
    )


def paragraph(html):
    return ("paragraph", RichText(html))


def make_article(
    section,
    title="A story",
    *,
    authors=(),
    tags=(),
    related=(),
    body=None,
    publish=True,
    published_at=None,
    by=None,
    **fields,
):
    """An article in `section`, its first revision written `by` a user (or nobody); published
    (at `published_at`, if given) unless publish=False."""
    article = ArticlePage(
        title=title,
        slug=fields.pop("slug", slugify(title)),
        body=body if body is not None else [paragraph(f"<p>The text of {title}.</p>")],
        live=False,
        **fields,
    )
    if published_at is not None:
        article.first_published_at = published_at
    # modelcluster numbers sort_order only in admin forms, so number them here.
    for order, author in enumerate(authors):
        article.article_authors.add(ArticleAuthor(author=author, sort_order=order))
    for order, target in enumerate(related):
        article.related_links.add(RelatedArticle(article=target, sort_order=order))
    if tags:
        article.tags.add(*tags)
    section.add_child(instance=article)
    revision = article.save_revision(user=by)
    if publish:
        revision.publish()
        article.refresh_from_db()
    return article


def at(year, month, day, hour=12):
    return timezone.make_aware(datetime(year, month, day, hour))


def make_embed(url, html, embed_type="video"):
    """A stored embed, so rendering it needs no call to the provider."""
    return Embed.objects.create(url=url, hash=get_embed_hash(url), html=html, type=embed_type)


def add_note(article, text, kind="correction", *, by=None, publish=True):
    """Add a correction note to the story's latest version as a new revision `by` a user;
    published (which dates the note) unless publish=False. Returns the revision."""
    from news.models import CorrectionNote

    draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    order = len(draft.corrections.all())
    draft.corrections.add(CorrectionNote(kind=kind, text=text, sort_order=order))
    revision = draft.save_revision(user=by)
    if publish:
        revision.publish()
    return revision


def make_live_blog(section, title="Election night", *, status="live", publish=True, **fields):
    """A live blog in `section`, published (and so live) unless publish=False."""
    from news.models import LiveBlogPage

    page = LiveBlogPage(
        title=title, slug=fields.pop("slug", slugify(title)), status=status, live=False, **fields
    )
    section.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def make_live_post(live_blog, text="Polls have closed.", *, publish=True, by=None, **fields):
    """A post of `live_blog`, saved (as a revision by `by`) and published unless publish=False."""
    from news.models import LivePost

    post = LivePost(live_blog=live_blog, body=f"<p>{text}</p>", live=False, **fields)
    post.save()
    revision = post.save_revision(user=by)
    if publish:
        revision.publish(user=by)
        post.refresh_from_db()
    return post


# The video a full story embeds (stored, so rendering it calls no provider).
EMBED_URL = "https://video.example.com/watch/42"


def make_full_story(section, **fields):
    """A published story with everything an article page shows: a dateline, two bylines (a
    person and an agency), a lead picture with caption and credit, tags, a related story
    with its own picture, and a body with every block type (paragraph, heading, picture,
    quote, embed, list). `fields` override the story's."""
    make_embed(
        EMBED_URL,
        '<iframe title="Harbour master interview" src="about:blank" width="480" height="270">'
        "</iframe>",
    )
    related = make_article(
        section,
        "Port strike ends",
        intro="Dockers return.",
        lead_image=make_image("Quay", description="Cranes on the quay"),
        tags=["shipping"],
        published_at=at(2024, 5, 5),
    )
    story = {
        "intro": "Ships sail again after a week of closures.",
        "dateline": "PORT ELLIS, Marlow Coast",
        "authors": [make_author("Jane Doe"), make_author("AFP", kind=AuthorKind.AGENCY)],
        "lead_image": make_image(
            "Harbour at dawn", description="Fishing boats moored in a harbour"
        ),
        "lead_image_caption": "Boats wait at the quay.",
        "lead_image_credit": "AFP photo",
        "tags": ["storms", "shipping"],
        "related": [related],
        "published_at": at(2024, 5, 6),
        "body": [
            paragraph(
                '<p>The harbour <b>reopened</b> on <a href="https://example.com">Monday</a>.</p>'
            ),
            ("heading", "What happens next"),
            (
                "image",
                {
                    "image": make_image("Crane", description="A crane lifting a container"),
                    "caption": "Cargo moves again.",
                    "credit": "Ledger photo",
                    "alt": "",
                },
            ),
            ("quote", {"quote": "We are open for business.", "attribution": "Harbour master"}),
            ("embed", EMBED_URL),
            paragraph("<ul><li>Ferries resume</li><li>Fish market opens</li></ul>"),
        ],
    }
    return make_article(section, "Harbour reopens after storm", **{**story, **fields})
