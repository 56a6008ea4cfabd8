"""Read benchmark input into RawArticle records.

The project's own reader (``streams.adapters.inputs``) is used when present so
the benchmark sees exactly what ``wirewatch code`` sees; the fallback here only
covers what the benchmarks need (JSONL corpora, plain-text articles) and treats
a naive ``published_at`` as UTC, as the corpora's dates are day-precision.
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
    try:
        from streams.adapters import inputs  # the cleaner's reader, when it exists
    except ImportError:
        inputs = None
    reader = getattr(inputs, "read_articles", None) if inputs is not None else None
    if reader is not None:
        return list(reader(path))
    if path.suffix == ".txt":
        return [_from_text(path)]
    return list(_from_jsonl(path))


def _from_text(path: Path) -> RawArticle:
    lines = path.read_text(encoding="utf-8").splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise InputError(f"{path}: empty article")
    return RawArticle(id=path.stem, title=lines[0].strip(), body="\n".join(lines[1:]).strip())


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
