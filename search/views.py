"""Reader search: live, public articles matching the words typed, or carrying a tag."""

from django.conf import settings
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.http import urlencode

from news.models import ArticlePage, ArticleTag

MAX_QUERY_LENGTH = 200


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    tag = request.GET.get("tag", "").strip()[:100]

    articles = ArticlePage.objects.live().public()
    if tag:
        tagged = ArticleTag.objects.filter(tag__slug=tag).values("content_object_id")
        articles = articles.filter(pk__in=tagged)
    if query:
        results = articles.for_listing().search(query)
    elif tag:
        results = articles.for_listing().newest_first()
    else:
        results = ArticlePage.objects.none()

    paginator = Paginator(results, settings.NEWS_ARTICLES_PER_PAGE)
    params = {key: value for key, value in (("q", query), ("tag", tag)) if value}
    return TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": query,
            "tag": tag,
            "search_results": paginator.get_page(request.GET.get("page")),
            "query_prefix": f"{urlencode(params)}&" if params else "",
        },
    )
