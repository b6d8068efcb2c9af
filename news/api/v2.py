"""API v2 pages endpoint with the newsroom's article filters, ordering and full listings."""

import json
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_naive, make_aware
from rest_framework.filters import BaseFilterBackend
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from wagtail.api.v2 import filters as wagtail_filters
from wagtail.api.v2.serializers import PageSerializer
from wagtail.api.v2.utils import (
    BadRequestError,
    get_object_detail_url,
    page_models_from_string,
    parse_fields_parameter,
)
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.api.validators import SiteFilterValidator
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from cms.caching import answers, remember_site, shows, view_restrictions
from news.dependencies import STORIES, page_key
from news.models import ArticleAuthor, ArticlePage, ArticleTag, StoredRepresentation

from .kept import KeptRepresentations
from .representation import prepare_articles, stored_parts

ARTICLE_FILTERS = ("tags", "author", "published_after", "published_before")


def public_pages_queryset(request, model=Page):
    """The live pages of the request's site (or ?site=) that no view restriction keeps from it.

    What wagtail.api.querysets.get_public_pages_queryset selects, with the restrictions read
    once per process and site version (cms/caching.py) rather than on every request.
    """
    queryset = model._default_manager.live()
    for restriction in view_restrictions():
        if not restriction.accept_request(request):
            queryset = queryset.not_descendant_of(restriction.page, inclusive=True)
    remember_site(request)
    site = SiteFilterValidator(site=request.GET.get("site"), request=request).site_obj
    if site is None:
        return queryset.none()
    in_site = queryset.descendant_of(site.root_page, inclusive=True)
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        for translation in site.root_page.get_translations():
            in_site |= queryset.descendant_of(translation, inclusive=True)
    return in_site


def parse_instant(name, value):
    """An ISO 8601 date or datetime from a query parameter; a date means its midnight."""
    try:
        instant = parse_datetime(value) or parse_date(value)
    except ValueError as e:
        raise BadRequestError(f"{name} must be an ISO 8601 date or datetime") from e
    if instant is None:
        raise BadRequestError(f"{name} must be an ISO 8601 date or datetime, e.g. 2026-05-06")
    if not hasattr(instant, "hour"):
        instant = parse_datetime(f"{instant.isoformat()}T00:00:00")
    return make_aware(instant) if is_naive(instant) else instant


class FieldsFilter(wagtail_filters.FieldsFilter):
    """Wagtail's field filters (?slug=…, ?first_published_at=…), a bad value a 400.

    Wagtail passes a date field's value to the queryset unparsed, so
    ?first_published_at=abc is a ValidationError (a 500) there.
    """

    def filter_queryset(self, request, queryset, view):
        try:
            return super().filter_queryset(request, queryset, view)
        except ValidationError as e:
            raise BadRequestError(f"field filter error: {' '.join(e.messages)}") from e


class ChildOfFilter(wagtail_filters.ChildOfFilter):
    """Wagtail's ?child_of=4, the parent page looked up once per request: the listing's count
    filters the pages table again (count_articles)."""

    def filter_queryset(self, request, queryset, view):
        parent = getattr(view, "_child_of_parent", None)
        if parent is None or "child_of" not in request.GET:
            queryset = super().filter_queryset(request, queryset, view)
            view._child_of_parent = getattr(queryset, "_filtered_by_child_of", None)
            return queryset
        queryset = queryset.child_of(parent)
        queryset._filtered_by_child_of = parent
        return queryset


class ArticleFilter(BaseFilterBackend):
    """Article filters, each combinable with the others and with ?search=.

    ?tags=oil,storms    articles carrying every one of these tags (by name or slug)
    ?author=jane-doe    articles with this author (an Author's slug) in the byline
    ?published_after=2026-05-01&published_before=2026-05-06T12:00:00Z
    """

    def filter_queryset(self, request, queryset, view):
        used = [name for name in ARTICLE_FILTERS if name in request.GET]
        if used and queryset.model is not ArticlePage:
            raise BadRequestError(f"filtering by {used[0]} needs type=news.ArticlePage")
        return filter_articles(request, queryset)


