"""Codings of one trigger: a verb read against the verb dictionary, or an event noun.

A verb's code comes from its best PETRARCH pattern (:mod:`streams.core.verbmatch`), read
under the verb that frames it (:mod:`streams.core.readings`); its dyads from the parse
(:mod:`streams.core.dyads`). Light verbs ("held talks", "imposed sanctions") take the code
of the event noun they carry; meeting nouns ("a meeting with B") code by themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from schemas.events import Modality
from streams.core.actor_index import ActorIndex, agent_only, np_actors, unique_mentions
from streams.core.attacks import bombing_code, place_target, unknown_attacker
from streams.core.coding import Coding
from streams.core.dyads import Dyad, find_dyads, nominal_dyads
from streams.core.mentions import ActorMention
from streams.core.readings import (
    APPEAL_HEADS,
    INTENT_HEADS,
    REFUSE_HEADS,
    REPORTING,
    THREAT_HEADS,
    appeal_code,
    conditional,
    future_code,
    has_future,
    modality_of,
    refusal_code,
    threat_code,
    volition_code,
)
from streams.core.relevance import is_political, kind
from streams.core.roots import figurative, purpose_code, show_of_force, violence_kind, without_channel
from streams.core.senses import (
    asked_question,
    come_idiom,
    commentators_view,
    generic_present,
    habitual,
    naming,
    needs_parties,
    needs_pattern,
    statement_not_demand,
    transitive_other_sense,
)
from streams.core.verbmatch import match_verb

if TYPE_CHECKING:
    from streams.codebook import Codebook

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


# Roots where "A and B did it" means they did it with each other.
SYMMETRIC_ROOTS = frozenset({"03", "04", "05", "06"})


# Violence: attacks by no one named and attacks on a place (see dyads.unknown_attacker).
VIOLENT_ROOTS = frozenset({"18", "19", "20"})


# "X said Y must ..." is a demand; "should" is advice, not a demand.
OBLIGATION_AUX = frozenset({"must"})


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
    # nominalised acts, coded as their verbs would be (CAMEO's codes)
    "suspension": "160",
    "withdrawal": "087",
    "pullout": "087",
    "release": "084",
    "arrest": "173",
    "detention": "173",
    "indictment": "173",
    "expulsion": "174",
    "deportation": "174",
    "condemnation": "111",
    "criticism": "111",
    "accusation": "112",
    "lawsuit": "115",
    "warning": "130",
    "threat": "130",
    "donation": "070",
    "airstrike": "195",
    "invasion": "192",
    "agreement": "057",
    "deal": "057",
    "treaty": "057",
    "pact": "057",
    "accord": "057",
    "emergency": "1724",
    "siege": "1724",
    "crackdown": "175",
    "evacuation": "0874",
}


def _xcomp_reading(
    verb: Token, code: str, index: ActorIndex, codebook: Codebook
) -> tuple[str, str, Token] | None:
    """How an xcomp's code reads under its head: (code, how, verb whose dyad counts).

    None when the head verb codes the whole phrase by itself.
    """
    head = verb.head
    hl = head.lemma_.lower()
    if hl in INTENT_HEADS:
        return volition_code(code) or code, "intent", verb
    if hl in REFUSE_HEADS:
        return refusal_code(code), "intent", verb
    if hl in THREAT_HEADS:
        return threat_code(code), "intent", verb
    if hl in APPEAL_HEADS:
        head_match = match_verb(head, codebook.verbs, index.is_actor)
        return appeal_code(head_match.code if head_match else None, code), "intent", head
    head_match = match_verb(head, codebook.verbs, index.is_actor)
    if head_match is not None and head_match.code is not None:
        return None
    return code, "verb", verb


def verb_codings(
    verb: Token, sent: Span, index: ActorIndex, codebook: Codebook, readings: bool = True
) -> list[Coding]:
    obligation = _obligation_codings(verb, sent, index, codebook) if readings else None
    if obligation is not None:
        return obligation
    if readings and (habitual(verb) or asked_question(verb) or commentators_view(verb) or come_idiom(verb)):
        return []  # "typically reacts with anger", "Asked about the deal, he said": no act
    m = match_verb(verb, codebook.verbs, index.is_actor, with_ccomp=not readings)
    default = m is not None and m.pattern is None
    # "called it a sad day" names; "takes a picture" is no seizure: only a pattern says more
    shown = readings and m is not None and show_of_force(m.code or "", verb) is not None
    senseless = (
        readings
        and default
        and not shown  # "conducted a nuclear test", "staged drills": the object says what was done
        and (
            needs_pattern(verb)
            or naming(verb)
            or transitive_other_sense(verb)
            or generic_present(verb)
            or statement_not_demand(verb)
        )
    )
    if (
        m is None
        or m.code is None
        or (default and verb.lemma_.lower() in LIGHT_VERBS and not shown)
        or senseless
    ):
        light = _light_verb_codings(verb, sent, index, blocked=False)
        if not light and readings and (m is None or m.pattern is None) and _intent_xcomp(verb):
            # "is willing to send material", "offered to hand over": the intent itself (030)
            modality = modality_of(verb)
            code = "030" if modality is not Modality.NEGATED else "120"
            return [
                Coding(d.source, d.target, code, verb.i, sent, "intent", Modality.ASSERTED)
                for d in find_dyads(verb, index)
            ]
        if light or m is None or m.code is None or senseless:
            return light
    code, how = m.code, m.how
    if readings:
        code = purpose_code(verb, code, index, codebook)
    base_root = code[:2]  # before an intent, refusal or threat reading recodes it
    actor_verb = verb
    if verb.dep_ == "xcomp" and verb.head.i != verb.i and readings:
        reading = _xcomp_reading(verb, code, index, codebook)
        if reading is None:
            return []  # the head verb's own code reads the whole phrase
        new_code, new_how, actor_verb = reading
        if new_how == "intent":
            code, how = new_code, "intent"
    if readings:
        code = violence_kind(code, verb, index)
        code = show_of_force(code, verb) or code
    modality = modality_of(verb)
    if readings and modality is Modality.NEGATED and 3 <= int(code[:2]) <= 8:
        # "will not accept refugees", "did not agree": a refusal is itself the event
        code, how, modality = refusal_code(code), "intent", Modality.ASSERTED
    if (
        readings
        and how != "intent"
        and (has_future(verb) or conditional(verb))
        and modality is not Modality.NEGATED
    ):
        future = future_code(code)
        if future is not None:
            code, how = future, "intent"
    if how == "intent" and modality is not Modality.NEGATED:
        modality = Modality.ASSERTED  # the statement of intent is itself the event
    target_slot = m.target_slot if actor_verb.i == verb.i else None
    source_slot = m.source_slot if actor_verb.i == verb.i else None
    codings = []
    # "A and B agreed", "A and B failed to reach agreement": with each other
    symmetric = code[:2] in SYMMETRIC_ROOTS or base_root in SYMMETRIC_ROOTS or not readings
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
    if readings:
        codings = [without_channel(c) for c in codings if not figurative(c, verb)]
    if readings and default and needs_parties(verb):
        # "called it", "shot to fame", "beat the Texans": the default sense holds between parties
        codings = [c for c in codings if is_political(c.source) and _party(c.target)]
    return _unique_codings(codings)


_PARTIES = frozenset({"political", "state", "collective", "criminal"})


def _party(m: ActorMention | None) -> bool:
    """A party to an interaction: a political or collective actor, or a person or agent of
    any sector ("a journalist", "a businessman"); not a state that only qualifies a thing
    ("Chinese goods"), an unknown organisation, or nothing."""
    if m is None:
        return False
    if kind(m) in _PARTIES:
        return True
    return m.how not in ("modifier", "entity") and (bool(m.actor.name) or bool(m.actor.sector))


def _unique_codings(codings: list[Coding]) -> list[Coding]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for c in codings:
        key = (actor_key(c.source), actor_key(c.target), c.code)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _obligation_codings(
    verb: Token, sent: Span, index: ActorIndex, codebook: Codebook
) -> list[Coding] | None:
    """ "X said that Y must Z": a demand (CAMEO 10) by X on Y, whatever Z is."""
    if not any(c.dep_ == "aux" and c.lower_ in OBLIGATION_AUX for c in verb.children):
        return None
    if verb.dep_ not in ("ccomp", "xcomp", "conj", "acl") or verb.head.i == verb.i:
        return None
    head = verb.head
    if verb.dep_ == "conj":
        # "said the talks failed and Iran must comply": the duty is reported by "said";
        # "rejected the bill and now it must go through": coordinated with an act, no one demands
        while head.dep_ == "conj" and head.head.i != head.i:
            head = head.head
        if head.dep_ in ("ccomp", "xcomp") and head.head.i != head.i:
            head = head.head
        elif head.lemma_.lower() not in REPORTING:
            return None
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
    for s_ in unique_mentions(speakers):
        for t in targets or [None]:
            if t is None or actor_key(t) != actor_key(s_):
                out.append(Coding(s_, t, code, verb.i, sent, "intent", Modality.ASSERTED))
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
        modality = modality_of(verb)
        how = "nominal"
        if _intent_xcomp(verb) and modality is not Modality.NEGATED:
            # "wants to introduce house arrest": the intent (03) or threat (13) of it
            code, how, modality = volition_code(code) or code, "intent", Modality.ASSERTED
        elif has_future(verb) and modality is not Modality.NEGATED:
            code = future_code(code) or code
        return [
            Coding(d.source, d.target, code, verb.i, sent, how, modality)
            # coordinated subjects face each other only in interactions ("A and B renewed
            # talks"), not when each does the act ("A and B announced their withdrawal")
            for d in find_dyads(verb, index, symmetric=code[:2] in SYMMETRIC_ROOTS)
        ]
    return []


def nominal_codings(tok: Token, sent: Span, index: ActorIndex) -> list[Coding]:
    code = NOMINAL_TRIGGERS.get(tok.lemma_.lower())
    if code is None or tok.pos_ not in ("NOUN", "PROPN"):
        return []
    out = []
    for dyad in nominal_dyads(tok, index):
        # "A's visit to B": A visits (042), B hosts (043), as the verb's [042:043]
        own = NOMINAL_REVERSE.get(code, code) if dyad.reversed_ else code
        out.append(Coding(dyad.source, dyad.target, own, tok.i, sent, "nominal", Modality.ASSERTED))
    return out


NOMINAL_REVERSE = {"042": "043"}


def actor_key(m: ActorMention | None) -> str:
    if m is None:
        return ""
    return m.actor.code or m.actor.country or m.text
