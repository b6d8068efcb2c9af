"""Redis outage benchmark: readers spread over many stories while Redis is healthy, stopped,
frozen and back, beside the same load with no cache configured.

    .venv/bin/python benchmarks/cache_outage.py                 # 200 articles, 12 s phases
    .venv/bin/python benchmarks/cache_outage.py --seconds 15 --articles 500
    .venv/bin/python benchmarks/cache_outage.py --smoke         # tiny, proves the harness

It seeds the database (DATABASE_URL, as benchmarks/api_load.py does), starts a redis-server
of its own on a free port (never the machine's), and gunicorn with 2 workers on
benchmarks.settings (production's cache backend, cms/cache_backend.py). wrk requests an
article page or an API v2 detail of one of the stories at random per request. Phases:

- healthy: the cached server, after a warm-up run;
- stopped: redis-server stopped (SIGTERM);
- restarted: started again, empty (it keeps nothing on disk); measured in one-second slices,
  to see when it is warm again: every page renders once, so this is the cold path's pace;
- frozen: after a warm-up, frozen with its data (SIGSTOP: it accepts connections, never
  answers), as a Redis hangs on a slow command or a swapping host;
- thawed: measured in one-second slices like restarted. It holds what it held, and only the
  writes lost meanwhile are replayed (cms/cache_outage.py), so it should be warm at once.

During the stopped and frozen phases a second server with no cache configured
(NEWS_CACHE_TIMEOUT=0, NEWS_FRAGMENT_CACHE_TIMEOUT=0, as production without REDIS_URL) is
loaded in turn with the cached one, in 3-second slices, so that on a shared machine both
meet the same neighbours; each is reported as the mean of its slices.

Prints throughput, p50, p99, non-2xx answers (5xx here: every path exists) and failed
requests per phase, and checks the targets: no 5xx; during the outage, throughput at least
the no-cache run's and p99 within 50 ms of it; warm again (throughput at least 80 % of the
healthy phase's, and staying so) within 10 s of Redis returning, restarted or thawed.
Exits 1 on a miss (not in --smoke).
"""

import argparse
import os
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.api_load import DATA, Server, environment, get, load, manage  # noqa: E402
from cms.tests.fault_servers import RedisServer  # noqa: E402

WARM_FRACTION = 0.8
WARM_WITHIN = 10  # seconds after Redis returns
P99_MARGIN = 50  # ms over the no-cache run's p99


def story_paths(server, count):
    """An article page and an API v2 detail path for each of `count` stories."""
    paths = []
    for offset in range(0, count, 100):
        listing = get(
            server.base
            + f"/api/v2/pages/?type=news.ArticlePage&fields=_,id,html_url&limit=100&offset={offset}"
        )
        for item in listing["items"]:
            html_path = "/" + item["meta"]["html_url"].split("/", 3)[3]
            paths += [html_path, f"/api/v2/pages/{item['id']}/"]
    return paths[: 2 * count]


def phase(name, server, paths, args, seconds=None):
    result = load(
        server.base + paths[0], seconds or args.seconds, args.connections, args.timeout, paths
    )
    return name, result


def combined(slices):
    """Slices of one phase as one: mean requests/s, p50 and p99; summed failures."""
    mean = lambda field: sum(s[field] for s in slices) / len(slices)  # noqa: E731
    return {
        "rps": mean("rps"),
        "p50": mean("p50"),
        "p95": mean("p95"),
        "p99": mean("p99"),
        "errors": sum(s["errors"] for s in slices),
        "timeouts": sum(s["timeouts"] for s in slices),
        "non2xx": sum(s["non2xx"] for s in slices),
    }


