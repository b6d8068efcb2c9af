"""Writers, Editors and the "Editorial review" workflow on the home page, for a fresh install."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITERS = "Writers"
EDITORS = "Editors"  # Wagtail's initial data already has a group of this name: we reuse it.
WORKFLOW = "Editorial review"
TASK = "Desk review"

# Page permissions, granted on the home page and so on every section and article.
WRITER_PAGE_PERMISSIONS = ["add_page", "change_page"]
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
# Image and document permissions, granted on the root collection.
WRITER_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "choose_document"),
]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def ensure_permissions(apps, app_labels):
    # On an empty database Django creates permissions only after every migration has run.
    for label in app_labels:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None


def create_roles_and_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    DeskReviewTask = apps.get_model("news.DeskReviewTask")
    HomePage = apps.get_model("home.HomePage")

    ensure_permissions(apps, ["wagtailcore", "wagtailimages", "wagtaildocs"])

    def permission(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    admin_content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailadmin", model="admin"
    )
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_content_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )

    writers, _ = Group.objects.get_or_create(name=WRITERS)
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    home = HomePage.objects.order_by("path").first()
    root_collection = Collection.objects.filter(depth=1).first()

    for group, page_codenames, collection_permissions in [
        (writers, WRITER_PAGE_PERMISSIONS, WRITER_COLLECTION_PERMISSIONS),
        (editors, EDITOR_PAGE_PERMISSIONS, EDITOR_COLLECTION_PERMISSIONS),
    ]:
        group.permissions.add(access_admin)
        # Replace whatever the group had on pages and collections (Wagtail's default
        # Editors may edit from the tree root) with exactly the newsroom's role.
        GroupPagePermission.objects.filter(group=group).delete()
        GroupCollectionPermission.objects.filter(group=group).delete()
        if home is not None:
            for codename in page_codenames:
                GroupPagePermission.objects.create(
                    group=group, page_id=home.pk, permission=permission("wagtailcore", codename)
                )
        if root_collection is not None:
            for app_label, codename in collection_permissions:
                GroupCollectionPermission.objects.create(
                    group=group,
                    collection=root_collection,
                    permission=permission(app_label, codename),
                )

    task_content_type, _ = ContentType.objects.get_or_create(
        app_label="news", model="deskreviewtask"
    )
    task = DeskReviewTask.objects.filter(name=TASK).first() or DeskReviewTask.objects.create(
        name=TASK, content_type=task_content_type, active=True
    )
    task.groups.set([editors])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task_id=task.pk, defaults={"sort_order": 0}
    )
    if home is not None:
        WorkflowPage.objects.update_or_create(page_id=home.pk, defaults={"workflow": workflow})


def remove_roles_and_workflow(apps, schema_editor):
    apps.get_model("wagtailcore.Workflow").objects.filter(name=WORKFLOW).delete()
    apps.get_model("news.DeskReviewTask").objects.filter(name=TASK).delete()
    apps.get_model("auth.Group").objects.filter(name=WRITERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0002_desk_review_task"),
        ("home", "0003_create_homepage"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles_and_workflow, remove_roles_and_workflow)]
