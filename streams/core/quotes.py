"""Quotations and who said them. Pure.

A quotation is text between “…” (or a pair of straight "…" within one paragraph) of at
least ``MIN_WORDS`` words — shorter ones are scare quotes (“balanced”, "core interests").
Its speaker, in order:

1. "According to X, … “…”" in the same sentence → X;
2. the subject of the reporting verb that governs the quotation ("Patrushev … said
   that “…”"), climbing through clauses and through a reporting noun ("Patrushev's office
   released a statement saying …" → "Patrushev's office");
3. the subject of the sentence's main verb, if it is an actor.

The speaker's actor is the mention on the speaker phrase's head or on its possessor
("Patrushev's office" → Patrushev's actor).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from streams.core.mentions import ActorMention, QuoteMention

MIN_WORDS = 4
SPEECH_VERBS = frozenset(
    {
        "say",
        "tell",
        "add",
        "state",
        "declare",
        "announce",
        "write",
        "note",
        "stress",
        "warn",
        "insist",
        "claim",
        "explain",
        "argue",
        "reply",
        "respond",
        "remark",
        "emphasize",
        "emphasise",
        "underline",
        "urge",
        "call",
        "describe",
        "quote",
        "comment",
        "affirm",
        "assert",
        "pledge",
        "vow",
        "promise",
        "acknowledge",
        "admit",
        "suggest",
        "tweet",
        "post",
        "conclude",
        "report",
    }
)
SPEECH_NOUNS = frozenset(
    {
        "statement",
        "comment",
        "remark",
        "communique",
        "communiqué",
        "declaration",
        "readout",
        "release",
        "message",
        "letter",
        "speech",
    }
)
_CURLY = re.compile(r"“([^“”]+)”")
_STRAIGHT = re.compile(r'"([^"\n]+)"')
_NP_DEPS = frozenset({"det", "amod", "compound", "poss", "case", "nmod", "nummod"})


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character offsets of the quoted text (marks excluded), in order, long enough."""
    spans = []
    for rx in (_CURLY, _STRAIGHT):
        for m in rx.finditer(text):
            inner = m.group(1)
            if len(inner.split()) >= MIN_WORDS:
                a, b = m.start(1), m.end(1)
                # trim the inner blanks and trailing punctuation that belongs to the frame
                while a < b and text[a].isspace():
                    a += 1
                while b > a and text[b - 1].isspace():
                    b -= 1
                spans.append((a, b))
    return sorted(set(spans))


def speaker_phrase(tok: Token) -> tuple[int, int]:
    """Token range of the noun phrase a speaker token heads, without appositions/clauses."""
    start = tok.i
    for c in tok.lefts:
        if c.dep_ in _NP_DEPS:
            start = min(start, c.left_edge.i)
    end = tok.i + 1
    # keep a flat name together ("Nikolai Patrushev") — its compounds are lefts already
    return start, end


def _according_to(tokens: Sequence[Token]) -> Token | None:
    for t in tokens:
        if t.lower_ == "according":
            for c in t.children:
                if c.lower_ == "to":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            return g
    return None


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c
    return None


def _reporting_subject(start: Token, inside: tuple[int, int]) -> Token | None:
    """Climb from a token inside the quotation to a speech verb/noun, return its subject.

    A subject within the quotation itself ("Mr. Weinstein acknowledges …" quoted from a
    statement) is the quotation's own grammar, not its speaker: skipped.
    """

    def outside(t: Token | None) -> Token | None:
        return t if t is not None and not (inside[0] <= t.idx < inside[1]) else None

    tok = start
    for _ in range(12):
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") and lemma in SPEECH_VERBS:
            subj = outside(_subject(tok))
            if subj is not None and subj.pos_ in ("PROPN", "NOUN", "PRON"):
                return subj
        if tok.pos_ == "NOUN" and lemma in SPEECH_NOUNS:
            # "X released a statement saying": the statement's verb's subject
            gov = tok.head
            if gov.i != tok.i and gov.pos_ in ("VERB", "AUX"):
                subj = outside(_subject(gov))
                if subj is not None:
                    return subj
        if tok.head.i == tok.i:
            break
        tok = tok.head
    return None


