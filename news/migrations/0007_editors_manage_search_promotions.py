"""Editors pin stories to search queries (Wagtail's search promotions): give them the rights."""

import importlib

from django.db import migrations

PROMOTION_PERMISSIONS = [
    "add_searchpromotion",
    "change_searchpromotion",
    "delete_searchpromotion",
    "view_searchpromotion",
]


def editors_and_promotion_permissions(apps):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="wagtailsearchpromotions", codename__in=PROMOTION_PERMISSIONS
    )
    return Group.objects.filter(name="Editors").first(), permissions


def grant(apps, schema_editor):
    roles = importlib.import_module("news.migrations.0003_editorial_roles_and_workflow")
    roles.ensure_permissions(apps, ["wagtailsearchpromotions"])
    editors, permissions = editors_and_promotion_permissions(apps)
    if editors is not None:
        editors.permissions.add(*permissions)


def revoke(apps, schema_editor):
    editors, permissions = editors_and_promotion_permissions(apps)
    if editors is not None:
        editors.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0006_wire_desk_group"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
