"""A large generated newsroom for benchmarks: thousands of live articles in a few minutes."""

import io
import random
from datetime import timedelta

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from home.models import HomePage

from .models import ArticleAuthor, ArticlePage, Author, AuthorKind, RelatedArticle, SectionPage

SECTIONS = ("World", "Region", "Business")
WORDS = (
    "harbour council river budget ferry market storm bridge school election vote report "
    "mayor farmers rail line port wind grid court trial festival museum library tram road "
    "price wage strike talks deal plan housing water power coast valley summit"
).split()
TAGS = [f"{a}-{b}" for a in WORDS[:10] for b in WORDS[10:15]]


def sentence(rng, words=14):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def make_picture(rng, n):
    buffer = io.BytesIO()
    colour = tuple(rng.randrange(40, 220) for _ in range(3))
    PILImage.new("RGB", (1600, 900), colour).save(buffer, format="JPEG", quality=70)
    return get_image_model().objects.create(
        title=f"Benchmark picture {n}",
        description=f"Generated picture number {n}",
        file=ImageFile(buffer, name=f"benchmark-{n}.jpg"),
    )


def seed_benchmark_newsroom(articles=3000, seed=1, stdout=None):
    """Add live articles until the site has `articles` of them; returns how many were added."""
    rng = random.Random(seed)
    home = HomePage.objects.get(depth=2)
    existing = ArticlePage.objects.count()
    if existing >= articles:
        return 0

    sections = []
    for title in SECTIONS:
        section = SectionPage.objects.child_of(home).filter(title=title).first()
        if section is None:
            section = SectionPage(title=title, slug=title.lower(), intro=f"News from {title}.")
            home.add_child(instance=section)
            section.save_revision().publish()
        sections.append(section)

    authors = [
        Author.objects.get_or_create(
            slug=f"bench-writer-{n}",
            defaults={"name": f"Writer {n}", "kind": AuthorKind.STAFF, "role": "Reporter"},
        )[0]
        for n in range(12)
    ] + [
        Author.objects.get_or_create(
            slug="bench-agency", defaults={"name": "Bench Wire", "kind": AuthorKind.AGENCY}
        )[0]
    ]
    pictures = list(get_image_model().objects.filter(title__startswith="Benchmark picture"))
    pictures += [make_picture(rng, n) for n in range(len(pictures), 24)]

    start = timezone.now() - timedelta(days=365)
    added = 0
    recent = []
    with transaction.atomic():
        for n in range(existing, articles):
            section = sections[n % len(sections)]
            article = ArticlePage(
                title=f"{sentence(rng, 6)[:-1]} ({n})",
                slug=f"bench-story-{n}",
                intro=sentence(rng, 20),
                dateline=rng.choice(WORDS).upper(),
                lead_image=rng.choice(pictures),
                lead_image_caption=sentence(rng, 8),
                lead_image_credit="Bench photo",
                first_published_at=start + timedelta(minutes=n * 7),
                last_published_at=start + timedelta(minutes=n * 7 + 30),
                live=True,
                body=[
                    ("paragraph", RichText(f"<p>{sentence(rng, 40)}</p>")),
                    ("heading", sentence(rng, 4)[:-1]),
                    ("paragraph", RichText(f"<p>{sentence(rng, 60)}</p>")),
                    (
                        "image",
                        {
                            "image": rng.choice(pictures),
                            "caption": sentence(rng, 6),
                            "credit": "Bench photo",
                            "alt": "",
                        },
                    ),
                    ("quote", {"quote": sentence(rng, 12), "attribution": "A spokesperson"}),
                    ("paragraph", RichText(f"<p>{sentence(rng, 50)}</p>")),
                ],
            )
            for order, author in enumerate(rng.sample(authors, rng.choice((1, 1, 2)))):
                article.article_authors.add(ArticleAuthor(author=author, sort_order=order))
            for order, target in enumerate(rng.sample(recent, min(2, len(recent)))):
                article.related_links.add(RelatedArticle(article_id=target, sort_order=order))
            article.tags.add(*rng.sample(TAGS, 3))
            section.add_child(instance=article)
            recent = (recent + [article.pk])[-50:]
            added += 1
            if stdout is not None and added % 500 == 0:
                stdout.write(f"{added} articles added")
    return added
