"""Matching PETRARCH verb patterns against a verb's dependency subtree.

A pattern's words after ``*`` must appear, in order but with gaps allowed, among
the tokens of the verb's own phrase that follow it (objects, particles,
prepositional phrases, an ``xcomp``), never in a coordinated or subordinate
clause; the words before ``*`` among the phrase's tokens before the verb
(subject, auxiliaries, adverbs). A token matches a dictionary word by its lower-case
text or lemma, so "exchanges" matches ``EXCHANGE``. Actor slots (``+`` ``$`` ``%``)
match a token inside an actor mention. The most specific pattern (most words) wins;
a pattern coded ``---`` wins too and then blocks the event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from streams.codebook.verbs import PREP_HEAD, Element, VerbDictionary, VerbEntry, VerbPattern

# Dependents that start another clause or event: their words are not the verb's.
_CLAUSAL = frozenset(
    {"conj", "cc", "ccomp", "advcl", "relcl", "parataxis", "punct", "mark", "acl", "csubj", "csubjpass"}
)
# PETRARCH's verb phrase also holds a complement clause ("allowed that Mordor isn't a
# really pleasant place"); wirewatch codes that clause as an event of its own.
_CLAUSAL_WITH_CCOMP = _CLAUSAL - {"ccomp"}
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})


@dataclass(frozen=True)
class VerbMatch:
    entry: VerbEntry
    pattern: VerbPattern | None  # None: the verb's default code
    code: str | None
    reverse_code: str | None
    target_slot: Token | None = None  # the token the pattern's "+" matched
    source_slot: Token | None = None

    @property
    def how(self) -> str:
        return "pattern" if self.pattern is not None else "verb"


def _phrase_tokens(verb: Token, with_ccomp: bool = False) -> tuple[list[Token], list[Token]]:
    before: list[Token] = []
    after: list[Token] = []
    clausal = _CLAUSAL_WITH_CCOMP if with_ccomp else _CLAUSAL

    def walk(tok: Token, top: bool) -> None:
        for child in tok.children:
            if top and child.dep_ in clausal:
                continue
            if not top and child.dep_ in ("conj", "cc", "relcl", "ccomp", "advcl", "parataxis", "punct"):
                # inside an object, a coordinated noun is still part of the phrase
                if child.dep_ != "conj" or child.pos_ == "VERB":
                    continue
            (before if child.i < verb.i else after).append(child)
            walk(child, False)

    walk(verb, True)
    before.sort(key=lambda t: t.i)
    after.sort(key=lambda t: t.i)
    return before, after


def _match_seq(words: Sequence[str], forms: Sequence[tuple[str, str, bool]], i: int) -> int | None:
    """Match consecutive words at forms[i:] (text, lemma, is_punct); the index after the match."""
    j = i
    n = len(forms)
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


def _forms(toks: Sequence[Token]) -> list[tuple[str, str, bool]]:
    return [(t.lower_, t.lemma_.lower(), t.is_punct) for t in toks]


def _vocabulary(forms: Sequence[tuple[str, str, bool]]) -> set[str]:
    out: set[str] = set()
    for text, lemma, _ in forms:
        out.update((text, lemma))
    return out


def _possible(elements: Sequence[Element], vocab: set[str]) -> bool:
    """A cheap test before the ordered match: every word slot has a candidate word."""
    for el in elements:
        if el.is_marker:
            continue
        if not any(alt[0] in vocab or alt[0].rstrip("s") in vocab for alt in el.alternatives):
            return False
    return True


_PREP_DEPS = frozenset({"prep", "agent", "dative", "prt"})


def _verb_pp(tok: Token, verb: Token) -> bool:
    """A preposition of the verb's own phrase: on the verb, or on its object or xcomp."""
    if tok.dep_ not in _PREP_DEPS:
        return False
    h = tok.head
    return h.i == verb.i or (h.head.i == verb.i and h.dep_ in ("dobj", "xcomp", "acomp", "prt", "advmod"))


