"""Our live articles as IPTC ninjs 1.x, 2.x or 3.x, valid against the official schemas."""

# Built on the API's article representation (news/api/representation.py): the same lead
# image renditions, byline and tags the front ends get. Field by field:
#   uri ← the article's canonical URL; headline(s) ← title; description/descriptions ←
#   standfirst; byline/by ← byline; located ← dateline; body_html/bodies ← the body as
#   HTML; subject(s) ← tags; versioncreated/firstcreated ← last/first published; language;
#   the lead image → an association "featureimage" of type picture, with its renditions.

import html
import re
from typing import Annotated, Literal, Required
from urllib.parse import urlsplit

from django.conf import settings
from pydantic import ConfigDict, WithJsonSchema, with_config
from typing_extensions import TypedDict  # pydantic needs this one on Python < 3.12
from wagtail.rich_text import expand_db_html

from news.api.representation import image_representation

#: The schema version each major version's export is written in.
EXPORT_VERSIONS = {"1": "1.6", "2": "2.2", "3": "3.1"}
SCHEMA_URL = "http://www.iptc.org/std/ninjs/ninjs-schema_{version}.json"
MEDIA_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
}
BLOCK_KEY = re.compile(r'\s+data-block-key="[^"]*"')


# What article_ninjs() returns, one type per major version, for the OpenAPI document (and
# Django Ninja checks each answer against them). Empty values are left out (pruned()), so
# only what always has a value is Required. Closed (extra="forbid"): a key added to the
# export must be added here, and the three versions cannot be mistaken for one another.
CLOSED = ConfigDict(extra="forbid")
DateTime = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]


@with_config(CLOSED)
class NinjsName(TypedDict):
    """A subject (one of the article's tags), e.g. {"name": "floods"}."""

    name: str


@with_config(CLOSED)
class NinjsText(TypedDict):
    """A 2.x/3.x headline or description, e.g. {"role": "main", "value": "Dam holds"}."""

    role: str
    value: str


@with_config(CLOSED)
class Ninjs1Standard(TypedDict):
    name: Literal["ninjs"]
    version: Literal["1.6"]
    schema: str


@with_config(CLOSED)
class Ninjs1Rendition(TypedDict):
    """e.g. {"href": "https://…/dam.fill-1200x675.jpg", "width": 1200, "height": 675,
    "mimetype": "image/jpeg"}"""

    href: str
    width: int
    height: int
    mimetype: str


@with_config(CLOSED)
class Ninjs1Picture(TypedDict, total=False):
    uri: Required[str]
    type: Required[Literal["picture"]]
    headline: str
    byline: str
    description_text: str
    renditions: Required[dict[str, Ninjs1Rendition]]


@with_config(CLOSED)
class Ninjs1Associations(TypedDict):
    featureimage: Ninjs1Picture


Ninjs1Item = with_config(CLOSED)(
    TypedDict(
        "Ninjs1Item",
        {
            "$standard": Required[Ninjs1Standard],
            "uri": Required[str],
            "type": Required[Literal["text"]],
            "version": str,
            "language": str,
            "located": str,
            "versioncreated": DateTime,
            "firstcreated": DateTime,
            "pubstatus": Required[Literal["usable"]],
            "copyrightholder": str,
            "headline": Required[str],
            "description_text": str,
            "byline": str,
            "body_html": str,
            "subject": list[NinjsName],
            "associations": Ninjs1Associations,
        },
        total=False,
    )
)
Ninjs1Item.__doc__ = "An article in ninjs 1.6 (`?version=1`)."


@with_config(CLOSED)
class Ninjs2Standard(TypedDict):
    name: Literal["ninjs"]
    version: Literal["2.2"]
    schema: str


@with_config(CLOSED)
class Ninjs2Body(TypedDict):
    """e.g. {"role": "html", "contenttype": "text/html", "value": "<p>The dam held.</p>"}"""

    role: str
    contenttype: str
    value: str


@with_config(CLOSED)
class Ninjs2Rendition(TypedDict):
    name: str
    href: str
    contenttype: str
    width: int
    height: int