def filter_articles(request, queryset):
    """ArticleFilter's conditions, all on page ids and Wagtail's pages table."""
    used = [name for name in ARTICLE_FILTERS if name in request.GET]
    if not used:
        return queryset
    for name in used:
        if "\x00" in request.GET[name]:
            raise BadRequestError(f"null characters are not allowed in {name}")

    # Filters go through `pk__in` subqueries: `id` is a search filter field, so the
    # result can still be searched (Wagtail's own tag filter refuses ?search=).
    for tag in filter(None, (t.strip() for t in request.GET.get("tags", "").split(","))):
        tagged = ArticleTag.objects.filter(tag__name__iexact=tag) | ArticleTag.objects.filter(
            tag__slug=tag
        )
        queryset = queryset.filter(pk__in=tagged.values("content_object_id"))
    if author := request.GET.get("author"):
        bylines = ArticleAuthor.objects.filter(author__slug=author).values("page_id")
        queryset = queryset.filter(pk__in=bylines)
    if value := request.GET.get("published_after"):
        queryset = queryset.filter(first_published_at__gte=parse_instant("published_after", value))
    if value := request.GET.get("published_before"):
        queryset = queryset.filter(first_published_at__lt=parse_instant("published_before", value))
    return queryset


class SearchFilter(BaseFilterBackend):
    """Full-text ?search=storm or headline ?autocomplete=sto (one of the two), last in the chain."""

    def filter_queryset(self, request, queryset, view):
        if "search" in request.GET and "autocomplete" in request.GET:
            raise BadRequestError("use either search or autocomplete, not both")
        if "autocomplete" not in request.GET:
            if "search" in request.GET and "search_operator" not in request.GET:
                # Match every word, as the reader search does, unless asked otherwise.
                params = request.GET.copy()
                params["search_operator"] = "and"
                request._request.GET = params
            if "search" in request.GET and queryset.model is ArticlePage:
                # Only ids and dates leave the search (paginate_articles); the representation
                # is kept or built apart, so the search need not read whole articles.
                queryset = queryset.only("pk", "last_published_at")
            return wagtail_filters.SearchFilter().filter_queryset(request, queryset, view)

        # search.query_guard has already bounded and cleaned it.
        prefix = request.GET["autocomplete"]
        if not prefix:
            raise BadRequestError("autocomplete needs at least one character")
        return get_search_backend().autocomplete(
            prefix, queryset, order_by_relevance="order" not in request.GET
        )


class RenderedJSON:
    """JSON text rendered already, e.g. kept article representations spliced into a list."""

    def __init__(self, content):
        self.content = content


