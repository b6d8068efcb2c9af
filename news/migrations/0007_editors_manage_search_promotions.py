"""Editors pin stories to search queries (Wagtail's search promotions): give them the rights."""

import importlib

from django.db import migrations

PROMOTION_PERMISSIONS = [
    "add_searchpromotion",
    "change_searchpromotion",
    "delete_searchpromotion",
    "view_searchpromotion",
]


def grant(apps, schema_editor):
    roles = importlib.import_module("news.migrations.0003_editorial_roles_and_workflow")
    roles.ensure_permissions(apps, ["wagtailsearchpromotions"])
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="wagtailsearchpromotions",
                codename__in=PROMOTION_PERMISSIONS,
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="wagtailsearchpromotions",
                codename__in=PROMOTION_PERMISSIONS,
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0006_wire_desk_group"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
