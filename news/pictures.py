"""Picture rights at work: the image admin's rights fields, the daily expiry run, and the
stories that lost a picture (the rights themselves: news/models/pictures.py)."""

import logging

from django import forms
from django.db import transaction
from django.utils import timezone
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.images import get_image_model
from wagtail.images.forms import BaseImageForm
from wagtail.models import ReferenceIndex

from .dependencies import changed_image
from .models import ArticlePage
from .models.pictures import Licence, PictureRights
from .picture_rights import rights_of

logger = logging.getLogger(__name__)

RIGHTS_FIELDS = ("licence", "licence_name", "copyright_holder", "usage_terms", "expires_at")


class ImageRightsForm(BaseImageForm):
    """Wagtail's image form (WAGTAILIMAGES_IMAGE_FORM_BASE) with the picture's rights."""

    # Not required: an upload that names no licence (the v3 API, a bulk upload) keeps the
    # picture's licence, or is ours (staff) when it is new.
    licence = forms.ChoiceField(choices=Licence.choices, initial=Licence.STAFF, required=False)
    licence_name = forms.CharField(
        required=False,
        max_length=100,
        help_text=PictureRights._meta.get_field("licence_name").help_text,
    )
    copyright_holder = forms.CharField(
        required=False,
        max_length=255,
        help_text=PictureRights._meta.get_field("copyright_holder").help_text,
    )
    usage_terms = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=PictureRights._meta.get_field("usage_terms").help_text,
    )
    expires_at = forms.DateTimeField(
        label="Rights expire",
        required=False,
        widget=AdminDateTimeInput,
        help_text=PictureRights._meta.get_field("expires_at").help_text,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rights = rights_of(self.instance) if self.instance.pk else None
        if rights is not None:
            for name in RIGHTS_FIELDS:
                self.initial.setdefault(name, getattr(rights, name))

    def clean_licence(self):
        if licence := self.cleaned_data.get("licence"):
            return licence
        rights = rights_of(self.instance) if self.instance.pk else None
        return rights.licence if rights is not None else Licence.STAFF

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("licence") == Licence.CREATIVE_COMMONS and not cleaned_data.get(
            "licence_name"
        ):
            self.add_error("licence_name", "Name the Creative Commons licence.")
        return cleaned_data

    def save(self, commit=True):
        # Saved with the image, even when the view saves it later (commit=False).
        self.instance._rights_to_save = {
            name: self.cleaned_data.get(name) or ("" if name != "expires_at" else None)
            for name in RIGHTS_FIELDS
        }
        return super().save(commit=commit)


def save_rights(image, **values):
    """Set an image's rights (creating them); a new expiry is handled by the next run."""
    rights, _created = PictureRights.objects.get_or_create(image=image)
    before = rights.expires_at
    for name, value in values.items():
        setattr(rights, name, value)
    if rights.expires_at != before:
        rights.expiry_handled_at = None
    rights.save()
    return rights


def on_image_saved(sender, instance, **kwargs):
    values = instance.__dict__.pop("_rights_to_save", None)
    if values is not None:
        save_rights(instance, **values)


def expire_picture_rights(now=None):
    """The daily run: for each picture whose rights expired since the last run, make every
    cache and the CDN forget it (readers stopped seeing it at the moment itself) and log the
    stories that lost it. Returns the images handled."""
    now = now or timezone.now()
    handled = []
    for rights in PictureRights.objects.expired(now).filter(expiry_handled_at__isnull=True):
        with transaction.atomic():
            changed_image(rights.image)
            PictureRights.objects.filter(pk=rights.pk).update(expiry_handled_at=now)
        stories = stories_showing(rights.image_id)
        logger.info(
            "Rights of picture %s expired; %d live stories lost it", rights.image_id, len(stories)
        )
        handled.append(rights.image)
    return handled


def stories_showing(image_id):
    """Live articles whose current version shows the picture (lead image or in the body)."""
    image_type = ReferenceIndex._get_base_content_type(get_image_model())
    page_type = ReferenceIndex._get_base_content_type(ArticlePage)
    referring = ReferenceIndex.objects.filter(
        base_content_type=page_type, to_content_type=image_type, to_object_id=str(image_id)
    ).values_list("object_id", flat=True)
    return list(
        ArticlePage.objects.live().filter(pk__in=[int(pk) for pk in referring]).order_by("title")
    )


def stories_that_lost_a_picture():
    """Live articles that show a picture whose rights have expired, with `lost_pictures`."""
    expired = {
        str(pk): pk for pk in PictureRights.objects.expired().values_list("image_id", flat=True)
    }
    if not expired:
        return []
    image_type = ReferenceIndex._get_base_content_type(get_image_model())
    page_type = ReferenceIndex._get_base_content_type(ArticlePage)
    lost = {}
    for page_id, image_id in ReferenceIndex.objects.filter(
        base_content_type=page_type, to_content_type=image_type, to_object_id__in=list(expired)
    ).values_list("object_id", "to_object_id"):
        lost.setdefault(int(page_id), set()).add(expired[image_id])
    stories = list(ArticlePage.objects.live().filter(pk__in=lost).order_by("-last_published_at"))
    images = get_image_model().objects.in_bulk({pk for ids in lost.values() for pk in ids})
    for story in stories:
        story.lost_pictures = [images[pk] for pk in sorted(lost[story.pk]) if pk in images]
    return stories
