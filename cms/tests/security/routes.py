"""Every URL route of the project, read from Django's resolver, and how to aim each at a secret.

`all_routes()` walks `get_resolver()` through every include() (Wagtail admin, API v2 and v3,
Django's admin, documents, feeds, sitemaps, wire). `build_url()` fills each route's
parameters with the id of an object the role may not see: a new route joins the permission
matrix by itself as long as its parameters are named like the ones below. A route whose
parameter nobody knows how to fill fails `test_every_route_is_covered`; teach
`PARAMETER_KINDS` or `CONSTANT_PARAMETERS` its name then.

Routes readers may use by design are listed in `PUBLIC_ROUTES` (and `SIGNED_IN_ROUTES` for
any logged-in user), each with its reason. Everything else must refuse anonymous callers.
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import APIToken, Collection, Page, Site, Task, Workflow

# Public by design: a route here may answer anyone (200), but never with a secret object
# in it, and still refuses when its URL names one. Keys are route texts as `route_text()`
# gives them (the pattern strings of the route and its include()s joined).
PUBLIC_ROUTES = {
    r"^((?:[\w\-]+/)*)$": "reader pages: Wagtail serves the live, public page tree",
    "search/": "reader search over live, public articles",
    r"^tags/(?P<slug>[-\w]+)/$": "a tag's page: its live, public stories",
    "feeds/rss/": "the site's RSS feed",
    "feeds/atom/": "the site's Atom feed",
    r"feeds/^section/(?P<slug>[-\w]+)/rss/$": "a section's RSS feed",
    r"feeds/^section/(?P<slug>[-\w]+)/atom/$": "a section's Atom feed",
    r"feeds/^tag/(?P<slug>[-\w]+)/rss/$": "a tag's RSS feed",
    r"feeds/^tag/(?P<slug>[-\w]+)/atom/$": "a tag's Atom feed",
    "feeds/corrections/rss/": "the RSS feed of published correction notes",
    "feeds/corrections/atom/": "the Atom feed of published correction notes",
    "corrections/": "the corrections page: published notes of live, public stories",
    "feeds/live/<int:page_id>/rss/": "a live, public live blog's key events (RSS)",
    "feeds/live/<int:page_id>/atom/": "a live, public live blog's key events (Atom)",
    "api/v2/live_blogs/<int:page_id>/posts/": "public API: a live, public live blog's posts",
    "api/v3/live_blogs/<page_id>/posts/": "public API: a live, public live blog's posts",
    "sitemap.xml": "the sitemap of live, public pages",
    "sitemap-news.xml": "the Google News sitemap",
    "robots.txt": "robots.txt",
    "favicon.ico": "the site icon",
    "media/<path:path>": "pictures from MEDIA_ROOT (cms/media.py): never documents",
    "_util/login/": "the readers' login form for login-restricted pages",
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": (
        "the password form of a password-restricted page (shows no content)"
    ),
    r"documents/^(\d+)/(.*)$": "Wagtail's permission-checked document download",
    "documents/authenticate_with_password/<int:restriction_id>/": (
        "the password form of a password-restricted collection"
    ),
    "api/v2/^pages/": "public API: live, public pages",
    "api/v2/^pages/<int:pk>/": "public API: a live, public page",
    "api/v2/^pages/find/": "public API: a public URL to its page",
    "api/v2/^images/": "public API: images outside private collections",
    "api/v2/^images/<int:pk>/": "public API: an image outside private collections",
    "api/v2/^images/find/": "public API: find an image",
    "api/v2/^documents/": "public API: documents outside private collections",
    "api/v2/^documents/<int:pk>/": "public API: a document outside private collections",
    "api/v2/^documents/find/": "public API: find a document",
    "api/v3/": "v3 API root: links only",
    "api/v3/openapi.json": "the v3 API's OpenAPI document",
    "api/v3/docs/": "the v3 API's interactive documentation",
    "api/v3/pages/": "public API: live, public pages",
    "api/v3/pages/find/": "public API: a public URL to its page",
    "api/v3/pages/<page_id>/": "public API: a live, public page",
    "api/v3/pages/<page_id>/ninjs/": "ninjs export of a live, public article",
    "api/v3/schema/": "v3 content type schemas (no content)",
    "api/v3/schema/<type_name>/": "v3 content type schema (no content)",
    "api/v3/sites/": "v3 sites: host names are public",
    "api/v3/sites/<site_id>/": "v3 site: host names are public",
    "api/v3/images/": "public API: images outside private collections",
    "api/v3/images/<image_id>/": "public API: an image outside private collections",
    "api/v3/documents/": "public API: documents outside private collections",
    "api/v3/documents/<document_id>/": "public API: a document outside private collections",
    "api/v3/snippets/<type>/": "v3 snippets: bylines are public",
    "api/v3/snippets/<type>/<pk>/": "v3 snippet: a byline is public",
    "api/v3/redirects/": "v3 redirects: public URLs",
    "api/v3/redirects/find/": "v3 redirects: public URLs",
    "api/v3/redirects/<redirect_id>/": "v3 redirect: public URLs",
    "admin/login/": "the admin login form",
    "admin/password_reset/": "the admin's password reset form",
    "admin/password_reset/done/": "the admin's password reset confirmation",
    "admin/password_reset/confirm/<uidb64>/<token>/": "a password reset link (bad token: refused)",
    "admin/password_reset/complete/": "the admin's password reset confirmation",
    "admin/jsi18n/": "the admin's translation catalogue (no data)",
    "admin/sprite/": "the admin's icon sprite (no data)",
    "django-admin/login/": "Django admin's login form",
    "admin/logout/": "ends the caller's own session, if any",
    "django-admin/logout/": "ends the caller's own session, if any",
}

# Routes any logged-in user may use, role or not (their own account and session).
SIGNED_IN_ROUTES = {
    "api/v3/whoami/": "who the token belongs to: the caller themself",
}

# Route parameters that name an object, by parameter name. A route whose parameter is a
# generic `pk`/`object_id`/`id` takes its kind from the model of its view instead.
PARAMETER_KINDS = {
    "page_id": "page",
    "parent_page_id": "page",
    "page_to_move_id": "page",
    "page_pk": "page",
    "destination_id": "destination",
    "revision_id": "revision",
    "revision_id_a": "revision",
    "revision_id_b": "revision",
    "image_id": "image",
    "document_id": "document",
    "doc_id": "document",
    "collection_id": "collection",
    "uploaded_file_id": "upload",
    "session_id": "editing_session",
    "task_id": "task",
    "task_state_id": "task_state",
    "workflow_state_id": "workflow_state",
    "workflow_pk": "workflow",
    "redirect_id": "redirect",
    "site_id": "site",
    "query_id": "search_query",
    "page_view_restriction_id": "page_restriction",
    "restriction_id": "collection_restriction",
    "content_type_id": "content_type",
}
GENERIC_PARAMETERS = ("pk", "object_id", "id")
# Where the view does not say its model: (route text contains, parameter) -> kind.
ROUTE_KINDS = {
    ("django-admin/auth/user/", "id"): "user",
    ("admin/pages/^(?P<pk>", "pk"): "page",
    ("admin/workflows/tasks/", "pk"): "task",
    ("admin/workflows/enable/", "pk"): "workflow",
    ("admin/editing-sessions/ping/", "object_id"): "page",
    ("admin/settings/", "pk"): "site",
    ("feeds/^section/", "slug"): "section_slug",
    ("feeds/^tag/", "slug"): "tag_slug",
    ("^tags/", "slug"): "tag_slug",
    # Deliveries before endpoints: the first entry whose text the route contains wins.
    ("admin/webhooks/deliveries/", "pk"): "webhooks.webhookdelivery",
    ("admin/webhooks/", "pk"): "webhooks.webhookendpoint",
    ("django-admin/otp_totp/totpdevice/", "pk"): "otp_totp.totpdevice",
}

# Parameters that are not objects: a fixed, valid value each. (app label, model) pairs name
# articles, the content type every role may not touch outside its branch.
CONSTANT_PARAMETERS = {
    "action_name": "approve",
    "action": "delete",
    "filter_spec": "max-165x165",
    "app_label": "news",
    "model_name": "articlepage",
    "app_name": "news",
    "content_type_app_name": "news",
    "content_type_model_name": "articlepage",
    "type": "news.Author",
    "type_name": "news.ArticlePage",
    "uidb64": "MQ",
    "token": "set-password",
    "url": "nonexistent/",
    "sprite_hash": "0",
}

# Parameters whose value depends on the route: (route text contains, parameter) -> value.
ROUTE_PARAMETERS = {
    # Aimed at a document file: the media view must never serve one (cms/media.py).
    ("media/<path:path>", "path"): "documents/secret.pdf",
    ("admin/api/main/^pages/<int:pk>/action/", "action_name"): "delete",
    ("admin/bulk/", "app_label"): "wagtailcore",
    ("admin/bulk/", "model_name"): "page",
    ("django-admin/^(?P<app_label>", "app_label"): "auth",
    ("admin/workflows/tasks/add/", "app_label"): "news",
    ("admin/workflows/tasks/add/", "model_name"): "deskreviewtask",
    ("admin/tag-autocomplete/", "model_name"): "articletag",
}


@dataclass(frozen=True)
class Route:
    text: str  # the joined pattern strings: stable and unique, used as the test id
    names: tuple
    pieces: tuple  # the pattern objects from the root include() down to the view
    callback: object

    @property
    def area(self):
        return "admin" if self.text.startswith(("admin/", "django-admin/")) else "public"

    @property
    def is_api(self):
        return self.text.startswith("api/")

    @property
    def is_v3(self):
        return self.text.startswith("api/v3/")


def route_text(pieces):
    return "".join(str(piece.pattern) for piece in pieces)


def walk(patterns, parents=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, (*parents, pattern))
        elif isinstance(pattern, URLPattern):
            yield (*parents, pattern)


def all_routes():
    """Every route of the project, one per distinct URL (v3 puts methods on one URL)."""
    routes = {}
    for pieces in walk(get_resolver().url_patterns):
        text = route_text(pieces)
        name = pieces[-1].name or ""
        if text in routes:
            known = routes[text]
            routes[text] = Route(text, (*known.names, name), known.pieces, known.callback)
        else:
            routes[text] = Route(text, (name,), pieces, pieces[-1].callback)
    return list(routes.values())


def view_model(callback):
    """The model a view works on: Django admin's ModelAdmin, Wagtail viewsets, DRF viewsets."""
    if model_admin := getattr(callback, "model_admin", None):
        return model_admin.model
    for attr in ("view_initkwargs", "initkwargs"):
        if model := (getattr(callback, attr, None) or {}).get("model"):
            return model
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    model = getattr(view_class, "model", None)
    return model if isinstance(model, (type, str)) else None


