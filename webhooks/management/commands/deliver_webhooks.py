"""Send the webhook deliveries whose time has come (retries, when the task backend cannot defer)."""

from django.core.management.base import BaseCommand

from webhooks.delivery import deliver_due


class Command(BaseCommand):
    help = "Attempt every webhook delivery that is due; run every minute from cron if needed."

    def handle(self, *args, **options):
        count = deliver_due()
        self.stdout.write(f"{count} webhook deliver{'y' if count == 1 else 'ies'} attempted.")
