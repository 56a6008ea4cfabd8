"""Proposed fast paths for the three hot spots of extract + classify, as monkeypatches.

Not used by wirewatch: a measured proposal for the owners of the patched modules
(``streams/core/verbmatch.py``, ``streams/codebook/discards.py``: coder;
``streams/core/quotes.py``: actors). Each replacement computes the same thing
faster; ``--check`` codes the same articles with and without the patches and
fails if any event differs.

    .venv/bin/python bench/fastpaths.py --input ../shared/corpora/news_cluster.jsonl --limit 100

1. ``match_verb``: the pattern search turned every phrase token into Python
   strings again for every pattern element (4.5 M ``_match_seq`` calls per 100
   articles). Here each phrase's (lower text, lower lemma, is_punct) triples are
   read once, and a pattern whose word element cannot match any token of the
   phrase (its first word is neither a text, a lemma nor a plural-stripped
   lemma there) is dropped before the ordered scan: a necessary condition, so
   the result is unchanged.
2. Discard lists: ``(?<!\\w)A|(?<!\\w)B|...`` with ``re.IGNORECASE`` makes ``re``
   try all ~500 alternatives at every character. Matching lower-cased text with
   a case-sensitive ``(?<!\\w)(?:A|B|...)`` lets ``re`` skip a branch on its first
   literal character. Same phrases, same word-boundary rules.
3. ``find_quotes``: ``Token.sent`` rebuilds ``doc.sents`` on every call (one full
   pass over the document per quotation). The sentence is looked up by bisection
   in one list of sentence starts instead.
"""

from __future__ import annotations

import argparse
import bisect
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

# --- 1. verb patterns -------------------------------------------------------------------------------


def install_verbmatch() -> None:
    from streams.core import classify, verbmatch

    vm = verbmatch

    def forms(toks):
        return [(t.text.lower(), t.lemma_.lower(), t.is_punct) for t in toks]

    def match_seq(words, fs, i):
        j, n = i, len(fs)
        for w in words:
            while j < n and fs[j][2]:
                j += 1
            if j >= n:
                return None
            text, lemma, _ = fs[j]
            if w != text and w != lemma and w.rstrip("s") != lemma:
                return None
            j += 1
        return j

    def possible(el, texts, lemmas):
        for alt in el.alternatives:
            if not alt:
                return True
            w = alt[0]
            if w in texts or w in lemmas or w.rstrip("s") in lemmas:
                return True
        return False

    def match_elements(elements, toks, fs, is_actor, slots, texts, lemmas):
        for el in elements:
            if not el.is_marker and not possible(el, texts, lemmas):
                return False
        pos = 0
        for el in elements:
            found = False
            for k in range(pos, len(toks)):
                if el.is_marker:
                    if is_actor(toks[k]):
                        slots.setdefault(el.marker or "+", toks[k])
                        pos, found = k + 1, True
                        break
                    continue
                for alt in el.alternatives:
                    end = match_seq(alt, fs, k)
                    if end is not None:
                        pos, found = end, True
                        break
                if found:
                    break
            if not found:
                return False
        return True

    def match_verb(verb, verbs, is_actor):
        entries = verbs.lookup(verb.lemma_)
        if not entries:
            return None
        entries = [e for e in entries if vm._particles_ok(e, verb)]
        if not entries:
            return None
        entries.sort(key=lambda e: -len(e.particles))
        before, after = vm._phrase_tokens(verb)
        bf, af = forms(before), forms(after)
        bt = {f[0] for f in bf if not f[2]}
        bl = {f[1] for f in bf if not f[2]}
        at = {f[0] for f in af if not f[2]}
        al = {f[1] for f in af if not f[2]}
        best = None
        best_score = -1
        seen: set[int] = set()
        for entry in entries:
            if id(entry.patterns) in seen:
                continue
            seen.add(id(entry.patterns))
            for pat in entry.patterns:
                if pat.words <= best_score:
                    continue
                slots: dict = {}
                if not match_elements(pat.before, before, bf, is_actor, slots, bt, bl):
                    continue
                if not match_elements(pat.after, after, af, is_actor, slots, at, al):
                    continue
                best_score = pat.words
                best = vm.VerbMatch(entry, pat, pat.code, pat.reverse_code, slots.get("+"), slots.get("$"))
        if best is not None:
            return best
        first = entries[0]
        return vm.VerbMatch(first, None, first.code, first.reverse_code)

    classify.match_verb = match_verb


