"""Load benchmark: gunicorn serving a seeded newsroom, loaded by wrk from another process.

    .venv/bin/python benchmarks/api_load.py               # 10,000 articles, 50 clients, 2 min each
    .venv/bin/python benchmarks/api_load.py --seconds 15  # a shorter run
    .venv/bin/python benchmarks/api_load.py --smoke       # a tiny run, for CI

Reader pages (home, section, article, search) and the API (list, detail), each with the
server-side cache off ("cold") and on ("warm", Redis at REDIS_URL when set), beside a
trivial JSON view on the same server. Prints requests/s, p50/p95/p99 latency, errors and
non-2xx answers, and each figure's ratio to that baseline. The database is DATABASE_URL
(PostgreSQL for real figures), or benchmarks/.data/bench.sqlite3 by default.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATA = ROOT / "benchmarks" / ".data"

SEARCH_API = "/api/v2/pages/?type=news.ArticlePage&limit=20"
# (name, path, target ratio to the baseline when cold, when warm; None: no target).
# {article} is an article page's path, {section} its section's, {article_id} its page id.
ENDPOINTS = [
    ("home", "/", None, None),
    ("section", "{section}", None, None),
    ("article page", "{article}", None, 1 / 2),
    # Search is never cached. Words of news/benchmark_data.py's vocabulary: the most common
    # (in every story), one in a few dozen stories of 10,000, and two common ones.
    ("search (two words)", "/search/?q=harbour+council", None, None),
    ("search (common word)", "/search/?q=harbour", None, None),
    ("search (rare word)", "/search/?q=maimblee", None, None),
    ("API list (20)", "/api/v2/pages/?type=news.ArticlePage&limit=20", 1 / 25, 1 / 2),
    ("API detail", "/api/v2/pages/{article_id}/", 1 / 15, 1 / 2),
    ("API search (two words)", f"{SEARCH_API}&search=harbour+council", None, None),
    ("API search (common word)", f"{SEARCH_API}&search=harbour", None, None),
    ("API search (rare word)", f"{SEARCH_API}&search=maimblee", None, None),
    (
        "API v3 search (two words)",
        "/api/v3/pages/?type=news.ArticlePage&search=harbour+council",
        None,
        None,
    ),
    # One of the newest --spread stories at random per request, as readers arriving from a
    # home page would: how much of the keep a request finds when a publish resets it.
    ("API detail, spread", "/api/v2/pages/{article_ids}/", None, None),
    ("article page, spread", "{article_paths}", None, None),
]
BASELINE = ("trivial JSON view", "/bench/ping/")
# (label, NEWS_CACHE_TIMEOUT, NEWS_FRAGMENT_CACHE_TIMEOUT): "cold" keeps nothing between
# requests; "fragment-warm" caches no response but reuses each article's kept API
# representation (news/api/kept.py), held to the cold targets; "warm" serves repeated
# requests from the response cache.
RUNS = [("cold", 0, 0), ("fragment-warm", 0, 300), ("warm", 300, 300)]


# Each run caches under its own key prefix, so it neither reads another run's responses
# nor needs to flush a Redis it may share.
CACHE_KEY_PREFIX = f"bench-{uuid.uuid4().hex[:12]}"


def environment(cache_timeout, fragment_timeout=0):
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{DATA / 'bench.sqlite3'}")
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        MEDIA_ROOT=str(DATA / "media"),
        NEWS_CACHE_TIMEOUT=str(cache_timeout),
        NEWS_CACHE_KEY_PREFIX=CACHE_KEY_PREFIX,
        NEWS_FRAGMENT_CACHE_TIMEOUT=str(fragment_timeout),
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
        return json.loads(response.read())


class Server:
    """gunicorn with 2 workers on a loopback port, stopped on exit."""

    def __init__(self, env, workers=2):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        gunicorn = str(Path(PYTHON).with_name("gunicorn"))
        self.process = subprocess.Popen(
            [gunicorn, "benchmarks.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def __enter__(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                get(self.base + BASELINE[1])
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def load(url, seconds, connections, timeout=30, paths=()):
    """Run wrk against url (or, given `paths`, one of them at random per request on url's
    server); returns requests/s, p50/p95/p99 in ms, errors, requests without an answer
    within `timeout` seconds, and non-2xx answers."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s"]
    command += ["--latency"]
    command += ["-s", str(ROOT / "benchmarks" / "report.lua"), url, "--", *paths]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    fields = dict(re.findall(r"(\w+)=([\d.]+)", output.split("RESULT", 1)[1]))
    return {
        "rps": float(fields["requests"]) / float(fields["seconds"]),
        "p50": float(fields["p50_ms"]),
        "p95": float(fields["p95_ms"]),
        "p99": float(fields["p99_ms"]),
        "errors": int(fields["errors"]),
        "timeouts": int(fields["timeouts"]),
        "non2xx": int(fields["non2xx"]),
    }


