"""Id swaps: the URL names an object the role may act on, the body one it may not."""

import json

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from cms.tests.security.world import newsroom_user, snapshot

pytestmark = pytest.mark.django_db

REFUSED = {400, 403, 404, 422}
# The admin refuses by sending the user back to its home page with an error.
ADMIN_REFUSED = REFUSED | {302}


def v3(world, role):
    return {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[role]}"}


def post_json(client, path, body, headers):
    return client.post(path, json.dumps(body), "application/json", **headers)


def assert_refused_and_unchanged(response, before, secret=None):
    assert response.status_code in REFUSED, response.content[:300]
    assert snapshot() == before
    if secret:
        assert secret not in response.content.decode(errors="replace")


@pytest.mark.parametrize("role", ["writer", "editor"])
@pytest.mark.parametrize("action", ["move", "copy"])
def test_v3_move_or_copy_into_a_desk_the_role_may_not_add_to(world, role, action):
    before = snapshot()
    response = post_json(
        Client(),
        f"/api/v3/pages/{world.public_article.pk}/actions/{action}/",
        {"destination_id": world.locked_section.pk},
        v3(world, role),
    )
    assert_refused_and_unchanged(response, before, "Zqlockedmarker")


@pytest.mark.parametrize("role", ["writer", "editor"])
@pytest.mark.parametrize("action", ["move", "copy"])
def test_admin_move_or_copy_into_a_desk_the_role_may_not_add_to(world, role, action):
    client = Client()
    client.force_login(world.users[role])
    before = snapshot()
    response = client.post(
        f"/admin/pages/{world.public_article.pk}/{action}/",
        {"new_parent_page": world.locked_section.pk, "new_title": "Copy", "new_slug": "copy"},
    )
    # The form refuses the destination and shows itself again, or the view refuses outright.
    assert response.status_code in ADMIN_REFUSED | {200}
    assert snapshot() == before
    response = client.get(
        f"/admin/pages/{world.public_article.pk}/move/{world.locked_section.pk}/confirm/"
    )
    assert response.status_code in ADMIN_REFUSED
    assert "Zqlockedmarker" not in response.content.decode()


@pytest.mark.parametrize("action", ["approve", "request-changes", "submit"])
def test_v3_workflow_action_on_a_page_in_another_desks_review(world, action):
    """The editor reviews the newsroom's stories, not the Investigations desk's."""
    before = snapshot()
    response = post_json(
        Client(),
        f"/api/v3/pages/{world.locked.pk}/actions/{action}/",
        {"comment": "ok"} if action == "request-changes" else {},
        v3(world, "editor"),
    )
    assert_refused_and_unchanged(response, before, "Zqlocked")


def test_admin_workflow_action_on_a_page_in_another_desks_review(world):
    client = Client()
    client.force_login(world.users["editor"])
    task_state = world.locked.current_workflow_task_state
    before = snapshot()
    response = client.post(
        f"/admin/pages/workflow/action/{world.locked.pk}/approve/{task_state.pk}/",
        {"comment": "ok"},
    )
    assert response.status_code in ADMIN_REFUSED
    assert snapshot() == before


def test_admin_workflow_action_naming_another_pages_task(world):
    """The URL's page is the editor's own desk's; the task state belongs to another desk."""
    client = Client()
    client.force_login(world.users["editor"])
    before = snapshot()
    response = client.post(
        f"/admin/pages/workflow/action/{world.draft.pk}/approve/"
        f"{world.locked.current_workflow_task_state.pk}/",
        {"comment": "ok"},
    )
    assert response.status_code in ADMIN_REFUSED
    assert snapshot() == before


def test_wire_push_cannot_file_into_a_desk_outside_the_site(world):
    """The wire desk files into the newsroom's sections only, never another branch."""
    desk = newsroom_user("agency", "Wire desk")
    from wagtail.models import APIToken

    _token, plaintext = APIToken.create_token(user=desk, name="agency")
    before = snapshot()
    story = {
        "uri": "urn:newsml:agency.test:2026:swap",
        "type": "text",
        "version": "1",
        "versioncreated": "2026-05-06T09:00:00Z",
        "language": "en",
        "headlines": [{"role": "main", "value": "Filed where it may not be"}],
        "bodies": [{"role": "html", "contenttype": "text/html", "value": "<p>x</p>"}],
    }
    response = post_json(
        Client(),
        "/api/v3/wire/ninjs/?section=locked-desk",
        story,
        {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"},
    )
    assert response.status_code == 400, response.content[:300]
    assert "Zqlocked" not in response.content.decode()
    assert not world.locked_section.get_children().filter(title__contains="Filed").exists()
    assert Group.objects.get(name="Wire desk") in desk.groups.all()
    assert snapshot()["pages"] == before["pages"]
