"""Bylines from the wire as Authors: agencies by name, people matched to ours or added."""

# "Paulo Santalucia and Frances d'Emilio" → two people; "By Jane Doe, AFP" → a person and an
# agency. A name is an agency when it is one of NEWS_WIRE_AGENCIES (or an alias of one) or
# an existing Author of kind `agency`. People are matched to existing Authors by name,
# whatever their kind (which never changes); new ones become `contributor`s.

import re

from django.conf import settings
from django.utils.text import slugify

from news.models import Author, AuthorKind

SEPARATORS = re.compile(r"\s*(?:,|;|/|&|\band\b|\bund\b|\bog\b|\bet\b)\s*", re.IGNORECASE)
BY_PREFIX = re.compile(r"^\s*(?:by|von|av|par|por)\s+", re.IGNORECASE)
NAME_MAX = 255


def agency_aliases():
    """{lower-case name or alias: the agency's byline name}, from NEWS_WIRE_AGENCIES."""
    aliases = {}
    for name, others in settings.NEWS_WIRE_AGENCIES.items():
        for alias in (name, *others):
            aliases[alias.lower()] = name
    return aliases


def byline_names(byline):
    """The names in a byline, in order, e.g. "By Ann Lee and AFP" → ["Ann Lee", "AFP"]."""
    byline = re.sub(r"[()\[\]]", " ", byline or "")
    names = []
    for part in SEPARATORS.split(byline):
        name = BY_PREFIX.sub("", " ".join(part.split()))[:NAME_MAX]
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return names


def unique_slug(name):
    base = slugify(name)[:240] or "author"
    slug, n = base, 1
    while Author.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def find_author(name):
    return Author.objects.filter(name__iexact=name).order_by("pk").first()


def agency_author(name):
    """The agency's Author, created (kind agency) the first time it is met."""
    author = find_author(name)
    if author is None:
        author = Author.objects.create(
            name=name, slug=unique_slug(name), kind=AuthorKind.AGENCY, role="News agency"
        )
    return author


def byline_authors(byline, copyright_holder=""):
    """(authors in byline order, the agency or None) for a story's byline.

    When the byline names no agency, a known agency holding the copyright is the agency and
    closes the byline, so the agency always shows.
    """
    aliases = agency_aliases()
    authors, agency = [], None
    for name in byline_names(byline):
        if canonical := aliases.get(name.lower()):
            author = agency_author(canonical)
        else:
            author = find_author(name)
            if author is None:
                author = Author.objects.create(
                    name=name, slug=unique_slug(name), kind=AuthorKind.CONTRIBUTOR
                )
        if author.kind == AuthorKind.AGENCY and agency is None:
            agency = author
        if author not in authors:
            authors.append(author)
    if agency is None and (canonical := aliases.get(copyright_holder.strip().lower())):
        agency = agency_author(canonical)
        if agency not in authors:
            authors.append(agency)
    return authors, agency