# --- 2. discard lists -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FastDiscards:
    sentence: re.Pattern[str] | None
    story: re.Pattern[str] | None

    def discards_sentence(self, text: str) -> bool:
        return bool(self.sentence and self.sentence.search(text.lower()))

    def discards_story(self, text: str) -> bool:
        return bool(self.story and self.story.search(text.lower()))


def _fast_compile(phrases: list[str]) -> re.Pattern[str] | None:
    parts = []
    for p in sorted(set(phrases), key=len, reverse=True):
        whole = p.endswith("_")
        words = [re.escape(w.lower()) for w in re.split(r"[\s_]+", p.strip("_ ")) if w]
        if words:
            parts.append(r"\s+".join(words) + (r"(?!\w)" if whole else ""))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")") if parts else None


def fast_discards(path: Path | None = None) -> FastDiscards:
    from streams.codebook import discards as d

    text = (path or d.DISCARDS_FILE).read_text(encoding="utf-8", errors="replace")
    sentence, story = [], []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("<"):
            continue
        (story if line.startswith("+") else sentence).append(line.lstrip("+").strip())
    return FastDiscards(_fast_compile(sentence), _fast_compile(story))


# --- 3. quotations ----------------------------------------------------------------------------------


def install_quotes() -> None:
    from streams.core import extract
    from streams.core import quotes as q
    from streams.core.mentions import QuoteMention

    def find_quotes(doc, actors: Sequence):
        out = []
        spans = q.quote_spans(doc.text)
        if not spans:
            return out
        sents = list(doc.sents)
        starts = [s.start for s in sents]
        for a, b in spans:
            inside = doc.char_span(a, b, alignment_mode="expand")
            if inside is None or len(inside) == 0:
                continue
            sent = sents[bisect.bisect_right(starts, inside.start) - 1]
            speaker = q._according_to([t for t in sent if t.i < inside.start])
            if speaker is None:
                top = min(inside, key=lambda t: len(list(t.ancestors)))
                speaker = q._reporting_subject(top)
            if speaker is None:
                subj = q._subject(sent.root)
                if subj is not None and q._mention_for(subj, actors) is not None:
                    speaker = subj
            speaker_text = None
            mention = None
            if speaker is not None:
                s, e = q.speaker_phrase(speaker)
                speaker_text = doc[s:e].text
                mention = q._mention_for(speaker, actors)
            quote = QuoteMention(
                start=a, end=b, text=doc.text[a:b], speaker_text=speaker_text, speaker=mention
            )
            out.append(quote)
        return out

    extract.find_quotes = find_quotes


# --- measure and check ------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description="measure the proposed fast paths; fail if any event changes")
    ap.add_argument("--input", type=Path, required=True)
    ap.add_argument("--limit", type=int, default=100)
    args = ap.parse_args()

    from streams.adapters.nlp import load_coder
    from streams.commands.bench.corpus import load_articles
    from streams.core import pipeline as P
    from streams.core.clean import clean_article

    raws = load_articles(args.input, args.limit)
    coder = load_coder()
    cleans = [c for c in (clean_article(r) for r in raws) if c.codable and c.text.strip()]
    docs = list(coder.nlp.pipe([c.text for c in cleans], batch_size=16))

    def code(codebook) -> tuple[float, list[list[str]]]:
        t = time.perf_counter()
        out = []
        for d, c in zip(docs, cleans, strict=True):
            out.append([e.model_dump_json() for e in P._code(d, c, codebook, None, {})])
        return time.perf_counter() - t, out

    code(coder.codebook)  # warm-up
    before_s, before = code(coder.codebook)
    fast_cb = replace(coder.codebook, discards=fast_discards())
    # the discard-list change alone, then all three
    disc_s, disc = code(fast_cb)
    install_verbmatch()
    install_quotes()
    after_s, after = code(fast_cb)
    n = len(docs)
    print(f"{n} articles, extract+classify only (docs parsed beforehand):")
    print(f"  as committed         {before_s:7.2f} s  {1000 * before_s / n:7.1f} ms/article")
    print(f"  + fast discards      {disc_s:7.2f} s  {1000 * disc_s / n:7.1f} ms/article")
    print(f"  + verbs + quotes     {after_s:7.2f} s  {1000 * after_s / n:7.1f} ms/article")
    same = before == after == disc
    events = sum(len(x) for x in before)
    print(f"events: {events}; identical with the fast paths: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