def _in_pp(tok: Token, prep: str, verb: Token) -> bool:
    """Whether ``tok`` sits under a preposition ``prep`` of the verb's phrase."""
    t = tok
    while t.i != verb.i and t.head.i != t.i:
        if t.dep_ in _PREP_DEPS and t.lower_ == prep:
            return True
        t = t.head
    return False


def _match_elements(
    elements: Sequence[Element],
    toks: Sequence[Token],
    is_actor,
    slots: dict[str, Token],
    verb: Token,
    forms: Sequence[tuple[str, str, bool]],
) -> bool:
    pos = 0
    for el in elements:
        found = False
        for k in range(pos, len(toks)):
            if el.prep == PREP_HEAD and not _verb_pp(toks[k], verb):
                continue
            if el.prep and el.prep != PREP_HEAD and not _in_pp(toks[k], el.prep, verb):
                continue
            if el.is_marker:
                if is_actor(toks[k]):
                    slots.setdefault(el.marker or "+", toks[k])
                    pos, found = k + 1, True
                    break
                continue
            for alt in el.alternatives:
                end = _match_seq(alt, forms, k)
                if end is not None:
                    pos, found = end, True
                    break
            if found:
                break
        if not found:
            return False
    return True


def _particles_ok(entry: VerbEntry, verb: Token) -> bool:
    if not entry.particles:
        return True
    near = [c for c in verb.children if c.dep_ in ("prt", "prep", "advmod", "dobj", "acomp") and c.i > verb.i]
    words = [c.lemma_.lower() for c in sorted(near, key=lambda t: t.i)]
    return all(p in words for p in entry.particles)


def _fallback_forms(verb: Token) -> list[str]:
    """Base forms to try when the lemmatizer missed ("staged" → "stag")."""
    t = verb.lower_
    out = [t]
    for suffix, repl in (
        ("ied", "y"),
        ("ies", "y"),
        ("ed", "e"),
        ("ed", ""),
        ("d", ""),
        ("ing", "e"),
        ("ing", ""),
        ("es", ""),
        ("s", ""),
    ):
        if t.endswith(suffix) and len(t) > len(suffix) + 2:
            out.append(t[: -len(suffix)] + repl)
    return out


def match_verb(verb: Token, verbs: VerbDictionary, is_actor, *, with_ccomp: bool = False) -> VerbMatch | None:
    """The best dictionary reading of ``verb``, or None if the verb is not in it."""
    entries = verbs.lookup(verb.lemma_)
    if not entries:
        for form in _fallback_forms(verb):
            entries = verbs.lookup(form)
            if entries:
                break
    if not entries:
        return None
    entries = [e for e in entries if _particles_ok(e, verb)]
    if not entries:
        return None
    # A multi-word verb ("clear up") beats the bare one when its particle is there.
    entries.sort(key=lambda e: -len(e.particles))
    before, after = _phrase_tokens(verb, with_ccomp)
    before_forms, after_forms = _forms(before), _forms(after)
    before_vocab, after_vocab = _vocabulary(before_forms), _vocabulary(after_forms)
    best: VerbMatch | None = None
    best_score = -1
    seen: set[int] = set()
    for entry in entries:
        if id(entry.patterns) in seen:
            continue
        seen.add(id(entry.patterns))
        for pat in entry.patterns:
            if pat.words <= best_score:
                continue
            if not _possible(pat.after, after_vocab) or not _possible(pat.before, before_vocab):
                continue
            slots: dict[str, Token] = {}
            if not _match_elements(pat.before, before, is_actor, slots, verb, before_forms):
                continue
            if not _match_elements(pat.after, after, is_actor, slots, verb, after_forms):
                continue
            best_score = pat.words
            best = VerbMatch(entry, pat, pat.code, pat.reverse_code, slots.get("+"), slots.get("$"))
    if best is not None:
        return best
    first = entries[0]
    return VerbMatch(first, None, first.code, first.reverse_code)
