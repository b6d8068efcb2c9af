"""Republish random benchmark articles at a newsroom's pace (benchmarks/api_load.py)."""

from django.core.management.base import BaseCommand

from news.benchmark_data import republish_stories


class Command(BaseCommand):
    help = "Publish a new revision of a random live article every --every seconds."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=10.0, help="seconds between publishes")
        parser.add_argument("--count", type=int, default=0, help="stop after this many (0: never)")

    def handle(self, *args, **options):
        published = republish_stories(options["count"], every=options["every"])
        self.stdout.write(self.style.SUCCESS(f"{published} articles republished."))
