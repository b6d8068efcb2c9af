"""IPTC ninjs: which major version an item is written in, and validation against its schema."""

# The official schemas ship in wire/schemas/ (see its README). Every major version has its
# own key style: 1.x `headline`/`byline`/`body_html`, 2.x `headlines`/`by`/`bodies`, 3.x
# the same in camelCase (`versionCreated`, `pubStatus`, `contentType`). An item that names
# its `standard` (`$standard` in 1.x) is taken at its word.

import json
from functools import cache
from pathlib import Path

from jsonschema.validators import validator_for
from referencing import Registry, Resource

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
GEOJSON_URL = "https://geojson.org/schema/GeoJSON.json"

#: The schemas of each major version, newest first; an item valid against one is accepted.
SCHEMA_VERSIONS = {"1": ("1.6", "1.4"), "2": ("2.2", "2.1"), "3": ("3.1", "3.0")}

#: Keys only 3.x has (2.x and 1.x spell them in lower case, or do not have them).
CAMEL_CASE_KEYS = frozenset(
    {
        "altIds",
        "contentCreated",
        "copyrightHolder",
        "copyrightNotice",
        "digitalSourceType",
        "edNote",
        "embargoedUntil",
        "eventDetails",
        "firstCreated",
        "infoSources",
        "plannedCoverage",
        "pubStatus",
        "representationType",
        "rightsInfo",
        "trustIndicators",
        "usageTerms",
        "versionCreated",
    }
)
#: Keys 2.x introduced in place of 1.x's singular ones (and 3.x kept).
PLURAL_KEYS = frozenset(
    {
        "altids",
        "bodies",
        "by",
        "descriptions",
        "events",
        "genres",
        "headlines",
        "infosources",
        "objects",
        "organisations",
        "people",
        "places",
        "standard",
        "subjects",
        "trustindicators",
    }
)
#: How many schema errors one item reports at most.
MAX_ERRORS = 20


class NinjsError(ValueError):
    """An item that is not valid ninjs; `errors` are [{"path": "$.headlines[0]", "msg": …}]."""

    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = list(errors)


def schema_path(version):
    return SCHEMA_DIR / f"ninjs-schema_{version}.json"


def load_schema(version):
    """The official JSON Schema of a ninjs version such as "2.2", as a dict."""
    return json.loads(schema_path(version).read_text(encoding="utf-8"))


@cache
def schema_registry():
    """A registry that resolves the GeoJSON schema the 2.x and 3.x schemas refer to, offline."""
    geojson = json.loads((SCHEMA_DIR / "geojson" / "GeoJSON.json").read_text(encoding="utf-8"))
    return Registry().with_resource(GEOJSON_URL, Resource.from_contents(geojson))


@cache
def validator(version):
    """A jsonschema validator for the ninjs version, e.g. validator("3.1").iter_errors(item)."""
    schema = load_schema(version)
    return validator_for(schema)(schema, registry=schema_registry())


def declared_major(item):
    standard = item.get("standard") or item.get("$standard")
    if isinstance(standard, dict) and isinstance(standard.get("version"), str):
        major = standard["version"].strip().split(".")[0]
        if major in SCHEMA_VERSIONS:
            return major
    return None


def uses_camel_case(item):
    if CAMEL_CASE_KEYS & item.keys():
        return True
    for key in ("headlines", "bodies", "descriptions", "renditions"):
        parts = item.get(key)
        if isinstance(parts, list) and any(
            isinstance(part, dict) and "contentType" in part for part in parts
        ):
            return True
    return False


def detect_major(item):
    """The major ninjs version ("1", "2" or "3") an item is written in."""
    if major := declared_major(item):
        return major
    if uses_camel_case(item):
        return "3"
    if PLURAL_KEYS & item.keys():
        return "2"
    return "1"


def error_entry(error):
    return {"path": error.json_path, "msg": error.message}


def validate(item):
    """Return the item's major version, or raise NinjsError listing what is invalid, where."""
    if not isinstance(item, dict):
        raise NinjsError(
            "A ninjs item must be a JSON object.",
            [{"path": "$", "msg": f"{type(item).__name__} is not an object"}],
        )
    major = detect_major(item)
    first_errors = None
    for version in SCHEMA_VERSIONS[major]:
        errors = sorted(validator(version).iter_errors(item), key=lambda e: list(e.path))
        if not errors:
            return major
        first_errors = first_errors or errors
    raise NinjsError(
        f"Not a valid ninjs {major}.x item (checked against the official "
        f"{' and '.join(SCHEMA_VERSIONS[major])} schemas).",
        [error_entry(error) for error in first_errors[:MAX_ERRORS]],
    )