class NewsJSONRenderer(JSONRenderer):
    """DRF's JSON renderer; RenderedJSON passes through (re-indented only for a client that
    asks with `Accept: application/json; indent=4`)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, RenderedJSON):
            if self.get_indent(accepted_media_type, renderer_context or {}) is None:
                return data.content
            data = json.loads(data.content)
        return super().render(data, accepted_media_type, renderer_context)


def render_json(data):
    """`data` as the API renders it: compact UTF-8 JSON bytes."""
    return NewsJSONRenderer().render(data, renderer_context={"indent": None})


class CompactJSON:
    """API v2 answers in compact JSON, not Wagtail's four-space indent.

    Python's C JSON encoder only runs without an indent; with one, the pure-Python encoder
    took ~15 ms of a list of 20 articles. Smaller on the wire too; same values.
    """

    renderer_classes = [NewsJSONRenderer]

    def get_renderer_context(self):
        context = super().get_renderer_context()
        context["indent"] = None
        return context


class Counted:
    """A queryset WagtailPagination slices as it is and counts with `count` (a callable)."""

    def __init__(self, queryset, count):
        self.queryset = queryset
        self.count = count

    def __getitem__(self, index):
        return self.queryset[index]


# Filter backends count_articles does not run on the pages table: field filters (it falls
# back to the listing's count), ordering, the article filters (filter_articles instead) and
# search (its results are counted by the backend). Every other backend filters pages.
NOT_PAGE_FILTERS = (
    FieldsFilter,
    wagtail_filters.OrderingFilter,
    ArticleFilter,
    SearchFilter,
)


class NewsPageSerializer(PageSerializer):
    """Wagtail's page serializer, where a meta field the model's `api_fields` also names is
    top-level too, as API v3 and the OpenAPI document have it.

    Wagtail's v2 meta field `first_published_at` silently wins over the article's api_field
    of that name; an article answers
    {"meta": {"first_published_at": "2026-05-06T09:00:00Z", …}, "title": …,
     "first_published_at": "2026-05-06T09:00:00Z", "last_published_at": "…", …}
    """

    def to_representation(self, instance):
        return with_api_fields_on_top(super().to_representation(instance), type(instance))


def with_api_fields_on_top(data, model):
    """`data` (a page's representation) with the meta fields the model's api_fields also
    name repeated at the top level (NewsPageSerializer)."""
    meta = data.get("meta") or {}
    named = {getattr(field, "name", field) for field in getattr(model, "api_fields", ())}
    also_top = [name for name in meta if name in named and name not in data]
    if not also_top:
        return data
    shaped = {}
    for key, value in data.items():
        if key == "last_published_at":  # the dates side by side
            shaped.update((name, meta[name]) for name in also_top)
        shaped[key] = value
    shaped.update((name, meta[name]) for name in also_top if name not in shaped)
    return shaped


Kind = StoredRepresentation.Kind
# Meta fields whose values depend on the request (its base URL): never stored, made per read.
REQUEST_SHAPED_FIELDS = ("detail_url", "parent", "alias_of")
# Fields stored as parts of their own (news/api/stored.py).
PARTS_APART = {"body": Kind.BODY, "related_articles": Kind.RELATED_CARDS}


class StoredArticles:
    """Article representations of one request made from the parts stored at publish time
    (news/api/stored.py), byte for byte what the serializer would emit.

    `serializer_class` names the fields and meta fields in the order the serializer emits
    them; the values come from the stored parts, the detail URLs from the request.
    """

    def __init__(self, view, serializer_class):
        self.view = view
        self.fields = list(serializer_class.Meta.fields)
        meta_fields = set(serializer_class.meta_fields)
        self.meta = [name for name in self.fields if name in meta_fields]
        self.core = [name for name in self.fields if name not in meta_fields]
        self.kinds = [
            Kind.FIELDS,
            *(PARTS_APART[name] for name in self.fields if name in PARTS_APART),
        ]
        self.stored_names = set(self.fields) - set(REQUEST_SHAPED_FIELDS) - PARTS_APART.keys()

    @classmethod
    def for_request(cls, view, serializer_class):
        """None when this request's answer cannot come from stored parts: another rich text
        format than the default (the body is stored in that one), or nested fields."""
        request = view.request
        if "rich_text_format" in request.GET or "(" in request.GET.get("fields", ""):
            return None
        return cls(view, serializer_class)

    def parts(self, pks, *, visible=None):
        """{pk: parts} of the articles whose every part this shape reads is stored."""
        found = stored_parts(pks, self.kinds, visible=visible)
        return {
            pk: parts
            for pk, parts in found.items()
            if len(parts) == len(self.kinds) and self.stored_names <= parts[Kind.FIELDS][0].keys()
        }

    def represent(self, pk, parts):
        """The article's JSON text; declares what it shows (cms.caching.shows)."""
        shows(page_key(pk))
        for _value, names in parts.values():
            shows(*names)
        fields = parts[Kind.FIELDS][0]
        data = {}
        if "id" in self.core:
            data["id"] = None  # first, as Wagtail's BaseSerializer has it
        meta = {}
        for name in self.meta:
            if name == "detail_url":
                url = self.detail_url(ArticlePage, pk)
                if url:
                    meta[name] = url
            elif name == "parent":
                meta[name] = self.parent(fields["parent"])
            elif name == "alias_of":
                meta[name] = None  # aliases have no stored parts
            else:
                meta[name] = fields[name]
        if meta:
            data["meta"] = meta
        for name in self.core:
            kind = PARTS_APART.get(name)
            data[name] = parts[kind][0] if kind else fields[name]
        return render_json(with_api_fields_on_top(data, ArticlePage))

    def detail_url(self, model, pk):
        request = self.view.request
        return get_object_detail_url(request.wagtailapi_router, request, model, pk)

    def parent(self, parent):
        """Wagtail's PageParentField for a stored parent: its section, shown while live (the
        article being visible, its section is in the site and not restricted)."""
        if parent is None or not parent["live"]:
            return None
        meta = {"type": parent["type"]}
        # The parent as Wagtail finds it: a plain Page, so the pages endpoint's URL.
        if url := self.detail_url(Page, parent["id"]):
            meta["detail_url"] = url
        meta["html_url"] = parent["html_url"]
        return {"id": parent["id"], "meta": meta, "title": parent["title"]}


class NewsPagesAPIViewSet(CompactJSON, PagesAPIViewSet):
    """Wagtail's pages endpoint, where articles list with their full representation.

    /api/v2/pages/?type=news.ArticlePage&child_of=4&tags=oil&order=-first_published_at
    /api/v2/pages/find/?html_path=/world/some-story/
    """

    base_serializer_class = NewsPageSerializer
    filter_backends = [
        FieldsFilter,
        ChildOfFilter,
        wagtail_filters.AncestorOfFilter,
        wagtail_filters.DescendantOfFilter,
        wagtail_filters.OrderingFilter,
        wagtail_filters.TranslationOfFilter,
        wagtail_filters.LocaleFilter,
        ArticleFilter,
        SearchFilter,  # last: search results cannot be filtered further
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(
        [*ARTICLE_FILTERS, "autocomplete"]
    )

    @classmethod
    def get_available_fields(cls, model, db_fields_only=False):
        fields = super().get_available_fields(model, db_fields_only=db_fields_only)
        if db_fields_only:
            # ?tags= belongs to ArticleFilter, not to Wagtail's field filter.
            fields = [name for name in fields if name not in ARTICLE_FILTERS]
        return fields

    @classmethod
    def get_listing_default_fields(cls, model):
        if issubclass(model, ArticlePage):
            # Front ends list articles with everything a detail carries but the parent.
            return [
                name
                for name in cls.get_detail_default_fields(model)
                if name not in cls.detail_only_fields
            ]
        return super().get_listing_default_fields(model)

    def get_queryset(self):
        # Asked for again by get_serializer_class(); each time reads the view restrictions.
        if not hasattr(self, "_queryset"):
            self._queryset = self.build_queryset()
        return self._queryset

    def build_queryset(self):
        if self.lists_articles():
            # Wagtail's own visibility rule, applied to the articles table directly: its
            # `pk IN (every public page)` subquery makes SQLite sort whole rows.
            try:
                queryset = public_pages_queryset(self.request, model=ArticlePage)
            except ValueError as e:
                raise BadRequestError(str(e)) from e
        else:
            queryset = super().get_queryset()
        if queryset.model is ArticlePage and "order" not in self.request.GET:
            queryset = queryset.newest_first()
        return queryset

    def lists_articles(self):
        """Whether ?type= names articles alone (a bad type is Wagtail's 400 to raise)."""
        try:
            return page_models_from_string(self.request.GET.get("type") or "") == (ArticlePage,)
        except (LookupError, ValueError):
            return False

    def listing_view(self, request):
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        queryset = self.filter_queryset(queryset)
        if queryset.model is not ArticlePage:
            page = self.paginate_queryset(queryset)
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        answers(STORIES)  # the list; each item declares what it shows
        items = self.represent_articles(self.paginate_articles(queryset))
        # Wagtail's {"meta": {"total_count": N}, "items": [...]}, with the items' JSON text
        # (kept or just rendered) spliced in rather than parsed and encoded again.
        listing = b'{"meta":{"total_count":%d},"items":[%b]}' % (
            self.paginator.total_count,
            b",".join(items),
        )
        return Response(RenderedJSON(listing))

    def paginate_articles(self, queryset):
        """The page of results as (id, last_published_at) pairs, in order.

        The database sorts narrow rows to choose the page; only articles whose representation
        is not kept are then fetched whole (represent_articles).
        """
        if isinstance(queryset, QuerySet):
            rows = queryset.values_list("pk", "last_published_at")
            counted = Counted(rows, lambda: self.count_articles(queryset))
            return list(self.paginate_queryset(counted))
        # Search results: the search backend's order and slicing.
        return [
            (article.pk, article.last_published_at) for article in self.paginate_queryset(queryset)
        ]

    def count_articles(self, queryset):
        """The listing's total, counted on Wagtail's pages table alone where it can be.

        An article is a pages row of the article type plus an articles row; counting both
        joins every live article twice (7 of a fragment-warm list's ~12 ms at 10,000
        articles on PostgreSQL). The page-level filters (tree, locale, tags, author, dates)
        apply to pages as they are; a filter on an article's own field falls back to the
        listing's own count.
        """
        request = self.request
        field_filters = set(self.get_available_fields(ArticlePage, db_fields_only=True))
        if field_filters & set(request.GET) - {"locale"}:
            return queryset.count()
        ct = ContentType.objects.get_for_model(ArticlePage)
        pages = self.get_base_queryset().filter(content_type=ct)
        for backend in self.filter_backends:
            if backend not in NOT_PAGE_FILTERS:
                pages = backend().filter_queryset(request, pages, self)
        return filter_articles(request, pages).count()

    def represent_articles(self, pages):
        """The JSON text of these (id, last_published_at) articles, kept ones reused."""

        def build(pks):
            if not pks:
                return {}
            makers = {}
            # The parts stored at publish time first (news/api/stored.py): no article fetched.
            stored = StoredArticles.for_request(self, self.get_serializer_class())
            if stored is not None:
                for pk, parts in stored.parts(pks).items():
                    makers[pk] = partial(stored.represent, pk, parts)
                pks = [pk for pk in pks if pk not in makers]
                if not pks:
                    return makers
            fields = self.shown_fields()
            # Related picks are fetched only for cards not stored (attach_related_cards).
            fetched = ArticlePage.objects.for_api(related=False, fields=fields).in_bulk(pks)
            articles = [fetched[pk] for pk in pks if pk in fetched]
            articles = prepare_articles(articles, fields=fields)
            # One serializer for the page: DRF builds its fields once (a fifth of a list of
            # 20 when built per article). One by one, so each declares what it shows
            # (news/api/kept.py).
            serializer = self.get_serializer()
            makers.update(
                (article.pk, partial(self.represent_article, article, serializer))
                for article in articles
            )
            return makers

        return KeptRepresentations.for_v2(self).represent(pages, build)

    def shown_fields(self):
        """The names of the fields this request's representation shows (?fields=)."""
        return set(self.get_serializer_class().Meta.fields)

    def represent_article(self, article, serializer=None):
        if serializer is None:
            return render_json(self.get_serializer(article).data)
        return render_json(serializer.to_representation(article))

    def detail_view(self, request, pk):
        item = self.stored_detail(pk)
        if item is not None:
            return Response(RenderedJSON(item))
        page = self.visible_page()
        if page.specific_class is not ArticlePage:
            return super().detail_view(request, pk)
        answers()  # the article declares what it shows (news/api/kept.py)

        def build(pks):
            return {page.pk: lambda: self.represent_article(self.get_object())} if pks else {}

        [item] = KeptRepresentations.for_v2(self).represent(
            [(page.pk, page.last_published_at)], build
        )
        return Response(RenderedJSON(item))

    def stored_detail(self, pk):
        """A visible article's JSON text made from its stored parts (StoredArticles), in one
        query, else None (the article is not visible, not an article, or not stored)."""
        if not str(pk).isdigit() or set(self.request.GET) - {"fields", "site"}:
            return None
        try:
            serializer_class = self._get_serializer_class(
                self.request.wagtailapi_router,
                ArticlePage,
                self.fields_config(),
                show_details=True,
            )
        except BadRequestError:
            return None  # said in the order Wagtail says it: a missing page first
        stored = StoredArticles.for_request(self, serializer_class)
        if stored is None:
            return None
        visible = self.get_base_queryset().filter(pk=int(pk))
        parts = stored.parts([int(pk)], visible=visible).get(int(pk))
        if parts is None:
            return None
        answers()
        return stored.represent(int(pk), parts)

    @classmethod
    def stored_fields_serializer_class(cls, router):
        """The serializer of an article's stored fields (news/api/stored.py): every field and
        meta field but the body, the related articles and those the request shapes."""
        names = [
            name
            for name in cls.get_body_fields_names(ArticlePage)
            + cls.get_meta_fields_names(ArticlePage)
            if name not in REQUEST_SHAPED_FIELDS and name not in PARTS_APART
        ]
        config = [("_", False, None), *((name, False, None) for name in names)]
        return cls._get_serializer_class(router, ArticlePage, config, show_details=True)

    @classmethod
    def stored_body_serializer_class(cls, router):
        """The serializer of an article's stored body (news/api/stored.py)."""
        config = [("_", False, None), ("body", False, None)]
        return cls._get_serializer_class(router, ArticlePage, config, show_details=True)

    # {arguments: serializer class} of _get_serializer_class, bounded.
    serializer_classes = {}

    @classmethod
    def _get_serializer_class(cls, router, model, fields_config, show_details=False, nested=False):
        # Wagtail builds a new class (and its nested ones) on every request; the same fields
        # of the same model give the same class, which holds no request's state.
        key = (
            cls,
            id(router),
            model,
            repr(fields_config),
            show_details,
            nested,
            getattr(settings, "WAGTAIL_I18N_ENABLED", False),
        )
        if key not in cls.serializer_classes:
            if len(cls.serializer_classes) >= 256:
                cls.serializer_classes.clear()
            cls.serializer_classes[key] = super()._get_serializer_class(
                router, model, fields_config, show_details=show_details, nested=nested
            )
        return cls.serializer_classes[key]

    def get_serializer_class(self):
        # Asked for more than once per request; Wagtail builds a new class each time.
        if not hasattr(self, "_serializer_class"):
            if self.action == "detail_view" and self.visible_page().specific_class is ArticlePage:
                # Wagtail reads the model off get_object(), which fetches the article whole;
                # the visible page's type tells it, and a kept representation needs no more.
                self._serializer_class = self._get_serializer_class(
                    self.request.wagtailapi_router,
                    ArticlePage,
                    self.fields_config(),
                    show_details=True,
                )
            else:
                self._serializer_class = super().get_serializer_class()
        return self._serializer_class

    def fields_config(self):
        """?fields= parsed as Wagtail's get_serializer_class() does."""
        if "fields" not in self.request.GET:
            return []
        try:
            return parse_fields_parameter(self.request.GET["fields"])
        except ValueError as e:
            raise BadRequestError(f"fields error: {e}") from e

    def get_base_queryset(self):
        # Wagtail asks for it several times per request, each time reading the view
        # restrictions from the database; they cannot change within a request.
        if not hasattr(self, "_base_queryset"):
            try:
                self._base_queryset = public_pages_queryset(self.request)
            except ValueError as e:
                raise BadRequestError(str(e)) from e
        return self._base_queryset

    def visible_page(self):
        """The page as Wagtail finds it (not specific), if the request may see it; else 404."""
        # Asked for by the view, the serializer class and get_object(): one query, not three.
        if not hasattr(self, "_visible_page"):
            self._visible_page = BaseAPIViewSet.get_object(self)
        return self._visible_page

    def get_object(self):
        # Wagtail calls this more than once per request; fetch and prepare only once.
        if not hasattr(self, "_prepared_object"):
            page = self.visible_page()
            if page.specific_class is ArticlePage:
                # Fetched once, with what its representation needs.
                fields = self.shown_fields()
                page = ArticlePage.objects.for_api(related=False, fields=fields).get(pk=page.pk)
                prepare_articles([page], fields=fields)
            else:
                page = page.specific
            self._prepared_object = page
        return self._prepared_object