_PERSONAL = frozenset({"he", "she"})


def _nearest_frame(sent, inside: tuple[int, int]) -> Token | None:
    best: tuple[int, Token] | None = None
    for t in sent:
        if inside[0] <= t.idx < inside[1] or t.pos_ not in ("VERB", "AUX"):
            continue
        if t.lemma_.lower() not in SPEECH_VERBS:
            continue
        subj = _subject(t)
        if subj is None or inside[0] <= subj.idx < inside[1]:
            continue
        distance = min(abs(t.idx - inside[0]), abs(t.idx - inside[1]))
        if best is None or distance < best[0]:
            best = (distance, subj)
    return best[1] if best else None


def _mention_for(tok: Token, actors: Sequence[ActorMention] | dict[int, ActorMention]) -> ActorMention | None:
    def at(t: Token) -> ActorMention | None:
        if isinstance(actors, dict):
            return actors.get(t.i)
        return next((m for m in actors if m.token_start <= t.i < m.token_end), None)

    found = at(tok)
    if found is not None:
        return found
    for c in tok.children:
        if c.dep_ in ("poss", "compound", "amod"):
            found = at(c)
            if found is not None:
                return found
    return None


def find_quotes(doc: Doc, actors: Sequence[ActorMention]) -> list[QuoteMention]:
    out: list[QuoteMention] = []
    text = doc.text  # Doc.text joins every token on each access
    spans = quote_spans(text)
    if not spans:
        return out
    ents = doc.ents  # rebuilt on every access
    by_token: dict[int, ActorMention] = {}
    for m in actors:
        for i in range(m.token_start, m.token_end):
            by_token.setdefault(i, m)
    # Token.sent walks the document each time: index the sentences once
    sents = list(doc.sents)
    sent_of = [0] * len(doc)
    for k, s in enumerate(sents):
        for i in range(s.start, s.end):
            sent_of[i] = k
    for a, b in spans:
        inside = doc.char_span(a, b, alignment_mode="expand")
        if inside is None or len(inside) == 0:
            continue
        sent = sents[sent_of[inside.start]]
        speaker = _according_to([t for t in sent if t.i < inside.start])
        if speaker is None:
            # the quotation's topmost token, then up the parse
            top = min(inside, key=lambda t: len(list(t.ancestors)))
            speaker = _reporting_subject(top, (a, b))
        if speaker is None:
            # the parser may hang the frame under the quotation ("X said: “…”" parsed with
            # "said" as a clause of the quoted verb): the nearest speech verb outside it
            speaker = _nearest_frame(sent, (a, b))
        if speaker is None:
            root = sent.root
            subj = _subject(root)
            if subj is not None and not (a <= subj.idx < b) and _mention_for(subj, by_token) is not None:
                speaker = subj
        speaker_text = None
        mention = None
        if speaker is not None:
            s, e = speaker_phrase(speaker)
            speaker_text = doc[s:e].text
            mention = _mention_for(speaker, by_token)
            if mention is None and speaker.lower_ in _PERSONAL:
                # "he said": the last person named before it, if that person is an actor
                person = next(
                    (e for e in reversed(ents) if e.label_ == "PERSON" and e.end <= speaker.i), None
                )
                if person is not None:
                    mention = _mention_for(person.root, by_token)
        elif out and "\n" not in text[out[-1].end : a]:
            # a quotation running on in the same paragraph: the same speaker
            speaker_text, mention = out[-1].speaker_text, out[-1].speaker
        out.append(QuoteMention(start=a, end=b, text=text[a:b], speaker_text=speaker_text, speaker=mention))
    return out
