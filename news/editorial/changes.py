"""What counts as a change to a story: its words, compared as the editor shows them.

A version is compared by what readers and front ends get, not by bookkeeping (tree
position, timestamps, locks, scheduling) and not by how the rich-text editor happens to
write the same words: Draftail gives each paragraph a key of its own and writes copy made
elsewhere (the wire desk, the demo, an import) in its own markup, so a story opened and
saved unchanged would otherwise look rewritten. Used by the second-read rule
(news/editorial/second_read.py) and the page edit form (news/editorial/forms.py).
"""

import json
import re

from wagtail import blocks
from wagtail.fields import StreamField

# Revision content that is bookkeeping, not words: tree position, state, timestamps, locks,
# scheduling and comments. A model adds its own in `non_editorial_fields` (ArticlePage: its
# wire origin, kept page-wide and never taken from a revision).
BOOKKEEPING_FIELDS = frozenset(
    {
        "pk",
        "id",
        "path",
        "depth",
        "numchild",
        "url_path",
        "draft_title",
        "live",
        "has_unpublished_changes",
        "first_published_at",
        "last_published_at",
        "latest_revision_created_at",
        "live_revision",
        "latest_revision",
        "locked",
        "locked_at",
        "locked_by",
        "owner",
        "content_type",
        "page_ptr",
        "translation_key",
        "locale",
        "alias_of",
        "go_live_at",
        "expire_at",
        "expired",
        "wagtail_admin_comments",
        "comments",
    }
)
# A child relation's row (byline, related link, tag) without its own id and its page key.
CHILD_ROW_KEYS = frozenset({"pk", "id", "page", "content_object"})
BLOCK_KEY = re.compile(r'\sdata-block-key="[^"]*"')


def editor_rich_text(html, features):
    """`html` as the rich-text editor would save it unchanged, without paragraph keys."""
    # Imported here: the editor's converters need the page model, loaded after this module.
    from wagtail.admin.rich_text import get_rich_text_editor_widget

    converter = get_rich_text_editor_widget(features=features).converter
    if converter is None or not html:
        return BLOCK_KEY.sub("", html or "")
    return BLOCK_KEY.sub("", converter.to_database_format(converter.from_database_format(html)))


def block_words(block, raw):
    """A block's raw (JSON) value in the editor's form, without block ids."""
    if isinstance(block, blocks.RichTextBlock) and isinstance(raw, str):
        return editor_rich_text(raw, block.features)
    if isinstance(block, blocks.StreamBlock) and isinstance(raw, list):
        return [
            {
                "type": item["type"],
                "value": block_words(block.child_blocks[item["type"]], item["value"]),
            }
            for item in raw
            if isinstance(item, dict) and item.get("type") in block.child_blocks
        ]
    if isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        return {
            name: block_words(block.child_blocks[name], value)
            if name in block.child_blocks
            else value
            for name, value in raw.items()
        }
    if isinstance(block, blocks.ListBlock) and isinstance(raw, list):
        return [
            block_words(
                block.child_block,
                item["value"] if isinstance(item, dict) and "value" in item else item,
            )
            for item in raw
        ]
    return raw


def stream_words(stream_block, raw):
    """A StreamField's raw value (JSON text or a list of blocks) as comparable words."""
    if isinstance(raw, str):
        raw = json.loads(raw or "[]")
    return block_words(stream_block, raw or [])


def words_reader(model):
    """A function giving the words of a revision's `content` of `model`: what goes live,
    comparable across saves; the model's StreamFields and bookkeeping fields are read once,
    for every revision it is given."""
    stream_blocks = {
        field.name: field.stream_block
        for field in model._meta.get_fields()
        if isinstance(field, StreamField)
    }
    skipped = BOOKKEEPING_FIELDS | set(getattr(model, "non_editorial_fields", ()))

    def words(content):
        found = {}
        for name, value in content.items():
            if name in skipped:
                continue
            if name in stream_blocks:
                value = stream_words(stream_blocks[name], value)
            elif isinstance(value, list) and all(isinstance(row, dict) for row in value):
                value = [
                    {key: item for key, item in row.items() if key not in CHILD_ROW_KEYS}
                    for row in value
                ]
            found[name] = value
        return found

    return words
