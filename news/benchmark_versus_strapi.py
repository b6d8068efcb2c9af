"""The article of issue 24's side-by-side benchmark, seeded alike here and in benchmarks/strapi/.

Every article has the same shape on both sides: a headline, slug, standfirst, dateline and
date; a lead image with caption and credit; two authors, three tags and three related
articles (earlier ones, hand-picked); a body of 12 blocks: 8 paragraphs each with a link,
2 headings and 2 pictures with caption and credit. `versus_articles()` makes the plain data
(JSON for Strapi's seed script), `seed_versus_newsroom()` writes it into this project.
"""

import io
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from home.models import HomePage

from .benchmark_data import SECTIONS, bulk_add_articles, index_articles
from .models import (
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    Author,
    AuthorKind,
    RelatedArticle,
    SectionPage,
)
from .renditions import rendition_filters

PICTURES = 24
AUTHORS = 12
# The body's order: where the two headings and the two pictures stand among 8 paragraphs.
BODY = "P P H P I P P H P I P P".split()
START = datetime(2026, 1, 1, tzinfo=UTC)

# Invented newsroom phrases; a sentence is one of each, so the text varies but reads.
WHO = (
    "The harbour board",
    "A group of ferry captains",
    "The regional council",
    "Farmers in the upper valley",
    "The new rail operator",
    "Teachers at the old grammar school",
    "A committee of shop owners",
    "The water authority",
    "Residents of the east quay",
    "The festival organisers",
)
DID = (
    "agreed on Tuesday to",
    "voted narrowly to",
    "have asked the mayor to",
    "said they would",
    "refused for a second time to",
    "promised before the winter to",
    "are expected next month to",
    "could not yet say whether they would",
)
WHAT = (
    "rebuild the footbridge over the lower weir",
    "raise the price of a monthly tram pass",
    "open the library on Sunday afternoons",
    "move the Saturday market to the old goods yard",
    "publish the full report on the spring floods",
    "double the number of late ferries",
    "close the coast road while the sea wall is mended",
    "pay seasonal pickers the same rate as last year",
    "plant a row of limes along the river walk",
    "test every school roof for loose slates",
)
WHY = (
    "after a long evening of questions from the public gallery",
    "despite a warning from the treasurer",
    "because the grant runs out in March",
    "once the engineers had finished their survey",
    "as the storm season draws closer",
    "to the surprise of several members",
    "while the talks with the unions go on",
    "in a session that ran well past midnight",
)
LINK_TEXT = ("the full minutes", "the budget papers", "an earlier report", "the survey", "a map")
PLACES = ("NORTHPORT", "EASTBRIDGE", "MILLHAVEN", "KESTON", "ALDERMOUTH", "WESTFELL")
ROLES = ("Reporter", "Correspondent", "Editor", "Photographer")


def published_at(n):
    """When article n was first published: as news/benchmark_data.py's bulk writer dates it."""
    return START + timedelta(minutes=n * 7)


def sentence(rng):
    return f"{rng.choice(WHO)} {rng.choice(DID)} {rng.choice(WHAT)} {rng.choice(WHY)}."


def paragraph(rng, n, index):
    """A paragraph's parts: text before the link, the link's text and address, text after."""
    return {
        "before": f"{sentence(rng)} {sentence(rng)} Readers can find ",
        "link_text": rng.choice(LINK_TEXT),
        "href": f"https://example.org/records/{n}/{index}",
        "after": f" online. {sentence(rng)}",
    }


def versus_articles(count=1000, seed=24, pictures=PICTURES):
    """The generated newsroom as plain data (JSON-ready), the same every time for a seed.

    Pictures, authors, tags and related articles are given by index (into "pictures",
    "authors", "tags" and "articles"), so each system maps them to its own ids.
    """
    rng = random.Random(seed)  # noqa: S311 - generated text, not secrets
    tags = [
        f"{a}-{b}"
        for a in ("harbour", "rail", "school", "market", "river", "council")
        for b in ("budget", "vote", "works", "safety", "jobs")
    ]
    authors = [
        {"name": f"Writer {n}", "slug": f"writer-{n}", "kind": "staff", "role": rng.choice(ROLES)}
        for n in range(AUTHORS)
    ]
    articles = []
    for n in range(count):
        headline = f"{rng.choice(WHO)} {rng.choice(DID)} {rng.choice(WHAT)} ({n})"
        body, paragraphs = [], 0
        for kind in BODY:
            if kind == "P":
                body.append({"type": "paragraph", **paragraph(rng, n, paragraphs)})
                paragraphs += 1
            elif kind == "H":
                body.append({"type": "heading", "text": rng.choice(WHAT).capitalize()})
            else:
                body.append(
                    {
                        "type": "image",
                        "picture": rng.randrange(pictures),
                        "caption": f"{rng.choice(WHO)} at work. {rng.choice(WHY).capitalize()}.",
                        "credit": "Versus photo",
                    }
                )
        # Hand-picked related stories are recent earlier ones; the first three point forward.
        earlier = list(range(max(0, n - 40), n))
        if len(earlier) < 3:
            earlier = [k for k in range(min(count, 41)) if k != n]
        articles.append(
            {
                "n": n,
                "title": headline,
                "slug": f"versus-story-{n}",
                "standfirst": sentence(rng),
                "dateline": rng.choice(PLACES),
                "published": published_at(n).isoformat(),
                "section": n % len(SECTIONS),
                "picture": rng.randrange(pictures),
                "caption": f"{rng.choice(WHO)} on the quay. {rng.choice(WHY).capitalize()}.",
                "credit": "Versus photo",
                "authors": rng.sample(range(AUTHORS), 2),
                "tags": rng.sample(range(len(tags)), 3),
                "related": rng.sample(earlier, min(3, len(earlier))),
                "body": body,
            }
        )
    return {
        "sections": list(SECTIONS),
        "authors": authors,
        "tags": tags,
        "pictures": pictures,
        "articles": articles,
    }


