"""The data migration's newsroom on an empty database: Writers, Editors and "Editorial review"."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import GroupPagePermission
from wagtail.permissions import policy_registry
from wagtail.test.utils.form_data import inline_formset

from news.models import ArticlePage, DeskReviewTask
from news.tests.factories import make_article, make_image


def page_permissions(group_name, page):
    return set(
        GroupPagePermission.objects.filter(group__name=group_name, page=page).values_list(
            "permission__codename", flat=True
        )
    )


def test_data_migration_gives_writers_and_editors_their_page_permissions(home_page):
    assert page_permissions("Writers", home_page) == {"add_page", "change_page"}
    assert page_permissions("Editors", home_page) == {
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
    }
    for name in ("Writers", "Editors"):
        assert Group.objects.get(name=name).permissions.filter(codename="access_admin").exists()


def test_data_migration_puts_every_article_under_editorial_review(section, writer):
    article = make_article(section, "Any story", publish=False)

    workflow = article.get_workflow()
    assert workflow.name == "Editorial review"
    [task] = workflow.tasks.specific()
    assert isinstance(task, DeskReviewTask)
    assert task.name == "Desk review"
    assert list(task.groups.values_list("name", flat=True)) == ["Editors"]


def test_writer_uploads_and_chooses_images_but_only_editors_change_others(writer, editor):
    images = policy_registry.get_by_type(get_image_model())
    picture = make_image(uploaded_by_user=editor)

    assert images.user_has_permission(writer, "add")
    assert images.user_has_permission(writer, "choose")
    assert not images.user_has_permission_for_instance(writer, "change", picture)
    assert images.user_has_permission_for_instance(editor, "change", picture)


def test_writer_can_create_an_article_in_every_section_but_not_publish(client, section, writer):
    client.force_login(writer)
    add_url = reverse("wagtailadmin_pages:add", args=["news", "articlepage", section.pk])

    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert client.get(add_url).status_code == 200
    permissions = section.permissions_for_user(writer)
    assert permissions.can_add_subpage()
    assert not permissions.can_publish_subpage()


@pytest.mark.parametrize("role, can", [("writer", False), ("editor", True)])
def test_only_editors_unpublish(client, request, section, role, can):
    user = request.getfixturevalue(role)
    article = make_article(section, "A live story")
    client.force_login(user)

    client.post(reverse("wagtailadmin_pages:unpublish", args=[article.pk]))

    article.refresh_from_db()
    assert article.live is not can


@pytest.mark.parametrize("role, can", [("writer", False), ("editor", True)])
def test_only_editors_delete_live_articles(client, request, section, role, can):
    user = request.getfixturevalue(role)
    article = make_article(section, "A live story")
    client.force_login(user)

    client.post(reverse("wagtailadmin_pages:delete", args=[article.pk]))

    assert ArticlePage.objects.filter(pk=article.pk).exists() is not can


def test_writer_can_delete_their_own_draft(client, writer, story_by):
    draft = story_by(writer)
    client.force_login(writer)

    client.post(reverse("wagtailadmin_pages:delete", args=[draft.pk]))

    assert not ArticlePage.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("front", ["home_page", "section"])
@pytest.mark.parametrize("role, can", [("writer", False), ("editor", True)])
def test_only_editors_edit_the_home_page_and_section_fronts(db, client, request, front, role, can):
    page = request.getfixturevalue(front)
    client.force_login(request.getfixturevalue(role))
    revisions_before = page.revisions.count()

    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {
            "title": "Renamed front",
            "slug": page.slug,
            "intro": "",
            **{f"front_stories-{k}": v for k, v in inline_formset([]).items()},
        },
    )

    assert (response.status_code == 200) is can
    assert (page.revisions.count() > revisions_before) is can
    if not can:
        assert not page.permissions_for_user(request.getfixturevalue(role)).can_delete()
