"""Post on the benchmark live blog at a live desk's pace (benchmarks/live_blog.py), timing when
readers first see each post."""

import json
import signal
import time
import urllib.parse
import urllib.request

from django.core.management.base import BaseCommand

from news.benchmark_data import post_live_every, seed_live_blog


class VisibilityProbe:
    """Reads the posts endpoint as the readers' pages do: with ?since= the `meta.latest` of
    its last answer, a URL the response cache already holds. After each post it polls that
    URL until the post is there: `delays` holds the seconds each took, `first_read` counts
    those the very first poll after the publish showed."""

    def __init__(self, base, blog, stdout):
        self.base, self.blog, self.stdout = base.rstrip("/"), blog, stdout
        self.delays, self.first_read = [], 0
        self.since = self.poll(None)["meta"]["latest"]
        self.poll(self.since)  # cached, as it is for every reader

    def poll(self, since):
        path = f"/api/v2/live_blogs/{self.blog.pk}/posts/"
        if since:
            path += f"?since={urllib.parse.quote(since)}"
        with urllib.request.urlopen(self.base + path, timeout=30) as response:  # noqa: S310
            return json.loads(response.read())

    def __call__(self, post):
        published = time.monotonic()
        for attempt in range(600):
            answer = self.poll(self.since)
            if post.pk in [item["id"] for item in answer["items"]]:
                self.delays.append(time.monotonic() - published)
                self.first_read += attempt == 0
                self.since = answer["meta"]["latest"]
                self.poll(self.since)
                return
            time.sleep(0.05)
        self.stdout.write(f"post {post.pk} not visible after 30 s")
        self.delays.append(float("inf"))


class Command(BaseCommand):
    help = "Seed the benchmark live blog (--seed), or post on it every --every seconds."

    def add_arguments(self, parser):
        parser.add_argument("--seed", action="store_true", help="create it; print its id")
        parser.add_argument("--posts", type=int, default=50, help="posts to seed it with")
        parser.add_argument("--every", type=float, default=5.0, help="seconds between posts")
        parser.add_argument(
            "--check-url", help="after each post, poll this server until readers see it"
        )

    def handle(self, *args, **options):
        blog = seed_live_blog(posts=options["posts"])
        if options["seed"]:
            self.stdout.write(f"live blog {blog.pk} {blog.url}")
            return
        probe = (
            VisibilityProbe(options["check_url"], blog, self.stdout)
            if options["check_url"]
            else None
        )
        stopping = []
        signal.signal(signal.SIGTERM, lambda signum, frame: stopping.append(signum))
        self.stdout.write("posting")
        self.stdout.flush()
        count = post_live_every(blog, options["every"], check=probe, stopped=lambda: stopping)
        summary = f"posts: {count}"
        if probe is not None and probe.delays:
            summary += (
                f"; visible at the first poll: {probe.first_read} of {len(probe.delays)}"
                f"; slowest: {max(probe.delays) * 1000:.0f} ms"
            )
        self.stdout.write(summary + ".")