def paths_of(server, spread):
    """The concrete paths of ENDPOINTS on this server: a story from the middle of the list;
    for a spread endpoint, a list of paths, one per story of the newest `spread`."""
    listing = get(server.base + "/api/v2/pages/?type=news.ArticlePage&limit=20")
    article = listing["items"][len(listing["items"]) // 2]
    article_path = urlsplit(article["meta"]["html_url"]).path
    values = {
        "article": article_path,
        "section": article_path.rstrip("/").rsplit("/", 1)[0] + "/",
        "article_id": article["id"],
    }
    newest = [
        (item["id"], urlsplit(item["meta"]["html_url"]).path)
        for offset in range(0, spread, 100)
        for item in get(
            server.base
            + f"/api/v2/pages/?type=news.ArticlePage&fields=_,id,html_url&limit=100&offset={offset}"
        )["items"]
    ][:spread]
    paths = []
    for name, path, *targets in ENDPOINTS:
        if "{article_ids}" in path:
            paths.append((name, [path.format(article_ids=pk) for pk, _ in newest], *targets))
        elif "{article_paths}" in path:
            paths.append((name, [html_path for _, html_path in newest], *targets))
        else:
            paths.append((name, path.format(**values), *targets))
    return paths


class Publishing:
    """Editors at work while a run loads the server: a story republished every `every`
    seconds (manage.py republish_benchmark_stories), or nothing when `every` is None. After
    each publish the publisher reads that story's page and API detail from the server and
    counts those still without the new headline: `stale` reads of `reads`."""

    def __init__(self, env, every, base):
        self.env, self.every, self.base, self.process = env, every, base, None
        # Without Redis each process caches apart, and the publisher's changes cannot reach
        # the server's caches: only a run with nothing cached can be checked then.
        self.check = bool(env.get("REDIS_URL")) or (
            env["NEWS_CACHE_TIMEOUT"] == env["NEWS_FRAGMENT_CACHE_TIMEOUT"] == "0"
        )
        self.reads = self.stale = 0

    def __enter__(self):
        if self.every:
            self.process = subprocess.Popen(
                [
                    *(PYTHON, "manage.py", "republish_benchmark_stories"),
                    *("--every", str(self.every)),
                    *(("--check-url", self.base) if self.check else ()),
                ],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.PIPE,
                text=True,
            )
            # Load only once it publishes (Django takes a second or two to start).
            self.process.stdout.readline()
        return self

    def __exit__(self, *exc):
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            output, _ = self.process.communicate(timeout=60)
            for line in output.splitlines():
                if line.startswith("stale read:"):
                    print(line)
            if found := re.search(r"stale reads: (\d+) of (\d+)", output):
                self.stale, self.reads = int(found[1]), int(found[2])
            elif self.check:
                self.stale, self.reads = 1, 0  # the publisher died: count it as a failure


def measure(args):
    """[(label, result, ratio to the baseline, target)] for every endpoint, cold and warm."""
    rows = []
    for label, cache_timeout, fragment_timeout in RUNS:
        if args.runs and label not in args.runs:
            continue
        env = environment(cache_timeout, fragment_timeout)
        with Server(env) as server:
            baseline = load(server.base + BASELINE[1], args.seconds, args.connections, args.timeout)
            rows.append((f"{BASELINE[0]} ({label})", baseline, None, None))
            for name, path, cold_target, warm_target in paths_of(server, args.spread):
                if args.endpoints and not any(part in name for part in args.endpoints):
                    continue
                spread = [] if isinstance(path, str) else path
                url = server.base + (spread[0] if spread else path)
                urllib.request.urlopen(url, timeout=60).read()  # noqa: S310 - loopback only
                if args.warm_up and spread:
                    warm_up(server.base, spread)
                with Publishing(env, args.publish_every, server.base) as publishing:
                    result = load(url, args.seconds, args.connections, args.timeout, spread)
                result["stale"], result["reads"] = publishing.stale, publishing.reads
                target = cold_target if cache_timeout == 0 else warm_target
                rows.append((f"{name} ({label})", result, result["rps"] / baseline["rps"], target))
    return rows


def warm_up(base, paths, clients=4):
    """Reads each path once, before a spread endpoint's measured phase (--warm-up): the
    steady state of a newsroom, where every story has been read since it was published."""
    started = time.monotonic()

    def read(path):
        urllib.request.urlopen(base + path, timeout=60).read()  # noqa: S310 - loopback only

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(read, paths))
    print(f"warmed {len(paths)} paths in {time.monotonic() - started:.1f} s", flush=True)


