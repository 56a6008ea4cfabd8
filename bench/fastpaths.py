"""Proposed fast paths for the three hot spots of extract + classify, as monkeypatches.

Not used by wirewatch: a measured proposal for the owners of the patched modules
(``streams/core/verbmatch.py``, ``streams/codebook/discards.py``: coder;
``streams/core/quotes.py``: actors). Each replacement computes the same thing
faster; ``--check`` codes the same articles with and without the patches and
fails if any event differs.

    .venv/bin/python bench/fastpaths.py --input news_cluster.jsonl --limit 100

1. ``match_verb``: the pattern search turned every phrase token into Python
   strings again for every pattern element (4.5 M ``_match_seq`` calls per 100
   articles). Here each phrase's (lower text, lower lemma, is_punct) triples are
   read once (``_phrase_tokens`` returns a list that carries them), and a pattern
   whose word element cannot match any token of the phrase (its first word is
   neither a text, a lemma nor a plural-stripped lemma there) is dropped before
   the ordered scan: a necessary condition, so the result is unchanged.
2. Discard lists: ``(?<!\\w)A|(?<!\\w)B|...`` with ``re.IGNORECASE`` makes ``re``
   try all ~500 alternatives at every character. Matching lower-cased text with
   a case-sensitive ``(?<!\\w)(?:A|B|...)`` lets ``re`` skip a branch on its first
   literal character. Same phrases, same word-boundary rules.
3. ``find_quotes``: ``Token.sent`` rebuilds ``doc.sents`` on every call and
   ``Doc.text`` re-joins every token on every access (each a full pass over the
   document, several per quotation). The sentence is looked up by bisection in
   one list of sentence starts, and the text is read once per Doc.
"""

from __future__ import annotations

import argparse
import bisect
import re
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

# --- 1. verb patterns -------------------------------------------------------------------------------


class Phrase(list):
    """A verb phrase's tokens plus their word forms, read once per phrase."""

    forms: list[tuple[str, str, bool]]
    texts: frozenset[str]
    lemmas: frozenset[str]


def _phrase(toks) -> Phrase:
    out = Phrase(toks)
    out.forms = [(t.text.lower(), t.lemma_.lower(), t.is_punct) for t in toks]
    out.texts = frozenset(f[0] for f in out.forms if not f[2])
    out.lemmas = frozenset(f[1] for f in out.forms if not f[2])
    return out


def _possible(el, texts: frozenset[str], lemmas: frozenset[str]) -> bool:
    """Necessary for a word element to match anywhere in the phrase: some alternative's
    first word equals a token's text or lemma, or its plural-stripped form a lemma."""
    for alt in el.alternatives:
        if not alt:
            return True
        w = alt[0]
        if w in texts or w in lemmas or w.rstrip("s") in lemmas:
            return True
    return False


def install_verbmatch() -> None:
    """Wrap the module's own helpers (names, not copies, so the proposal follows the module)."""
    from streams.core import verbmatch as vm

    orig_phrase, orig_seq, orig_elements = vm._phrase_tokens, vm._match_seq, vm._match_elements

    def phrase_tokens(*args, **kwargs):
        before, after = orig_phrase(*args, **kwargs)
        return _phrase(before), _phrase(after)

    def match_seq(words, toks, i):
        forms = getattr(toks, "forms", None)
        if forms is None:
            return orig_seq(words, toks, i)
        j, n = i, len(forms)
        for w in words:
            while j < n and forms[j][2]:
                j += 1
            if j >= n:
                return None
            text, lemma, _ = forms[j]
            if w != text and w != lemma and w.rstrip("s") != lemma:
                return None
            j += 1
        return j

    def match_elements(elements, toks, *args, **kwargs):
        texts = getattr(toks, "texts", None)
        if texts is not None:
            for el in elements:
                if not el.is_marker and not _possible(el, texts, toks.lemmas):
                    return False
        return orig_elements(elements, toks, *args, **kwargs)

    vm._phrase_tokens, vm._match_seq, vm._match_elements = phrase_tokens, match_seq, match_elements


# --- 2. discard lists -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FastDiscards:
    sentence: re.Pattern[str] | None
    story: re.Pattern[str] | None
    original: object | None = None  # anything else the module's DiscardList offers

    def __getattr__(self, name: str):
        if self.original is None:
            raise AttributeError(name)
        return getattr(self.original, name)

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


