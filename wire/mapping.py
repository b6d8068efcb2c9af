"""What a ninjs item says, read the same way whatever its version, as a WireStory."""

# Field by field (1.x key / 2.x key / 3.x key):
#   headline, headline_main, headline_* / headlines[role main] / same → title
#   headline_sub… or description_* / headlines[role sub…] or descriptions / same → intro
#   byline / by / by                              → authors (wire/authors.py)
#   located                                       → dateline
#   body_* (html, xhtml, richtext, nitf, then text) / bodies[html, xhtml, nitf, text] / same
#                                                 → body blocks
#   subject[].name / subjects[].name / same       → tags
#   language                                      → language
#   associations{} / associations[] type picture  → lead image, caption, credit
#   version, versioncreated, firstcreated, embargoed, pubstatus, ednote
#       (3.x: versionCreated, firstCreated, embargoedUntil, pubStatus, edNote)
# 1.x carries headlines, bodies and descriptions as the schema's pattern properties
# `headline_<name>`, `body_<name>` and `description_<name>`, where <name> says the purpose
# and/or the format, parts separated by "_" (headline_main, body_richtext, body_main,
# description_summary_html): see `named_values`.

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.dateparse import parse_datetime

from .body import nitf_to_html, plain_text, text_to_html
from .ninjs import NinjsError

#: Item types that are stories; pictures, video, audio and graphics on their own are not.
STORY_TYPES = {None, "text", "composite"}
KILL_STATUSES = {"canceled", "withheld"}
HTML_TYPES = {"text/html", "application/xhtml+xml"}
HTML_ROLES = {"html", "xhtml", "richhtml"}
TEXT_ROLES = {"text", "plain", "plaintext"}
NITF_TYPE = "text/vnd.iptc.nitf"
SUB_HEADLINE_ROLES = {"sub", "subheadline", "sub-headline", "subtitle", "deck", "kicker"}
#: Descriptions that say what the story is, best first; "" is a description without a role.
SUMMARY_ROLES = ("summary", "lead", "abstract", "teaser", "text", "")
#: Descriptions of a picture that make a caption, best first.
CAPTION_ROLES = ("caption", "text", "summary", "")
#: 1.x body formats that are markup, richest first; any other body_* is text.
MARKUP_BODY_FORMATS = ("html", "xhtml", "richhtml", "richtext", "nitf")
#: 1.x text bodies, best first; other text bodies follow in the item's order.
TEXT_BODY_NAMES = ("text", "main", "plain", "plaintext", "")
#: Tags that make a body named only for its purpose (body_main) markup rather than text.
MARKUP_TAG = re.compile(r"<(p|br|div|h[1-6]|ul|ol|li|b|i|em|strong|a|blockquote)\b[^>]*>", re.I)
MAIN_PICTURE_NAMES = ("mainpic", "main", "featureimage", "featuremedia", "picture", "photo")
BCP47 = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
TITLE_MAX = 255
DATELINE_MAX = 255
CAPTION_MAX = 500
CREDIT_MAX = 255
TAG_MAX = 100


@dataclass
class Rendition:
    href: str
    media_type: str = ""
    width: int = 0
    height: int = 0
    size: int = 0


@dataclass
class WireRights:
    """A picture's rights as the agency states them (ninjs copyrightholder, copyrightnotice,
    usageterms, rightsinfo and expires; 3.x spells them in camelCase)."""

    licence: str = "agency"
    licence_name: str = ""
    copyright_holder: str = ""
    usage_terms: str = ""
    expires_at: datetime | None = None


@dataclass
class WirePicture:
    uri: str
    title: str
    caption: str
    credit: str
    renditions: list[Rendition]
    rights: WireRights = field(default_factory=WireRights)


