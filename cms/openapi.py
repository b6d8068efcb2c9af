"""The /api/v3/openapi.json document, corrected to describe what the v3 API really answers.

Django Ninja documents only the responses a router declares, and under the renderer's
`application/json`. Wagtail's routers declare successes only, yet every error they answer is
an RFC 7807 problem document (`application/problem+json`, wagtail/api/v3/errors.py). So,
after Ninja has built the document (the customisation Ninja suggests: post-process
`get_openapi_schema`), `install()` makes it:

- declare the problem responses each operation can give (`problem_statuses`), and serve
  every problem response as `application/problem+json`;
- document the `find` operations as what they answer, a 302 to the detail URL (Wagtail
  documents the detail's 200 body);
- type the properties Wagtail leaves untyped: a problem's `errors` (ProblemError), the JSON
  Schema documents /schema/{type_name}/ answers (JSONSchema), and a StreamField's blocks with
  the types the project names (`install(api, property_types=…)`);
- leave out operations no request can reach: with no snippet model exposing `api_fields`,
  Wagtail types the snippets router's `{type}` as `Literal[""]`, so every URL under
  /api/v3/snippets/ answers 422 whatever it names.
"""

from functools import wraps
from http import HTTPStatus
from typing import Required

from pydantic import TypeAdapter
from typing_extensions import TypeAliasType, TypedDict
from wagtail.api.v3.errors import PROBLEM_JSON, ProblemDetail

COMPONENT_REF = "#/components/schemas/{model}"


class ProblemError(TypedDict, total=False):
    """One entry of a problem's `errors`: what is wrong (`msg`, always), where in the request
    (`loc` from validation, `path` from the wire desk), and a machine-readable `type`.
    Validation adds what the rule was in `ctx` (e.g. {"gt": 0}), left open here."""

    msg: Required[str]
    type: str
    loc: list[str | int]
    path: str


#: Any JSON value (a JSON Schema's `default`, `const` or `enum` entries).
JSONValue = TypeAliasType(
    "JSONValue", "str | int | float | bool | None | list[JSONValue] | dict[str, JSONValue]"
)

JSONSchema = TypedDict(
    "JSONSchema",
    {
        "$schema": str,
        "$id": str,
        "$ref": str,
        "$defs": dict[str, "JSONSchema"],
        "title": str,
        "description": str,
        "type": str | list[str],
        "format": str,
        "properties": dict[str, "JSONSchema"],
        "required": list[str],
        "additionalProperties": "JSONSchema | bool",
        "items": "JSONSchema | bool",
        "anyOf": list["JSONSchema"],
        "oneOf": list["JSONSchema"],
        "allOf": list["JSONSchema"],
        "enum": list[JSONValue],
        "const": JSONValue,
        "default": JSONValue,
        "examples": list[JSONValue],
        "minLength": int,
        "maxLength": int,
        "pattern": str,
        "minimum": float,
        "maximum": float,
        "exclusiveMinimum": float,
        "exclusiveMaximum": float,
        "minItems": int,
        "maxItems": int,
        "uniqueItems": bool,
        "readOnly": bool,
        "writeOnly": bool,
        "deprecated": bool,
    },
    total=False,
)
JSONSchema.__doc__ = """A JSON Schema (2020-12) document or subschema as pydantic writes them:
the keywords it uses, each typed (JSON Schema allows others). /schema/{type_name}/ answers one
per direction, e.g. {"title": "ArticlePage", "type": "object", "properties": {"title":
{"type": "string"}}, "required": ["title"]}, or {"description": "Not available."}."""

#: The properties of Wagtail's own responses that it types as "any object".
WAGTAIL_PROPERTY_TYPES = {
    ("ProblemDetail", "errors"): list[ProblemError] | None,
    ("SchemaDetailResponse", "read"): JSONSchema | None,
    ("SchemaDetailResponse", "create"): JSONSchema | None,
    ("SchemaDetailResponse", "patch"): JSONSchema | None,
}

