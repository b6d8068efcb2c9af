"""Editors write, publish and take down the breaking-news banner; Writers cannot."""

import importlib

from django.db import migrations

BANNER_PERMISSIONS = [
    ("add", "Can add breaking news banner"),
    ("change", "Can change breaking news banner"),
    ("delete", "Can delete breaking news banner"),
    ("view", "Can view breaking news banner"),
    # Wagtail adds the publish permission of a draft-state snippet after migrating; a
    # fresh install needs it now.
    ("publish", "Can publish breaking news banner"),
]


def editors_and_banner_permissions(apps):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="news", model="breakingnews")
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type, codename=f"{action}_breakingnews", defaults={"name": name}
        )[0]
        for action, name in BANNER_PERMISSIONS
    ]
    return Group.objects.filter(name="Editors").first(), permissions


def grant(apps, schema_editor):
    roles = importlib.import_module("news.migrations.0003_editorial_roles_and_workflow")
    roles.ensure_permissions(apps, ["news"])
    editors, permissions = editors_and_banner_permissions(apps)
    if editors is not None:
        editors.permissions.add(*permissions)


def revoke(apps, schema_editor):
    editors, permissions = editors_and_banner_permissions(apps)
    if editors is not None:
        editors.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0011_fronts_and_breaking_news"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
