"""Tag pages: /tags/<slug>/ lists a tag's live, public stories, newest first (`?page=` on).

A topic page is a real page for readers and search engines: indexable, with its own canonical
address and description, and listed in the sitemap (news/sitemaps.py) while it has a story
to show. A tag with no live, public story on the site, and a page number past the last or
not a number, answer 404. Its RSS and Atom feeds are /feeds/tag/<slug>/rss/ and atom/.
"""

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Max
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from taggit.models import Tag
from wagtail.models import Site

from cms.caching import answers

from .dependencies import shows_cards, tag_key
from .models import ArticlePage
from .seo import site_name

# The relation from a tag to its articles' links (taggit's related_name for ArticleTag).
TAGGED = "news_articletag_items"


def live_stories(site):
    """The live, public stories of `site` (none outside its tree)."""
    return ArticlePage.objects.live().public().descendant_of(site.root_page)


def live_tags(site):
    """The tags that carry at least one live, public story of `site`, by name, each with
    `latest`: when the newest of those stories was last published (a sitemap's lastmod)."""
    return (
        Tag.objects.filter(**{f"{TAGGED}__content_object__in": live_stories(site)})
        .annotate(latest=Max(f"{TAGGED}__content_object__last_published_at"))
        .order_by("name")
    )


def tag_url(slug, number=1):
    """The address of a tag's page `number` (as given in ?page=, or an int); the first page
    has no ?page=, which makes it the canonical address."""
    url = reverse("tag", args=[slug])
    return url if number in (1, "1", "", None) else f"{url}?{urlencode({'page': number})}"


def tag_description(tag, publisher):
    """What <meta name="description"> and the tag's feeds say of a tag page."""
    return f"The latest stories about {tag.name} from {publisher}, newest first."


def tag_page(request, slug):
    site = Site.find_for_request(request)
    tag = Tag.objects.filter(slug=slug).first()
    if site is None or tag is None:
        raise Http404("No such tag.")
    answers(tag_key(tag.pk))
    stories = live_stories(site).filter(tags=tag).for_cards().newest_first()
    # An empty tag has no first page either: a page with nothing on it is a 404, not a thin
    # page for search engines to index.
    paginator = Paginator(stories, settings.NEWS_ARTICLES_PER_PAGE, allow_empty_first_page=False)
    try:
        articles = paginator.page(request.GET.get("page", 1))
    except InvalidPage as e:
        raise Http404("No such page of this tag.") from e
    shows_cards(articles.object_list)
    return TemplateResponse(
        request,
        "news/tag_page.html",
        {
            "tag": tag,
            "articles": articles,
            "description": tag_description(tag, site_name(request)),
        },
    )
