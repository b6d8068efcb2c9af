"""The page edit form that reports a change only when the editor made one."""

from django.utils.functional import cached_property
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks.base import BlockField

from .changes import stream_words


class NewsroomPageForm(WagtailAdminPageForm):
    """Wagtail's page form, submitted unchanged, says nothing changed.

    Wagtail's edit view saves a revision by whoever approves from it when the form reports a
    change, which made the approver an author of the version they were approving. Two traps
    made every submission look changed:

    - Django renders a hidden "initial-<name>" input for a field with a callable default
      (`ArticlePage.language`) and compares against it; Wagtail's panels never render that
      input, so the comparison always failed. Fields compare against the page instead.
    - A StreamField compares the stored body with what the rich-text editor posts back, which
      carries paragraph keys and markup of its own for copy written elsewhere (wire, demo,
      imports). Bodies are compared as the editor shows them (news/editorial/changes.py).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.show_hidden_initial = False

    @cached_property
    def changed_data(self):
        return [name for name in self.fields if self.field_has_changed(name)]

    def field_has_changed(self, name):
        bound = self[name]
        field = bound.field
        if field.disabled:
            return False
        if isinstance(field, BlockField):
            block = field.block
            return stream_words(block, block.get_prep_value(bound.initial)) != stream_words(
                block, block.get_prep_value(bound.data)
            )
        return field.has_changed(bound.initial, bound.data)


class ArticlePageForm(NewsroomPageForm):
    """The article form, which refuses a picture whose rights expired, and refuses to remove
    or rewrite a published correction note.

    Notes are only ever added to: a note readers have seen stays as they saw it (the model
    keeps it in every revision too; this says so to the editor instead of quietly restoring).
    """

    PUBLISHED_NOTE_CHANGED = (
        "This note has been published, so it can no longer be changed. "
        "Add a new note to correct it."
    )
    PUBLISHED_NOTE_REMOVED = (
        "A published correction or update cannot be removed: readers have seen it. "
        "Add a new note instead."
    )

    def clean(self):
        cleaned_data = super().clean()
        from ..blocks import EXPIRED_PICTURE_MESSAGE
        from ..picture_rights import is_expired_picture

        # An expired picture cannot be chosen (the chooser hides it too, news/wagtail_hooks.py).
        if is_expired_picture(cleaned_data.get("lead_image")):
            self.add_error("lead_image", EXPIRED_PICTURE_MESSAGE)
        return cleaned_data

    def is_valid(self):
        valid = super().is_valid()
        return self.published_notes_kept() and valid

    def published_notes_kept(self):
        """Whether every published note comes back unchanged; adds the errors if not."""
        formset = self.formsets.get("corrections")
        if formset is None or self.instance.pk is None:
            return True
        from ..models.corrections import published_notes_of

        published = published_notes_of(self.instance.pk)
        if not published:
            return True
        kept = True
        seen = set()
        for form in formset.forms:
            note = published.get(form.instance.pk)
            if note is None:
                continue
            seen.add(note.pk)
            data = getattr(form, "cleaned_data", None) or {}
            if formset.can_delete and formset._should_delete_form(form):
                self.add_error(None, self.PUBLISHED_NOTE_REMOVED)
                kept = False
            elif (data.get("kind", note.kind), data.get("text", note.text)) != (
                note.kind,
                note.text,
            ):
                form.add_error("text", self.PUBLISHED_NOTE_CHANGED)
                kept = False
        if seen != set(published):
            self.add_error(None, self.PUBLISHED_NOTE_REMOVED)
            kept = False
        return kept
