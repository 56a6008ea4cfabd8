"""Classify: diplomatic events from a parsed article and its actor mentions.

For every sentence (not discarded), every verb in the verb dictionary and every
nominal trigger ("meeting with", "talks between") is read against the dependency
parse (:mod:`streams.core.dyads` finds the dyad, :mod:`streams.core.verbmatch`
the CAMEO code). The resulting :class:`Coding` s are merged into one
:class:`~schemas.events.DiplomaticEvent` per (source code, target code, CAMEO
root, event date): the most specific code is kept (a pattern over a verb's
default, a longer code over a shorter one) and every sentence that reported it
becomes an evidence entry.

Not events: pure reporting frames ("Al Jazeera reports that …", "X said …" whose
clause carries the event) — statements (CAMEO 01) are only kept when the
sentence has nothing better and names a target; media outlets never act.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from schemas.articles import CleanArticle
from schemas.events import (
    Actor,
    Cameo,
    DateRange,
    DiplomaticEvent,
    Evidence,
    Location,
    Modality,
    Plover,
    Quote,
)
from streams.core.dyads import (
    ActorIndex,
    Dyad,
    agent_only,
    bombing_code,
    find_dyads,
    is_locative,
    nominal_dyads,
    np_actors,
    place_target,
    subject_tokens,
    unknown_attacker,
)
from streams.core.mentions import ActorMention, Mentions
from streams.core.verbmatch import match_verb

# Nouns that report a consultation by themselves ("a meeting with Guo", "talks
# between Xi and Putin"); CAMEO codes meetings symmetrically.
NOMINAL_TRIGGERS: dict[str, str] = {
    "meeting": "040",
    "talk": "040",
    "talks": "040",
    "summit": "040",
    "consultation": "040",
    "negotiation": "046",
    "visit": "042",
    "phone call": "041",
    "call": "041",
}
# Domestic events with no named target (CAMEO's convention): dissent (demands, protests)
# by non-state actors is aimed at their government; repression (threats, coercion) by
# state actors at their civilians.
DISSENT_ROOTS = frozenset({"10", "14"})
REPRESSION_ROOTS = frozenset({"13", "17"})
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "PRS"})
# Roots where "A and B did it" means they did it with each other.
SYMMETRIC_ROOTS = frozenset({"03", "04", "05", "06"})
# Violence: attacks by no one named and attacks on a place (see dyads.unknown_attacker).
VIOLENT_ROOTS = frozenset({"18", "19", "20"})

# Heads of an xcomp that turn the action into an expression of intent, a refusal
# or a threat ("agreed to expand", "ready to discuss", "refused to release").
INTENT_HEADS = frozenset(
    {
        "agree",
        "promise",
        "pledge",
        "vow",
        "offer",
        "plan",
        "intend",
        "ready",
        "willing",
        "prepared",
        "decide",
        "commit",
        "undertake",
        "hope",
        "want",
        "seek",
        "aim",
        "eager",
        "expect",
    }
)
REFUSE_HEADS = frozenset({"refuse", "decline", "reject", "fail", "unwilling", "oppose"})
THREAT_HEADS = frozenset({"threaten", "warn"})
# Only the shallowest coded clause of a sentence becomes an event: subordinate
# clauses ("… to help defend Saudi Arabia if it is attacked") mostly add noise.
MAIN_EVENTS_ONLY = True
REPORT_VERBS = frozenset(
    {
        "say",
        "tell",
        "announce",
        "report",
        "declare",
        "state",
        "add",
        "confirm",
        "claim",
        "insist",
        "reiterate",
        "note",
        "quote",
        "reveal",
        "indicate",
        "stress",
        "warn",
    }
)
OBLIGATION_AUX = frozenset({"must", "should"})
# Verbs whose own default code says less than the event noun they carry
# ("organized a general strike", "launched an attack", "continued their hunger strike").
LIGHT_VERBS = frozenset(
    {
        "organize",
        "organise",
        "stage",
        "hold",
        "launch",
        "begin",
        "start",
        "continue",
        "conduct",
        "mount",
        "call",
        "resume",
        "renew",
        "open",
        "undertake",
        "make",
        "give",
        "take",
        "issue",
        "announce",
        "declare",
        "step",
        "carry",
        "go",
        "lead",
        "join",
    }
)
APPEAL_HEADS = frozenset(
    {"urge", "call", "appeal", "ask", "request", "press", "plead", "demand", "insist", "invite", "encourage"}
)

# Event nouns that carry the code when the verb itself is not coded ("renewed
# negotiations", "gave a warm welcome", "imposed sanctions").
NOUN_EVENTS: dict[str, str] = {
    "negotiation": "046",
    "mediation": "045",
    "welcome": "043",
    "aid": "070",
    "assistance": "070",
    "loan": "071",
    "grant": "071",
    "sanction": "163",
    "embargo": "163",
    "boycott": "163",
    "ceasefire": "0871",
    "truce": "0871",
    "protest": "141",
    "demonstration": "141",
    "strike": "143",
    "walkout": "143",
    "rally": "141",
    "march": "141",
    "riot": "145",
    "sit-in": "141",
    "attack": "190",
    "offensive": "190",
    "raid": "190",
    "investigation": "090",
    "hearing": "090",
    "inquiry": "090",
    "probe": "090",
    "apology": "055",
    "recognition": "054",
    "support": "050",
    "blockade": "191",
    "curfew": "1723",
    "ultimatum": "139",
}
FUTURE_HEADS = frozenset({"plan", "intend", "expect", "schedule", "set", "due", "go"})
HYPOTHETICAL_MARKS = frozenset({"if", "unless", "whether"})
HYPOTHETICAL_AUX = frozenset({"would", "could", "might", "may", "should"})


@dataclass(frozen=True)
class Coding:
    """One coded reading of one trigger in one sentence (before merging)."""

    source: ActorMention
    target: ActorMention | None
    code: str
    trigger: int  # token index
    sentence: Span
    how: str  # pattern | verb | intent | nominal
    modality: Modality = Modality.ASSERTED


def _intent_code(code: str) -> str:
    root = code[:2]
    return {
        "04": "036",
        "05": "032",
        "06": {"061": "0311", "062": "0312", "063": "0313", "064": "0314"}.get(code[:3], "031"),
        "07": {"071": "0331", "072": "0332", "073": "0333", "074": "0334"}.get(code[:3], "033"),
        "08": {"081": "0351", "084": "0353", "085": "0354", "086": "0355", "087": "0356"}.get(
            code[:3], "035"
        ),
        "03": code,
    }.get(root, "030")


def _refusal_code(code: str) -> str:
    return {"03": "120", "04": "125", "05": "120", "06": "121", "07": "122", "08": "124"}.get(code[:2], "120")


def _threat_code(code: str) -> str:
    """The threat (CAMEO 13) of carrying out a conflictual act."""
    c3, root = code[:3], int(code[:2])
    specific = {
        "161": "1313",
        "162": "1311",
        "163": "1312",
        "164": "134",
        "165": "135",
        "166": "136",
        "172": "132",
        "174": "136",
        "191": "1381",
        "192": "1382",
    }
    if code.startswith("1724"):
        return "1324"
    if code.startswith("1723"):
        return "1323"
    if c3 in specific:
        return specific[c3]
    if root == 16:
        return "131"
    if root == 17:
        return "130"
    if root == 15:
        return "130"
    if root >= 18:
        return "138"
    return "130"


def _volition_code(code: str) -> str | None:
    """An act stated as intended, planned or conditional: cooperation → intent (03),
    conflict → threat (13); verbal acts (09–12) and appeals stay as they are."""
    root = int(code[:2])
    if not 1 <= root <= 20:
        return None  # not a CAMEO code (a test dictionary's own)
    if 3 <= root <= 8:
        return _intent_code(code)
    if root >= 15 or root == 13:
        return _threat_code(code)
    return None


def _modality(verb: Token) -> Modality:
    chain = [verb]
    t = verb
    while t.dep_ in ("xcomp", "conj", "acomp") and t.head.i != t.i:
        t = t.head
        chain.append(t)
    for v in chain:
        for c in v.children:
            if c.dep_ == "neg":
                return Modality.NEGATED
    for v in chain:
        for c in v.children:
            if c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS:
                return Modality.HYPOTHETICAL
            if c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_AUX:
                return Modality.HYPOTHETICAL
    for v in chain:
        for c in v.children:
            if c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll"):
                return Modality.FUTURE
        if v.i != verb.i and v.lemma_.lower() in FUTURE_HEADS:
            return Modality.FUTURE
    return Modality.ASSERTED


def _appeal_code(head_code: str | None, code: str) -> str:
    base = "10" if head_code and head_code.startswith("10") else "02"
    return base + {"04": "6", "05": "2", "06": "1", "07": "3", "08": "5"}.get(code[:2], "0")


def _has_future(verb: Token) -> bool:
    for c in verb.children:
        if c.dep_ == "aux" and c.lower_ in ("will", "would", "shall", "'ll", "wo"):
            return True
    head = verb.head
    # "is going to restore", "plans to send"
    return (
        verb.dep_ == "xcomp"
        and head.lemma_.lower() in ("go", "plan", "intend", "prepare")
        and head.i != verb.i
    )


def _future_code(code: str) -> str | None:
    return None if code[:2] == "03" else _volition_code(code)


def _conditional(verb: Token) -> bool:
    """ "may halt mediation if …", "would blockade unless …"."""
    aux = any(
        c.dep_ == "aux" and c.lower_ in ("may", "might", "could", "would", "will") for c in verb.children
    )
    cond = any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
        for c in verb.children
    )
    return aux and cond


def _xcomp_reading(verb: Token, code: str, index: ActorIndex, codebook) -> tuple[str, str, Token] | None:
    """How an xcomp's code reads under its head: (code, how, verb whose dyad counts).

    None when the head verb codes the whole phrase by itself.
    """
    head = verb.head
    hl = head.lemma_.lower()
    if hl in INTENT_HEADS:
        return _volition_code(code) or code, "intent", verb
    if hl in REFUSE_HEADS:
        return _refusal_code(code), "intent", verb
    if hl in THREAT_HEADS:
        return _threat_code(code), "intent", verb
    if hl in APPEAL_HEADS:
        head_match = match_verb(head, codebook.verbs, index.is_actor)
        return _appeal_code(head_match.code if head_match else None, code), "intent", head
    head_match = match_verb(head, codebook.verbs, index.is_actor)
    if head_match is not None and head_match.code is not None:
        return None
    return code, "verb", verb


_IRREGULAR_SECTORS = ("REB", "INS", "UAF", "TER", "IMG", "SEP")
_IRREGULAR_WORDS = ("guerrilla", "militant", "bomber", "insurgent", "militia", "terrorist", "gunmen", "rebel")


def _violence_kind(code: str, verb: Token, index: ActorIndex) -> str:
    """CAMEO 18 (unconventional violence) when irregular forces act, 19 (conventional
    military force) when a state's forces do: a verb's default "kill"/"attack" code
    does not know who pulled the trigger."""
    if code not in ("180", "190"):
        return code
    subj, _ = subject_tokens(verb)
    sources = [m for s in subj for m in np_actors(s, index)]
    if not sources:
        return code
    m = sources[0]
    actor_code = (m.actor.code or "").upper()
    irregular = any(sec in actor_code[3:] or actor_code.startswith(sec) for sec in _IRREGULAR_SECTORS) or any(
        w in m.text.lower() for w in _IRREGULAR_WORDS
    )
    if irregular:
        return "180"
    if "MIL" in actor_code or "COP" in actor_code:
        return "190"
    return code


def _verb_codings(
    verb: Token, sent: Span, index: ActorIndex, codebook, readings: bool = True
) -> list[Coding]:
    obligation = _obligation_codings(verb, sent, index, codebook) if readings else None
    if obligation is not None:
        return obligation
    m = match_verb(verb, codebook.verbs, index.is_actor, with_ccomp=not readings)
    if m is None or m.code is None or (m.pattern is None and verb.lemma_.lower() in LIGHT_VERBS):
        light = _light_verb_codings(verb, sent, index, blocked=False)
        if not light and readings and (m is None or m.pattern is None) and _intent_xcomp(verb):
            # "is willing to send material", "offered to hand over": the intent itself (030)
            modality = _modality(verb)
            code = "030" if modality is not Modality.NEGATED else "120"
            return [
                Coding(d.source, d.target, code, verb.i, sent, "intent", Modality.ASSERTED)
                for d in find_dyads(verb, index)
            ]
        if light or m is None or m.code is None:
            return light
    code, how = m.code, m.how
    actor_verb = verb
    if verb.dep_ == "xcomp" and verb.head.i != verb.i and readings:
        reading = _xcomp_reading(verb, code, index, codebook)
        if reading is None:
            return []  # the head verb's own code reads the whole phrase
        new_code, new_how, actor_verb = reading
        if new_how == "intent":
            code, how = new_code, "intent"
    if readings:
        code = _violence_kind(code, verb, index)
    modality = _modality(verb)
    if readings and modality is Modality.NEGATED and 3 <= int(code[:2]) <= 8:
        # "will not accept refugees", "did not agree": a refusal is itself the event
        code, how, modality = _refusal_code(code), "intent", Modality.ASSERTED
    if (
        readings
        and how != "intent"
        and (_has_future(verb) or _conditional(verb))
        and modality is not Modality.NEGATED
    ):
        future = _future_code(code)
        if future is not None:
            code, how = future, "intent"
    if how == "intent" and modality is not Modality.NEGATED:
        modality = Modality.ASSERTED  # the statement of intent is itself the event
    target_slot = m.target_slot if actor_verb.i == verb.i else None
    source_slot = m.source_slot if actor_verb.i == verb.i else None
    codings = []
    symmetric = code[:2] in SYMMETRIC_ROOTS or not readings
    reverse = m.reverse_code if how in ("pattern", "verb") else None
    violent = readings and code[:2] in VIOLENT_ROOTS
    implied = unknown_attacker(actor_verb, index) if violent else None
    if implied is not None:
        # no one named: an unidentified attacker; a bomb as the means is CAMEO's 183x
        code = bombing_code(actor_verb) or code
    dyads = find_dyads(
        actor_verb,
        index,
        target_slot=target_slot,
        source_slot=source_slot,
        symmetric=symmetric,
        implied_source=implied,
    )
    if violent:
        dyads = [
            d if d.target is not None else Dyad(d.source, place_target(actor_verb, index), d.reversed_)
            for d in dyads
        ]
    for dyad in dyads:
        codings.append(Coding(dyad.source, dyad.target, code, verb.i, sent, how, modality))
        if reverse and dyad.target is not None and not dyad.reversed_:
            # "[042:043]": A visits B, and B hosts A
            codings.append(Coding(dyad.target, dyad.source, reverse, verb.i, sent, how, modality))
    return _unique_codings(codings)


def _unique_codings(codings: list[Coding]) -> list[Coding]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for c in codings:
        key = (_actor_key(c.source), _actor_key(c.target), c.code)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _obligation_codings(verb: Token, sent: Span, index: ActorIndex, codebook) -> list[Coding] | None:
    """ "X said that Y must Z": a demand (CAMEO 10) by X on Y, whatever Z is."""
    if not any(c.dep_ == "aux" and c.lower_ in OBLIGATION_AUX for c in verb.children):
        return None
    if verb.dep_ not in ("ccomp", "xcomp", "conj", "acl") or verb.head.i == verb.i:
        return None
    head = verb.head
    if head.pos_ in ("NOUN",) and head.head.pos_ in ("VERB", "AUX"):
        head = head.head  # "issued a reminder to Iraq that it must cooperate"
    if head.pos_ not in ("VERB", "AUX"):
        return None
    m = match_verb(verb, codebook.verbs, index.is_actor)
    inner = m.code if m is not None and m.code else "100"
    code = "10" + {"04": "6", "05": "2", "06": "1", "07": "3", "08": "5", "03": "2"}.get(inner[:2], "0")
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    targets = [a for t in subj for a in np_actors(t, index)] or [
        a for a in (agent_only(t, index) for t in subj) if a is not None
    ]
    speakers = [d.source for d in find_dyads(head, index)]
    if not speakers or not targets:
        return None
    out = []
    for s_ in _unique_m(speakers):
        for t in targets or [None]:
            if t is None or _actor_key(t) != _actor_key(s_):
                out.append(Coding(s_, t, code, verb.i, sent, "intent", Modality.ASSERTED))
    return out


def _unique_m(ms: list[ActorMention]) -> list[ActorMention]:
    out: list[ActorMention] = []
    for m in ms:
        if m not in out:
            out.append(m)
    return out


def _intent_xcomp(verb: Token) -> bool:
    return (
        verb.dep_ == "xcomp"
        and verb.head.i != verb.i
        and verb.head.lemma_.lower() in INTENT_HEADS
        and verb.pos_ == "VERB"
    )


def _light_verb_codings(verb: Token, sent: Span, index: ActorIndex, *, blocked: bool) -> list[Coding]:
    """An uncoded verb whose object names the event: "renewed negotiations", "gave a welcome"."""
    if blocked:
        return []
    for obj in verb.children:
        if obj.dep_ not in ("dobj", "nsubjpass"):
            continue
        code = NOUN_EVENTS.get(obj.lemma_.lower())
        if code == "143" and any(c.lower_ == "hunger" for c in obj.children):
            code = "142"
        if code is None or obj.lemma_.lower() in NOMINAL_TRIGGERS:
            continue  # meeting-like nouns are read by _nominal_codings
        modality = _modality(verb)
        if _has_future(verb) and modality is not Modality.NEGATED:
            code = _future_code(code) or code
        return [
            Coding(d.source, d.target, code, verb.i, sent, "nominal", modality)
            for d in find_dyads(verb, index)
        ]
    return []


def _nominal_codings(tok: Token, sent: Span, index: ActorIndex) -> list[Coding]:
    code = NOMINAL_TRIGGERS.get(tok.lemma_.lower())
    if code is None or tok.pos_ not in ("NOUN", "PROPN"):
        return []
    out = []
    for dyad in nominal_dyads(tok, index):
        out.append(Coding(dyad.source, dyad.target, code, tok.i, sent, "nominal", Modality.ASSERTED))
    return out


def _clause_head(tok: Token) -> Token:
    t = tok
    for _ in range(20):
        if t.pos_ in ("VERB", "AUX") or t.head.i == t.i:
            return t
        t = t.head
    return t


def _governor(tok: Token) -> Token:
    """The verb an xcomp chain hangs from ("agreed to expand" → agreed)."""
    t = tok
    while t.dep_ == "xcomp" and t.head.i != t.i:
        t = t.head
    return t


def _depth(tok: Token) -> int:
    """Clause depth of a trigger: xcomp chains ("agreed to expand") and reporting
    frames ("said that …") do not count, so the main event of a sentence is at 0."""
    d = 0
    t = tok
    for _ in range(20):
        if t.head.i == t.i:
            break
        head = t.head
        if t.dep_ not in ("xcomp", "acomp", "aux") and not (
            t.dep_ == "ccomp" and head.lemma_.lower() in REPORT_VERBS
        ):
            d += 1
        t = head
    return d


def find_codings(
    doc: Doc, mentions: Mentions, *, codebook, main_only: bool = MAIN_EVENTS_ONLY, readings: bool = True
) -> list[Coding]:
    """Every coded reading of every sentence, unmerged (also used by the PETRARCH evaluation).

    ``readings=False`` and ``main_only=False`` give PETRARCH-2's own conventions: every
    coded clause, and no recoding of future/negated/intended acts into CAMEO's intent,
    threat, refusal and demand codes (which the CAMEO manual asks for and PETRARCH-2's
    validation suite does not expect).
    """
    index = ActorIndex(
        doc,
        mentions.actors,
        getattr(codebook, "agents", None),
        places=mentions.places if readings else (),
        countries=mentions.countries if readings else (),
    )
    discards = getattr(codebook, "discards", None)
    if discards is not None and discards.discards_story(doc.text):
        return []
    out: list[Coding] = []
    discard_spans = discards.sentence_matches(doc.text) if discards is not None else []
    for sent in doc.sents:
        # A discard phrase ("years ago", "World War II", a sports cup) silences the clause
        # it stands in, not a whole sentence whose main event merely mentions the past.
        silenced = set()
        for a, b in discard_spans:
            if sent.start_char <= a < sent.end_char:
                span = doc.char_span(a, b, alignment_mode="expand")
                if span is not None:
                    silenced.add(_clause_head(span.root).i)
        codings: list[Coding] = []
        for tok in sent:
            if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADJ" and tok.dep_ in ("ROOT", "conj", "ccomp")):
                codings.extend(_verb_codings(tok, sent, index, codebook, readings))
            elif tok.pos_ in ("NOUN", "PROPN"):
                codings.extend(_nominal_codings(tok, sent, index))
        # An outlet reporting is a frame, not an event ("Al Jazeera reports that …").
        # In the stream an outlet never acts (datelines such as "AFP North Korea fired …"
        # make it a subject); PETRARCH's suite codes media acting, so there only the
        # reporting frame is silenced.
        codings = [
            c for c in codings if not (_is_media(c.source) and (readings or _reporting(doc[c.trigger])))
        ]
        if silenced:
            codings = [
                c
                for c in codings
                if _clause_head(doc[c.trigger]).i not in silenced
                and _governor(doc[c.trigger]).i not in silenced
            ]
        substantive = [c for c in codings if not c.code.startswith("01")]
        if substantive:
            codings = substantive
        else:
            codings = [c for c in codings if c.target is not None]
        if main_only and codings:
            top = min(_depth(doc[c.trigger]) for c in codings)
            codings = [c for c in codings if _depth(doc[c.trigger]) == top]
        out.extend(codings)
    return out


def _reporting(tok: Token) -> bool:
    return tok.lemma_.lower() in REPORT_VERBS or tok.lemma_.lower() in (
        "quote",
        "cite",
        "write",
        "broadcast",
        "publish",
    )


def _is_media(m: ActorMention) -> bool:
    sector = (m.actor.sector or "").upper()
    code = (m.actor.code or "").upper()
    return sector.startswith("MED") or code.endswith("MED")


# --------------------------------------------------------------------------- events


def _actor_key(m: ActorMention | None) -> str:
    if m is None:
        return ""
    return m.actor.code or m.actor.country or m.text


def _date_for(sent: Span, mentions: Mentions, clean: CleanArticle) -> date | DateRange | None:
    inside = [d for d in mentions.dates if sent.start_char <= d.start < sent.end_char]
    if inside:
        return inside[0].value
    # Narrative carries the last date forward ("On September 19 … Following the meeting …").
    before = [d for d in mentions.dates if d.end <= sent.start_char]
    if before:
        return max(before, key=lambda d: d.start).value
    return clean.published_at.date() if clean.published_at is not None else None


def _date_key(value: date | DateRange | None) -> str:
    if value is None:
        return ""
    if isinstance(value, DateRange):
        return f"{value.start.isoformat()}/{value.end.isoformat()}"
    return value.isoformat()


def _location_for(sent: Span, mentions: Mentions) -> Location | None:
    for p in mentions.places:
        if sent.start_char <= p.start < sent.end_char and is_locative(sent.doc, p.start, p.end):
            return p.location
    return None


def _quote_for(sent: Span, mentions: Mentions) -> Quote | None:
    for q in mentions.quotes:
        if sent.start_char <= q.start and q.end <= sent.end_char + 2:
            speaker_code = q.speaker.actor.code if q.speaker is not None else None
            return Quote(text=q.text, speaker=q.speaker_text, speaker_code=speaker_code)
    return None


def _paragraph_starts(clean: CleanArticle) -> list[int]:
    starts, pos = [], 0
    for para in clean.paragraphs:
        k = clean.text.find(para, pos)
        if k < 0:
            break
        starts.append(k)
        pos = k + len(para)
    return starts


def _evidence(sent, trigger: str, starts: Sequence[int]) -> Evidence:
    """A sentence as evidence, without the white space spaCy leaves at its edges."""
    text = sent.text
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    start = sent.start_char + lead
    return Evidence(
        text=stripped,
        start=start,
        end=start + len(stripped),
        paragraph=_paragraph_of(start, starts),
        trigger=trigger,
    )


def _paragraph_of(offset: int, starts: Sequence[int]) -> int | None:
    idx = None
    for k, s in enumerate(starts):
        if s <= offset:
            idx = k
    return idx


_CONFIDENCE = {"pattern": 0.85, "intent": 0.75, "verb": 0.65, "nominal": 0.6}
_ACTOR_CONFIDENCE = {
    "dictionary": 1.0,
    "context": 0.9,
    "nationality": 0.85,
    "agent": 0.85,
    "coreference": 0.8,
    "implied": 0.6,  # an unidentified attacker or a place as target, from the sentence's places
}


_BARE_MEETINGS = frozenset({"meeting", "talk", "talks", "summit"})


def _bare_meeting_mentions(doc: Doc, mentions: Mentions, groups) -> dict:
    """ "Following the meeting in the city of Nanping": a meeting named without its
    parties is the last meeting reported before it; it adds a mention and a place."""
    out: dict = {}
    meeting_keys = [(min(c.sentence.start_char for c in g), k) for k, g in groups.items() if k[2] == "04"]
    if not meeting_keys:
        return out
    for tok in doc:
        if tok.lemma_.lower() not in _BARE_MEETINGS or tok.pos_ != "NOUN":
            continue
        if not any(c.lower_ in ("the", "that", "this") for c in tok.children):
            continue  # only a definite mention refers back
        if any(c.dep_ == "prep" and c.lower_ in ("with", "between", "among") for c in tok.children):
            continue  # it names its parties: coded on its own
        sent = tok.sent
        earlier = [(start, k) for start, k in meeting_keys if start < sent.start_char]
        if not earlier:
            continue
        last = max(start for start, _ in earlier)
        for start, k in earlier:
            if start == last:
                out.setdefault(k, []).append((sent, tok))
    return out


def _domestic_targets(groups, dates, mentions):
    """Domestic events with no named target get the implied party of the country they
    happen in (the place, else the source's country): protests and demands by non-state
    actors face the government, threats and coercion by state actors the civilians
    (CAMEO's convention for domestic events). The implied actor says so in its text."""
    out: dict = {}
    for key, group in groups.items():
        best = max(group, key=_rank)
        code = (best.source.actor.code or "").upper()
        sector = (best.source.actor.sector or code[3:6]).upper()
        implied_sector = who = None
        if key[1] == "" and key[2] in DISSENT_ROOTS and sector not in STATE_SECTORS:
            implied_sector, who = "GOV", "government"
        elif key[1] == "" and key[2] in REPRESSION_ROOTS and sector in STATE_SECTORS:
            implied_sector, who = "CVL", "civilians"
        if implied_sector:
            place = _location_for(best.sentence, mentions)
            country = (place.country if place else None) or best.source.actor.country
            if country:
                text = f"{who} of {country} (implied)"
                implied = ActorMention(
                    start=best.source.start,
                    end=best.source.end,
                    text=text,
                    actor=Actor(
                        text=text, code=f"{country}{implied_sector}", country=country, sector=implied_sector
                    ),
                    token_start=best.source.token_start,
                    token_end=best.source.token_end,
                    how="context",
                )
                new_key = (key[0], implied.actor.code, key[2], key[3])
                if new_key not in groups:
                    out.setdefault(new_key, []).extend(replace(c, target=implied) for c in group)
                    dates[new_key] = dates[key]
                    continue
        out.setdefault(key, []).extend(group)
    return out


def event_id(
    article_id: str, source: str, target: str, code: str, event_date: str, coder_version: str
) -> str:
    """Deterministic: the same article, dyad, code and date under one coder version → one id."""
    key = "|".join((article_id, source, target, code, event_date, coder_version))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _actor(m: ActorMention) -> Actor:
    return m.actor.model_copy(update={"text": m.text, "start": m.start, "end": m.end})


def _rank(c: Coding) -> tuple:
    # The most informative reading of one (dyad, root, date): pattern > intent > verb > nominal,
    # then the longer (more specific) code, then the earliest mention.
    order = {"pattern": 3, "intent": 2, "verb": 1, "nominal": 0}
    return (order.get(c.how, 0), len(c.code), -c.trigger)


def classify(
    doc: Doc, mentions: Mentions, *, codebook, clean: CleanArticle, coder_version: str
) -> list[DiplomaticEvent]:
    codings = find_codings(doc, mentions, codebook=codebook)
    groups: dict[tuple[str, str, str, str], list[Coding]] = {}
    dates: dict[tuple[str, str, str, str], date | DateRange | None] = {}
    for c in codings:
        entry = codebook.cameo.get(c.code)
        if entry is None:
            continue  # a code outside CAMEO (fictional test dictionaries)
        if entry.root == "01":
            continue  # statements frame events in wire copy; PLOVER has no type for them
        if c.target is not None and (c.source.start, c.source.end) == (c.target.start, c.target.end):
            continue  # one mention cannot act on itself; two mentions of one country may (domestic events)
        when = _date_for(c.sentence, mentions, clean)
        key = (_actor_key(c.source), _actor_key(c.target), entry.root, _date_key(when))
        groups.setdefault(key, []).append(c)
        dates[key] = when
    groups = _domestic_targets(groups, dates, mentions)
    extra_evidence = _bare_meeting_mentions(doc, mentions, groups)
    starts = _paragraph_starts(clean)
    events: list[DiplomaticEvent] = []
    for key, group in groups.items():
        best = max(group, key=_rank)
        entry = codebook.cameo[best.code]
        code = best.code if best.code in codebook.cameo else entry.code
        evidence: list[Evidence] = []
        seen_sents: set[int] = set()
        for c in sorted(group, key=lambda c: c.sentence.start_char):
            if c.sentence.start_char in seen_sents:
                continue
            seen_sents.add(c.sentence.start_char)
            evidence.append(_evidence(c.sentence, doc[c.trigger].text, starts))
        location = None
        quote = None
        for c in sorted(group, key=lambda c: c.sentence.start_char):
            location = location or _location_for(c.sentence, mentions)
            quote = quote or _quote_for(c.sentence, mentions)
        for sent, trigger in extra_evidence.get(key, ()):
            location = location or _location_for(sent, mentions)
            if sent.start_char not in seen_sents:
                seen_sents.add(sent.start_char)
                evidence.append(_evidence(sent, trigger.text, starts))
        evidence.sort(key=lambda ev: ev.start)
        conf = _CONFIDENCE.get(best.how, 0.5)
        conf *= min(
            _ACTOR_CONFIDENCE.get(best.source.how, 0.8),
            _ACTOR_CONFIDENCE.get(best.target.how, 0.8) if best.target else 0.9,
        )
        conf = min(1.0, conf + 0.05 * (len(evidence) - 1))
        when = dates[key]
        modality = best.modality
        if any(c.modality is Modality.ASSERTED for c in group):
            modality = Modality.ASSERTED
        events.append(
            DiplomaticEvent(
                event_id=event_id(clean.article_id, key[0], key[1], code, key[3], coder_version),
                article_id=clean.article_id,
                article_source=clean.source,
                published_at=clean.published_at,
                source=_actor(best.source),
                target=_actor(best.target) if best.target is not None else None,
                cameo=Cameo(
                    code=code,
                    root=entry.root,
                    name=entry.name,
                    goldstein=entry.goldstein,
                    quad_class=entry.quad_class,
                ),
                plover=Plover(event=entry.plover.event, mode=entry.plover.mode, context=entry.plover.context),
                modality=modality,
                event_date=when,
                location=location,
                evidence=evidence,
                quote=quote,
                confidence=round(conf, 3),
                coder_version=coder_version,
            )
        )
    events = _share_places(events)
    events.sort(key=lambda e: (e.evidence[0].start, e.event_id))
    return events


def _share_places(events: list[DiplomaticEvent]) -> list[DiplomaticEvent]:
    """A meeting and its mirror image (B met A) happened in the same place."""
    where = {
        (e.source.code, e.target.code, e.cameo.root, str(e.event_date)): e.location
        for e in events
        if e.location is not None and e.target is not None
    }
    out = []
    for e in events:
        if e.location is None and e.target is not None and e.cameo.root == "04":
            mirror = where.get((e.target.code, e.source.code, e.cameo.root, str(e.event_date)))
            if mirror is not None:
                e = e.model_copy(update={"location": mirror})
        out.append(e)
    return out


__all__ = ["Coding", "classify", "event_id", "find_codings"]
