"""Who may ingest agency copy: holders of news.ingest_wire (the "Wire desk" group)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

INGEST_PERMISSION = "news.ingest_wire"
WIRE_DESK_GROUP = "Wire desk"  # made by news/migrations/0006_wire_desk_group.py


def can_ingest(user):
    return bool(user and user.is_active and user.has_perm(INGEST_PERMISSION))


def wire_user():
    """The desk's own user (NEWS_WIRE_USERNAME), who files what the command ingests.

    Created on first use with no password and no right but the Wire desk group's.
    """
    User = get_user_model()
    user, created = User.objects.get_or_create(
        **{User.USERNAME_FIELD: settings.NEWS_WIRE_USERNAME},
        defaults={"first_name": "Wire", "last_name": "desk"},
    )
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=WIRE_DESK_GROUP))
    return user
