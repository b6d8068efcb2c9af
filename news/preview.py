"""Headless preview: the admin's Preview opens the front end with a signed, expiring token.

How it works, built on Wagtail's own preview (wagtail/admin/views/generic/preview.py):

1. The editor presses Preview (or the live preview panel refreshes). Wagtail validates the
   edit or create form, keeps the form data in a `FormState` row, builds an in-memory page
   from it (saved or not) and calls `page.serve_preview()`.
2. `HeadlessPreviewMixin.serve_preview()` stores that page's state
   (`page.serializable_data()`, what revisions store, with bylines, tags and related links;
   kept as Python values, so datetimes keep their microseconds) in the Django cache under a
   random key for `HEADLESS_PREVIEW_TTL` seconds, and answers with a small page that sends
   the browser (or the preview panel's iframe) to
   `HEADLESS_PREVIEW_URL?content_type=news.articlepage&token=<token>`.
3. The front end fetches `/api/v2/page_preview/?content_type=…&token=…` or
   `/api/v3/pages/preview/?content_type=…&token=…` (news/api/preview.py) and gets the
   same representation as the live detail, of the unsaved state.

The token is `django.core.signing.dumps()` of {"page": id, "type": "news.articlepage",
"key": <random state key>}, salted, with its timestamp checked against
`HEADLESS_PREVIEW_TTL` on every read. It reads exactly one stored state: the random key
names it, and the page id and type it carries must match the state and the request. A page
that is being created has no id yet, so its token binds to the generated state key and the
content type ("page": null); each press of Preview makes a new key and token.

Errors carry no content: a missing, tampered or expired token is 401; a token for another
page or type, a state gone from the cache, or a page deleted meanwhile is 404. The cache
must be shared by every web process (Redis in production, see `REDIS_URL`). With
`HEADLESS_PREVIEW_URL` unset, Preview renders Wagtail's usual server-side preview.
"""

import secrets
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.template.response import TemplateResponse

SALT = "news.preview"
STATE_KEY = "news:preview:{key}"
DEFAULT_TTL = 600


class PreviewError(Exception):
    """A preview the API must refuse; `status` is the HTTP status to answer with."""

    status = 404


class PreviewTokenInvalid(PreviewError):
    """No token, or one that is tampered with or expired."""

    status = 401


class PreviewNotFound(PreviewError):
    """A valid token that does not name this page, or whose state is gone."""

    status = 404


def preview_ttl():
    """Seconds a preview token (and the state it names) lives: `HEADLESS_PREVIEW_TTL`."""
    return int(getattr(settings, "HEADLESS_PREVIEW_TTL", DEFAULT_TTL))


def content_type_label(model):
    """The `content_type` query value of a page model, e.g. "news.articlepage"."""
    return f"{model._meta.app_label}.{model._meta.model_name}"


def front_end_preview_url(page, token):
    """`HEADLESS_PREVIEW_URL` with `content_type` and `token` added to its query string."""
    scheme, netloc, path, query, fragment = urlsplit(settings.HEADLESS_PREVIEW_URL)
    params = [
        (name, value)
        for name, value in parse_qsl(query, keep_blank_values=True)
        if name not in ("content_type", "token")
    ]
    params += [("content_type", content_type_label(type(page))), ("token", token)]
    return urlunsplit((scheme, netloc, path, urlencode(params), fragment))


def store_preview(page):
    """Keep the page's current (possibly unsaved) state for the API; returns its token."""
    key = secrets.token_urlsafe(24)
    claims = {"page": page.pk, "type": content_type_label(type(page))}
    state = {**claims, "content": page.serializable_data()}
    cache.set(STATE_KEY.format(key=key), state, timeout=preview_ttl())
    return signing.dumps({**claims, "key": key}, salt=SALT, compress=True)


def read_token(token):
    """The claims of a valid, unexpired token; PreviewTokenInvalid otherwise."""
    if not token:
        raise PreviewTokenInvalid("A preview token is required.")
    try:
        claims = signing.loads(token, salt=SALT, max_age=preview_ttl())
    except signing.SignatureExpired as e:
        raise PreviewTokenInvalid("The preview token has expired.") from e
    except signing.BadSignature as e:
        raise PreviewTokenInvalid("The preview token is not valid.") from e
    # Only our own dumps() can produce a signed payload, but stay strict about its shape.
    if not (isinstance(claims, dict) and {"page", "type", "key"} <= claims.keys()):
        raise PreviewTokenInvalid("The preview token is not valid.")
    return claims


def load_preview(token, *, content_type=None, page_id=None):
    """The in-memory page a token names, as the editor last previewed it.

    `content_type` ("news.articlepage") and `page_id`, when the request names them, must be
    the ones the token was made for. Raises PreviewTokenInvalid (401) or PreviewNotFound (404).
    """
    from wagtail.models import Page

    claims = read_token(token)
    if content_type is not None and content_type.lower() != claims["type"]:
        raise PreviewNotFound("No preview of this content type for this token.")
    if page_id is not None and page_id != claims["page"]:
        raise PreviewNotFound("No preview of this page for this token.")

    state = cache.get(STATE_KEY.format(key=claims["key"]))
    if state is None or (state["page"], state["type"]) != (claims["page"], claims["type"]):
        raise PreviewNotFound("The preview has expired; press Preview again.")
    try:
        model = apps.get_model(claims["type"])
    except LookupError as e:
        raise PreviewNotFound("Unknown page type.") from e
    page = model.from_serializable_data(state["content"])
    if claims["page"] is not None:
        stored = Page.objects.filter(pk=claims["page"]).values("first_published_at").first()
        if stored is None:
            raise PreviewNotFound("The page no longer exists.")
        # A revision keeps first_published_at to the millisecond (DjangoJSONEncoder); the
        # live detail shows the page's own, which publishing the preview would not change.
        if stored["first_published_at"] is not None:
            page.first_published_at = stored["first_published_at"]
    return page


class HeadlessPreviewMixin:
    """For the page types front ends render: Preview opens `HEADLESS_PREVIEW_URL` when set.

    Put it before `Page` in the bases: `class ArticlePage(HeadlessPreviewMixin, Page)`.
    """

    def serve_preview(self, request, mode_name):
        if not getattr(settings, "HEADLESS_PREVIEW_URL", ""):
            return super().serve_preview(request, mode_name)
        token = store_preview(self)
        return TemplateResponse(
            request,
            "news/preview/front_end.html",
            {
                "page": self,
                "preview_url": front_end_preview_url(self, token),
                "ttl_minutes": max(1, preview_ttl() // 60),
            },
        )
