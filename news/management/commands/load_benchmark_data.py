"""Fill the site with generated articles for benchmarks (see benchmarks/README.md)."""

from django.core.management.base import BaseCommand
from django.db import connection

from news.api.representation import representation_fingerprint
from news.api.stored import store_all_representations
from news.benchmark_data import seed_benchmark_newsroom
from news.models import StoredRepresentation


class Command(BaseCommand):
    help = "Add generated live articles until the site has --articles of them."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=3000)

    def handle(self, *args, **options):
        added = seed_benchmark_newsroom(options["articles"], stdout=self.stdout)
        if added and not connection.in_atomic_block:  # VACUUM refuses a transaction
            # Statistics before anything is measured (PostgreSQL's autovacuum would gather
            # them a minute later; SQLite only when asked): without them both plan for
            # near-empty tables.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        fingerprint = representation_fingerprint()
        if added or not StoredRepresentation.objects.filter(made_with=fingerprint).exists():
            # Bulk rows skip the publish path, which stores each story's representation.
            stored = store_all_representations()
            self.stdout.write(f"{stored} parts of article representations stored.")
        self.stdout.write(self.style.SUCCESS(f"{added} benchmark articles added."))
