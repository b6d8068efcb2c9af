"""The "Wire desk" group: its members may ingest agency copy (news.ingest_wire) and nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WIRE_DESK = "Wire desk"


def create_wire_desk(apps, schema_editor):
    # On an empty database Django creates permissions only after every migration has run.
    app_config = apps.get_app_config("news")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None

    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    group, _ = Group.objects.get_or_create(name=WIRE_DESK)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="news", codename="ingest_wire")
    )


def remove_wire_desk(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name=WIRE_DESK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0005_article_wire_origin_and_language"),
    ]

    operations = [migrations.RunPython(create_wire_desk, remove_wire_desk)]
