"""Imports point one way: models at the bottom, representation and caching above, the API on top.

Seven modules once imported each other in a circle (cms/caching.py, news/models.py,
news/api/representation.py, news/blocks.py, news/purge.py, news/related.py,
news/renditions.py), through imports inside functions. Every import counts here, at
module level or inside a function; a module below the models reaches them through Django's
app registry instead.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Lowest first: a module may import only from the layers below its own.
LAYERS = [
    ["cms.caching"],
    ["news.dependencies", "news.picture_rights"],
    ["news.renditions", "news.related"],
    ["news.blocks"],
    ["news.models"],
    ["home.models"],
    ["news.api.representation", "news.api.kept", "news.tags"],
    ["news.api.v2", "news.feeds", "news.sitemaps"],
    ["news.api.v3", "news.api.preview", "news.api.stored"],
]
RANK = {module: rank for rank, modules in enumerate(LAYERS) for module in modules}


def sources_of(module):
    """The files of `module` with the package their relative imports start from: a plain
    module is one file; a package (news.models) is every file in it."""
    path = ROOT / module.replace(".", "/")
    if path.is_dir():
        return [(source, module) for source in sorted(path.glob("*.py"))]
    return [(path.with_suffix(".py"), module.rsplit(".", 1)[0])]


def imports_of(module):
    """Every module `module` imports (at any depth of its code), as dotted names."""
    found = set()
    for path, package in sources_of(module):
        found |= imports_in(path, package)
    return found


def imports_in(path, package):
    """The dotted names one file imports, its relative imports read from `package`."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("module", RANK)
def test_a_module_imports_only_from_the_layers_below_it(module):
    upward = sorted(
        name for name in imports_of(module) if name in RANK and RANK[name] >= RANK[module]
    )
    assert upward == [], f"{module} imports {upward}, which sit at or above it"


def test_the_generic_cache_knows_no_newsroom_module():
    assert not {
        name for name in imports_of("cms.caching") if name.split(".")[0] in {"news", "home"}
    }
