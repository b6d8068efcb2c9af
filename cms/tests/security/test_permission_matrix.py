"""Every route, as every role, aimed at what that role may not see: refused, unchanged, no leak.

The routes come from Django's resolver (routes.py), so a new route joins without a new test.
"""

import json
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from taggit.models import Tag
from wagtail.models import Task, Workflow

from cms.tests.security import world as w
from cms.tests.security.routes import (
    CONSTANT_PARAMETERS,
    PUBLIC_ROUTES,
    ROUTE_PARAMETERS,
    SIGNED_IN_ROUTES,
    UnknownParameter,
    all_routes,
    by_route,
    fill,
    parameter_kind,
    resolves_to,
)
from news.models import ArticlePage

pytestmark = pytest.mark.django_db

ROUTES = all_routes()

REFUSALS = {400, 401, 403, 404, 405, 410}

# Routes that answer a form whatever the object, by design; their answer is still checked.
FORMS_FOR_ANY_OBJECT = {
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": (
        "asks for the page's password, shows none of the page"
    ),
    "documents/authenticate_with_password/<int:restriction_id>/": (
        "asks for the collection's password, shows none of its documents"
    ),
}

# Wagtail 8.0.1 views with no permission check that show only names, not content. Known and
# reported; listed so that any other route doing the same fails.
NAMES_FOR_ANY_ADMIN = {
    "admin/pages/workflow/confirm_cancellation/<int:page_id>/": (
        "Wagtail's publish confirmation names the page's workflow and task, not the page"
    ),
    "admin/workflows/task_chooser/<int:task_id>/": "Wagtail's task chooser answers a task's name",
    "admin/editing-sessions/release/<int:session_id>/": (
        "releases the caller's own session of that id; another's is left alone"
    ),
}

# Edit views whose GET writes Wagtail's own bookkeeping for a role that may edit the object:
# an EditingSession row, which tells other editors someone has it open. Only that row.
EDITING_SESSION_ON_GET = {
    "admin/snippets/news/livepost/edit/<int:pk>/": (
        "Editors and Writers may edit every live post (a model permission), so the edit form "
        "opens for them and records their editing session"
    ),
}

# Routes that answer 500 on purpose.
DELIBERATE_ERRORS = {
    "admin/failwhale/": "Wagtail's page for testing error reporting raises on purpose",
}

# Positional regex groups, by route: what they hold.
POSITIONAL_KINDS = {
    (r"documents/^(\d+)/(.*)$", "_1"): "document",
    (r"documents/^(\d+)/(.*)$", "_2"): "document_filename",
    (r"^((?:[\w\-]+/)*)$", "_1"): "page_path",
}


def area_for(route, role):
    """Where the role stands on this route: "admin" (may see what it may edit) or "public"."""
    if route.area == "admin" or (route.is_v3 and role in ("writer", "editor")):
        return "admin"
    return "public"


def page_for(world, role, area):
    """The page a role may not see: outside its branch in the admin, view-restricted outside."""
    if area == "admin":
        return world.draft if role in ("anonymous", "no_role") else world.locked
    return world.login_only if role == "anonymous" else world.group_only


def object_for(world, kind, role, area):
    """The object of `kind` the role is aimed at (None: the kind has no object here)."""
    page = page_for(world, role, area)
    objects = {
        "page": page,
        "page_path": page,
        "revision": page.latest_revision,
        "destination": world.locked_section if role in ("writer", "editor") else world.section,
        "task_state": (page.current_workflow_task_state or world.draft.current_workflow_task_state),
        "workflow_state": (page.current_workflow_state or world.draft.current_workflow_state),
        "image": world.private_image,
        "document": world.private_document,
        "document_filename": world.private_document,
        "collection": world.private_collection,
        "collection_restriction": world.extra["collection_restriction"],
        "page_restriction": world.extra["password_restriction"],
        "upload": world.uploaded_file,
        "editing_session": world.extra["editing_session"],
        "task": Task.objects.first(),
        "workflow": Workflow.objects.first(),
        "redirect": world.extra["redirect"],
        "site": world.extra["site"],
        "search_query": world.extra["search_query"],
        "user": world.users["other"],
        "group": world.extra["investigations"],
        "api_token": world.other_token,
        "news.author": world.extra["author"],
        "content_type": ContentType.objects.get_for_model(ArticlePage),
        "taggit.tag": Tag.objects.get(slug=w.SECRET_TAG),
        # Feeds of a desk outside the site, and of a tag only secret stories carry.
        "section_slug": world.locked_section,
        "tag_slug": Tag.objects.get(slug=w.SECRET_TAG),
    }
    # Rows of Django's admin (login attempts, task results) are filed by model label.
    return objects.get(kind, world.extra.get(kind))