PROBLEM_REF = "#/components/schemas/ProblemDetail"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def problem_statuses(operation):
    """The error statuses an operation of Wagtail's v3 API can answer with, by its shape.

    400 a query or body refused before validation: `limit` above `WAGTAILAPI_LIMIT_MAX`, an
        ambiguous `site`, a search refused by search/query_guard.py, or (cms/api_guards.py)
        a body that is not a JSON object, a null character or an `offset` beyond the
        database;
    401 no valid bearer token, where one is required (an anonymous caller is never a 403);
    403 the token's user lacks the permission;
    404 the object a path, `find`, `locale` or body id names does not exist or is not visible;
    412 (page update) If-Match names a revision that is no longer the latest
        (cms/api_preconditions.py);
    413 a body over the size limit (cms/request_size.py);
    422 a parameter or body that fails validation.
    """
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    statuses = set()
    if has_body or any(parameter["in"] == "query" for parameter in parameters):
        statuses.add(400)
    if not any("AllowAnonymous" in scheme for scheme in operation.get("security", [])):
        statuses.update((401, 403))
    names = {parameter["name"] for parameter in parameters}
    if (
        has_body
        or any(parameter["in"] == "path" for parameter in parameters)
        or operation.get("operationId", "").endswith("_find")
        or "locale" in names
    ):
        statuses.add(404)
    if has_body or parameters:
        statuses.add(422)
    if has_body:
        statuses.add(413)
    if operation.get("operationId") == "pages_update":
        statuses.add(412)
    return statuses


def is_problem(response):
    """Whether a documented response is a ProblemDetail, whatever media type it names."""
    return any(
        media.get("schema", {}).get("$ref") == PROBLEM_REF
        or media.get("schema", {}).get("title") == "ProblemDetail"
        for media in response.get("content", {}).values()
    )


def problem_response(status):
    return {
        "description": HTTPStatus(status).phrase,
        "content": {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}},
    }


def declare_problem_responses(operation):
    """Add the operation's missing problem responses; serve declared ones as problem+json."""
    # Ninja keys responses by int, `openapi_extra` by str: one key per status, as JSON has.
    responses = {str(status): response for status, response in operation["responses"].items()}
    for response in responses.values():
        if is_problem(response):
            response["content"] = {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}}
    for status in sorted(problem_statuses(operation)):
        responses.setdefault(str(status), problem_response(status))
    operation["responses"] = dict(sorted(responses.items()))


def declare_redirect(operation):
    """A `find` answers 302 with the object's detail URL, keeping the other query parameters."""
    responses = operation["responses"]
    del responses["200"]
    responses["302"] = {
        "description": "Found: Location is the detail URL",
        "headers": {
            "Location": {
                "description": "The detail URL, e.g. /api/v3/pages/42/",
                "schema": {"type": "string"},
            }
        },
    }
    operation["responses"] = dict(sorted(responses.items()))


def is_unreachable(operation):
    """Whether a required path parameter can only be "" (which no URL can carry)."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter["in"] == "path" and (schema.get("const") == "" or schema.get("enum") == [""]):
            return True
    return False


def type_properties(document, property_types):
    """Document each (schema name, property) of `property_types` as its Python type.

    Wagtail types a StreamField as a list of anything; the project names what its blocks
    really are (e.g. news.api.representation.BodyBlock), and the types they refer to join the
    document's components.
    """
    schemas = document["components"]["schemas"]
    for (schema_name, property_name), python_type in property_types.items():
        if schema_name not in schemas:
            continue
        schema = TypeAdapter(python_type).json_schema(ref_template=COMPONENT_REF)
        for name, definition in schema.pop("$defs", {}).items():
            schemas.setdefault(name, definition)
        described = schemas[schema_name]["properties"][property_name]
        schema["title"] = described.get("title", property_name)
        schemas[schema_name]["properties"][property_name] = schema


def correct(document, property_types=None):
    """Correct a generated OpenAPI document in place (see the module docstring); returns it."""
    document.setdefault("components", {}).setdefault("schemas", {}).setdefault(
        "ProblemDetail", ProblemDetail.model_json_schema()
    )
    type_properties(document, {**WAGTAIL_PROPERTY_TYPES, **(property_types or {})})
    for path, path_item in list(document["paths"].items()):
        for method in [method for method in HTTP_METHODS if method in path_item]:
            if is_unreachable(path_item[method]):
                del path_item[method]
            else:
                declare_problem_responses(path_item[method])
                if path_item[method].get("operationId", "").endswith("_find"):
                    declare_redirect(path_item[method])
        if not any(method in path_item for method in HTTP_METHODS):
            del document["paths"][path]
    return document


def install(api, property_types=None):
    """Make `api` serve the corrected document at its openapi_url (and to its docs page).

    `property_types` maps (component schema name, property name) to the Python type that
    describes it better than the generated schema, e.g.
    ``{("ArticlePageSchema", "body"): list[BodyBlock]}``.
    """
    generate = api.get_openapi_schema

    @wraps(generate)
    def get_openapi_schema(*, path_prefix=None, path_params=None):
        document = generate(path_prefix=path_prefix, path_params=path_params)
        return correct(document, property_types)

    api.get_openapi_schema = get_openapi_schema
