"""The whole chain, top to bottom: raw article → clean → (spaCy) → extract → classify.

Pure: the spaCy pipeline and the codebook are handed in (loaded once by
``streams.adapters.nlp.load_coder``); nothing here reads files or the environment.
Per-stage timings (seconds) travel with each :class:`Outcome` so the bench and the
stream app can report where the time goes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from time import perf_counter
from typing import TYPE_CHECKING, Any

from schemas.articles import CleanArticle, RawArticle
from schemas.events import DiplomaticEvent
from streams.core.classify import classify
from streams.core.clean import clean_article
from streams.core.extract import extract
from streams.core.topic import score as topic_score
from streams.core.where import publication_day

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from streams.codebook import Codebook

# Part of every event id: bump it when classify's output for the same input changes.
CODER_VERSION = "wirewatch-coder-0.9.10"


@dataclass(frozen=True)
class Outcome:
    raw: RawArticle
    clean: CleanArticle
    events: list[DiplomaticEvent] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def _code(
    doc: Doc,
    clean: CleanArticle,
    codebook: Codebook,
    now: datetime | None,
    timings: dict[str, float],
    coder_version: str = CODER_VERSION,
) -> list[DiplomaticEvent]:
    t0 = perf_counter()
    # relative dates are read against the publication day in the article's zone (issue 17)
    day = publication_day(clean, codebook.places, now)
    mentions = extract(doc, codebook=codebook, published_at=day)
    t1 = perf_counter()
    events = classify(doc, mentions, codebook=codebook, clean=clean, coder_version=coder_version)
    # Every event names its article (issue 16): outlet, URL and headline, as the cleaned article has them.
    article = {"article_source": clean.source, "article_url": clean.url, "article_title": clean.title or None}
    events = [event.model_copy(update=article) for event in events]
    timings["extract"] = t1 - t0
    timings["classify"] = perf_counter() - t1
    return events


def _clean(raw: RawArticle, max_chars: int) -> tuple[CleanArticle, float]:
    t0 = perf_counter()
    clean = clean_article(raw, max_chars=max_chars)
    return clean, perf_counter() - t0


def _off_topic(clean: CleanArticle, nlp: Language, doc: Doc | None = None) -> bool:
    """The story-level gate (:mod:`streams.core.topic`), on the tokenizer's words of the
    title and text: sport, business, technology, science, entertainment and accident
    stories where politics is thin yield no events. ``doc``: the text already tokenized."""
    if doc is None:
        doc = nlp.make_doc(clean.text)
    words = [t.text for t in nlp.tokenizer(clean.title)] * 2 + [t.text for t in doc]
    return not topic_score(words).political


def _gate(clean: CleanArticle, nlp: Language, codebook: Codebook) -> Doc | None:
    """The tokenized text when the article can hold an event, else None (nothing to parse).

    The text is tokenized once: the story gate reads the tokens and the parse continues
    from the same Doc (``nlp.pipe`` takes a Doc and skips its tokenizer)."""
    if _eventless(clean, codebook):
        return None
    doc = nlp.make_doc(clean.text)
    return None if _off_topic(clean, nlp, doc) else doc


def _eventless(clean: CleanArticle, codebook: Codebook) -> bool:
    """Nothing to parse: not codable, empty, or ruled out by a story-level discard phrase.

    bench (issue 5): ``codings.find_codings`` returns no coding for a story whose text
    holds a story-level discard phrase (sports, entertainment ...), so its spaCy parse,
    extract and classify are skipped with the same (empty) result: 10-13 % of the
    news_cluster and bbc articles. ``tests/pipeline/test_story_discard_skip.py`` pins it.
    """
    if not clean.codable or not clean.text.strip():
        return True
    return codebook.discards.discards_story(clean.text)


def process(
    raw: RawArticle,
    *,
    nlp: Language,
    codebook: Codebook,
    now: datetime | None = None,
    max_chars: int = 100_000,
    coder_version: str = CODER_VERSION,
) -> Outcome:
    """Code one article. ``now`` stands in for a missing ``published_at`` when resolving dates.

    ``coder_version`` is stamped on every event (and is part of its id): the built-in
    version, or the one a coder of your own declares (``streams.adapters.coder_identity``)."""
    clean, t_clean = _clean(raw, max_chars)
    timings = {"clean": t_clean}
    t0 = perf_counter()
    tokens = _gate(clean, nlp, codebook)
    timings["gate"] = perf_counter() - t0
    if tokens is None:
        return Outcome(raw=raw, clean=clean, events=[], timings=timings)
    t0 = perf_counter()
    doc = nlp(tokens)
    timings["parse"] = perf_counter() - t0
    events = _code(doc, clean, codebook, now, timings, coder_version)
    return Outcome(raw=raw, clean=clean, events=events, timings=timings)


class Coder:
    """A loaded spaCy pipeline and codebook, ready to code articles one by one or in batches."""

    def __init__(
        self, nlp: Language, codebook: Codebook, *, max_chars: int = 100_000, version: str = CODER_VERSION
    ) -> None:
        self.nlp = nlp
        self.codebook = codebook
        self.max_chars = max_chars
        self.version = version

    def process(self, raw: RawArticle, *, now: datetime | None = None) -> Outcome:
        return process(
            raw,
            nlp=self.nlp,
            codebook=self.codebook,
            now=now,
            max_chars=self.max_chars,
            coder_version=self.version,
        )

    def process_batch(
        self, raws: Iterable[RawArticle], batch_size: int = 16, *, now: datetime | None = None
    ) -> list[Outcome]:
        """Code many articles, parsing the codable ones together with ``nlp.pipe``.

        Articles that are not codable (non-English, empty) or that a story-level discard
        phrase rules out skip spaCy entirely.
        The parse time of a batch is shared out over its articles by text length.
        """
        items: list[tuple[RawArticle, CleanArticle, dict[str, float]]] = []
        codable: list[int] = []
        tokens: list[Doc] = []
        for raw in raws:
            clean, t_clean = _clean(raw, self.max_chars)
            t0 = perf_counter()
            doc = _gate(clean, self.nlp, self.codebook)
            items.append((raw, clean, {"clean": t_clean, "gate": perf_counter() - t0}))
            if doc is not None:
                codable.append(len(items) - 1)
                tokens.append(doc)
        t0 = perf_counter()
        docs: Sequence[Any] = list(self.nlp.pipe(tokens, batch_size=batch_size))
        t_parse = perf_counter() - t0
        total = sum(len(items[k][1].text) for k in codable) or 1
        events_by: dict[int, list[DiplomaticEvent]] = {}
        for k, doc in zip(codable, docs, strict=True):
            raw, clean, timings = items[k]
            timings["parse"] = t_parse * len(clean.text) / total
            events_by[k] = _code(doc, clean, self.codebook, now, timings, self.version)
        return [
            Outcome(raw=r, clean=c, events=events_by.get(k, []), timings=t)
            for k, (r, c, t) in enumerate(items)
        ]
