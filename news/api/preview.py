"""The preview endpoints front ends call with a preview token (see news/preview.py).

API v2, like wagtail-headless-preview:
    /api/v2/page_preview/?content_type=news.articlepage&token=…
    /api/v2/page_preview/42/?token=…          (the token must be for page 42)
API v3:
    /api/v3/page_preview/?content_type=news.articlepage&token=…
    /api/v3/pages/42/preview/?token=…

Each answers with exactly what the live detail (/api/v2/pages/42/, /api/v3/pages/42/)
would give once the previewed state is published, `?fields=` and `?rich_text_format=`
included. A page being created has no id yet: its `id` (v2) and `meta.detail_url` are
null, so only the content_type routes serve it; in v3 its `id` is 0.

The token is the only credential: no session or bearer token is needed or used. Errors
hold no content: 401 for a missing, tampered or expired token, 404 for a token of another
page or type or a preview no longer stored; v2 answers {"message": …} like the rest of v2,
v3 an RFC 7807 problem document. Responses are never cached (`Cache-Control: no-store`).
"""

from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import Router
from ninja.errors import HttpError
from rest_framework.response import Response
from wagtail.api.rich_text import RichTextOutputFormat
from wagtail.api.v2.serializers import DetailUrlField
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v3.auth import AllowAnonymous
from wagtail.api.v3.errors import ProblemDetail
from wagtail.api.v3.routers.pages import PageDetailSchema
from wagtail.models import get_page_models

from news.models import ArticlePage
from news.preview import PreviewError, content_type_label, load_preview

from .representation import prepare_articles
from .v2 import NewsPagesAPIViewSet, NewsPageSerializer

NO_STORE = "private, no-store"
PREVIEW_QUERY_PARAMETERS = frozenset(
    ["content_type", "token", "fields", "rich_text_format", "format", "_"]
)


def preview_page(token, *, content_type=None, page_id=None):
    """The previewed page, ready for the same serialisation as a live detail."""
    page = load_preview(token, content_type=content_type, page_id=page_id)
    if isinstance(page, ArticlePage):
        # Notes about to be published show too (undated), as on the previewed page.
        page.is_headless_preview = True
        # The editor's unsaved related picks: never read from nor kept for live readers.
        prepare_articles([page], reuse_fragments=False)
    return page


class PreviewDetailUrlField(DetailUrlField):
    """The live detail URL of the previewed page; null for a page not created yet.

    Example: "http://localhost/api/v2/pages/42/"
    """

    def get_attribute(self, instance):
        if instance.pk is None:
            return None
        return super().get_attribute(instance)


class PreviewPageSerializer(NewsPageSerializer):
    detail_url = PreviewDetailUrlField(read_only=True)


class PagePreviewAPIViewSet(NewsPagesAPIViewSet):
    """The v2 detail of a page as last previewed in the admin, read with a preview token."""

    base_serializer_class = PreviewPageSerializer
    known_query_parameters = PREVIEW_QUERY_PARAMETERS

    @classmethod
    def get_urlpatterns(cls):
        view = cls.as_view({"get": "preview_view"})
        return [
            path("", view, name="listing"),
            path("<int:pk>/", view, name="detail"),
        ]

    def get_object(self):
        return self._cached_object

    def preview_view(self, request, pk=None):
        unknown = set(request.GET) - self.known_query_parameters
        if unknown:
            raise BadRequestError(
                "query parameter is not an operation or a recognised field: "
                + ", ".join(sorted(unknown))
            )
        try:
            self._cached_object = preview_page(
                request.GET.get("token"),
                content_type=request.GET.get("content_type"),
                page_id=pk,
            )
        except PreviewError as e:
            return Response(
                {"message": str(e)}, status=e.status, headers={"Cache-Control": NO_STORE}
            )
        serializer = self.get_serializer(self._cached_object)
        return Response(serializer.data, headers={"Cache-Control": NO_STORE})


router = Router(tags=["preview"], auth=[AllowAnonymous()])
ERRORS = {status: ProblemDetail for status in (401, 404, 422)}
PageTypeLiteral = Literal[tuple(content_type_label(model) for model in get_page_models())]  # ty: ignore[invalid-type-form]


def v3_preview_page(response, token, **binding):
    """The previewed page for a v3 response, or the error as an RFC 7807 problem."""
    response["Cache-Control"] = NO_STORE
    try:
        page = preview_page(token, **binding)
    except PreviewError as e:
        raise HttpError(e.status, str(e)) from e
    if page.pk is None:
        # The v3 page schema requires an integer id, and 0 is never a page's.
        page.id = 0
    return page


@router.get(
    "/page_preview/",
    response={200: PageDetailSchema, **ERRORS},
    url_name="page_preview",
    summary="Page preview",
    operation_id="page_preview",
)
def page_preview(
    request: HttpRequest,
    response: HttpResponse,
    content_type: PageTypeLiteral,
    token: str = "",
    rich_text_format: RichTextOutputFormat | None = None,
):
    """A page as the editor last previewed it, saved or not, in the shape of its live detail.

    `content_type` and `token` come from the front end's preview URL; pages being created
    are served too, with `id` 0.
    """
    return v3_preview_page(response, token, content_type=content_type)


@router.get(
    "/pages/{page_id}/preview/",
    response={200: PageDetailSchema, **ERRORS},
    url_name="detail_page_preview",
    summary="Page detail preview",
    operation_id="pages_detail_preview",
)
def page_detail_preview(
    request: HttpRequest,
    response: HttpResponse,
    page_id: int,
    token: str = "",
    rich_text_format: RichTextOutputFormat | None = None,
):
    """Page `page_id` as the editor last previewed it; the token must be for this page."""
    return v3_preview_page(response, token, page_id=page_id)
