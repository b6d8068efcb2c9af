"""Seed the article shape of the Strapi comparison (benchmarks/versus_strapi.py)."""

from django.core.management.base import BaseCommand
from django.db import connection

from news.api.related_cards import store_all_related_cards
from news.benchmark_versus_strapi import seed_versus_newsroom, versus_articles, write_versus_files
from news.models import RelatedCards


class Command(BaseCommand):
    help = (
        "Add --articles generated articles of the Strapi comparison's shape to an empty site, "
        "and write the same data to --export for Strapi's seed script."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--export", help="a folder for articles.json and pictures/")

    def handle(self, *args, **options):
        data = versus_articles(options["articles"])
        if options["export"]:
            write_versus_files(data, options["export"])
        added = seed_versus_newsroom(data)
        if added:
            with connection.cursor() as cursor:  # statistics, as load_benchmark_data gathers
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        if added or not RelatedCards.objects.exists():
            # Bulk rows skip the publish path, which stores each story's related cards.
            stored = store_all_related_cards()
            self.stdout.write(f"Related cards of {stored} articles stored.")
        self.stdout.write(self.style.SUCCESS(f"{added} articles added."))