def model_kind(model):
    if isinstance(model, str):
        model = apps.get_model(model)
    if model is None:
        return None
    if issubclass(model, Page):
        return "page"
    kinds = {
        get_image_model(): "image",
        get_document_model(): "document",
        get_user_model(): "user",
        Group: "group",
        Collection: "collection",
        Site: "site",
        APIToken: "api_token",
        Workflow: "workflow",
        Task: "task",
    }
    for cls, kind in kinds.items():
        if issubclass(model, cls):
            return kind
    return f"{model._meta.app_label}.{model._meta.model_name}"


def by_route(table, route, name):
    """What a (route text contains, parameter) -> value table gives this parameter, or None."""
    for (contains, parameter), value in table.items():
        if parameter == name and contains in route.text:
            return value
    return None


def parameter_kind(route, name):
    """The kind of object a parameter names ("page", "image"…), or None for a constant."""
    if (kind := by_route(ROUTE_KINDS, route, name)) is not None:
        return kind
    if name in PARAMETER_KINDS:
        return PARAMETER_KINDS[name]
    if name in GENERIC_PARAMETERS:
        if route.is_v3 and "/snippets/" in route.text:
            return "news.author"
        if route.text.startswith("django-admin/r/"):
            return "page"
        if kind := model_kind(view_model(route.callback)):
            return kind
        raise UnknownParameter(f"{route.text}: <{name}> names an object of unknown model")
    return None


