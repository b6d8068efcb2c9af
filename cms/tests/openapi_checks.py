"""Checks of /api/v3/openapi.json for tests: where a schema accepts anything, and whether an
answer is what the document says."""

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

# The JSON Schema keywords whose values are schemas: a map of them, a list of them, or one.
SCHEMA_MAPS = ("properties", "patternProperties", "$defs")
SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
SCHEMAS = ("items", "additionalProperties", "not", "contains", "if", "then", "else")
ANNOTATIONS = {"title", "description", "example", "examples", "deprecated", "readOnly"}


def component(document, ref):
    """The component a local `$ref` ("#/components/schemas/Name") names, and its name."""
    name = ref.rsplit("/", 1)[1]
    return name, document["components"]["schemas"][name]


def untyped_places(document, schema, place="$", seen=None):
    """The places in `schema` that accept any value, following `$ref`s (each component once).

    Untyped: `{}` or `true`, or a schema with nothing but annotations (a title, a
    description); an object schema with neither `properties` nor a typed
    `additionalProperties` (one that is a schema, not `true` or `{}`); an array without
    `items`. Yields JSONPath-like names, e.g. "#SchemaDetailResponse.properties.read.anyOf[0]".
    """
    seen = set() if seen is None else seen
    if schema is False:
        return
    if schema is True or not set(schema) - ANNOTATIONS:
        yield place
        return
    if "$ref" in schema:
        name, target = component(document, schema["$ref"])
        if name not in seen:
            seen.add(name)
            yield from untyped_places(document, target, f"#{name}", seen)
    extra = schema.get("additionalProperties")
    if schema.get("type") == "object" and "properties" not in schema and extra in (None, True, {}):
        yield place
    if schema.get("type") == "array" and "items" not in schema:
        yield place
    for keyword in SCHEMA_MAPS:
        for key, value in schema.get(keyword, {}).items():
            yield from untyped_places(document, value, f"{place}.{keyword}.{key}", seen)
    for keyword in SCHEMA_LISTS:
        for index, value in enumerate(schema.get(keyword, [])):
            yield from untyped_places(document, value, f"{place}.{keyword}[{index}]", seen)
    for keyword in SCHEMAS:
        if isinstance(schema.get(keyword), dict):
            yield from untyped_places(document, schema[keyword], f"{place}.{keyword}", seen)


def response_schemas(document):
    """(name, schema) of every response body the document describes, errors included,
    e.g. ("GET /api/v3/pages/{page_id}/ 200 application/json", {"$ref": ...})."""
    for path, path_item in document["paths"].items():
        for method, operation in path_item.items():
            for status, response in operation["responses"].items():
                for media_type, media in response.get("content", {}).items():
                    yield f"{method.upper()} {path} {status} {media_type}", media.get("schema", {})


def schema_errors(document, schema, instance):
    """What is wrong with `instance` by `schema`, whose `$ref`s point into the document."""
    registry = Registry().with_resource(
        "urn:openapi", Resource.from_contents(document, DRAFT202012)
    )
    validator = Draft202012Validator(rebase(schema), registry=registry)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(instance)
    ]


def rebase(schema):
    """The schema with its local `$ref`s pointing into the registered document."""
    if isinstance(schema, dict):
        return {
            key: value.replace("#", "urn:openapi#", 1)
            if key == "$ref" and value.startswith("#")
            else rebase(value)
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [rebase(value) for value in schema]
    return schema
