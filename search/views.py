"""Reader search: live, public articles matching the query, newest-relevant first."""

from django.conf import settings
from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from news.models import ArticlePage

MAX_QUERY_LENGTH = 200


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = ArticlePage.objects.none()
    if query:
        results = ArticlePage.objects.live().public().for_listing().search(query)
    paginator = Paginator(results, settings.NEWS_ARTICLES_PER_PAGE)
    return TemplateResponse(
        request,
        "search/search.html",
        {"search_query": query, "search_results": paginator.get_page(request.GET.get("page"))},
    )