@with_config(CLOSED)
class Ninjs2Picture(TypedDict, total=False):
    """The lead image: an association named "featureimage"."""

    name: Required[Literal["featureimage"]]
    uri: Required[str]
    type: Required[Literal["picture"]]
    headlines: list[NinjsText]
    by: str
    descriptions: list[NinjsText]
    renditions: Required[list[Ninjs2Rendition]]


@with_config(CLOSED)
class Ninjs2Item(TypedDict, total=False):
    """An article in ninjs 2.2 (`?version=2`)."""

    standard: Required[Ninjs2Standard]
    uri: Required[str]
    type: Required[Literal["text"]]
    version: str
    language: str
    located: str
    versioncreated: DateTime
    firstcreated: DateTime
    pubstatus: Required[Literal["usable"]]
    copyrightholder: str
    headlines: Required[list[NinjsText]]
    descriptions: list[NinjsText]
    by: str
    bodies: list[Ninjs2Body]
    subjects: list[NinjsName]
    associations: list[Ninjs2Picture]


# 3.x spells the same keys in camelCase.


@with_config(CLOSED)
class Ninjs3Standard(TypedDict):
    name: Literal["ninjs"]
    version: Literal["3.1"]
    schema: str


@with_config(CLOSED)
class Ninjs3Body(TypedDict):
    """e.g. {"role": "html", "contentType": "text/html", "value": "<p>The dam held.</p>"}"""

    role: str
    contentType: str
    value: str


@with_config(CLOSED)
class Ninjs3Rendition(TypedDict):
    name: str
    href: str
    contentType: str
    width: int
    height: int


@with_config(CLOSED)
class Ninjs3Picture(TypedDict, total=False):
    """The lead image: an association named "featureimage"."""

    name: Required[Literal["featureimage"]]
    uri: Required[str]
    type: Required[Literal["picture"]]
    headlines: list[NinjsText]
    by: str
    descriptions: list[NinjsText]
    renditions: Required[list[Ninjs3Rendition]]


@with_config(CLOSED)
class Ninjs3Item(TypedDict, total=False):
    """An article in ninjs 3.1 (`?version=3`, the default)."""

    standard: Required[Ninjs3Standard]
    uri: Required[str]
    type: Required[Literal["text"]]
    version: str
    language: str
    located: str
    versionCreated: DateTime
    firstCreated: DateTime
    pubStatus: Required[Literal["usable"]]
    copyrightHolder: str
    headlines: Required[list[NinjsText]]
    descriptions: list[NinjsText]
    by: str
    bodies: list[Ninjs3Body]
    subjects: list[NinjsName]
    associations: list[Ninjs3Picture]


#: The export's answer: the item of the major version asked for.
NinjsItem = Ninjs1Item | Ninjs2Item | Ninjs3Item


def media_type(url):
    path = urlsplit(url).path.lower()
    return next((t for ext, t in MEDIA_TYPES.items() if path.endswith(ext)), "image/jpeg")


def block_html(block):
    """One body block as plain front-end HTML."""
    value = block.value
    if block.block_type == "paragraph":
        return BLOCK_KEY.sub("", expand_db_html(value.source))
    if block.block_type == "heading":
        return f"<h2>{html.escape(value)}</h2>"
    if block.block_type == "quote":
        cite = f"<cite>{html.escape(value['attribution'])}</cite>" if value["attribution"] else ""
        return f"<blockquote><p>{html.escape(value['quote'])}</p>{cite}</blockquote>"
    if block.block_type == "image" and value["image"] is not None:
        picture = image_representation(value["image"], alt=value["alt"])
        large = picture["renditions"]["large"]
        caption = " ".join(part for part in (value["caption"], value["credit"]) if part)
        figcaption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
        return (
            f'<figure><img src="{html.escape(large["url"])}" alt="{html.escape(picture["alt"])}" '
            f'width="{large["width"]}" height="{large["height"]}">{figcaption}</figure>'
        )
    if block.block_type == "embed" and value is not None:
        url = html.escape(value.url)
        return f'<p><a href="{url}">{url}</a></p>'
    return ""


