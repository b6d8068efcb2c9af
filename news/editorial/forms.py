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
