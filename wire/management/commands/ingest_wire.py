"""`manage.py ingest_wire PATH…`: ingest agency copy in ninjs as drafts for review."""

from django.core.management.base import BaseCommand, CommandError

from wire.files import ingest_paths
from wire.importer import SectionError, resolve_section
from wire.permissions import wire_user


class Command(BaseCommand):
    help = (
        "Ingest IPTC ninjs (1.x, 2.x, 3.x) text items from files, folders or - (stdin) as "
        "draft articles submitted for review. Each file is one transaction."
    )

    # call_command("ingest_wire", "-", stdin=io.StringIO(…)) reads that instead of sys.stdin.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="a file, a folder or -")
        parser.add_argument(
            "--section",
            help="slug of the section to file stories in (default: NEWS_WIRE_DEFAULT_SECTION)",
        )
        parser.add_argument(
            "--no-submit",
            action="store_false",
            dest="submit",
            help="leave stories as drafts instead of submitting them for review",
        )

    def handle(self, *args, **options):
        try:
            section = resolve_section(options["section"])
        except SectionError as e:
            raise CommandError(str(e)) from e
        summary = ingest_paths(
            options["paths"],
            section=section,
            user=wire_user(),
            submit=options["submit"],
            stdin=options.get("stdin"),
            report=self.report,
        )
        counts = summary.counts
        self.stdout.write(
            "Summary: " + ", ".join(f"{counts[name]} {name}" for name in counts) + "."
        )
        if summary.failed:
            raise CommandError(f"{summary.failed} file(s) failed; nothing of them was ingested.")

    def report(self, file_result):
        if file_result.error is not None:
            self.stdout.write(
                self.style.ERROR(f"failed     {file_result.name}: {file_result.error}")
            )
            for error in file_result.error.errors:
                self.stdout.write(f"           {error.get('path', '$')}: {error['msg']}")
            return
        for result in file_result.results:
            article = f" → article {result.article_id}" if result.article_id else ""
            version = f" (version {result.version})" if result.version else ""
            line = f"{result.outcome:<10} {file_result.name}: {result.uri}{version}{article}"
            if result.message:
                line += f" — {result.message}"
            self.stdout.write(line)
            for warning in result.warnings:
                self.stdout.write(self.style.WARNING(f"           warning: {warning}"))
