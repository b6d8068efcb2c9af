"""Editors add, correct, publish and delete live posts; Writers add and edit drafts of them."""

from django.db import migrations

EDITOR_CODENAMES = ["add_livepost", "change_livepost", "delete_livepost", "publish_livepost"]
WRITER_CODENAMES = ["add_livepost", "change_livepost"]

def ensure_permissions(apps):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("news")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None

def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ensure_permissions(apps)
    # Wagtail adds "publish" for snippets with a draft state only after every migration.
    ContentType = apps.get_model("contenttypes.ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="news", model="livepost")
    Permission.objects.get_or_create(
        content_type=content_type,
        codename="publish_livepost",
        defaults={"name": "Can publish live post"},
    )
    for name, codenames in (("Editors", EDITOR_CODENAMES), ("Writers", WRITER_CODENAMES)):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="news", codename__in=codenames)
            )

def revoke(apps, schema_editor):
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    permissions = Permission.objects.filter(
        content_type__app_label="news", codename__in=EDITOR_CODENAMES
    )
    for group in Group.objects.filter(name__in=["Editors", "Writers"]):
        group.permissions.remove(*permissions)

class Migration(migrations.Migration):
    dependencies = [
        ("news", "0015_live_blogs_and_posts"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
