"""Corrections, clarifications and updates: dated notes added to a story, never taken back."""

from django.apps import apps
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", "Correction"
    CLARIFICATION = "clarification", "Clarification"
    UPDATE = "update", "Update"


class CorrectionNoteQuerySet(models.QuerySet):
    """Notes, with the rule of what readers see as chainable methods."""

    def published(self):
        """Notes that went live with their story (dated by that publish)."""
        return self.filter(published_at__isnull=False)

    def on_public_stories(self):
        """Notes on stories readers may see now: live, public and under a site root."""
        article_model = apps.get_model("news", "ArticlePage")
        stories = article_model.objects.live().public().in_a_site()
        return self.filter(page__in=stories.values("pk"))

    def newest_first(self):
        return self.order_by("-published_at", "-pk")


class CorrectionNote(Orderable):
    """A note on a story: what was wrong and is now right, what was unclear, or what is new.

    It is part of the story's revision, so it goes through review with it. Its date is the
    publish that first put it live (`published_at`, set then and kept page-wide: no revision
    rewinds it, see ArticlePage.with_content_json); once published its words never change and
    it is never removed (news/editorial/forms.py refuses it, and every revision built keeps
    it).
    """

    page = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(
        max_length=20, choices=CorrectionKind.choices, default=CorrectionKind.CORRECTION
    )
    text = models.TextField(
        help_text="What readers should know, in a sentence or two, e.g. "
        '"An earlier version of this story misstated the mayor\'s name." '
        "Once published it can no longer be changed or removed."
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)

    objects = CorrectionNoteQuerySet.as_manager()

    panels = [FieldPanel("kind"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = "correction or update"
        verbose_name_plural = "corrections and updates"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


def published_notes_of(page_pk):
    """{pk: note} of the notes of this story that went live."""
    if page_pk is None:
        return {}
    return CorrectionNote.objects.filter(page_id=page_pk).published().in_bulk()


def keep_published_notes(page, published):
    """Make `page` (built from a revision) carry every published note as published: their kind,
    text and date from the database, and those the revision lacks appended.

    The revision that first carried a note was saved before the publish gave the note its row,
    so it holds the note without an id: such a note is the published one of the same words.
    """
    notes = list(page.corrections.all())
    unmatched = dict(published)
    for note in notes:
        kept = unmatched.pop(note.pk, None) if note.pk is not None else None
        if kept is None and note.pk is None:
            kept = next(
                (n for n in unmatched.values() if (n.kind, n.text) == (note.kind, note.text)),
                None,
            )
            if kept is not None:
                del unmatched[kept.pk]
                note.pk = kept.pk
        if kept is not None:
            note.kind, note.text, note.published_at = kept.kind, kept.text, kept.published_at
    missing = [note for _pk, note in sorted(unmatched.items())]
    if missing or any(note.pk in published for note in notes):
        page.corrections = [*notes, *missing]
    return page


def date_new_notes(sender, instance, **kwargs):
    """On publish: the story's notes that just went live take the publish's time."""
    moment = instance.last_published_at
    if moment is None:
        return
    CorrectionNote.objects.filter(page_id=instance.pk, published_at__isnull=True).update(
        published_at=moment
    )


def connect_note_dating():
    from wagtail.signals import page_published

    page_published.connect(
        date_new_notes,
        sender=apps.get_model("news", "ArticlePage"),
        dispatch_uid="newsroom-date-correction-notes",
    )
