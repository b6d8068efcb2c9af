"""Rich text cleaned to its editor's features whenever a page or a revision is saved."""

# Wagtail cleans rich text only in the editor's form and in API v3's input: a body saved
# through the ORM, a data migration, an import script or a restored backup is stored and
# served as it is (Wagtail trusts its stored HTML). Here every save of a model with rich
# text, and of a revision of one, passes each rich text value through what Draftail itself
# saves: the contentstate converter built from the field's or block's features, which keeps
# only their elements and safe link schemes (wagtail.whitelist.check_url). Text already in
# that shape is left as it is, byte for byte. Rows written by raw SQL (a restore, a bulk
# update) bypass saving: `manage.py audit_rich_text --fix` finds and cleans them.

import copy
import html
import json
from dataclasses import dataclass
from functools import lru_cache

from bs4 import BeautifulSoup, Comment, NavigableString
from django.apps import apps
from django.db.models.signals import pre_save
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.blocks import ListBlock, RichTextBlock, StreamBlock, StructBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.rich_text import features as feature_registry
from wagtail.whitelist import check_url

#: The largest id a page, document or image table holds (a 32-bit integer primary key).
MAX_ID = 2**31 - 1
#: Features that store internal links, and the link type each stores.
LINK_FEATURES = {"link": "page", "document-link": "document"}


def feature_list(features):
    """The features a field or block allows, as a hashable tuple (None: Wagtail's default)."""
    return tuple(features if features is not None else feature_registry.get_default_features())


@lru_cache(maxsize=32)
def allowed_elements(features):
    """Element names the editor of these features may store (b, i, a, p, ul, ol, li, br…)."""
    rules = EditorHTMLConverter(features=list(features)).whitelister.element_rules
    return frozenset(name for name in rules if not name.startswith("["))


def link_types(features):
    """The internal link types (`<a linktype=… id=…>`) these features store."""
    return {name for feature, name in LINK_FEATURES.items() if feature in features}


def is_clean(markup, features):
    """Whether `markup` holds only what the editor of `features` stores: its elements, block
    keys, and links that are a safe href or one of its internal link types."""
    soup = BeautifulSoup(markup, "html.parser")
    allowed = allowed_elements(features)
    for node in soup.descendants:
        if isinstance(node, Comment) or (
            isinstance(node, NavigableString) and type(node) is not NavigableString
        ):
            return False  # comments, CDATA, processing instructions, doctypes
        if isinstance(node, NavigableString):
            continue
        if node.name not in allowed:
            return False
        attrs = dict(node.attrs)
        attrs.pop("data-block-key", None)
        if node.name != "a":
            if attrs:
                return False
        elif set(attrs) == {"href"}:
            href = attrs["href"]
            if not isinstance(href, str) or not href.strip() or check_url(href) is None:
                return False
        elif set(attrs) == {"linktype", "id"}:
            link_id = str(attrs["id"])
            if attrs["linktype"] not in link_types(features) or not link_id.isdigit():
                return False
            if int(link_id) > MAX_ID:
                return False
        elif attrs:
            return False
    return True


@lru_cache(maxsize=256)
def clean_html(markup, features):
    """`markup` as the editor of `features` would store it; unchanged when it already is.

    >>> clean_html('<p><a href="javascript:alert(1)" onclick="x()">Hi</a></p>', ("link",))
    '<p data-block-key="…"><a>Hi</a></p>'
    """
    if not isinstance(markup, str) or is_clean(markup, features):
        return markup
    soup = BeautifulSoup(markup, "html.parser")
    for node in soup.find_all(["script", "style", "template"]):
        node.decompose()
    for node in soup.find_all(string=lambda text: isinstance(text, Comment)):
        node.extract()
    for node in soup.find_all(attrs={"id": True}):
        # The converter looks internal links up by id: one no table could hold would be a
        # database error (which on PostgreSQL breaks the transaction), so it is no link.
        if not (str(node["id"]).isdigit() and int(node["id"]) <= MAX_ID):
            for name in ("id", "linktype", "embedtype"):
                del node[name]
    converter = ContentstateConverter(features=list(features))
    try:
        # The converter's parser needs balanced tags: Beautiful Soup's output has them.
        return converter.to_database_format(converter.from_database_format(str(soup)))
    except (AssertionError, ValueError, TypeError, LookupError):
        # e.g. <a linktype="page" id="x">: the converter cannot read it; keep the words.
        text = " ".join(soup.get_text(" ").split())
        return f"<p>{html.escape(text)}</p>" if text else ""


def clean_block_data(block, raw):
    """(raw data of `block` with its rich text cleaned, whether anything changed)."""
    if isinstance(block, RichTextBlock):
        cleaned = clean_html(raw, feature_list(block.features))
        return cleaned, cleaned != raw
    changed = False
    if isinstance(block, StreamBlock) and isinstance(raw, list):
        raw = copy.copy(raw)
        for index, item in enumerate(raw):
            child = block.child_blocks.get(item.get("type")) if isinstance(item, dict) else None
            if child is not None:
                value, item_changed = clean_block_data(child, item.get("value"))
                if item_changed:
                    raw[index] = {**item, "value": value}
                    changed = True
    elif isinstance(block, StructBlock) and isinstance(raw, dict):
        raw = dict(raw)
        for name, child in block.child_blocks.items():
            if name in raw:
                raw[name], child_changed = clean_block_data(child, raw[name])
                changed |= child_changed
    elif isinstance(block, ListBlock) and isinstance(raw, list):
        raw = copy.copy(raw)
        for index, item in enumerate(raw):
            # Since Wagtail 2.16 list items are {"type": "item", "value": …, "id": …}.
            is_item = isinstance(item, dict) and item.get("type") == "item" and "value" in item
            value, item_changed = clean_block_data(
                block.child_block, item["value"] if is_item else item
            )
            if item_changed:
                raw[index] = {**item, "value": value} if is_item else value
                changed = True
    return raw, changed


