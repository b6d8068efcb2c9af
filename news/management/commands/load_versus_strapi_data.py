"""Seed the article shape of the Strapi comparison (benchmarks/versus_strapi.py)."""

from django.core.management.base import BaseCommand
from django.db import connection

from news.api.representation import representation_fingerprint
from news.api.stored import store_all_representations
from news.benchmark_versus_strapi import seed_versus_newsroom, versus_articles, write_versus_files
from news.models import StoredRepresentation


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
        fingerprint = representation_fingerprint()
        if added or not StoredRepresentation.objects.filter(made_with=fingerprint).exists():
            # Bulk rows skip the publish path, which stores each story's representation.
            stored = store_all_representations()
            self.stdout.write(f"{stored} parts of article representations stored.")
        self.stdout.write(self.style.SUCCESS(f"{added} articles added."))
