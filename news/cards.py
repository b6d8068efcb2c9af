"""Reader story cards kept as HTML between requests, by the versions of what each shows.

A card (templates/includes/article_card.html) shows a story's headline, teaser, byline, date,
section and picture. Built, it costs a listing its stories' rows (the body too, for a teaser
cut from it), their bylines, pictures and renditions, and the template: most of a search
page's time. Kept (cms/caching.py keep_many), a card is served while none of what it showed
has changed: the story (page:<id>, bumped by each publish, unpublish, move or delete), its
authors and its picture (card_keys), the site (a section's title, every address), and a
picture's rights expiry (shows_until). So a listing reads only the ids of its stories and
the kept cards of those; it builds the others.

The key holds the card's options (featured, show_section, heading), the site the request came
to (a story of another site is linked by its full URL) and a digest of the code that draws a
card, so a deploy never serves a card drawn by the old template.
"""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.template import Context
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from cms.caching import collecting, keep_many, kept_many, remember_site, shows
from news.dependencies import card_keys

CARD_TEMPLATE = "includes/article_card.html"
CARD_KEY = "newsroom:card:{pk}:{shape}"


@cache
def card_code():
    """A digest of what draws a card: its template, the template tags and picture rules it
    uses, the story's teaser, byline and section (news/models/articles.py), and where its
    pictures are served from (the media URL, or a storage's own base URL: a CDN, say)."""
    from news import picture_rights, renditions
    from news.models import articles
    from news.templatetags import news_tags

    modules = (news_tags, picture_rights, renditions, articles)
    sources = [Path(get_template(CARD_TEMPLATE).origin.name)]
    sources += [Path(module.__file__) for module in modules]
    digest = hashlib.blake2b(digest_size=8)
    for source in sources:
        digest.update(source.read_bytes())
    digest.update(settings.MEDIA_URL.encode())
    digest.update(default_storage.url("images/x.jpg").encode())
    return digest.hexdigest()


def card_shape(request, options):
    remember_site(request)
    site = request._wagtail_site
    shape = (card_code(), site.pk if site else None, sorted(options.items()))
    return hashlib.blake2b(repr(shape).encode(), digest_size=8).hexdigest()


def render_card(request, article, options):
    """One card's HTML, as `{% include "includes/article_card.html" %}` draws it."""
    context = Context({"request": request, "article": article, **options})
    return get_template(CARD_TEMPLATE).template.render(context)


def story_cards(request, pks, articles, sizes=("thumbnail",), **options):
    """The cards of the stories `pks`, in that order, as HTML.

    `pks` come from the request's own query of the stories it may see (live, public), as a
    listing's ids do: a kept card is served for them as it is. `articles` (that query) draws
    the others; one it no longer holds (unpublished meanwhile) is left out, and a kept card of
    it is stale already (the unpublish bumped its page:<id>). `options` are the card
    template's (featured, show_section, heading); `sizes` the renditions it shows
    (news/renditions.py). Each card declares what it shows (cms.caching.shows).
    """
    timeout = settings.NEWS_FRAGMENT_CACHE_TIMEOUT
    keys, kept = {}, {}
    if timeout and pks:
        shape = card_shape(request, options)
        keys = {pk: CARD_KEY.format(pk=pk, shape=shape) for pk in pks}
        kept = kept_many(keys.values())
    missing = [pk for pk in pks if keys.get(pk) not in kept]
    built, fresh = {}, {}
    if missing:
        for article in articles.filter(pk__in=missing).for_cards(*sizes):
            with collecting() as names:
                shows(*card_keys(article))
                built[article.pk] = render_card(request, article, options)
            if article.pk in keys:
                fresh[keys[article.pk]] = (built[article.pk], names)
    cards = []
    for pk in pks:
        if keys.get(pk) in kept:
            html, names = kept[keys[pk]]
            shows(*names)
            cards.append(mark_safe(html))  # noqa: S308 - the template's own output
        elif pk in built:
            cards.append(built[pk])
    if fresh:
        keep_many(fresh, timeout)
    return cards
