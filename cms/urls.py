"""URL routes: admin, documents, API, reader search and tag pages, feeds and sitemaps, then
Wagtail's pages."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import admin_guards, media
from cms.api import api_v2, api_v3
from cms.favicon import favicon
from news import corrections, renditions, sitemaps, tags
from news.api.live import v2_live_posts
from news.feeds import SLUG
from search import views as search_views

# A database outage answers 503 with Retry-After, not 500 (cms/unavailable.py).
handler500 = "cms.unavailable.server_error"

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # Before Wagtail's admin, which would render any filter spec (news/renditions.py).
    path(
        "admin/images/<int:image_id>/preview/<str:filter_spec>/",
        renditions.preview,
        name="image-preview",
    ),
    # Before Wagtail's admin: its page types report, naming only pages the user may see.
    path(
        "admin/reports/page-types-usage/",
        admin_guards.PageTypesUsageReportView.as_view(),
        name="guarded_page_types_usage",
    ),
    path(
        "admin/reports/page-types-usage/results/",
        admin_guards.PageTypesUsageReportView.as_view(results_only=True),
        name="guarded_page_types_usage_results",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Before the v2 router: a live blog's posts (news/api/live.py), beside its pages endpoint.
    path("api/v2/live_blogs/<int:page_id>/posts/", v2_live_posts, name="live_blog_posts_v2"),
    path("api/v2/", api_v2.urls),
    path("api/v3/", api_v3.urls),
    path("search/", search_views.search, name="search"),
    re_path(rf"^tags/{SLUG}/$", tags.tag_page, name="tag"),
    path("feeds/", include("news.feeds")),
    path("corrections/", corrections.corrections, name="corrections"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap-news.xml", sitemaps.news_sitemap, name="news-sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots-txt"),
    path("favicon.ico", favicon, name="favicon"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if settings.MEDIA_URL.startswith("/"):
    # Pictures from MEDIA_ROOT on a single machine (production without a bucket); the view
    # answers 404 unless NEWS_SERVE_MEDIA is on (cms/media.py).
    urlpatterns += [
        path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.serve_media, name="media")
    ]

urlpatterns += [
    # Wagtail serves the page tree; this must stay last.
    path("", include(wagtail_urls)),
]