def picture_bytes(n):
    """Picture number n, a 1600×900 JPEG of one colour (the same for both systems)."""
    rng = random.Random(n)  # noqa: S311 - a colour, not a secret
    buffer = io.BytesIO()
    colour = tuple(rng.randrange(40, 220) for _ in range(3))
    PILImage.new("RGB", (1600, 900), colour).save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


def write_versus_files(data, directory):
    """Writes articles.json and pictures/picture-N.jpg under directory, for Strapi's seed."""
    directory = Path(directory)
    (directory / "pictures").mkdir(parents=True, exist_ok=True)
    (directory / "articles.json").write_text(json.dumps(data))
    for n in range(data["pictures"]):
        (directory / "pictures" / f"picture-{n}.jpg").write_bytes(picture_bytes(n))


def paragraph_html(block):
    return (
        f'<p>{block["before"]}<a href="{block["href"]}">{block["link_text"]}</a>'
        f"{block['after']}</p>"
    )


def body_stream(blocks, pictures):
    stream = []
    for block in blocks:
        if block["type"] == "paragraph":
            stream.append(("paragraph", RichText(paragraph_html(block))))
        elif block["type"] == "heading":
            stream.append(("heading", block["text"]))
        else:
            value = {
                "image": pictures[block["picture"]],
                "caption": block["caption"],
                "credit": block["credit"],
                "alt": "",
            }
            stream.append(("image", value))
    return stream


def seed_versus_newsroom(data, stdout=None):
    """Writes the generated newsroom into an empty site; returns how many articles it added.

    Sections, authors, tags and pictures first, then the articles in bulk
    (news/benchmark_data.py's writer), their bylines, tags and related links, and every
    named rendition of the pictures, so the first reader finds them made as Strapi's
    upload made its formats.
    """
    if ArticlePage.objects.exists():
        return 0
    home = HomePage.objects.get(depth=2)
    sections = []
    for title in data["sections"]:
        section = SectionPage(title=title, slug=title.lower(), intro=f"News from {title}.")
        home.add_child(instance=section)
        section.save_revision().publish()
        sections.append(section)
    authors = [
        Author.objects.create(name=a["name"], slug=a["slug"], kind=AuthorKind.STAFF, role=a["role"])
        for a in data["authors"]
    ]
    tags = [Tag.objects.create(name=name, slug=name) for name in data["tags"]]
    pictures = []
    for n in range(data["pictures"]):
        image = get_image_model().objects.create(
            title=f"Versus picture {n}",
            description=f"Generated picture number {n}",
            file=ImageFile(io.BytesIO(picture_bytes(n)), name=f"versus-{n}.jpg"),
        )
        image.get_renditions(*rendition_filters())
        pictures.append(image)

    with transaction.atomic():
        batch = [
            (
                a["n"],
                sections[a["section"]],
                {
                    "title": a["title"],
                    "slug": a["slug"],
                    "intro": a["standfirst"],
                    "dateline": a["dateline"],
                    "lead_image": pictures[a["picture"]],
                    "lead_image_caption": a["caption"],
                    "lead_image_credit": a["credit"],
                    "body": body_stream(a["body"], pictures),
                },
            )
            for a in data["articles"]
        ]
        created = bulk_add_articles(batch, START)
        by_number = {a["n"]: article for a, article in zip(data["articles"], created, strict=True)}
        links, related, tagged = [], [], []
        for a, article in zip(data["articles"], created, strict=True):
            for order, index in enumerate(a["authors"]):
                links.append(ArticleAuthor(page=article, author=authors[index], sort_order=order))
            for order, number in enumerate(a["related"]):
                target = by_number[number]
                related.append(RelatedArticle(page=article, article=target, sort_order=order))
            tagged += [ArticleTag(content_object=article, tag=tags[index]) for index in a["tags"]]
        ArticleAuthor.objects.bulk_create(links)
        RelatedArticle.objects.bulk_create(related)
        ArticleTag.objects.bulk_create(tagged)
        index_articles(created)
    if stdout is not None:
        stdout.write(f"{len(created)} articles")
    return len(created)
