"""Bylines: the people and agencies stories are credited to."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.images import get_image_model_string
from wagtail.search import index


class AuthorKind(models.TextChoices):
    STAFF = "staff", "Staff"
    AGENCY = "agency", "Agency"
    CONTRIBUTOR = "contributor", "Contributor"


class Author(index.Indexed, models.Model):
    """A byline: a member of staff, a contributor, or a news agency such as AFP."""

    name = models.CharField(max_length=255, help_text='As printed in the byline, e.g. "AFP".')
    slug = models.SlugField(
        max_length=255, unique=True, help_text="Used in author URLs and API filters."
    )
    kind = models.CharField(max_length=20, choices=AuthorKind.choices, default=AuthorKind.STAFF)
    role = models.CharField(
        max_length=255, blank=True, help_text='e.g. "Business correspondent" or "News agency".'
    )
    bio = models.TextField(blank=True, help_text="A sentence or two for the author's profile.")
    photo = models.ForeignKey(
        get_image_model_string(), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
