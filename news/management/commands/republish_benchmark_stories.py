"""Republish benchmark articles at a newsroom's pace (benchmarks/api_load.py), checking reads."""

import html
import json
import signal
import urllib.request

from django.core.management.base import BaseCommand

from news.benchmark_data import republish_stories


class StaleReadProbe:
    """After each publish, reads the story's page and API detail from the server at `base`
    and counts those that do not show the new headline yet (stale reads)."""

    def __init__(self, base, stdout):
        self.base, self.stdout = base.rstrip("/"), stdout
        self.reads = self.stale = 0

    def fetch(self, path):
        with urllib.request.urlopen(self.base + path, timeout=30) as response:  # noqa: S310
            return response.read().decode()

    def __call__(self, article):
        page = self.fetch(article.get_url())
        detail = json.loads(self.fetch(f"/api/v2/pages/{article.pk}/"))
        for where, fresh in (
            (article.get_url(), html.escape(article.title) in page),
            (f"/api/v2/pages/{article.pk}/", detail["title"] == article.title),
        ):
            self.reads += 1
            if not fresh:
                self.stale += 1
                self.stdout.write(f"stale read: {where} lacks {article.title!r}")


class Command(BaseCommand):
    help = "Publish a new revision of a live article every --every seconds, section by section."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=10.0, help="seconds between publishes")
        parser.add_argument("--count", type=int, default=0, help="stop after this many (0: never)")
        parser.add_argument(
            "--check-url",
            help="after each publish, read the story's page and API detail from this server "
            "(e.g. http://127.0.0.1:8000) and report any that lack the new headline",
        )

    def handle(self, *args, **options):
        probe = StaleReadProbe(options["check_url"], self.stdout) if options["check_url"] else None

        stopping = []  # SIGTERM: the benchmark is done with this publisher

        def stop(signum, frame):
            stopping.append(signum)

        published = []

        def after(article):
            published.append(article.pk)
            if probe is not None:
                probe(article)

        signal.signal(signal.SIGTERM, stop)
        self.stdout.write("publishing", ending="\n")
        self.stdout.flush()
        try:
            republish_stories(
                options["count"], every=options["every"], check=after, stopped=lambda: stopping
            )
        finally:
            summary = f"{len(published)} articles republished"
            if probe is not None:
                summary += f"; stale reads: {probe.stale} of {probe.reads}"
            self.stdout.write(summary + ".")
