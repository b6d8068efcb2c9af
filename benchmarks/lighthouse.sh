#!/usr/bin/env bash
# Lighthouse (mobile) on every reader page type of the demo newsroom, served as in
# production: cms.settings.production behind gunicorn, static files from WhiteNoise, pictures
# from MEDIA_ROOT (cms/media.py), HTML gzipped. Prints the four category scores, LCP, CLS
# and total bytes per page; the JSON reports stay in benchmarks/.data/lighthouse/.
# The search page type is the form (/search/); search results are measured too, but their
# SEO score misses is-crawlable on purpose (noindex and robots.txt, search/views.py).
#
#   bash benchmarks/lighthouse.sh              # every page type
#   PAGES="home article" bash benchmarks/lighthouse.sh
#
# Needs Node and npm (Lighthouse is pinned in benchmarks/lighthouse/package-lock.json and
# installed there by `npm ci`) and Debian's chromium (CHROME_PATH, default /usr/bin/chromium).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
GUNICORN="${GUNICORN:-$ROOT/.venv/bin/gunicorn}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
PORT="${PORT:-8931}"
DATA="$ROOT/benchmarks/.data/lighthouse"
REPORTS="$DATA/reports"
rm -rf "$DATA"
mkdir -p "$REPORTS"

# npm ci only when the lock changed since the last install.
(cd benchmarks/lighthouse && { cmp -s package-lock.json node_modules/.installed-lock.json \
    || { npm ci --no-audit --no-fund --silent && cp package-lock.json node_modules/.installed-lock.json; }; })
LIGHTHOUSE="$ROOT/benchmarks/lighthouse/node_modules/.bin/lighthouse"

# Production settings on a throwaway SQLite database and media folder, over plain HTTP on
# the loopback (no TLS here, so no HTTPS redirect), no Redis (nothing cached server-side:
# every page is built for Lighthouse), background tasks run at once so load_demo makes
# every rendition (all formats) before the first page is asked for, as the worker would.
export DJANGO_SETTINGS_MODULE=cms.settings.production
export SECRET_KEY="lighthouse-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export DATABASE_URL="sqlite:///$DATA/demo.sqlite3"
export MEDIA_ROOT="$DATA/media" STATIC_ROOT="$DATA/static"
export SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0 NEWS_REQUIRE_2FA=false
export TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend"
export WAGTAILADMIN_BASE_URL="http://127.0.0.1:$PORT" LOG_LEVEL=WARNING
unset REDIS_URL AWS_STORAGE_BUCKET_NAME CDN_PURGE_URL CLOUDFLARE_ZONE_ID CLOUDFRONT_DISTRIBUTION_ID

echo "Preparing the demo newsroom (migrate, load_demo, collectstatic)..." >&2
"$PYTHON" manage.py migrate --noinput -v0
"$PYTHON" manage.py load_demo >/dev/null
"$PYTHON" manage.py collectstatic --noinput -v0
# The page types, by URL; one demo story is taken down for the 410 page.
"$PYTHON" manage.py shell -v0 -c '
from django.urls import reverse
from wagtail.models import Site
from news.models import ArticlePage, LiveBlogPage
site = Site.objects.get(is_default_site=True)
site.hostname, site.port = "127.0.0.1", '"$PORT"'
site.save()
home = site.root_page.specific
article = home.lead_article.specific if home.lead_article else ArticlePage.objects.live().first()
section = article.get_parent().specific
tag = article.tags.first()
live_blog = LiveBlogPage.objects.live().first()
gone = ArticlePage.objects.live().exclude(pk=article.pk).order_by("first_published_at").first()
gone_url = gone.url
gone.unpublish()
pages = {
    "home": "/",
    "section": section.url,
    "article": article.url,
    "live-blog": live_blog.url,
    "tag": reverse("tag", args=[tag.slug]),
    "corrections": reverse("corrections"),
    "search": reverse("search"),
    # Results are noindex by design: their SEO score is printed with a note.
    "results": reverse("search") + "?q=harbour",
    "no-results": reverse("search") + "?q=zeppelinxq",
    "404": "/no-such-story/",
    "410": gone_url,
}
with open("'"$DATA"'/pages.tsv", "w") as out:
    for name, url in pages.items():
        out.write(f"{name}\t{url}\n")
'

"$GUNICORN" cms.wsgi --bind "127.0.0.1:$PORT" --workers 2 --timeout 30 \
    --error-logfile "$DATA/gunicorn.log" --pid "$DATA/gunicorn.pid" --daemon
trap 'kill "$(cat "$DATA/gunicorn.pid")" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
    sleep 0.2
done

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2
printf '%-13s %5s %5s %5s %5s %8s %6s %9s  %s\n' \
    page perf a11y best seo LCP_ms CLS KiB url
while IFS=$'\t' read -r name url; do
    [[ -n "${PAGES:-}" && " $PAGES " != *" $name "* ]] && continue
    # One request first, as a reader before Lighthouse would (nothing is cached server-side
    # without Redis, so this warms only the processes' imports).
    curl -s -o /dev/null "http://127.0.0.1:$PORT$url"
    # Up to three tries: on a loaded machine Chromium now and then misses the navigation
    # (NO_NAVSTART); an error page (404, 410) is refused every time, and said so below.
    for _ in 1 2 3; do
        "$LIGHTHOUSE" "http://127.0.0.1:$PORT$url" --quiet \
            --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
            --only-categories=performance,accessibility,best-practices,seo \
            --output=json --output-path="$REPORTS/$name.json" >/dev/null \
            2>>"$DATA/lighthouse.log" || true
        grep -q '"runtimeError"' "$REPORTS/$name.json" 2>/dev/null \
            && ! grep -q ERRORED_DOCUMENT_REQUEST "$REPORTS/$name.json" || break
    done
    "$PYTHON" - "$REPORTS/$name.json" "$name" "$url" <<'EOF'
import json
import sys

try:
    report = json.load(open(sys.argv[1]))
except (OSError, ValueError):
    report = {}
if not report.get("categories") or report.get("runtimeError"):
    error = (report.get("runtimeError") or {}).get("code", "no report")
    if error == "ERRORED_DOCUMENT_REQUEST":
        error = "an error page: Lighthouse scores only pages that answer 200; axe checks it"
    print(f"{sys.argv[2]:<13} not scored ({error})  {sys.argv[3]}")
    sys.exit(0)
scores = [
    round(100 * (report["categories"][name]["score"] or 0))
    for name in ("performance", "accessibility", "best-practices", "seo")
]
audits = report["audits"]
failed = [
    audit_id
    for category in report["categories"].values()
    for ref in category["auditRefs"]
    if ref["weight"] and (audit_id := ref["id"]) in audits
    and audits[audit_id]["score"] is not None and audits[audit_id]["score"] < 1
]
note = ""
if sys.argv[2] in ("results", "no-results") and "is-crawlable" in failed:
    note = "  (SEO: noindex and robots.txt on search results, by design)"
    failed = [audit_id for audit_id in failed if audit_id != "is-crawlable"]
print(
    f"{sys.argv[2]:<13} {scores[0]:>5} {scores[1]:>5} {scores[2]:>5} {scores[3]:>5} "
    f"{audits['largest-contentful-paint']['numericValue']:>8.0f} "
    f"{audits['cumulative-layout-shift']['numericValue']:>6.3f} "
    f"{audits['total-byte-weight']['numericValue'] / 1024:>9.1f}  {sys.argv[3]}{note}"
    + (f"\n{'':13} missed: {', '.join(sorted(set(failed)))}" if failed else "")
)
EOF
done < "$DATA/pages.tsv"
