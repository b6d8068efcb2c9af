"""The public corrections page: every published note on a live, public story, newest first.

Mounted in cms/urls.py as `/corrections/` (`?page=` pages through it); its RSS and Atom feeds
are /feeds/corrections/rss/ and /feeds/corrections/atom/ (news/feeds.py).
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from wagtail.models import Site

from cms.caching import answers

from .dependencies import CORRECTIONS, page_key
from .models import ArticlePage, CorrectionNote, share_site_root_paths


def published_notes(site):
    """The published notes of the live, public stories of `site`, newest first, each with
    its story."""
    stories = ArticlePage.objects.live().public().descendant_of(site.root_page)
    return (
        CorrectionNote.objects.published()
        .filter(page__in=stories.values("pk"))
        .select_related("page")
        .newest_first()
    )


def declare_notes(notes):
    """The list of notes and each story it names (its headline and address)."""
    answers(CORRECTIONS, *(page_key(note.page_id) for note in notes))


def corrections(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site is configured for this host.")
    paginator = Paginator(published_notes(site), settings.NEWS_ARTICLES_PER_PAGE)
    # get_page() turns text, negative and out-of-range numbers into a valid page.
    notes = paginator.get_page(request.GET.get("page"))
    share_site_root_paths(note.page for note in notes.object_list)
    declare_notes(notes.object_list)
    return TemplateResponse(request, "news/corrections.html", {"notes": notes})
