"""One sentence coded by the real coder inside a short article (the reading tests' helper)."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas.articles import RawArticle

# a first paragraph, so the sentence under test is read as body text, not as a lead or caption
LEAD = "The foreign ministers met in Geneva on Monday, officials said.\n\n"


def codings(coder, sentence: str, context: str = "") -> list[tuple[str, str | None, str | None]]:
    """(CAMEO code, source code, target code) of each event coded from `sentence`, read after
    LEAD and `context` in an article published on 15 July 2016."""
    raw = RawArticle(
        id="reading",
        source="test",
        url="https://example.org/reading",
        published_at=datetime(2016, 7, 15, tzinfo=UTC),
        title="Ministers meet over the crisis",
        body=LEAD + context + sentence,
    )
    return [
        (e.cameo.code, e.source.code if e.source else None, e.target.code if e.target else None)
        for e in coder.process(raw).events
        if e.evidence[0].text.startswith(sentence[:30])
    ]
