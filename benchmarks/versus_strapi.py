"""Side by side: the project without Redis (cold) and stock Strapi 5 on the same 1,000 articles.

    .venv/bin/python benchmarks/versus_strapi.py                 # 30 s per endpoint
    .venv/bin/python benchmarks/versus_strapi.py --seconds 15    # shorter
    .venv/bin/python benchmarks/versus_strapi.py --reseed        # seed both from scratch

Issue 24's comparison. Both systems get the same generated articles
(news/benchmark_versus_strapi.py: 12 body blocks, 8 paragraphs each with a link, 2
headings, 2 pictures with caption and credit; 2 authors, 3 tags, 3 related, a lead
image), SQLite, two server processes each (gunicorn sync workers ×2; Strapi under node's
cluster module ×2, benchmarks/strapi/serve.js, no access log on either), and the same wrk
load: 1 thread, 8 connections, detail requests spread over every article at random. The
project runs with nothing kept between requests (NEWS_CACHE_TIMEOUT=0,
NEWS_FRAGMENT_CACHE_TIMEOUT=0, no REDIS_URL). Prints req/s, p50, p99 and the response size
of each read and the ratio project / Strapi; exits 1 when a target is missed or a request
failed. Needs benchmarks/strapi/node_modules (`cd benchmarks/strapi && npm ci`); CI does
not run it.
"""

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.api_load import PYTHON, Server, free_port, get, load  # noqa: E402

DATA = ROOT / "benchmarks" / ".data" / "versus"
STRAPI = ROOT / "benchmarks" / "strapi"
PROJECT_DB = DATA / "project.sqlite3"
STRAPI_DB = DATA / "strapi.sqlite3"
EXPORT = DATA / "export"
INSTALL = f"cd {STRAPI.relative_to(ROOT)} && npm ci"

# Ratios project / Strapi the issue asks for (cold); the stretch is 2.
TARGET, STRETCH = 1.0, 2.0

# What a front end asks for. Detail: everything, every relation and picture populated
# (Strapi's related stories with their lead image, as the project's related cards carry a
# thumbnail). Lists: the newest 20 as cards, no body (headline, link, standfirst, dateline,
# date, bylines, section and lead image), of one section (a section front) and of the whole
# site (a home page), newest first on both sides.
STRAPI_DETAIL = [
    ("populate[body][populate]", "*"),
    ("populate[authors]", "true"),
    ("populate[tags]", "true"),
    ("populate[section]", "true"),
    ("populate[leadImage]", "true"),
    ("populate[related][populate][leadImage]", "true"),
]
IN_SECTION = ("filters[section][slug][$eq]", "world")
STRAPI_CARDS = [
    ("sort", "publishedDate:desc"),
    ("pagination[pageSize]", "20"),
    *[
        (f"fields[{i}]", f)
        for i, f in enumerate(("title", "slug", "standfirst", "dateline", "publishedDate"))
    ],
    ("populate[leadImage]", "true"),
    *[
        (f"populate[authors][fields][{i}]", f)
        for i, f in enumerate(("name", "slug", "kind", "role"))
    ],
    ("populate[section][fields][0]", "name"),
    ("populate[section][fields][1]", "slug"),
]
PROJECT_CARDS = "_,id,title,html_url,intro,dateline,first_published_at,authors,section,lead_image"


def project_environment():
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DATABASE_URL=f"sqlite:///{PROJECT_DB}",
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        MEDIA_ROOT=str(DATA / "media"),
        NEWS_CACHE_TIMEOUT="0",
        NEWS_FRAGMENT_CACHE_TIMEOUT="0",
        PYTHONPATH=str(ROOT),
    )
    return env


def strapi_environment(port=None):
    env = dict(os.environ, NODE_ENV="production", DATABASE_FILENAME=str(STRAPI_DB))
    if port is not None:
        env["PORT"] = str(port)
    return env