def value_of(kind, obj):
    if kind == "page_path":
        # Relative to the site root, as Wagtail's serve view takes it.
        return obj.url_path.split("/", 2)[2] if obj.url_path.count("/") > 2 else ""
    if kind == "document_filename":
        return obj.filename
    if kind in ("section_slug", "tag_slug"):
        return obj.slug
    return obj.pk


# Permissions that let a role act on a kind of object, to tell a legitimate answer from a leak.
def has_model_permission(user, model):
    label = model._meta.app_label
    name = model._meta.model_name
    return any(user.has_perm(f"{label}.{action}_{name}") for action in ("add", "change", "delete"))


def is_forbidden(world, kind, role, area):
    """Whether the role must be refused an object of this kind in this area."""
    if kind in ("section_slug", "tag_slug"):
        return False  # a feed may answer, empty: its content is checked for markers
    if role == "anonymous":
        return kind not in ("content_type", "site", "news.author", "redirect")
    user = world.users[role]
    if role == "no_role" and area == "admin":
        return True
    if kind in ("page", "page_path", "revision", "task_state", "workflow_state"):
        return True  # outside the role's branch, or view-restricted to a group it is not in
    if kind in ("destination", "editing_session", "upload", "api_token", "user"):
        return area == "admin" or kind != "destination"
    if kind in ("image", "document", "document_filename", "collection_restriction"):
        # Collection permissions come from the root collection, so newsroom roles handle
        # private media in the admin; readers' channels keep it to the Investigations group.
        return area == "public" or role == "no_role"
    if kind in ("content_type", "site", "news.author", "redirect", "page_restriction"):
        return False
    models = {
        "collection": apps.get_model("wagtailcore", "Collection"),
        "task": Task,
        "workflow": Workflow,
        "group": apps.get_model("auth", "Group"),
        "search_query": apps.get_model("wagtailsearchpromotions", "SearchPromotion"),
        "taggit.tag": Tag,
    }
    model = models[kind] if kind in models else apps.get_model(kind)
    return not has_model_permission(user, model)


class Aim:
    """One role's request to one route: its URL, and whether it must be refused."""

    def __init__(self, world, route, role):
        self.route, self.role = route, role
        self.area = area_for(route, role)
        self.kinds = []
        self.lenient = False  # answers any object by design: checked for leaks and changes

        def value_for(name):
            kind = POSITIONAL_KINDS.get((route.text, name)) or parameter_kind(route, name)
            if kind is None:
                return constant(route, name)
            obj = object_for(world, kind, role, self.area)
            if obj is None:
                raise UnknownParameter(f"{route.text}: no {kind!r} object for <{name}>")
            self.kinds.append(kind)
            return value_of(kind, obj)

        self.path = fill(route, value_for)
        self.forbidden = any(is_forbidden(world, kind, role, self.area) for kind in self.kinds)
        if route.text in FORMS_FOR_ANY_OBJECT or route.text in NAMES_FOR_ANY_ADMIN:
            self.lenient = True
            self.forbidden = False
        elif not self.kinds:
            self.forbidden = not allowed_without_object(route, role)

    @property
    def methods(self):
        if self.kinds and not self.forbidden and not self.lenient:
            return ["get"]  # the role may act on this object: do not make it act
        methods = ["get", "post"]
        if self.route.is_api:
            methods += ["patch", "delete"]
        return methods


