"""Replace an API v3 token: issue a new one for the same user and name, revoke the old one."""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import APIToken

from cms.api_tokens import expires_at, rotate


class Command(BaseCommand):
    help = (
        "Rotate an API token: print a new token for the same user and name (shown only "
        "this once) and revoke the old one. Name the old token by --id or its --prefix "
        "(see `manage.py api_tokens list`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--id", type=int, help="The token's id")
        parser.add_argument("--prefix", help="The token's prefix, e.g. wagtail_Ab12")

    def handle(self, *args, id, prefix, **options):
        if id is None and not prefix:
            raise CommandError("Name the token to rotate with --id or --prefix.")
        tokens = APIToken.objects.filter(revoked_at__isnull=True).select_related("user")
        matches = list(tokens.filter(pk=id) if id is not None else tokens.filter(prefix=prefix))
        if len(matches) != 1:
            raise CommandError(
                f"Expected one active token, found {len(matches)}; use --id "
                "(`manage.py api_tokens list` shows them)."
            )
        new_token, plaintext = rotate(matches[0], source="management_command")
        self.stderr.write(
            f"Revoked {matches[0].prefix}… ({matches[0].name}); the new token below is shown "
            f"only now and expires {expires_at(new_token) or 'never'}."
        )
        self.stdout.write(plaintext)
