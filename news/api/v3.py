"""API v3's article detail, kept between uncached requests as API v2's is (news/api/kept.py).

Wagtail's GET /api/v3/pages/{id}/ builds an article's representation afresh on every
request (~35 ms of CPU, 26 queries, for a full article). `keep_article_details` answers
a live, public article's detail from the keep instead, under the same key rules as v2:
the versions of what it shows, the article's last publication and everything else the answer
depends on (here the whole query string, the host and the API base URL).
"""

import inspect
import typing
from datetime import UTC, datetime
from functools import cache, wraps

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.dateparse import parse_datetime
from wagtail.api.utils import get_base_url
from wagtail.api.v2.utils import get_full_url

from cms.caching import answers, is_anonymous_request, remember_site, shows
from news.dependencies import page_key
from news.models import ArticlePage, StoredRepresentation

from .kept import KeptRepresentations
from .representation import stored_parts
from .v2 import public_pages_queryset

JSON = "application/json; charset=utf-8"
Kind = StoredRepresentation.Kind


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
        if not request.GET and (answer := stored_detail(request, int(page_id))) is not None:
            return HttpResponse(answer, content_type=JSON)
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


def stored_detail(request, page_id):
    """A visible, live article's v3 detail made from the parts stored at publish time
    (news/api/stored.py), byte for byte Wagtail's answer, in one query; else None.

    The stored values are API v2's; v3 differs only in its meta, its detail URLs and its
    dates, which Wagtail's schema types as datetimes (DjangoJSONEncoder: UTC, milliseconds).
    """
    shape = detail_schema_shape()
    if shape is None:
        return None
    try:
        visible = public_pages_queryset(request, ArticlePage).filter(pk=page_id)
    except ValueError:  # ?site= names several sites: Wagtail's view says so
        return None
    parts = stored_parts([page_id], list(Kind), visible=visible).get(page_id)
    if parts is None or len(parts) < len(Kind):
        return None
    fields = parts[Kind.FIELDS][0]
    meta_names, names, dates = shape
    if not {*meta_names, *names} - V3_META.keys() - PARTS.keys() <= fields.keys():
        return None

    answers(page_key(page_id))
    for _value, shown in parts.values():
        shows(*shown)
    meta = {}
    for name in meta_names:
        if name in V3_META:
            meta[name] = V3_META[name](request, page_id, fields)
        elif name in dates:
            meta[name] = v3_date(fields[name])
        else:
            meta[name] = fields[name]
    data = {"meta": {name: value for name, value in meta.items() if value is not OMITTED}}
    for name in names:
        if name in PARTS:
            data[name] = parts[PARTS[name]][0]
        elif name in dates:
            data[name] = v3_date(fields[name])
        else:
            data[name] = fields[name]
    return api_renderer().render(request, data, response_status=200)


OMITTED = object()
PARTS = {"body": Kind.BODY, "related_articles": Kind.RELATED_CARDS}


def v3_detail_url(request, page_id):
    try:
        return get_full_url(
            request, reverse("wagtailapi_v3:detail_page", kwargs={"page_id": page_id})
        )
    except NoReverseMatch:
        return None


# Wagtail's nested page schema (parent, alias_of): its meta, in order.
PARENT_META = ["type", "warnings", "detail_url", "html_url"]


def v3_parent(request, page_id, fields):
    parent = fields["parent"]
    if parent is None:
        return None
    meta = {
        "type": parent["type"],
        "detail_url": v3_detail_url(request, parent["id"]),
        "html_url": parent["html_url"],
    }
    return {"meta": meta, "id": parent["id"], "title": parent["title"]}


# The meta fields that are no stored value: the request's detail URLs, none of a live
# page's editing warnings (left out when empty), no alias (aliases are not stored).
V3_META = {
    "detail_url": lambda request, page_id, fields: v3_detail_url(request, page_id),
    "warnings": lambda request, page_id, fields: OMITTED,
    "alias_of": lambda request, page_id, fields: None,
    "parent": v3_parent,
}


def v3_date(value):
    """An API v2 date as API v3 writes it: "2026-05-06T09:00:00.123456Z" becomes
    "2026-05-06T09:00:00.123Z"."""
    if value is None:
        return None
    return DjangoJSONEncoder().default(parse_datetime(value).astimezone(UTC))


@cache
def detail_schema_shape():
    """(meta names, field names, date names) of Wagtail's v3 article schema, in its order;
    None if it holds something the stored parts cannot give (then Wagtail answers)."""
    from wagtail.api.v3.registry import registry

    registration = registry.get(ArticlePage._meta.label)
    schema = registration and registration.read_schema
    if schema is None or "meta" not in schema.model_fields:
        return None
    meta = schema.model_fields["meta"].annotation.model_fields
    names = [name for name in schema.model_fields if name != "meta"]
    parent = meta.get("parent")
    if parent is None:
        return None
    parent = parent_schema(parent.annotation).model_fields
    parent_meta = [*parent["meta"].annotation.model_fields] if "meta" in parent else []
    if [*parent] != ["meta", "id", "title"] or parent_meta != PARENT_META:
        return None
    dates = {
        name
        for fields in (meta, schema.model_fields)
        for name, field in fields.items()
        if datetime in {field.annotation, *typing.get_args(field.annotation)}
    }
    return list(meta), names, dates


def parent_schema(annotation):
    return next(
        arg for arg in (*typing.get_args(annotation), annotation) if hasattr(arg, "model_fields")
    )


@cache
def api_renderer():
    from wagtail.api.v3.urls import api

    return api.renderer
