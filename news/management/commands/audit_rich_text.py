"""Find (and with --fix clean) stored rich text the editor would not have saved."""

from django.core.management.base import BaseCommand

from news.rich_text import audit_and_fix


class Command(BaseCommand):
    help = (
        "List page rows and revisions whose rich text holds what the editor would not store "
        "(scripts, event attributes, javascript: links, elements beyond its features), e.g. "
        "written by raw SQL or restored from a backup. --fix cleans them in place. Run it "
        "after a restore or an import that bypassed the application."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Clean what is found")

    def handle(self, *args, fix, **options):
        findings = audit_and_fix(fix=fix)
        for finding in findings:
            self.stdout.write(f"{finding.label}: {', '.join(finding.fields)}")
        verb = "Cleaned" if fix else "Found"
        self.stdout.write(f"{verb} {len(findings)} row(s) with rich text to clean.")
        if findings and not fix:
            self.stdout.write("Run again with --fix to clean them.")
