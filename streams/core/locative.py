"""Where a sentence says something happened: places in a locative phrase.

"in Uzbekistan", "in the city of Nanping", "outside of the Iraqi city of Basra" are where
an act took place; "Beijing's concerns" or "China's party" name a party or an owner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span

if TYPE_CHECKING:
    from streams.core.actor_index import ActorIndex


# Prepositions that say where something happened.
LOC_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "throughout"})


def is_locative(doc: Doc, start: int, end: int) -> bool:
    """Whether a place is where something happened ("in Uzbekistan", "in the city of
    Nanping", "outside of the Iraqi city of Basra"), not a party or an owner ("Beijing's
    concerns", "China's party")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    t = span.root
    for _ in range(5):
        if t.dep_ == "poss" or t.head.i == t.i:
            return False
        head = t.head
        if head.dep_ == "prep" or head.pos_ == "ADP":
            if head.lower_ in LOC_PREPS:
                return True
            if head.lower_ != "of":
                return False
        t = head
    return False


def locations(sent: Span, index: ActorIndex) -> list[tuple[int, str, str]]:
    """(character offset, ISO3 country, text) of the places a sentence says things happen
    in, in text order: gazetteer places and bare country/city actors ("near the town of
    Samarra") in a locative phrase."""
    doc = index.doc
    out: dict[int, tuple[int, str, str]] = {}
    for p in index.places:
        if sent.start_char <= p.start < sent.end_char and p.location.country:
            if is_locative(doc, p.start, p.end):
                out.setdefault(p.start, (p.start, p.location.country, p.text))
    for m in index.mentions:
        a = m.actor
        if sent.start_char <= m.start < sent.end_char and a.country and not a.sector and not a.name:
            root = doc[m.token_start : m.token_end].root
            if root.pos_ in ("PROPN", "NOUN") and is_locative(doc, m.start, m.end):
                out.setdefault(m.start, (m.start, a.country, m.text))
    return sorted(out.values())