@dataclass
class WireStory:
    """One agency item, version-independent. `warnings` say what could not be taken."""

    uri: str
    major: str
    version: str = ""
    version_created: datetime | None = None
    first_created: datetime | None = None
    embargoed: datetime | None = None
    pubstatus: str = "usable"
    ednote: str = ""
    headline: str = ""
    intro: str = ""
    byline: str = ""
    located: str = ""
    language: str = ""
    body_html: str = ""
    subjects: list[str] = field(default_factory=list)
    copyright_holder: str = ""
    picture: WirePicture | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def is_kill(self):
        return self.pubstatus in KILL_STATUSES

    @property
    def version_label(self):
        """The version as we report it: the agency's number, else its timestamp."""
        if self.version:
            return self.version
        return self.version_created.isoformat() if self.version_created else ""


def first(item, *keys, default=None):
    """The value of the first key present in `item` (1.x/2.x and 3.x spell keys differently)."""
    for key in keys:
        if item.get(key) not in (None, ""):
            return item[key]
    return default


def parts(item, key):
    """A 2.x/3.x list of {role, contenttype/contentType, value} objects, as dicts."""
    value = item.get(key)
    return [part for part in value if isinstance(part, dict)] if isinstance(value, list) else []


def content_type(part):
    return (part.get("contentType") or part.get("contenttype") or "").lower()


def by_role(items, roles):
    """The value of the first part whose role is in `roles`, trying the roles in order."""
    for role in roles:
        for part in items:
            if (part.get("role") or "").lower() == role and part.get("value"):
                return part["value"]
    return ""


def datetime_at(item, path, *keys):
    """A timezone-aware datetime from the first of `keys`, or None; NinjsError if malformed."""
    value = first(item, *keys)
    if value is None:
        return None
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        key = next(key for key in keys if item.get(key) not in (None, ""))
        raise NinjsError(
            "A date in the item is not a date-time.",
            [{"path": f"{path}.{key}", "msg": f"{value!r} is not an ISO 8601 date-time"}],
        )
    if parsed.tzinfo is None:
        raise NinjsError(
            "A date in the item has no time zone.",
            [{"path": f"{path}.{keys[0]}", "msg": f"{value!r} has no UTC offset"}],
        )
    return parsed


def named_values(item, prefix):
    """The 1.x pattern properties `<prefix>_<name>` as [(name parts, value)], in item order.

    >>> named_values({"headline_sub_html": "x", "headline": "y"}, "headline")
    [(["sub", "html"], "x")]
    """
    found = []
    for key, value in item.items():
        if key.startswith(f"{prefix}_") and isinstance(value, str) and value.strip():
            found.append((key[len(prefix) + 1 :].lower().split("_"), value))
    return found


def ranked(values, roles):
    """`named_values` sorted by the first of their name parts found in `roles` (in order);
    names with none of them last, in item order."""

    def rank(entry):
        return min((roles.index(part) for part in entry[0] if part in roles), default=len(roles))

    return sorted(values, key=rank)


def is_sub_headline(name_parts):
    """Whether a 1.x headline_<name> is a sub-headline (headline_sub, headline_sub_headline…)."""
    joined = "-".join(name_parts)
    return joined in SUB_HEADLINE_ROLES or name_parts[0] in SUB_HEADLINE_ROLES


def read_headline(item):
    """The headline as plain text: 1.x `headline`, then `headline_main`, then any other
    `headline_*` that is not a sub-headline; 2.x/3.x `headlines` role main, then the first."""
    named = ranked(named_values(item, "headline"), ("main",))
    candidates = [item.get("headline"), *[v for name, v in named if not is_sub_headline(name)]]
    headlines = parts(item, "headlines")
    candidates.append(by_role(headlines, ("main", "")))
    candidates.extend(part.get("value") for part in headlines[:1])
    for candidate in candidates:
        if isinstance(candidate, str) and (text := plain_text(candidate)):
            return text
    return ""


def subs_of(item):
    """The values of a 1.x item's sub-headlines (headline_sub, headline_subtitle…)."""
    return [value for name, value in named_values(item, "headline") if is_sub_headline(name)]


def read_description(item, roles):
    """The best 1.x description_* or 2.x/3.x descriptions[] for `roles`, as plain text."""
    if described := ranked(named_values(item, "description"), roles):
        return plain_text(described[0][1])
    return plain_text(by_role(parts(item, "descriptions"), roles) or "")