class UnknownParameter(LookupError):
    """A route parameter the suite does not know how to fill: teach it in this module."""


# (name, regex body) of a named group, or the body of an unnamed one, allowing one level of
# nested groups.
GROUP = re.compile(r"\((\?P<(\w+)>)?((?:[^()]|\((?!\?P<)[^()]*\))*)\)")


def fill_regex(regex, values_for):
    """A concrete path from a regex route: each group replaced by its value."""
    position = 0

    def replace(match):
        nonlocal position
        position += 1
        return str(values_for(match.group(2) or f"_{position}", match.group(3)))

    text = GROUP.sub(replace, regex)
    return text.lstrip("^").rstrip("$").replace("\\", "")


def fill(route, value_for):
    """The URL path of `route` with every parameter replaced by value_for(name)."""
    parts = []
    for piece in route.pieces:
        pattern = piece.pattern
        if isinstance(pattern, RoutePattern):
            parts.append(
                re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(value_for(m.group(1))), str(pattern))
            )
        elif isinstance(pattern, RegexPattern):
            parts.append(fill_regex(str(pattern), lambda name, _body: value_for(name)))
        else:
            raise UnknownParameter(f"{route.text}: unknown pattern type {type(pattern)}")
    return "/" + "".join(parts)


def resolves_to(route, path):
    """Whether `path` reaches the route's own view (and not, say, a catch-all before it)."""
    try:
        func = resolve(path).func
    except Exception:
        return False
    if func is route.callback:
        return True
    # Shadowed by our own subclass of the view, mounted before it (cms/urls.py).
    ours, theirs = getattr(func, "view_class", None), getattr(route.callback, "view_class", None)
    return bool(ours and theirs and issubclass(ours, theirs))
