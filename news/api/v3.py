"""API v3's article detail, kept between uncached requests as API v2's is (news/api/kept.py).

Wagtail's GET /api/v3/pages/{id}/ builds an article's representation afresh on every
request (~35 ms of CPU, 26 queries, for a full article). `keep_article_details` answers
a live, public article's detail from the keep instead, under the same key rules as v2:
the versions of what it shows, the article's last publication and everything else the answer
depends on (here the whole query string, the host and the API base URL).
"""

import inspect
from functools import wraps

from django.http import HttpResponse
from wagtail.api.utils import get_base_url

from cms.caching import answers, is_anonymous_request, remember_site
from news.dependencies import page_key
from news.models import ArticlePage

from .kept import KeptRepresentations
from .v2 import public_pages_queryset

JSON = "application/json; charset=utf-8"


def detail_shape(request):
    """What an anonymous v3 detail's bytes depend on besides the article itself."""
    remember_site(request)  # get_base_url() looks the site up without a base URL setting
    return ("v3", request.get_host(), get_base_url(request), sorted(request.GET.lists()))


def keep_article_details(run):
    """Ninja view decorator for the v3 page detail: a live, public article's answer is kept.

    Only anonymous GETs are answered from the keep, and only for an article the v2 rule
    (the same as Wagtail's v3 public tier, wagtail/api/querysets.py) shows this request;
    anything else, and every answer but a 200, goes to Wagtail's view as it is.
    """
    if inspect.unwrap(run).__self__.operation_id != "pages_detail":
        return run

    @wraps(run)
    def kept(request, *args, **kwargs):
        page_id = str(kwargs.get("page_id", ""))
        if page_id.isascii() and page_id.isdigit():
            # Its fields declare the rest (news/api/representation.py).
            answers(page_key(int(page_id)))
        if (
            request.method != "GET"
            or not is_anonymous_request(request)
            or not (page_id.isascii() and page_id.isdigit())
        ):
            return run(request, *args, **kwargs)
        keep = KeptRepresentations(request, lambda: detail_shape(request))
        if not keep.timeout:
            return run(request, *args, **kwargs)
        try:
            visible = public_pages_queryset(request, ArticlePage).filter(pk=int(page_id))
            article = visible.values_list("pk", "last_published_at").first()
        except ValueError:  # ?site= names several sites: Wagtail's view says so
            article = None
        if article is None:
            return run(request, *args, **kwargs)

        answered = []

        def answer():
            response = run(request, *args, **kwargs)
            answered.append(response)
            if response.status_code != 200 or response.streaming:
                return None
            return response.content

        def build(pks):
            return {article[0]: answer} if pks else {}

        represented = keep.represent([article], build)
        if answered:
            return answered[0]
        return HttpResponse(represented[0], content_type=JSON)

    return kept
