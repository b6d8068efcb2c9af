"""Wagtail's default Moderators group and "Moderators approval" workflow are gone, by a
reversible data migration that leaves them where they are in use."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Task,
    Workflow,
    WorkflowPage,
)

pytestmark = pytest.mark.django_db

migration = import_module("news.migrations.0009_remove_wagtail_moderators")


def wagtail_defaults():
    """What of Wagtail's defaults exists: (group, workflow, task)."""
    return (
        Group.objects.filter(name="Moderators").exists(),
        Workflow.objects.filter(name="Moderators approval").exists(),
        Task.objects.filter(name="Moderators approval").exists(),
    )


def test_only_the_newsrooms_roles_and_workflow_are_left():
    assert wagtail_defaults() == (False, False, False)
    assert set(Group.objects.values_list("name", flat=True)) == {"Editors", "Writers", "Wire desk"}
    assert [w.name for w in Workflow.objects.all()] == ["Editorial review"]
    assert not WorkflowPage.objects.filter(page__depth=1).exists()


def test_the_migration_reverses_to_wagtails_defaults_and_forward_again():
    migration.restore_moderators(apps, None)

    assert wagtail_defaults() == (True, True, True)
    root = Page.objects.get(depth=1)
    assert WorkflowPage.objects.get(page=root).workflow.name == "Moderators approval"
    moderators = Group.objects.get(name="Moderators")
    assert {
        p.permission.codename for p in GroupPagePermission.objects.filter(group=moderators)
    } == {
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
    }
    assert list(GroupApprovalTask.objects.get(name="Moderators approval").groups.all()) == [
        moderators
    ]

    migration.remove_moderators(apps, None)

    assert wagtail_defaults() == (False, False, False)


def test_a_moderators_workflow_with_history_and_a_group_with_members_stay(
    section, django_user_model
):
    migration.restore_moderators(apps, None)
    workflow = Workflow.objects.get(name="Moderators approval")
    member = django_user_model.objects.create_user("morgan", password="x")
    member.groups.add(Group.objects.get(name="Moderators"))
    story = section.add_child(instance=Page(title="Old story", slug="old-story", live=False))
    story.save_revision(user=member)
    workflow.start(story, member)

    migration.remove_moderators(apps, None)

    assert wagtail_defaults() == (True, True, True)