def report(args, rows):
    """Prints the table; returns whether a target was missed or any request failed."""
    cache = "Redis" if os.environ.get("REDIS_URL") else "local memory (set REDIS_URL)"
    database = environment(0)["DATABASE_URL"].split(":", 1)[0]
    publishing = f", a story republished every {args.publish_every} s" if args.publish_every else ""
    print(
        f"\n{args.articles} articles on {database}, warm cache in {cache}, "
        f"{args.connections} connections, {args.seconds} s per endpoint{publishing}"
    )
    print(
        f"{'endpoint':<30}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}{'timeouts':>9}{'non-2xx':>8}  ratio (target)"
    )
    failed = False
    for name, result, ratio, target in rows:
        verdict = ""
        if ratio:
            verdict = f"1/{1 / ratio:.1f}"
        elif ratio is not None:
            verdict = "none answered"
        if target is not None:
            ok = ratio >= target
            failed |= not ok
            verdict += f" (≥ 1/{1 / target:.0f}) {'ok' if ok else 'BELOW'}"
        failed |= result["errors"] + result["timeouts"] + result["non2xx"] > 0
        print(
            f"{name:<30}{result['rps']:>9.1f}{result['p50']:>9.1f}{result['p95']:>9.1f}"
            f"{result['p99']:>9.1f}{result['errors']:>8}{result['timeouts']:>9}"
            f"{result['non2xx']:>8}  {verdict}"
        )
    if args.publish_every:
        reads = sum(result.get("reads", 0) for _name, result, _ratio, _target in rows)
        stale = sum(result.get("stale", 0) for _name, result, _ratio, _target in rows)
        print(f"stale reads after publishing (page and API detail): {stale} of {reads}")
    return failed


def run(args):
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    DATA.mkdir(parents=True, exist_ok=True)
    env = environment(cache_timeout=0)
    manage("migrate", "--noinput", "-v0", env=env)
    started = time.monotonic()
    manage("load_benchmark_data", "--articles", str(args.articles), env=env)
    print(f"seeded in {time.monotonic() - started:.1f} s")
    try:
        rows = measure(args)
        failed = report(args, rows)
    finally:
        forget_cached_keys()
    # A stale read fails even the smoke run: it is a correctness check, not a figure.
    stale = any(result.get("stale") for _name, result, _ratio, _target in rows)
    return 1 if stale or (failed and not args.smoke) else 0


def forget_cached_keys():
    """Deletes this run's keys from Redis (some never expire: the versions of what pages show)."""
    if redis_url := os.environ.get("REDIS_URL"):
        import redis

        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter(match=f"{CACHE_KEY_PREFIX}:*"):
            client.delete(key)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=120, help="per endpoint and run")
    parser.add_argument("--connections", type=int, default=50, help="concurrent clients")
    parser.add_argument(
        "--timeout", type=int, default=30, help="seconds before wrk counts a request as failed"
    )
    parser.add_argument(
        "--runs", type=lambda value: value.split(","), help='only these, e.g. "cold,warm"'
    )
    parser.add_argument(
        "--endpoints",
        type=lambda value: value.split(","),
        help='only endpoints whose name holds one of these, e.g. "API"',
    )
    parser.add_argument(
        "--publish-every",
        type=float,
        help="republish a story every this many seconds while loading, section by section, "
        "and check each publish is read at once (editors at work)",
    )
    parser.add_argument(
        "--spread", type=int, default=200, help="the spread endpoints read the newest this many"
    )
    parser.add_argument(
        "--warm-up",
        action="store_true",
        help="read every path of a spread endpoint once before measuring it",
    )
    parser.add_argument("--smoke", action="store_true", help="tiny run proving the harness works")
    args = parser.parse_args()
    if args.smoke:
        args.articles, args.seconds, args.connections = 60, 1, 2
        args.publish_every = 0.5  # the publisher runs too
    sys.exit(run(args))


if __name__ == "__main__":
    main()
