"""Reader search: live, public articles matching the words typed, by section, date or tag.

/search/ alone is the search form, a page like any other (indexable, canonical). Any results
(words, or a filter) are `noindex, follow` and kept out of crawlers' way by robots.txt
(news/sitemaps.py): Google's guidance is that internal search results should not be
indexed (endless, thin pages that copy the stories' own), while the stories they link to
are. A tag alone is the tag's own page, /tags/<slug>/ (news/tags.py), which is indexed.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponsePermanentRedirect
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from wagtail.models import Site

from news.cards import story_cards
from news.models import ArticlePage, SectionPage
from news.tags import tag_url

from .forms import SearchForm
from .query import editors_picks, picked_articles, ranked_article_ids


def site_sections(request):
    site = Site.find_for_request(request)
    if site is None:
        return []
    return list(SectionPage.objects.live().public().child_of(site.root_page).order_by("path"))


def site_articles(request):
    """The live, public articles of the site the request came to (none outside its tree)."""
    site = Site.find_for_request(request)
    if site is None:
        return ArticlePage.objects.none()
    return ArticlePage.objects.live().public().descendant_of(site.root_page)


def search(request):
    form = SearchForm(request.GET, sections=site_sections(request))
    form.is_valid()  # fills cleaned_data with the valid fields; the errors are shown on the page
    filters = form.filters
    if set(filters) == {"tag"} and set(request.GET) <= {"tag", "page"}:
        # The address tag links had before tag pages: moved there for good.
        return HttpResponsePermanentRedirect(tag_url(filters["tag"], request.GET.get("page")))
    query = filters.pop("q", "")
    articles = form.apply_filters(site_articles(request))
    page_number = request.GET.get("page")
    per_page = settings.NEWS_ARTICLES_PER_PAGE

    picks, results = [], None
    if query:
        # Editors' picks lead the first page of a plain query, and are not listed again below.
        picked = {}
        if not filters and page_number in (None, "", "1"):
            picks = editors_picks(query)
            picked = picked_articles(picks)
        ids = [pk for pk in ranked_article_ids(articles, query) if pk not in picked]
        results = Paginator(ids, per_page).get_page(page_number)
        picks = [(pick, picked.get(pick.page_id)) for pick in picks]
    elif filters:
        ids = articles.newest_first().values_list("pk", flat=True)
        results = Paginator(ids, per_page).get_page(page_number)
    if results is not None:
        # Each result's card, kept between searches by the versions of what it shows.
        results.object_list = story_cards(
            request, list(results.object_list), articles, show_section=True, heading="h2"
        )

    params = form.query_string_items()
    return TemplateResponse(
        request,
        "search/search.html",
        {
            "form": form,
            "search_query": query,
            "filters": filters,
            "tag": filters.get("tag", ""),
            "search_results": results,
            "search_picks": picks,
            "query_prefix": f"{urlencode(params)}&" if params else "",
        },
    )
