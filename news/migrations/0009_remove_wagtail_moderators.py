"""Remove Wagtail's default "Moderators" group and "Moderators approval" workflow, if unused."""

# Wagtail's initial data (wagtailcore 0002, 0005 and 0048) creates a Moderators group that
# may add, edit and publish anywhere from the tree root, and a "Moderators approval" workflow
# on the root page. The newsroom's roles and its "Editorial review" workflow (0003) replace
# them; beside ours they only confuse, and putting someone in Moderators would skip our
# roles. Each is removed only while nothing uses it: a workflow or task with history, or a
# group with members or other tasks, stays. Reversing recreates Wagtail's defaults.

from django.db import migrations

MODERATORS = "Moderators"
WORKFLOW = "Moderators approval"
TASK = "Moderators approval"
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
GROUP_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtaildocs", "delete_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtailimages", "delete_image"),
]
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def remove_moderators(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowState = apps.get_model("wagtailcore.WorkflowState")
    Task = apps.get_model("wagtailcore.Task")
    TaskState = apps.get_model("wagtailcore.TaskState")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    for workflow in Workflow.objects.filter(name=WORKFLOW):
        if not WorkflowState.objects.filter(workflow=workflow).exists():
            workflow.delete()  # with its page assignments and task links
    for task in Task.objects.filter(name=TASK, content_type__model="groupapprovaltask"):
        if not (
            TaskState.objects.filter(task=task).exists()
            or WorkflowTask.objects.filter(task=task).exists()
        ):
            task.delete()
    group = Group.objects.filter(name=MODERATORS).first()
    if (
        group is not None
        and not group.user_set.exists()
        and not GroupApprovalTask.objects.filter(groups=group).exists()
    ):
        group.delete()  # with its page and collection permissions


def restore_moderators(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    def permission(app_label, codename):
        return Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()

    group, created = Group.objects.get_or_create(name=MODERATORS)
    root = Page.objects.filter(depth=1).order_by("path").first()
    if created:
        group.permissions.add(*filter(None, (permission(*p) for p in GROUP_PERMISSIONS)))
        if root is not None:
            for codename in PAGE_PERMISSIONS:
                if found := permission("wagtailcore", codename):
                    GroupPagePermission.objects.create(group=group, page=root, permission=found)
        collection = Collection.objects.filter(depth=1).first()
        if collection is not None:
            for app_label, codename in COLLECTION_PERMISSIONS:
                if found := permission(app_label, codename):
                    GroupCollectionPermission.objects.create(
                        group=group, collection=collection, permission=found
                    )

    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(name=TASK, content_type=content_type, active=True)
        task.groups.set([group])
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    if created:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        if root is not None and not WorkflowPage.objects.filter(page=root).exists():
            WorkflowPage.objects.create(page=root, workflow=workflow)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0008_pages_newest_first_index"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(remove_moderators, restore_moderators)]
