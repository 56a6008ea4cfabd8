"""Where a sentence says something happened: places in a locative phrase.

"in Uzbekistan", "in the city of Nanping", "outside of the Iraqi city of Basra" are where
an act took place; "Beijing's concerns" or "China's party" name a party or an owner.
"""

from __future__ import annotations

from spacy.tokens import Doc

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
