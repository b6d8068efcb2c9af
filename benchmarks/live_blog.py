"""Live blog benchmark: a thousand readers polling a live blog while an editor posts.

    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python benchmarks/live_blog.py
    .venv/bin/python benchmarks/live_blog.py --seconds 30   # a shorter run
    .venv/bin/python benchmarks/live_blog.py --smoke        # a tiny run, for CI

gunicorn serves a seeded newsroom with a live blog of 50 posts (benchmarks/api_load.py's
server and wrk harness). wrk's 50 connections poll the blog's posts endpoint as readers'
pages do (with ?since=, the URL every reader shares) while `manage.py post_live_benchmark`
publishes a post every 5 s and times when a reader's next poll first shows it. A thousand
readers polling every 5 s ask 200 requests/s; the table says how many readers the
measured rate serves. Figures are ratios to the trivial JSON view on the same server, and
beside the warm-cache ratio of another read (an article's API detail). Without REDIS_URL
the editor's process cannot reach the server's caches, so the run is made without a
response cache and visibility is still checked.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.request
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.api_load import (  # noqa: E402 (run as a script from the repository)
    BASELINE,
    DATA,
    PYTHON,
    ROOT,
    Server,
    environment,
    forget_cached_keys,
    get,
    load,
    manage,
)

POLL_SECONDS = 5


class Editor:
    """`manage.py post_live_benchmark` posting every `every` seconds and timing visibility."""

    def __init__(self, env, every, base):
        self.env, self.every, self.base, self.summary = env, every, base, ""

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                *(PYTHON, "manage.py", "post_live_benchmark"),
                *("--every", str(self.every), "--check-url", self.base),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.process.stdout.readline()  # "posting"
        return self

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        output, _ = self.process.communicate(timeout=120)
        self.summary = output.strip().splitlines()[-1] if output.strip() else "editor died"


def run(args):
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    DATA.mkdir(parents=True, exist_ok=True)
    shared = bool(os.environ.get("REDIS_URL"))
    env = environment(cache_timeout=300 if shared else 0, fragment_timeout=300 if shared else 0)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("load_benchmark_data", "--articles", str(args.articles), env=env)
    seeded = subprocess.run(
        [PYTHON, "manage.py", "post_live_benchmark", "--seed"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    blog_id = int(re.search(r"live blog (\d+)", seeded)[1])

    rows = []
    try:
        with Server(env) as server:
            baseline = load(server.base + BASELINE[1], args.seconds, args.connections)
            rows.append(("trivial JSON view", baseline, None))
            listing = get(server.base + "/api/v2/pages/?type=news.ArticlePage&limit=1")
            detail = f"/api/v2/pages/{listing['items'][0]['id']}/"
            urllib.request.urlopen(server.base + detail, timeout=60).read()  # noqa: S310
            other = load(server.base + detail, args.seconds, args.connections)
            rows.append(("API detail (warm)", other, other["rps"] / baseline["rps"]))

            latest = get(server.base + f"/api/v2/live_blogs/{blog_id}/posts/")["meta"]["latest"]
            poll = f"/api/v2/live_blogs/{blog_id}/posts/?since={quote(latest)}"
            with Editor(env, args.post_every, server.base) as editor:
                result = load(server.base + poll, args.seconds, args.connections)
            rows.append(("live blog poll", result, result["rps"] / baseline["rps"]))
            first_page = f"/api/v2/live_blogs/{blog_id}/posts/"
            with Editor(env, args.post_every, server.base) as editor_first_page:
                page = load(server.base + first_page, args.seconds, args.connections)
            rows.append(("live blog first page", page, page["rps"] / baseline["rps"]))
    finally:
        forget_cached_keys()

    cache = "Redis" if shared else "none (set REDIS_URL: the editor's process needs it)"
    print(
        f"\n{args.articles} articles, a live blog of 50 posts, response cache: {cache}; "
        f"{args.connections} connections, {args.seconds} s each; a post every "
        f"{args.post_every} s while polling"
    )
    print(f"{'endpoint':<24}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}  ratio  readers")
    failed = False
    for name, result, ratio in rows:
        readers = int(result["rps"] * POLL_SECONDS)
        verdict = f"{ratio:.2f}" if ratio else "1"
        print(
            f"{name:<24}{result['rps']:>9.1f}{result['p50']:>9.1f}{result['p99']:>9.1f}"
            f"{result['non2xx'] + result['errors'] + result['timeouts']:>9}  {verdict:<6} "
            f"{readers if name.startswith('live') else ''}"
        )
        failed |= result["errors"] + result["timeouts"] + result["non2xx"] > 0
    print(f"editor (since= poll run): {editor.summary}")
    print(f"editor (first page run): {editor_first_page.summary}")
    # Every post must be visible at the first poll after it: that is correctness, not speed.
    missed = [
        e.summary
        for e in (editor, editor_first_page)
        if not re.search(r"first poll: (\d+) of \1\b", e.summary)
    ]
    if missed:
        print("a post was not visible at the first poll after it")
    return 1 if missed or (failed and not args.smoke) else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=30, help="per measurement")
    parser.add_argument("--connections", type=int, default=50, help="concurrent clients")
    parser.add_argument("--post-every", type=float, default=5.0, help="seconds between posts")
    parser.add_argument("--smoke", action="store_true", help="tiny run proving the harness works")
    args = parser.parse_args()
    if args.smoke:
        args.articles, args.seconds, args.connections, args.post_every = 60, 2, 2, 0.5
    sys.exit(run(args))


if __name__ == "__main__":
    main()
