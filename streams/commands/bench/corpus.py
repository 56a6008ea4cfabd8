"""Read benchmark input into RawArticle records.

Plain-text articles go through the project's reader (``streams.adapters.inputs``),
so the benchmark sees what ``wirewatch code`` sees. JSON lines are read here
because the news corpora carry naive ``published_at`` values (``2017-09-15T00:00:00``)
that the wire schema rightly refuses; a benchmark reads them as UTC (the same
rule ``--published-at`` applies) instead of losing 95% of the corpus.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from schemas.articles import RawArticle
from streams.commands.bench.measure import resolve_inputs
from streams.errors import InputError


def load_articles(path: Path, limit: int | None = None) -> list[RawArticle]:
    if not path.exists():
        raise InputError(f"benchmark input not found: {path}")
    files = resolve_inputs(path)
    if not files:
        raise InputError(f"no .jsonl/.txt articles in {path}")
    out: list[RawArticle] = []
    for f in files:
        out.extend(_read_file(f))
        if limit is not None and len(out) >= limit:
            break
    if limit is not None:
        out = out[:limit]
    if not out:
        raise InputError(f"no articles read from {path}")
    return out


def article_text(raw: RawArticle) -> str:
    """What the baseline hands to spaCy: the raw title and body, nothing cleaned."""
    return f"{raw.title}\n\n{raw.body}" if raw.title else raw.body


def _read_file(path: Path) -> list[RawArticle]:
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        return list(_from_jsonl(path))
    from streams.adapters.inputs import InputProblem, read_source

    out = []
    for name, line_no, item in read_source(str(path)):
        if isinstance(item, InputProblem):
            raise InputError(f"{name}:{line_no}: {item.reason}")
        out.append(item)
    return out


def _from_jsonl(path: Path):
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                published = data.get("published_at")
                if isinstance(published, str):
                    dt = datetime.fromisoformat(published.replace("Z", "+00:00"))
                    data["published_at"] = dt if dt.tzinfo else dt.replace(tzinfo=UTC)
                yield RawArticle.model_validate(data)
            except (json.JSONDecodeError, ValidationError, ValueError) as exc:
                raise InputError(f"{path}:{lineno}: not a raw article: {exc}") from exc
