"""Compute and store every live article's API representation parts (news/api/stored.py)."""

from django.core.management.base import BaseCommand

from news.api.stored import store_all_representations


class Command(BaseCommand):
    help = (
        "Compute the stored parts of every live article's API representation (own fields, "
        "body, related cards). Run after a deploy that changes the representation code or "
        "the media URLs, or after loading articles in bulk: until then cold API reads "
        "compute them on every request."
    )

    def handle(self, *args, **options):
        stored = store_all_representations()
        self.stdout.write(self.style.SUCCESS(f"{stored} parts of article representations stored."))