def fast_discards(path: Path | None = None, original: object | None = None) -> FastDiscards:
    from streams.codebook import discards as d

    text = (path or d.discards_file()).read_text(encoding="utf-8", errors="replace")
    sentence, story = [], []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("<"):
            continue
        (story if line.startswith("+") else sentence).append(line.lstrip("+").strip())
    return FastDiscards(_fast_compile(sentence), _fast_compile(story), original)


# --- 3. quotations ----------------------------------------------------------------------------------


def sent_of(tok):
    """``tok.sent`` from one list of sentence starts per Doc (kept in ``doc.user_data``)."""
    doc = tok.doc
    cached = doc.user_data.get("_bench_sents")
    if cached is None:
        sents = list(doc.sents)
        cached = doc.user_data["_bench_sents"] = ([s.start for s in sents], sents)
    starts, sents = cached
    return sents[bisect.bisect_right(starts, tok.i) - 1]


def text_of(doc) -> str:
    """``doc.text`` joins every token's text on each access: once per Doc is enough."""
    text = doc.user_data.get("_bench_text")
    if text is None:
        text = doc.user_data["_bench_text"] = doc.text
    return text


def install_quotes() -> None:
    """``find_quotes`` with its one ``Token.sent`` call replaced (a source edit, so the
    proposal follows the module as it changes)."""
    import inspect

    from streams.core import extract
    from streams.core import quotes as q

    src = inspect.getsource(q.find_quotes)
    namespace = dict(vars(q), _bench_sent_of=sent_of, _bench_text=text_of)
    # the module may already index its sentences (it does since f6eec98): then only doc.text is left
    src = src.replace("doc[inside.start].sent", "_bench_sent_of(doc[inside.start])")
    src = src.replace("doc.text", "_bench_text(doc)")
    exec(src, namespace)  # noqa: S102 - our own source
    extract.find_quotes = namespace["find_quotes"]


# --- measure and check ------------------------------------------------------------------------------


def bench_pipeline(args: argparse.Namespace) -> int:
    import json

    from streams.adapters.nlp import load_coder
    from streams.commands.bench import pipeline
    from streams.settings import get_settings

    coder = load_coder(get_settings().nlp.model_copy(update={"batch_size": args.batch_size}))
    coder.codebook = replace(coder.codebook, discards=fast_discards(original=coder.codebook.discards))
    install_verbmatch()
    install_quotes()
    result = pipeline.run(args.input, limit=args.limit, batch_size=args.batch_size, repeat=args.repeat)
    result["fastpaths"] = True
    print(pipeline.render(result))
    print(json.dumps(result, default=str, sort_keys=True))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description="measure the proposed fast paths; fail if any event changes")
    ap.add_argument("--input", type=Path, required=True)
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--profile", action="store_true", help="cProfile the patched run (top 25 by own time)")
    ap.add_argument(
        "--bench-pipeline",
        action="store_true",
        help="run `wirewatch bench pipeline` (all articles, --repeat rounds) with the fast paths installed",
    )
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=16)
    args = ap.parse_args()
    if args.bench_pipeline:
        return bench_pipeline(args)

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
    fast_cb = replace(coder.codebook, discards=fast_discards(original=coder.codebook.discards))
    # the discard-list change alone, then all three
    disc_s, disc = code(fast_cb)
    install_verbmatch()
    install_quotes()
    after_s, after = code(fast_cb)
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.runcall(code, fast_cb)
        stats = pstats.Stats(prof)
        stats.sort_stats("tottime").print_stats(25)
        stats.print_callers("__get__")
    n = len(docs)
    print(f"{n} articles, extract+classify only (docs parsed beforehand):")
    print(f"  as committed         {before_s:7.2f} s  {1000 * before_s / n:7.1f} ms/article")
    print(f"  + fast discards      {disc_s:7.2f} s  {1000 * disc_s / n:7.1f} ms/article")
    print(f"  + verbs + quotes     {after_s:7.2f} s  {1000 * after_s / n:7.1f} ms/article")
    same = before == after == disc
    events = sum(len(x) for x in before)
    print(f"events: {events}; identical with the fast paths: {same}")
    for name, other in (("fast discards", disc), ("verbs + quotes", after)):
        for k, (x, y) in enumerate(zip(before, other, strict=True)):
            if x != y:
                print(f"  {name}: article {cleans[k].article_id}: {len(x)} vs {len(y)} events")
                print(f"    only before: {sorted(set(x) - set(y))[:1]}")
                print(f"    only after:  {sorted(set(y) - set(x))[:1]}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
