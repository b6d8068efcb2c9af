"""Whether readers may see a picture now: its rights (news/models/pictures.py) not expired.

Asked wherever a picture reaches readers: an article's `lead_image` (PictureForeignKey) and
body image blocks (news/blocks.py). It sits below the models, so it reads the rights through
the image (`image.rights`, fetched along by listings with select_related("rights")).
"""

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from cms.caching import shows_until


def rights_of(image):
    """The image's rights, or None."""
    if image is None:
        return None
    try:
        return image.rights
    except ObjectDoesNotExist:
        return None


def expiry_of(image):
    rights = rights_of(image)
    return rights.expires_at if rights is not None else None


def is_expired_picture(image, at=None):
    expires_at = expiry_of(image)
    return expires_at is not None and expires_at <= (at or timezone.now())


def shown_picture(image):
    """The image if readers may see it now, else None. A picture whose rights end later makes
    what shows it fresh only until then (cms/caching.py shows_until), so no cached page, feed
    or API answer outlives the rights, whether or not the daily run has come."""
    expires_at = expiry_of(image)
    if expires_at is None:
        return image
    if expires_at <= timezone.now():
        return None
    shows_until(expires_at)
    return image
