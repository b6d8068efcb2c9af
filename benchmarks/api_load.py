"""API throughput benchmark: gunicorn serving a seeded newsroom, loaded by wrk from another process.

    .venv/bin/python benchmarks/api_load.py              # 3,000 articles, 10 s per endpoint
    .venv/bin/python benchmarks/api_load.py --smoke      # a few hundred requests, for CI

Prints requests/s, median and p95 latency for each endpoint, uncached and cached, beside
the trivial JSON view on the same server, and each figure's ratio to that baseline.
The database is DATABASE_URL, or benchmarks/.data/bench.sqlite3 by default.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATA = ROOT / "benchmarks" / ".data"

# (name, path, target ratio to the baseline when uncached, when cached)
ENDPOINTS = [
    ("article list (20)", "/api/v2/pages/?type=news.ArticlePage&limit=20", 1 / 25, 1 / 2),
    ("article detail", "/api/v2/pages/{article_id}/", 1 / 15, 1 / 2),
]
BASELINE = ("trivial JSON view", "/bench/ping/")
# (label, NEWS_CACHE_TIMEOUT, NEWS_FRAGMENT_CACHE_TIMEOUT): "cold" keeps nothing between
# requests; "uncached" caches no response but reuses kept related-article cards
# (news/api/representation.py); "cached" serves repeated requests from the response cache.
RUNS = [("cold", 0, 0), ("fragment-warm", 0, 300), ("cached", 300, 300)]


def environment(cache_timeout, fragment_timeout=0):
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{DATA / 'bench.sqlite3'}")
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        MEDIA_ROOT=str(DATA / "media"),
        NEWS_CACHE_TIMEOUT=str(cache_timeout),
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


def load(url, seconds, connections, requests=None):
    """Run wrk against url; returns requests/s, p50 and p95 in ms, errors."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["-s", str(ROOT / "benchmarks" / "report.lua"), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    fields = dict(re.findall(r"(\w+)=([\d.]+)", output.split("RESULT", 1)[1]))
    return {
        "rps": float(fields["requests"]) / float(fields["seconds"]),
        "p50": float(fields["p50_ms"]),
        "p95": float(fields["p95_ms"]),
        "errors": int(fields["errors"]),
        "non2xx": int(fields["non2xx"]),
    }


def run(args):
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    DATA.mkdir(parents=True, exist_ok=True)
    env = environment(cache_timeout=0)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("load_benchmark_data", "--articles", str(args.articles), env=env)

    rows = []
    for label, cache_timeout, fragment_timeout in RUNS:
        with Server(environment(cache_timeout, fragment_timeout)) as server:
            listing = get(server.base + ENDPOINTS[0][1])
            article_id = listing["items"][0]["id"]
            baseline = load(server.base + BASELINE[1], args.seconds, args.connections)
            rows.append((f"{BASELINE[0]} ({label})", baseline, None, None))
            for name, path, uncached_target, cached_target in ENDPOINTS:
                url = server.base + path.format(article_id=article_id)
                get(url)  # renditions and caches exist before the clock starts
                result = load(url, args.seconds, args.connections)
                target = uncached_target if cache_timeout == 0 else cached_target
                rows.append((f"{name} ({label})", result, result["rps"] / baseline["rps"], target))

    print(f"\n{args.articles} articles, {args.connections} connections, {args.seconds} s each")
    print(f"{'endpoint':<34}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}  ratio (target)")
    failed = False
    for name, result, ratio, target in rows:
        verdict = ""
        if ratio is not None:
            ok = ratio >= target
            failed |= not ok
            verdict = f"1/{1 / ratio:.1f} (≥ 1/{1 / target:.0f}) {'ok' if ok else 'BELOW'}"
        errors = result["errors"] + result["non2xx"]
        failed |= errors > 0
        print(
            f"{name:<34}{result['rps']:>9.1f}{result['p50']:>9.1f}{result['p95']:>9.1f}"
            f"{errors:>8}  {verdict}"
        )
    return 1 if failed and not args.smoke else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--smoke", action="store_true", help="tiny run proving the harness works")
    args = parser.parse_args()
    if args.smoke:
        args.articles, args.seconds, args.connections = 60, 1, 2
    sys.exit(run(args))


if __name__ == "__main__":
    main()
