"""`manage.py load_demo`: build the demo newsroom; safe to run again."""

from django.core.management.base import BaseCommand, CommandError

from news.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo newsroom: sections, articles, authors, pictures, and logins where "
        "NEWS_DEMO_USERS is on. Running it again creates only what is missing."
    )

    def handle(self, *args, **options):
        try:
            counts = load_demo(stdout=self.stdout if options["verbosity"] > 1 else None)
        except LookupError as e:
            raise CommandError(str(e)) from e
        created = ", ".join(f"{name.replace('_', ' ')}: {n}" for name, n in counts.items() if n)
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo newsroom loaded. Created {created}."))
        else:
            self.stdout.write("Demo newsroom already loaded; nothing to create.")
