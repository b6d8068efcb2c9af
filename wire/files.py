"""ninjs files for the ingest_wire command: each file is one transaction, then a summary."""

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .importer import FAILED, OUTCOMES, IngestError, ItemResult, WireDesk


@dataclass
class FileResult:
    """What became of one file: its items' results, or the error that failed it whole."""

    name: str
    results: list[ItemResult] = field(default_factory=list)
    error: IngestError | None = None


@dataclass
class Summary:
    files: list[FileResult] = field(default_factory=list)

    @property
    def counts(self):
        """{"created": 2, "updated": 0, …, "failed": 1}; a failed file counts once."""
        counts = Counter({outcome: 0 for outcome in OUTCOMES})
        for file in self.files:
            if file.error is not None:
                counts[FAILED] += 1
            counts.update(result.outcome for result in file.results)
        return dict(counts)

    @property
    def failed(self):
        return self.counts[FAILED]


def expand(paths):
    """The files to read, in order: folders give their *.json files (recursively, sorted)."""
    for path in paths:
        if str(path) == "-":
            yield "-"
        elif Path(path).is_dir():
            yield from sorted(p for p in Path(path).rglob("*.json") if p.is_file())
        else:
            yield Path(path)


def read_json(path, stdin=None):
    """The parsed JSON of a file, or of `stdin` for "-"; IngestError when it cannot be."""
    try:
        if str(path) == "-":
            text = (stdin or sys.stdin).read()
        else:
            text = Path(path).read_text(encoding="utf-8")
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise IngestError(
            f"Malformed JSON: {e.msg} at line {e.lineno}, column {e.colno}.",
            [{"path": "$", "msg": e.msg}],
        ) from e
    except (OSError, UnicodeDecodeError) as e:
        raise IngestError(f"Cannot read the file: {e}") from e


def ingest_paths(paths, *, section, user, submit=True, stdin=None, report=None):
    """Ingest files, folders and "-" (stdin), one transaction per file; returns a Summary.

    `report(file_result)` is called after each file, for progress output.
    """
    summary = Summary()
    for path in expand(paths):
        name = "<stdin>" if path == "-" else str(path)
        base_dir = Path.cwd() if path == "-" else Path(path).resolve().parent
        desk = WireDesk(section, user, submit=submit, base_dir=base_dir, allow_local_pictures=True)
        file_result = FileResult(name)
        try:
            file_result.results = desk.ingest(read_json(path, stdin))
        except IngestError as e:
            file_result.error = e
        summary.files.append(file_result)
        if report is not None:
            report(file_result)
    return summary