def seed(articles, reseed):
    """Seeds both systems with the same articles (each seed skips work already done)."""
    DATA.mkdir(parents=True, exist_ok=True)
    if reseed:
        for path in (PROJECT_DB, STRAPI_DB):
            path.unlink(missing_ok=True)
        shutil.rmtree(DATA / "media", ignore_errors=True)
        shutil.rmtree(STRAPI / "public" / "uploads", ignore_errors=True)
    env = project_environment()
    started = time.monotonic()
    manage = [PYTHON, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*manage, "load_versus_strapi_data", "--articles", str(articles), "--export", str(EXPORT)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    print(f"project seeded in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    # Strapi's document service, as an editor's saves store articles (~100 ms each here).
    subprocess.run(
        ["node", "seed.js", str(EXPORT)], cwd=STRAPI, env=strapi_environment(), check=True
    )
    print(f"Strapi seeded in {time.monotonic() - started:.1f} s")


class StrapiServer:
    """benchmarks/strapi/serve.js (two workers) on a loopback port, stopped on exit."""

    def __init__(self):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = DATA / "strapi.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                ["node", "serve.js"],
                cwd=STRAPI,
                env=strapi_environment(self.port),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def __enter__(self):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Strapi stopped; see {self.log}")
            if "ready:" in self.log.read_text():  # every worker listens
                return self
            time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(f"Strapi did not start; see {self.log}")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the group this server started
            self.process.wait()


def project_reads(server):
    """{read: path or [paths]} on the project's server."""
    ids, offset = [], 0
    while True:
        query = f"type=news.ArticlePage&fields=_,id&limit=100&offset={offset}"
        items = get(f"{server.base}/api/v2/pages/?{query}")["items"]
        ids += [item["id"] for item in items]
        offset += 100
        if len(items) < 100:
            break
    sections = get(f"{server.base}/api/v2/pages/?type=news.SectionPage&slug=world&fields=_,id")
    section = sections["items"][0]["id"]
    cards = f"type=news.ArticlePage&limit=20&fields={PROJECT_CARDS}"
    return ids, {
        "detail v2": [f"/api/v2/pages/{pk}/" for pk in ids],
        "detail v3": [f"/api/v3/pages/{pk}/" for pk in ids],
        "section list": f"/api/v2/pages/?{cards}&child_of={section}",
        "newest list": f"/api/v2/pages/?{cards}",
    }


def strapi_reads(server):
    documents, page = [], 1
    while True:
        query = urlencode(
            [("fields[0]", "slug"), ("pagination[pageSize]", "100"), ("pagination[page]", page)]
        )
        answer = get(f"{server.base}/api/articles?{query}")
        documents += [item["documentId"] for item in answer["data"]]
        if page >= answer["meta"]["pagination"]["pageCount"]:
            break
        page += 1
    detail = urlencode(STRAPI_DETAIL)
    return documents, {
        "detail": [f"/api/articles/{document}?{detail}" for document in documents],
        "section list": f"/api/articles?{urlencode([IN_SECTION, *STRAPI_CARDS])}",
        "newest list": f"/api/articles?{urlencode(STRAPI_CARDS)}",
    }


def size(base, path):
    """Mean body size in bytes over up to 20 of the read's paths."""
    paths = random.Random(24).sample(path, min(20, len(path))) if isinstance(path, list) else [path]
    total = 0
    for one in paths:
        with urllib.request.urlopen(base + one, timeout=60) as response:  # noqa: S310 - loopback
            total += len(response.read())
    return total / len(paths)


def cpu_seconds(pid):
    """CPU time (user + system) spent so far by process pid and its descendants (Linux)."""
    total, pending = 0, [pid]
    while pending:
        pid = pending.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
            for task in Path(f"/proc/{pid}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:  # exited meanwhile
            continue
    return total / os.sysconf("SC_CLK_TCK")


def measure(reads, args):
    """{system: {read: result}}, each read of `reads` [(system, server, read, path or
    [paths])] loaded in turn, so the two systems alternate and share the machine's moods."""
    results = {}
    for system, server, name, path in reads:
        spread = path if isinstance(path, list) else []
        url = server.base + (spread[0] if spread else path)
        body = size(server.base, path)
        if args.warmup:  # each worker's first requests (imports, JIT), not measured
            load(url, args.warmup, args.connections, paths=spread)
        # The servers' own CPU per request: a figure other work on the machine barely moves.
        cpu = cpu_seconds(server.process.pid)
        result = load(url, args.seconds, args.connections, paths=spread)
        cpu = cpu_seconds(server.process.pid) - cpu
        cpu_ms = cpu * 1000 / max(1, result["rps"] * args.seconds)
        results.setdefault(system, {})[name] = {**result, "bytes": body, "cpu_ms": cpu_ms}
    return results


def report(articles, args, project, strapi):
    """Prints both systems and the ratios; returns whether a target was missed or a request
    failed."""
    print(
        f"\n{articles} articles on SQLite, 2 processes each, wrk 1 thread, "
        f"{args.connections} connections, {args.seconds} s per read; project cold (no Redis)"
    )
    print(
        f"{'system':<9}{'read':<13}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'KB':>7}"
        f"{'CPU ms/req':>12}{'failed':>8}"
    )
    failed = False
    for system, results in (("project", project), ("Strapi", strapi)):
        for name, r in results.items():
            bad = r["errors"] + r["timeouts"] + r["non2xx"]
            failed |= bad > 0
            print(
                f"{system:<9}{name:<13}{r['rps']:>8.1f}{r['p50']:>9.1f}{r['p99']:>9.1f}"
                f"{r['bytes'] / 1000:>7.1f}{r['cpu_ms']:>12.1f}{bad:>8}"
            )
    print(
        f"\n{'project / Strapi':<30}{'req/s':>7}{'by CPU':>8}  "
        f"target ≥ {TARGET:.1f} (stretch {STRETCH:.0f}) on req/s"
    )
    for mine, theirs in (
        ("detail v2", "detail"),
        ("detail v3", "detail"),
        ("section list", "section list"),
        ("newest list", "newest list"),
    ):
        ratio = project[mine]["rps"] / strapi[theirs]["rps"]
        verdict = "stretch met" if ratio >= STRETCH else "met" if ratio >= TARGET else "MISSED"
        failed |= ratio < TARGET
        # Requests one CPU second serves, project / Strapi: the req/s ratio of a quiet machine.
        by_cpu = strapi[theirs]["cpu_ms"] / project[mine]["cpu_ms"]
        print(f"{mine + ' / ' + theirs:<30}{ratio:>7.2f}{by_cpu:>8.2f}  {verdict}")
    return failed


def run(args):
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    if (
        shutil.which("node") is None
        or not (STRAPI / "node_modules" / "@strapi" / "strapi").is_dir()
    ):
        sys.exit(f"Strapi is not installed: {INSTALL}  (Node.js 20–24 and npm; ~700 MB)")
    seed(args.articles, args.reseed)
    with Server(project_environment()) as project_server, StrapiServer() as strapi_server:
        ids, project_paths = project_reads(project_server)
        documents, strapi_paths = strapi_reads(strapi_server)
        if len(ids) != args.articles or len(documents) != args.articles:
            sys.exit(
                f"{len(ids)} project and {len(documents)} Strapi articles, not {args.articles}: "
                "run again with --reseed"
            )
        reads = [
            ("project", project_server, "detail v2", project_paths["detail v2"]),
            ("Strapi", strapi_server, "detail", strapi_paths["detail"]),
            ("project", project_server, "detail v3", project_paths["detail v3"]),
            ("project", project_server, "section list", project_paths["section list"]),
            ("Strapi", strapi_server, "section list", strapi_paths["section list"]),
            ("project", project_server, "newest list", project_paths["newest list"]),
            ("Strapi", strapi_server, "newest list", strapi_paths["newest list"]),
        ]
        results = measure(reads, args)
    return 1 if report(args.articles, args, results["project"], results["Strapi"]) else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=30, help="per read and system")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load not measured")
    parser.add_argument("--reseed", action="store_true", help="drop both databases and seed")
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
