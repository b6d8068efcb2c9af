"""In-process CPU cost of the API endpoints that api_load.py loads, with an optional profile.

    .venv/bin/python benchmarks/profile_api.py                     # CPU ms per request
    .venv/bin/python benchmarks/profile_api.py --profile list      # cProfile of the list
    .venv/bin/python benchmarks/profile_api.py --save out.json     # responses, to diff later
    .venv/bin/python benchmarks/profile_api.py --path '/api/v2/pages/{article_id}/?fields=_,id'

Run it on the database api_load.py seeds (benchmarks/.data/bench.sqlite3 unless
DATABASE_URL is set). The response cache is off, as in api_load.py's "uncached" run.
CPU time (time.process_time) is what one worker spends, so figures hold while other
processes share the machine; wall time does not.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data"

# What api_load.py loads, plus variants whose output must not change.
ENDPOINTS = {
    "ping": "/bench/ping/",
    "list": "/api/v2/pages/?type=news.ArticlePage&limit=20",
    "detail": "/api/v2/pages/{article_id}/",
    "v3 detail": "/api/v3/pages/{article_id}/",
}
VARIANTS = [
    "/api/v2/pages/?type=news.ArticlePage&limit=50&offset=100",
    "/api/v2/pages/?type=news.ArticlePage&limit=5&fields=*",
    "/api/v2/pages/?type=news.ArticlePage&limit=5&fields=title,related_articles",
    "/api/v2/pages/?type=news.ArticlePage&limit=5&fields=-body,-related_articles",
    "/api/v2/pages/?type=news.ArticlePage&limit=5&order=title",
    "/api/v2/pages/?limit=20",
    "/api/v2/pages/?type=news.ArticlePage&limit=5&fields=_,title",
    "/api/v2/pages/?type=news.ArticlePage&limit=5&fields=_,id,type,html_url,tags",
    "/api/v2/pages/?type=news.ArticlePage&limit=5&rich_text_format=markdown",
    "/api/v2/pages/?type=news.ArticlePage&limit=5&tags=bridge-rail",
    "/api/v2/pages/?type=news.ArticlePage&limit=5&search=storm",
    # versus_strapi.py's card list (issue 24)
    "/api/v2/pages/?type=news.ArticlePage&limit=20&fields=_,id,title,html_url,intro,dateline,"
    "first_published_at,authors,section,lead_image",
]
# Detail variants ({article_id}).
DETAIL_VARIANTS = [
    "/api/v2/pages/{article_id}/?fields=_,title,parent",
    "/api/v2/pages/{article_id}/?fields=*",
    "/api/v2/pages/{article_id}/?fields=-body",
    "/api/v2/pages/{article_id}/?rich_text_format=db_html",
]


def setup():
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DATA / 'bench.sqlite3'}")
    os.environ.setdefault("MEDIA_ROOT", str(DATA / "media"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    os.environ["NEWS_CACHE_TIMEOUT"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per endpoint")
    parser.add_argument("--rounds", type=int, default=5, help="batches; the best is shown")
    parser.add_argument(
        "--path",
        action="append",
        help="time this path instead of the endpoints above ({article_id}: a story's id); "
        "repeat for more",
    )
    parser.add_argument("--profile", help=f"profile this endpoint ({', '.join(ENDPOINTS)}) or path")
    parser.add_argument("--sort", default="cumulative", help="pstats order, e.g. tottime")
    parser.add_argument("--lines", type=int, default=60, help="profile lines shown")
    parser.add_argument("--save", type=Path, help="write every endpoint's response here")
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    listing = client.get(ENDPOINTS["list"]).json()
    article_id = listing["items"][0]["id"]
    endpoints = {path: path for path in args.path} if args.path else ENDPOINTS
    urls = {name: path.format(article_id=article_id) for name, path in endpoints.items()}

    if args.save:
        related_id = listing["items"][0]["related_articles"][0]["id"]
        extra = [f"/api/v2/pages/{related_id}/", f"/api/v3/pages/{related_id}/"]
        extra += [path.format(article_id=article_id) for path in DETAIL_VARIANTS]
        # Raw bodies: a representation change must not move a single byte, and a second read
        # (kept representations, NEWS_FRAGMENT_CACHE_TIMEOUT) must give the first's.
        responses = {}
        for url in [*urls.values(), *VARIANTS, *extra]:
            first, second = client.get(url).content.decode(), client.get(url).content.decode()
            if second != first:
                sys.exit(f"{url}: a second read differs from the first")
            responses[url] = first
        args.save.write_text(json.dumps(responses, indent=1))

    if args.profile:
        import cProfile
        import pstats

        url = urls.get(args.profile) or args.profile.format(article_id=article_id)
        client.get(url)
        with cProfile.Profile() as profiler:
            for _ in range(args.requests):
                client.get(url)
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats(args.sort).print_stats(args.lines)
        return

    width = max(12, *(len(name) + 1 for name in urls))
    for name, url in urls.items():
        client.get(url)  # warm: renditions, imports, caches
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = len(captured)  # now: the next request clears the log it reads
        batches = []
        for _ in range(args.rounds):
            start = time.process_time()
            for _ in range(args.requests):
                response = client.get(url)
                if response.status_code != 200:
                    sys.exit(f"{url} answered {response.status_code}")
            batches.append((time.process_time() - start) * 1000 / args.requests)
        # The best batch: other processes on the machine only ever add to it.
        print(
            f"{name:<{width}}{min(batches):>8.2f} CPU ms per request (best of {args.rounds}), "
            f"{queries} queries"
        )


if __name__ == "__main__":
    main()