def side_by_side(servers, paths, args, slice_seconds=3):
    """Loads each server in turn in short slices for args.seconds each: on a busy machine
    both then meet the same neighbours. Returns each server's combined figures."""
    slices = [[] for _ in servers]
    for _ in range(max(1, args.seconds // slice_seconds)):
        for index, server in enumerate(servers):
            slices[index].append(phase("", server, paths, args, seconds=slice_seconds)[1])
    return [combined(each) for each in slices]


def cache_serving_after(server, path, started, deadline=60):
    """Seconds from `started` until the cached server answers `path` from the cache again
    (asked twice in a row: the first stores it), or None."""
    while time.monotonic() - started < deadline:
        for _ in range(2):
            with urllib.request.urlopen(server.base + path, timeout=30) as response:  # noqa: S310
                hit = response.headers.get("X-Cache") == "hit"
        if hit:
            return time.monotonic() - started
        time.sleep(0.2)
    return None


def back_phase(server, paths, args, healthy_rps):
    """One-second slices after Redis returns: (slices, seconds until warm or None, seconds
    until the cache serves a hit again or None).

    Warm: from the end of the first slice after which every slice keeps at least
    WARM_FRACTION of the healthy throughput. A fast first slice alone does not count: until
    its breaker's ping is answered a process still serves what it kept for itself during the
    outage (cms/outage_keep.py), and only then meets the cache as Redis came back."""
    slices, ends = [], []
    started = time.monotonic()
    serving = {}
    watcher = threading.Thread(
        target=lambda: serving.update(after=cache_serving_after(server, "/robots.txt", started))
    )
    watcher.start()
    while time.monotonic() - started < args.seconds:
        _, result = phase("back", server, paths, args, seconds=1)
        slices.append(result)
        ends.append(time.monotonic() - started)
    warm_after = None
    for result, end in reversed(list(zip(slices, ends, strict=True))):
        if result["rps"] < WARM_FRACTION * healthy_rps:
            break
        warm_after = end
    watcher.join()
    return slices, warm_after, serving.get("after")


def run(args):
    DATA.mkdir(parents=True, exist_ok=True)
    seed_env = environment(0)
    seed_env.pop("REDIS_URL", None)
    manage("migrate", "--noinput", "-v0", env=seed_env)
    manage("load_benchmark_data", "--articles", str(args.articles), env=seed_env)

    rows = []
    no_cache_env = environment(0, 0)
    no_cache_env.pop("REDIS_URL", None)
    with tempfile.TemporaryDirectory() as directory:
        redis = RedisServer(directory).start()
        env = environment(300, 300)
        env["REDIS_URL"] = redis.url
        try:
            with Server(no_cache_env) as plain, Server(env) as cached:
                paths = story_paths(plain, args.articles)
                phase("warm-up", plain, paths, args, seconds=2)
                phase("warm-up", cached, paths, args, seconds=args.seconds)
                rows.append(phase("Redis healthy", cached, paths, args))
                healthy_rps = rows[0][1]["rps"]
                redis.stop()
                no_cache, stopped = side_by_side([plain, cached], paths, args)
                rows += [("no cache (beside stopped)", no_cache), ("Redis stopped", stopped)]
                redis.start()  # empty: it keeps nothing on disk
                returns = {"restarted": back_phase(cached, paths, args, healthy_rps)}
                rows.append(("Redis restarted (whole)", combined(returns["restarted"][0])))
                phase("warm-up", cached, paths, args)
                redis.freeze()  # hung with its data, as a busy or swapping Redis hangs
                no_cache, frozen = side_by_side([plain, cached], paths, args)
                rows += [("no cache (beside frozen)", no_cache), ("Redis frozen", frozen)]
                redis.thaw()
                returns["thawed"] = back_phase(cached, paths, args, healthy_rps)
                rows.append(("Redis thawed (whole)", combined(returns["thawed"][0])))
        finally:
            redis.stop()
    return rows, returns


def report(args, rows, returns):
    database = environment(0)["DATABASE_URL"].split(":", 1)[0]
    print(
        f"\n{args.articles} articles on {database} ({2 * args.articles} paths: article pages "
        f"and API v2 details at random), {args.connections} connections, {args.seconds} s "
        "per phase, gunicorn 2 sync workers"
    )
    print(
        f"{'phase':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}{'failed':>8}"
        "  req/s ratio to no cache beside it"
    )
    results = dict(rows)
    beside = {
        "Redis stopped": results["no cache (beside stopped)"],
        "Redis frozen": results["no cache (beside frozen)"],
    }
    for name, result in rows:
        ratio = f"{result['rps'] / beside[name]['rps']:.2f}" if name in beside else ""
        print(
            f"{name:<28}{result['rps']:>9.1f}{result['p50']:>9.1f}{result['p99']:>9.1f}"
            f"{result['non2xx']:>9}{result['errors'] + result['timeouts']:>8}  {ratio}"
        )
    for how, (slices, warm_after, serving_after) in returns.items():
        print(f"after Redis {how}, req/s per second:", " ".join(f"{s['rps']:.0f}" for s in slices))
        serving = "never" if serving_after is None else f"{serving_after:.1f} s"
        warm = "never" if warm_after is None else f"{warm_after:.0f} s"
        print(
            f"  the cache serves a hit again (robots.txt, asked twice) after {serving}; "
            f"warm again (≥ {WARM_FRACTION:.0%} of healthy throughput) after {warm}"
        )
    failures = []
    for name, result in rows:
        if result["non2xx"] or result["errors"] or result["timeouts"]:
            failures.append(f"{name}: {result['non2xx']} non-2xx, failed requests")
    for name, base in beside.items():
        result = results[name]
        if result["rps"] < base["rps"]:
            failures.append(f"{name}: throughput below the no-cache run beside it")
        if result["p99"] > base["p99"] + P99_MARGIN:
            failures.append(f"{name}: p99 more than {P99_MARGIN} ms over the no-cache run")
    for how, (_slices, warm_after, _serving_after) in returns.items():
        if warm_after is None or warm_after > WARM_WITHIN:
            failures.append(f"not warm within {WARM_WITHIN} s of Redis being {how}")
    for failure in failures:
        print("MISSED:", failure)
    return bool(failures)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=12, help="per phase")
    parser.add_argument("--connections", type=int, default=8, help="concurrent clients")
    parser.add_argument("--timeout", type=int, default=10, help="seconds before wrk gives up")
    parser.add_argument("--smoke", action="store_true", help="tiny run proving the harness works")
    args = parser.parse_args()
    if args.smoke:
        args.articles, args.seconds, args.connections = 20, 2, 2
    if not RedisServer.available():
        sys.exit("redis-server is missing: apt-get install redis-server")
    missed = report(args, *run(args))
    sys.exit(1 if missed and not args.smoke else 0)


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
