"""Every API route is registered here: API v2's router and Wagtail 8's v3 API object.

cms/urls.py mounts them with `path("api/v2/", api_v2.urls)` and `path("api/v3/", api_v3.urls)`.
Routers must be added to `api_v3` before its `urls` is read (Django Ninja refuses later ones),
so every router is added in this module, which cms/urls.py imports first.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v3.urls import api as api_v3
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from cms import api_guards, api_preconditions, api_tokens, openapi
from news.api.live import router as live_router
from news.api.preview import PagePreviewAPIViewSet
from news.api.preview import router as preview_router
from news.api.representation import BodyBlock
from news.api.v2 import CompactJSON, NewsPagesAPIViewSet
from news.api.v3 import keep_article_details
from news.editorial.api import router as editorial_router
from wire.api import export_router as wire_export_router
from wire.api import push_router as wire_push_router


class NewsImagesAPIViewSet(CompactJSON, ImagesAPIViewSet):
    """Wagtail's images endpoint without pictures whose rights expired."""

    def get_queryset(self):
        from news.models.pictures import PictureRights

        return PictureRights.hide_expired(super().get_queryset())


class NewsDocumentsAPIViewSet(CompactJSON, DocumentsAPIViewSet):
    pass


api_v2 = WagtailAPIRouter("wagtailapi")
api_v2.register_endpoint("pages", NewsPagesAPIViewSet)
api_v2.register_endpoint("images", NewsImagesAPIViewSet)
api_v2.register_endpoint("documents", NewsDocumentsAPIViewSet)
# After "pages": the first endpoint registered for a model gives its detail_url.
api_v2.register_endpoint("page_preview", PagePreviewAPIViewSet)

# The editorial workflow actions sit beside Wagtail's own page actions.
api_v3.add_router("/pages/", editorial_router)
# The wire desk: agencies push ninjs to /wire/ninjs/; /pages/{id}/ninjs/ exports (wire/api.py).
api_v3.add_router("/wire/", wire_push_router)
api_v3.add_router("/pages/", wire_export_router)
# Headless preview of drafts: /page_preview/ and /pages/{id}/preview/ (news/api/preview.py).
api_v3.add_router("/", preview_router)
# A live blog's posts, polled by readers' pages: /live_blogs/{id}/posts/ (news/api/live.py).
api_v3.add_router("/", live_router)
# A live, public article's detail answered from the keep, as on v2 (news/api/v3.py); added
# first, so the guards below run before it.
api_v3.add_decorator(keep_article_details, mode="view")
# 4xx problems where Wagtail would crash on bad input, and an OpenAPI document that
# declares them (cms/api_guards.py, cms/openapi.py).
api_guards.install(api_v3)
# Bearer tokens expire after NEWS_API_TOKEN_LIFETIME days (cms/api_tokens.py).
api_tokens.install(api_v3)
# ETag and If-Match name page revisions: a stale PATCH answers 412 (cms/api_preconditions.py).
api_preconditions.install(api_v3)
# Article bodies are documented block by block (news/api/representation.py BodyBlock).
openapi.install(api_v3, property_types={("ArticlePageSchema", "body"): list[BodyBlock]})

__all__ = ["api_v2", "api_v3"]