def rich_text_fields(model):
    """The model's StreamFields and RichTextFields."""
    return [f for f in model._meta.concrete_fields if isinstance(f, StreamField | RichTextField)]


def clean_field_data(field, raw):
    """(the stored form of a StreamField or RichTextField, cleaned; whether it changed).

    `raw` is what the database holds (a list for a StreamField) or what a revision holds (the
    same as a JSON string)."""
    if isinstance(field, RichTextField):
        cleaned = clean_html(raw, feature_list(field.features))
        return cleaned, cleaned != raw
    as_text = isinstance(raw, str)
    try:
        data = json.loads(raw) if as_text else raw
    except ValueError:
        return raw, False  # not stream data at all: Wagtail shows it as raw text, escaped
    cleaned, changed = clean_block_data(field.stream_block, data)
    if not changed:
        return raw, False
    return (json.dumps(cleaned, cls=field.json_field.encoder) if as_text else cleaned), True


def clean_instance(instance, fields=None):
    """Cleans the rich text of a model instance in place; returns the names of changed fields."""
    changed = []
    for field in fields if fields is not None else rich_text_fields(type(instance)):
        value = getattr(instance, field.attname)
        raw = field.get_prep_value(value) if isinstance(field, StreamField) else value
        cleaned, field_changed = clean_field_data(field, raw)
        if field_changed:
            setattr(instance, field.attname, cleaned)
            changed.append(field.name)
    return changed


def revision_model(revision):
    """The model a revision is of (ContentType's cache: no query after the first)."""
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_id(revision.content_type_id).model_class()


def clean_revision_content(model, content):
    """(a revision's content with the model's rich text fields cleaned, changed field names)."""
    if not isinstance(content, dict) or model is None:
        return content, []
    changed = []
    for field in rich_text_fields(model):
        if content.get(field.name) is None:
            continue
        cleaned, field_changed = clean_field_data(field, content[field.name])
        if field_changed:
            content = {**content, field.name: cleaned}
            changed.append(field.name)
    return content, changed


def clean_on_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return  # loaddata: `audit_rich_text` is the tool for fixtures and restores
    fields = rich_text_fields(sender)
    if update_fields is not None:
        fields = [f for f in fields if f.name in update_fields or f.attname in update_fields]
    clean_instance(instance, fields)


def clean_revision_on_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    instance.content, _ = clean_revision_content(revision_model(instance), instance.content)


def connect_rich_text_cleaning():
    """Cleans rich text on every save of a model that has any, and of every revision."""
    from wagtail.models import Revision

    for model in apps.get_models():
        if rich_text_fields(model):
            pre_save.connect(clean_on_save, sender=model, dispatch_uid=f"rich-text-{model._meta}")
    pre_save.connect(clean_revision_on_save, sender=Revision, dispatch_uid="rich-text-revision")


@dataclass
class Finding:
    """A stored row (or a revision of one) whose rich text the editor would not have saved."""

    model: type
    pk: int
    fields: list[str]
    revision_id: int | None = None

    @property
    def label(self):
        """e.g. "news.ArticlePage 12" or "news.ArticlePage 12, revision 40"."""
        row = f"{self.model._meta.label} {self.pk}"
        return f"{row}, revision {self.revision_id}" if self.revision_id else row


def audit_rich_text(fix=False, batch_size=500):
    """Every page row and revision whose rich text is not clean; cleaned when `fix`.

    Reads and writes with queryset `values_list`/`update`, so no save signal, search index
    or cache depends on it; after fixing, the caller bumps the content version.
    """
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Revision

    findings = []
    models = [m for m in apps.get_models() if rich_text_fields(m)]
    for model in models:
        fields = rich_text_fields(model)
        rows = model._base_manager.values_list("pk", *(f.attname for f in fields))
        for pk, *values in rows.order_by("pk").iterator(chunk_size=batch_size):
            cleaned = {}
            for field, value in zip(fields, values, strict=True):
                raw = field.get_prep_value(value) if isinstance(field, StreamField) else value
                value, changed = clean_field_data(field, raw)
                if changed:
                    cleaned[field.attname] = field.to_python(value)
            if cleaned:
                findings.append(Finding(model, pk, sorted(cleaned)))
                if fix:
                    model._base_manager.filter(pk=pk).update(**cleaned)
        content_types = ContentType.objects.get_for_models(model, for_concrete_models=False)
        revisions = Revision.objects.filter(content_type=content_types[model])
        for pk, object_id, content in (
            revisions.values_list("pk", "object_id", "content")
            .order_by("pk")
            .iterator(chunk_size=batch_size)
        ):
            content, changed = clean_revision_content(model, content)
            if changed:
                findings.append(Finding(model, int(object_id), changed, revision_id=pk))
                if fix:
                    Revision.objects.filter(pk=pk).update(content=content)
    return findings


def audit_and_fix(fix=False):
    """`audit_rich_text`, then, after a fix, what stored or cached the old text is refreshed:
    the search index of each cleaned page, cached responses and CDN copies."""
    findings = audit_rich_text(fix=fix)
    if not fix:
        return findings
    from wagtail.models import Page
    from wagtail.search.index import insert_or_update_object

    from cms.caching import bump_content_version

    from .dependencies import changed_page

    bump_content_version()
    fixed = {f.pk for f in findings if f.revision_id is None and issubclass(f.model, Page)}
    for page in Page.objects.filter(pk__in=fixed).specific():
        insert_or_update_object(page)
        if page.live:
            changed_page(page)
    return findings