def read_intro(item):
    subs = subs_of(item)
    sub = subs[0] if subs else by_role(parts(item, "headlines"), SUB_HEADLINE_ROLES)
    if sub:
        return plain_text(sub)
    return read_description(item, SUMMARY_ROLES)


def read_named_body(item):
    """The body of a 1.x item from its body_* properties, richest markup first."""
    bodies = named_values(item, "body")
    for body_format in MARKUP_BODY_FORMATS:
        for name, value in bodies:
            if body_format not in name:
                continue
            if body_format != "nitf":
                return value
            if markup := nitf_to_html(value):
                return markup
    texts = [(name, value) for name, value in bodies if not set(name) & set(MARKUP_BODY_FORMATS)]
    for _name, value in ranked(texts, TEXT_BODY_NAMES):
        # A body named for its purpose only (body_main) may still hold markup.
        return value if MARKUP_TAG.search(value) else text_to_html(value)
    return ""


def read_body(item):
    """The body as HTML: HTML first, then NITF, then plain text turned into paragraphs."""
    if markup := read_named_body(item):
        return markup
    bodies = parts(item, "bodies")
    for part in bodies:
        role = (part.get("role") or "").lower()
        if content_type(part) in HTML_TYPES or role in HTML_ROLES:
            return part.get("value") or ""
    for part in bodies:
        if content_type(part) == NITF_TYPE or (part.get("role") or "").lower() == "nitf":
            if markup := nitf_to_html(part.get("value")):
                return markup
    for part in bodies:
        role = (part.get("role") or "").lower()
        if content_type(part) in ("text/plain", "") and (role in TEXT_ROLES or not role):
            return text_to_html(part.get("value"))
    return ""


def read_subjects(item):
    names = {}
    for subject in parts(item, "subjects") or parts(item, "subject"):
        name = plain_text(subject.get("name") or "")[:TAG_MAX]
        if name:
            names.setdefault(name.lower(), name)
    return list(names.values())


def read_associations(item):
    """Associated items as dicts with their `name` (1.x keys them by name, 2.x/3.x list them)."""
    associations = item.get("associations")
    if isinstance(associations, dict):
        return [
            {**value, "name": name}
            for name, value in associations.items()
            if isinstance(value, dict)
        ]
    return parts(item, "associations")


def read_renditions(association):
    renditions = association.get("renditions")
    if isinstance(renditions, dict):
        renditions = [{**value, "name": name} for name, value in renditions.items()]
    found = []
    for rendition in renditions if isinstance(renditions, list) else []:
        if not isinstance(rendition, dict) or not rendition.get("href"):
            continue
        media_type = (
            first(rendition, "contentType", "contenttype", "mimetype", default="") or ""
        ).lower()
        if media_type and not media_type.startswith("image/"):
            continue
        found.append(
            Rendition(
                href=rendition["href"],
                media_type=media_type,
                width=int(rendition.get("width") or 0),
                height=int(rendition.get("height") or 0),
                size=int(first(rendition, "sizeInBytes", "sizeinbytes", default=0) or 0),
            )
        )
    # The largest picture first: the desk makes its own smaller renditions.
    return sorted(found, key=lambda r: r.width * r.height, reverse=True)


def read_picture(item, path="$"):
    pictures = [a for a in read_associations(item) if a.get("type") == "picture"]
    if not pictures:
        return None
    pictures.sort(
        key=lambda a: (
            MAIN_PICTURE_NAMES.index(a["name"].lower())
            if a["name"].lower() in MAIN_PICTURE_NAMES
            else len(MAIN_PICTURE_NAMES)
        )
    )
    picture = pictures[0]
    caption = read_description(picture, CAPTION_ROLES)
    credit = first(picture, "byline", "by", "copyrightholder", "copyrightHolder", default="")
    return WirePicture(
        uri=picture.get("uri") or "",
        title=read_headline(picture),
        caption=caption[:CAPTION_MAX],
        credit=plain_text(credit)[:CREDIT_MAX],
        renditions=read_renditions(picture),
        rights=read_rights(picture, item, f"{path}.associations"),
    )


