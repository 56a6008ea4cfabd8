"""How much of the parse could a sentence-level gate skip? A measurement, before building one.

    .venv/bin/python bench/sentence_gate_potential.py FILE [--limit N]

Issue 11 asked for a cheap gate before tagger, parser and NER that parses only the
sentences that can hold an event. The story-level gate (``streams.core.topic`` and the
story discards, ``pipeline._gate``) already keeps the parse off most of a mixed wire. This
script reads the articles that pass it, splits their tokenizer output into sentences
(spaCy's rule-based sentencizer, paragraph breaks kept) and counts the tokens of the
sentences a sentence gate would have to keep, for gates of growing safety:

- ``actor``: an actor- or agent-dictionary form in the sentence (a coding needs an actor);
- ``+pronoun``: or a pronoun (the coder resolves "he", "they", "its" to an earlier actor);
- ``+neighbour``: or an actor form in the sentence before or after (anaphora, "both sides",
  the narrative date, the meeting "the talks" refers back to);
- ``+name``: or a capitalised word after the first (a person or place no dictionary knows,
  which NER turns into an actor or a place and the article's countries).

What each gate could skip is 1 − its share; the parse is ~60 % of the pipeline's time.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PRONOUNS = frozenset({"he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "we", "i"})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", type=Path)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()

    from spacy.pipeline import Sentencizer

    from streams.adapters.nlp import load_coder
    from streams.commands.bench.corpus import load_articles
    from streams.core.clean import clean_article
    from streams.core.paragraphs import mark_paragraph_starts
    from streams.core.pipeline import _gate

    coder = load_coder()
    nlp, cb = coder.nlp, coder.codebook
    sentencizer = Sentencizer()
    raws = load_articles(args.input, args.limit)
    total_words = parsed = 0
    keep = dict.fromkeys(("actor", "+pronoun", "+neighbour", "+name"), 0)
    for raw in raws:
        clean = clean_article(raw)
        total_words += len(clean.text.split())
        doc = _gate(clean, nlp, cb)
        if doc is None:
            continue
        doc = sentencizer(mark_paragraph_starts(doc))
        flags = []
        for sent in doc.sents:
            toks = [t.text for t in sent if not t.is_space]
            actor = bool(cb.actors.find_all(toks)) or bool(cb.agents.find_all(toks))
            pronoun = any(t.lower() in PRONOUNS for t in toks)
            name = any(t[:1].isupper() for t in toks[1:])
            flags.append((actor, pronoun, name, len(toks)))
        for k, (actor, pronoun, name, n) in enumerate(flags):
            parsed += n
            near = (k > 0 and flags[k - 1][0]) or (k + 1 < len(flags) and flags[k + 1][0])
            keep["actor"] += n * actor
            keep["+pronoun"] += n * (actor or pronoun)
            keep["+neighbour"] += n * (actor or pronoun or near)
            keep["+name"] += n * (actor or pronoun or near or name)
    print(f"{len(raws)} articles; the story gate passes articles with {parsed:,} tokens "
          f"(of {total_words:,} words in all clean texts)")  # fmt: skip
    for gate, n in keep.items():
        share = n / parsed if parsed else 0.0
        print(f"  gate {gate:11s} keeps {share:6.1%} of the parsed tokens, could skip {1 - share:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