def constant(route, name):
    if (value := by_route(ROUTE_PARAMETERS, route, name)) is not None:
        return value
    if name in CONSTANT_PARAMETERS:
        return CONSTANT_PARAMETERS[name]
    raise UnknownParameter(f"{route.text}: no value for <{name}>")


def allowed_without_object(route, role):
    """Whether a role may use a route that names no object (its answer is still checked)."""
    if route.text in PUBLIC_ROUTES:
        return True
    if role == "anonymous":
        return False
    if route.text in SIGNED_IN_ROUTES:
        return True
    if role == "no_role":
        return False
    # Newsroom roles may open any screen; what it shows them is checked for markers.
    return True


def client_for(world, role):
    client = Client(enforce_csrf_checks=False, raise_request_exception=False)
    headers = {}
    if role != "anonymous":
        client.force_login(world.users[role])
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[role]}"
    return client, headers


def send(client, method, path, headers, route):
    if method == "get":
        return client.get(path, **headers)
    if route.is_api:
        return getattr(client, method)(path, json.dumps({}), "application/json", **headers)
    return getattr(client, method)(path, {}, **headers)


def body_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def refused(response, route):
    status = response.status_code
    if status in (301, 302, 303):
        # Away to a login form, or to another admin screen (itself a route of the matrix):
        # Wagtail sends a user from a page they may not explore to the nearest they may.
        location = urlsplit(response["Location"])
        return not location.netloc and location.path != urlsplit(response.request["PATH_INFO"]).path
    # v3 checks the body before the object: an empty body is refused as invalid.
    return status in REFUSALS or (route.is_api and status == 422)


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.text)
def test_route_refuses_what_the_role_may_not_see(world, route):
    before = w.snapshot()
    problems = []
    for role in w.ROLES:
        aim = Aim(world, route, role)
        client, headers = client_for(world, role)
        secrets = world.secret_markers(role, aim.area)
        for method in aim.methods:
            response = send(client, method, aim.path, headers, route)
            where = f"{role} {method.upper()} {aim.path} -> {response.status_code}"
            if response.status_code >= 500 and route.text not in DELIBERATE_ERRORS:
                problems.append(f"{where}: server error")
            elif aim.forbidden and not refused(response, route):
                problems.append(f"{where}: not refused ({response.get('Location', '')})")
            leaked = [marker for marker in secrets if marker in body_of(response)]
            if leaked:
                problems.append(f"{where}: leaks {leaked}")
    after = w.snapshot()
    if route.text in EDITING_SESSION_ON_GET:
        for state in (before, after):
            state["counts"].pop("wagtailadmin.EditingSession")
    changed = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    assert not changed, f"{route.text}: a request changed the database: {changed}"
    assert not problems, "\n".join(problems)


def test_every_route_is_covered(world):
    """Every route can be aimed at a secret object, or is public by design; none is left out.

    A route with a parameter the suite cannot fill fails here: add its name to
    PARAMETER_KINDS or CONSTANT_PARAMETERS in routes.py (or its object to world.py).
    """
    uncovered = []
    for route in ROUTES:
        for role in w.ROLES:
            try:
                aim = Aim(world, route, role)
            except UnknownParameter as error:
                uncovered.append(str(error))
                break
            if not resolves_to(route, aim.path):
                uncovered.append(f"{route.text}: {aim.path} does not reach the route's view")
                break
    assert not uncovered, "\n".join(uncovered)


def test_allow_lists_name_existing_routes():
    """A stale allow-list entry would silently open the route that later takes its place."""
    texts = {route.text for route in ROUTES}
    stale = (set(PUBLIC_ROUTES) | set(SIGNED_IN_ROUTES)) - texts
    assert not stale


def test_anonymous_callers_are_refused_every_unlisted_route(world):
    """The allow-list is the only way a route answers an anonymous caller with content."""
    client = Client()
    opened = []
    for route in ROUTES:
        if route.text in PUBLIC_ROUTES:
            continue
        aim = Aim(world, route, "anonymous")
        response = client.get(aim.path)
        if not refused(response, route):
            opened.append(f"{route.text}: {response.status_code}")
    assert not opened, "routes open to anonymous callers but not in PUBLIC_ROUTES:\n" + "\n".join(
        opened
    )
