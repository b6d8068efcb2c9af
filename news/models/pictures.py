"""Picture rights: each image's licence, usage terms and expiry.

A picture whose rights have expired is shown nowhere (news/picture_rights.py shown_picture,
asked by PictureForeignKey below and by body image blocks), so nothing waits for the daily
`expire_picture_rights` run, which makes caches and the CDN forget the picture at once.
"""

from django.db import models
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from django.utils import timezone
from wagtail.images import get_image_model_string

from cms.caching import shows_until

from ..picture_rights import shown_picture


class Licence(models.TextChoices):
    STAFF = "staff", "Staff (our own picture)"
    AGENCY = "agency", "Agency"
    LICENSED = "licensed", "Licensed"
    CREATIVE_COMMONS = "creative_commons", "Creative Commons"


class PictureRightsQuerySet(models.QuerySet):
    def expired(self, at=None):
        return self.filter(expires_at__lte=at or timezone.now())

    def expiry_not_handled(self):
        """Expired rights the daily run has not dealt with yet."""
        return self.expired().filter(expiry_handled_at__isnull=True)


class PictureRights(models.Model):
    """What the paper may do with one picture: its licence, usage terms and until when."""

    image = models.OneToOneField(
        get_image_model_string(), on_delete=models.CASCADE, primary_key=True, related_name="rights"
    )
    licence = models.CharField(max_length=20, choices=Licence.choices, default=Licence.STAFF)
    licence_name = models.CharField(
        max_length=100,
        blank=True,
        help_text='For Creative Commons, which licence, e.g. "CC BY-SA 4.0".',
    )
    copyright_holder = models.CharField(
        max_length=255, blank=True, help_text='Who holds the rights, e.g. "AFP" or "Jane Roe".'
    )
    usage_terms = models.TextField(
        blank=True,
        help_text='What the licence allows, e.g. "Editorial use only. No archive sales."',
    )
    expires_at = models.DateTimeField(
        "rights expire",
        null=True,
        blank=True,
        db_index=True,
        help_text="From this moment the picture disappears from every story, feed and API "
        "answer, and it can no longer be chosen. Leave empty for rights without an end.",
    )
    expiry_handled_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PictureRightsQuerySet.as_manager()

    class Meta:
        verbose_name = "picture rights"
        verbose_name_plural = "picture rights"

    def __str__(self):
        return f"Rights of {self.image}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.licence == Licence.CREATIVE_COMMONS and not self.licence_name:
            raise ValidationError({"licence_name": "Name the Creative Commons licence."})

    @property
    def licence_label(self):
        """e.g. "Creative Commons (CC BY 4.0)", "Agency"."""
        label = self.get_licence_display()
        if self.licence == Licence.CREATIVE_COMMONS and self.licence_name:
            return f"{Licence.CREATIVE_COMMONS.label} ({self.licence_name})"
        return label

    def is_expired(self, at=None):
        return self.expires_at is not None and self.expires_at <= (at or timezone.now())

    @classmethod
    def hide_expired(cls, images):
        """`images` (a queryset) without those whose rights expired; what it builds stays
        fresh only until the next picture's rights expire."""
        now = timezone.now()
        upcoming = cls.objects.filter(expires_at__gt=now).aggregate(next=models.Min("expires_at"))[
            "next"
        ]
        if upcoming is not None:
            shows_until(upcoming)
        # By id, a filter field of Wagtail's image index, so a ?search= still works.
        expired = cls.objects.expired(now).values_list("image_id", flat=True)
        return images.exclude(id__in=list(expired))


class ShownPictureDescriptor(ForwardManyToOneDescriptor):
    """`article.lead_image` is None once the picture's rights expired (its id stays, so the
    admin can flag the story and the editor sees what was there)."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        return shown_picture(super().__get__(instance, cls))


class PictureForeignKey(models.ForeignKey):
    """A foreign key to an image that reads as None when the picture's rights expired."""

    forward_related_accessor_class = ShownPictureDescriptor

    def deconstruct(self):
        # Only reading differs: to migrations it is a plain ForeignKey.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ForeignKey", args, kwargs
