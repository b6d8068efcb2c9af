"""Make every cache forget the pictures whose rights expired (run daily, or more often)."""

from django.core.management.base import BaseCommand

from news.pictures import expire_picture_rights, stories_showing


class Command(BaseCommand):
    help = (
        "For each picture whose rights expired since the last run: stale every cached page, "
        "feed and API answer that showed it and purge them from the CDN, and list the live "
        "stories that lost it. Readers stop seeing the picture at the expiry itself; this "
        "makes caches agree at once and dates the expiry."
    )

    def handle(self, *args, **options):
        images = expire_picture_rights()
        for image in images:
            stories = ", ".join(story.title for story in stories_showing(image.pk)) or "none"
            self.stdout.write(f"Rights expired: {image.title} (stories that lost it: {stories})")
        self.stdout.write(f"{len(images)} picture(s) expired.")