CREATIVE_COMMONS_URL = re.compile(
    r"creativecommons\.org/(?:licenses/(?P<terms>[a-z-]+)/(?P<version>[\d.]+)|publicdomain/zero)",
    re.IGNORECASE,
)


def creative_commons_name(url):
    """ "CC BY-SA 4.0" for https://creativecommons.org/licenses/by-sa/4.0/, "" for other URLs."""
    match = CREATIVE_COMMONS_URL.search(url or "")
    if match is None:
        return ""
    if match["terms"] is None:
        return "CC0 1.0"
    return f"CC {match['terms'].upper()} {match['version']}"


def read_rights(picture, story, path):
    """The WireRights of a picture association, falling back on the story's holder."""
    info = first(picture, "rightsinfo", "rightsInfo", default={}) or {}
    linked = (
        first(info, "linkedrights", "linkedRights", default="") if isinstance(info, dict) else ""
    )
    cc_name = creative_commons_name(linked)
    terms = [
        plain_text(first(picture, "usageterms", "usageTerms", default="")),
        plain_text(first(picture, "copyrightnotice", "copyrightNotice", default="")),
    ]
    holder = first(picture, "copyrightholder", "copyrightHolder", default="") or first(
        story, "copyrightholder", "copyrightHolder", default=""
    )
    return WireRights(
        licence="creative_commons" if cc_name else "agency",
        licence_name=cc_name,
        copyright_holder=plain_text(holder)[:255],
        usage_terms="\n".join(term for term in terms if term),
        expires_at=datetime_at(picture, path, "expires"),
    )


def read_story(item, major, path="$"):
    """The WireStory of a schema-valid item; NinjsError if it is no story we can take."""
    item_type = item.get("type")
    if item_type not in STORY_TYPES:
        raise NinjsError(
            f"This is a {item_type} item, not a story: the wire desk takes text items "
            "(type text or composite); send pictures as associations of a story.",
            [{"path": f"{path}.type", "msg": f"{item_type!r} is not text or composite"}],
        )
    story = WireStory(
        uri=item["uri"].strip(),
        major=major,
        version=str(item.get("version") or "").strip(),
        version_created=datetime_at(item, path, "versioncreated", "versionCreated"),
        first_created=datetime_at(item, path, "firstcreated", "firstCreated"),
        embargoed=datetime_at(item, path, "embargoed", "embargoedUntil"),
        pubstatus=first(item, "pubstatus", "pubStatus", default="usable"),
        ednote=plain_text(first(item, "ednote", "edNote", default="")),
        headline=read_headline(item) or plain_text(item.get("title") or ""),
        intro=read_intro(item),
        byline=plain_text(first(item, "byline", "by", default="")),
        located=plain_text(item.get("located") or "")[:DATELINE_MAX],
        body_html=read_body(item),
        subjects=read_subjects(item),
        copyright_holder=plain_text(first(item, "copyrightholder", "copyrightHolder", default="")),
        picture=read_picture(item, path),
    )
    if not story.uri:
        raise NinjsError("The item has no uri.", [{"path": f"{path}.uri", "msg": "empty"}])
    language = (item.get("language") or "").strip()
    if language and BCP47.match(language):
        story.language = language
    elif language:
        story.warnings.append(f"Language {language!r} is not a BCP 47 tag; kept the default.")
    if story.is_kill:
        return story
    if not story.headline:
        raise NinjsError(
            "The item has no headline.",
            [{"path": f"{path}.{'headline' if major == '1' else 'headlines'}", "msg": "missing"}],
        )
    if len(story.headline) > TITLE_MAX:
        story.warnings.append(f"The headline was cut to {TITLE_MAX} characters.")
        story.headline = story.headline[: TITLE_MAX - 1].rstrip() + "…"
    return story
