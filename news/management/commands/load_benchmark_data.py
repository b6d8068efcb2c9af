"""Fill the site with generated articles for benchmarks (see benchmarks/README.md)."""

from django.core.management.base import BaseCommand

from news.benchmark_data import seed_benchmark_newsroom


class Command(BaseCommand):
    help = "Add generated live articles until the site has --articles of them."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=3000)

    def handle(self, *args, **options):
        added = seed_benchmark_newsroom(options["articles"], stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"{added} benchmark articles added."))
