"""A large generated newsroom for benchmarks: ten thousand live articles in under a minute."""

import io
import itertools
import random
import re
import time
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone
from PIL import Image as PILImage
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.search.backends import get_search_backends

from home.models import HomePage

from .models import (
    ArticleAuthor,
    ArticlePage,
    ArticleTag,
    Author,
    AuthorKind,
    RelatedArticle,
    SectionPage,
    byline_prefetch,
)

SECTIONS = ("World", "Region", "Business")
# Newsroom words: the most common words of the generated copy, datelines and tag names.
NEWSROOM_WORDS = (
    "harbour council river budget ferry market storm bridge school election vote report "
    "mayor farmers rail line port wind grid court trial festival museum library tram road "
    "price wage strike talks deal plan housing water power coast valley summit"
).split()
TAGS = [f"{a}-{b}" for a in NEWSROOM_WORDS[:10] for b in NEWSROOM_WORDS[10:15]]

# Invented words built from syllables, so that full-text search meets a vocabulary the size
# of a real newsroom's: common terms that match almost every story and rare ones that match
# a few dozen out of 10,000.
ONSETS = "b c d f g h k l m n p r s t v w bl br ch cl cr dr fl fr gl gr pl pr sh sl st th tr"
VOWELS = "a e i o u ai ea ee oa ou"
CODAS = ("", "", "", "n", "r", "l", "s", "t", "m", "nd", "rk", "st", "ng", "ck")
INVENTED_WORDS = 6000


def invented_words(count, seed=7):
    """`count` distinct pronounceable made-up words of one to three syllables."""
    rng = random.Random(seed)
    onsets, vowels = ONSETS.split(), VOWELS.split()
    found = dict.fromkeys(NEWSROOM_WORDS)
    while len(found) < len(NEWSROOM_WORDS) + count:
        syllables = rng.choice((1, 2, 2, 2, 3, 3))
        word = "".join(
            rng.choice(onsets) + rng.choice(vowels) + rng.choice(CODAS) for _ in range(syllables)
        )
        if 4 <= len(word) <= 12:
            found.setdefault(word)
    return list(found)[len(NEWSROOM_WORDS) :]


# Ranked by frequency: the newsroom words first, then the invented ones. A word's chance is
# 1/rank (Zipf's law), as in natural text: the first word is ~11 % of all words, the
# 4,000th appears in a few dozen of 10,000 stories.
VOCABULARY = NEWSROOM_WORDS + invented_words(INVENTED_WORDS)
ZIPF_WEIGHTS = list(itertools.accumulate(1 / rank for rank in range(1, len(VOCABULARY) + 1)))


def sentence(rng, words=14):
    text = " ".join(rng.choices(VOCABULARY, cum_weights=ZIPF_WEIGHTS, k=words))
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