def body_html(article):
    return "".join(block_html(block) for block in article.body)


def picture(article, major):
    """The lead image as a ninjs association of type picture, or None."""
    if article.lead_image is None:
        return None
    image = image_representation(
        article.lead_image,
        alt=article.lead_image_alt,
        caption=article.lead_image_caption,
        credit=article.lead_image_credit,
    )
    renditions = [
        {
            "name": name,
            "href": rendition["url"],
            "type": media_type(rendition["url"]),
            "width": rendition["width"],
            "height": rendition["height"],
        }
        for name, rendition in image["renditions"].items()
    ]
    uri = image["renditions"]["large"]["url"]
    if major == "1":
        return {
            "uri": uri,
            "type": "picture",
            "headline": image["title"],
            "byline": image["credit"],
            "description_text": image["caption"] or image["alt"],
            "renditions": {
                r["name"]: {k: r[k] for k in ("href", "width", "height")} | {"mimetype": r["type"]}
                for r in renditions
            },
        }
    content_type = "contenttype" if major == "2" else "contentType"
    return {
        "name": "featureimage",
        "uri": uri,
        "type": "picture",
        "headlines": [{"role": "main", "value": image["title"]}],
        "by": image["credit"],
        "descriptions": described("caption", image["caption"] or image["alt"]),
        "renditions": [
            {
                "name": r["name"],
                "href": r["href"],
                content_type: r["type"],
                "width": r["width"],
                "height": r["height"],
            }
            for r in renditions
        ],
    }


def described(role, value, **fields):
    """A one-part 2.x/3.x list such as `descriptions`, or [] for no value (`value` is required)."""
    return [{"role": role, **fields, "value": value}] if value else []


def pruned(value):
    """The value without empty strings, lists, dicts and None, recursively."""
    if isinstance(value, dict):
        value = {key: pruned(item) for key, item in value.items()}
        return {key: item for key, item in value.items() if item not in ("", None, [], {})}
    if isinstance(value, list):
        return [item for item in (pruned(item) for item in value) if item not in ("", None, [], {})]
    return value


def article_ninjs(article, major="3"):
    """The live article as a ninjs item of major version "1", "2" or "3" (a dict)."""
    version = EXPORT_VERSIONS[major]
    standard = {"name": "ninjs", "version": version, "schema": SCHEMA_URL.format(version=version)}
    tags = sorted((tag.name for tag in article.tags.all()), key=str.lower)
    common = {
        "uri": article.get_full_url() or "",
        "type": "text",
        "version": str(article.live_revision_id or ""),
        "language": article.language,
        "located": article.dateline,
    }
    created = article.first_published_at.isoformat() if article.first_published_at else None
    modified = article.last_published_at.isoformat() if article.last_published_at else None
    association = picture(article, major)
    if major == "1":
        item = {
            "$standard": standard,
            **common,
            "versioncreated": modified,
            "firstcreated": created,
            "pubstatus": "usable",
            "copyrightholder": settings.WAGTAIL_SITE_NAME,
            "headline": article.title,
            "description_text": article.intro,
            "byline": article.byline,
            "body_html": body_html(article),
            "subject": [{"name": tag} for tag in tags],
            "associations": {"featureimage": association} if association else None,
        }
    else:
        lower = major == "2"
        item = {
            "standard": standard,
            **common,
            ("versioncreated" if lower else "versionCreated"): modified,
            ("firstcreated" if lower else "firstCreated"): created,
            ("pubstatus" if lower else "pubStatus"): "usable",
            ("copyrightholder" if lower else "copyrightHolder"): settings.WAGTAIL_SITE_NAME,
            "headlines": [{"role": "main", "value": article.title}],
            "descriptions": described("summary", article.intro),
            "by": article.byline,
            "bodies": described(
                "html",
                body_html(article),
                **{"contenttype" if lower else "contentType": "text/html"},
            ),
            "subjects": [{"name": tag} for tag in tags],
            "associations": [association] if association else None,
        }
    return pruned(item)