def article_data(rng, n, pictures):
    """The generated fields of benchmark article number n."""
    return {
        "title": f"{sentence(rng, 6)[:-1]} ({n})",
        "slug": f"bench-story-{n}",
        "intro": sentence(rng, 20),
        "dateline": rng.choice(NEWSROOM_WORDS).upper(),
        "lead_image": rng.choice(pictures),
        "lead_image_caption": sentence(rng, 8),
        "lead_image_credit": "Bench photo",
        "body": [
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
    }


def seed_benchmark_newsroom(articles=3000, seed=1, stdout=None, batch_size=1000):
    """Add live articles until the site has `articles` of them; returns how many were added.

    Rows are written in bulk (10,000 articles take well under a minute): tree paths are
    computed here instead of one add_child() per article, and no revisions are made, so the
    articles are live pages an editor has never saved. They are added to the search index.
    """
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
    tags = {name: Tag.objects.get_or_create(name=name, defaults={"slug": name})[0] for name in TAGS}
    recent = list(
        ArticlePage.objects.order_by("-first_published_at").values_list("pk", flat=True)[:50]
    )

    start = timezone.now() - timedelta(days=365)
    added = 0
    for batch_start in range(existing, articles, batch_size):
        numbers = range(batch_start, min(articles, batch_start + batch_size))
        with transaction.atomic():
            batch = [
                (n, sections[n % len(sections)], article_data(rng, n, pictures)) for n in numbers
            ]
            created = bulk_add_articles(batch, start)
            links, related, tagged = [], [], []
            for article in created:
                for order, author in enumerate(rng.sample(authors, rng.choice((1, 1, 2)))):
                    links.append(ArticleAuthor(page=article, author=author, sort_order=order))
                for order, target in enumerate(rng.sample(recent, min(2, len(recent)))):
                    related.append(
                        RelatedArticle(page=article, article_id=target, sort_order=order)
                    )
                tagged += [
                    ArticleTag(content_object=article, tag=tags[name])
                    for name in rng.sample(TAGS, 3)
                ]
                recent = (recent + [article.pk])[-50:]
            ArticleAuthor.objects.bulk_create(links)
            RelatedArticle.objects.bulk_create(related)
            ArticleTag.objects.bulk_create(tagged)
            index_articles(created)
        added += len(created)
        if stdout is not None:
            stdout.write(f"{existing + added} articles")
    return added


def bulk_add_articles(batch, start):
    """Inserts live articles as the last children of their sections: [(n, section, fields)].

    Page rows go in with bulk_create; the ArticlePage rows (a multi-table child, which
    bulk_create refuses) with one multi-row INSERT per batch through the same machinery.
    """
    content_type = ContentType.objects.get_for_model(ArticlePage)
    articles = []
    next_step = {}
    for n, section, fields in batch:
        step = next_step.setdefault(section.pk, last_child_step(section) + 1)
        next_step[section.pk] = step + 1
        published = start + timedelta(minutes=n * 7)
        articles.append(
            ArticlePage(
                **fields,
                content_type=content_type,
                path=ArticlePage._get_path(section.path, section.depth + 1, step),
                depth=section.depth + 1,
                numchild=0,
                url_path=f"{section.url_path}{fields['slug']}/",
                locale_id=section.locale_id,
                draft_title=fields["title"],
                live=True,
                has_unpublished_changes=False,
                first_published_at=published,
                last_published_at=published + timedelta(minutes=30),
                latest_revision_created_at=published,
            )
        )
    pages = Page.objects.bulk_create([Page(**page_fields(article)) for article in articles])
    for article, page in zip(articles, pages, strict=True):
        article.page_ptr_id = article.pk = page.pk
    # Private, but it is exactly what bulk_create does once it has refused MTI children.
    QuerySet(ArticlePage)._batched_insert(
        articles, ArticlePage._meta.local_concrete_fields, batch_size=None
    )
    for section in {section for _n, section, _fields in batch}:
        Page.objects.filter(pk=section.pk).update(numchild=Page.objects.child_of(section).count())
    return articles


def page_fields(article):
    """The wagtailcore_page columns of an unsaved ArticlePage."""
    return {
        field.attname: getattr(article, field.attname)
        for field in Page._meta.concrete_fields
        if field.attname != "id"
    }


def last_child_step(section):
    last = Page.objects.child_of(section).order_by("-path").values_list("path", flat=True).first()
    return Page._str2int(last[-Page.steplen :]) if last else 0


def index_articles(articles):
    """Adds the new articles to the search index in one bulk call per backend.

    The in-memory articles are indexed, their bylines and tags fetched for the whole batch:
    reloading them would convert each body (and fetch its pictures) one article at a time.
    """
    prefetch_related_objects(
        articles,
        "tags",
        byline_prefetch(),
    )
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(ArticlePage, articles)


UPDATE_MARK = re.compile(r" \(update \d+\)$")


def republish_stories(count, every=0.0, seed=1, check=None, stopped=lambda: False):
    """Publish a new revision of `count` live articles, one every `every` seconds.

    What a newsroom's editors do all day, for benchmarks/api_load.py --publish-every: each
    publish goes through Wagtail's publish path (a new revision) and stales what shows the
    story (news/dependencies.py), as a real one does. Stories are taken from each section in
    turn, at random within it. The headline gains a numbered mark, so every revision
    differs; `check(article)`, if given, runs after each publish (say, a stale-read probe).
    count=0 goes on until `stopped()` says so.
    """
    rng = random.Random(seed)
    by_section = {}
    for pk, path in ArticlePage.objects.live().values_list("pk", "path"):
        by_section.setdefault(path[: -Page.steplen], []).append(pk)
    sections = [by_section[path] for path in sorted(by_section)]
    published = 0
    while sections and (count == 0 or published < count) and not stopped():
        article = ArticlePage.objects.get(pk=rng.choice(sections[published % len(sections)]))
        article.title = f"{UPDATE_MARK.sub('', article.title)} (update {published + 1})"
        article.save_revision().publish()
        published += 1
        if check is not None:
            check(article)
        if every:
            time.sleep(every)
    return published


def seed_live_blog(posts=50, seed=1):
    """A live blog, live, in the first benchmark section with `posts` published posts (made
    once: an existing one is returned as it is)."""
    from .models import LiveBlogPage

    existing = LiveBlogPage.objects.filter(slug="benchmark-live").first()
    if existing is not None:
        return existing
    section = SectionPage.objects.order_by("path").first()
    rng = random.Random(seed)
    blog = LiveBlogPage(
        title="Benchmark live coverage",
        slug="benchmark-live",
        intro="Readers poll this page while an editor posts.",
        status="live",
        coverage_start=timezone.now() - timedelta(hours=3),
    )
    section.add_child(instance=blog)
    blog.save_revision().publish()
    start = timezone.now() - timedelta(hours=2)
    for n in range(posts):
        post_live(blog, rng, posted_at=start + timedelta(minutes=n), key_event=n % 10 == 0)
    return LiveBlogPage.objects.get(pk=blog.pk)


def post_live(blog, rng, **fields):
    """Publish one post on `blog` now, as the admin's Publish does; returns it."""
    from .models import LivePost

    post = LivePost(
        live_blog=blog,
        headline=sentence(rng, words=5).rstrip("."),
        body=f"<p>{sentence(rng)}</p>",
        live=False,
        **fields,
    )
    post.save()
    post.save_revision().publish()
    post.refresh_from_db()
    return post


def post_live_every(blog, every, *, check=None, stopped=lambda: False, seed=2):
    """Publish a post on `blog` every `every` seconds until `stopped()`; after each, call
    `check(post)` (a probe of what readers get). Returns how many were posted."""
    rng = random.Random(seed)
    count = 0
    while not stopped():
        began = time.monotonic()
        post = post_live(blog, rng)
        count += 1
        if check is not None:
            check(post)
        time.sleep(max(0.0, every - (time.monotonic() - began)))
    return count
