"""Who did it to whom: source and target actors from the dependency parse.

The source is the verb's subject (the ``by`` agent of a passive), inherited
through ``xcomp``/``conj`` chains ("agreed to expand", "praised … and said"); the
target is the object, the dative, or the object of a preposition, looked for in the
verb's phrase and then inside its direct object ("restore ties *with Gondor*",
"support *for Moscow's* interests"). A noun phrase names the actor it contains:
the mention on its head, else one on a compound/possessive/adjective/appositive or
an ``of``/``from``/``in`` phrase ("soldiers from Gondor"). Coordinated actors
("A and B agreed") give one dyad per actor; with no other target they face each
other. Pronouns take the nearest earlier actor; "both sides" the last pair seen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from schemas.events import Actor
from streams.core.mentions import ActorMention

_TARGET_PREPS = (
    "with",
    "to",
    "against",
    "on",
    "for",
    "toward",
    "towards",
    "from",
    "into",
    "at",
    "over",
    "about",
    "between",
    "by",
    "of",
    "in",
)
_NP_MOD_DEPS = ("compound", "poss", "amod", "nmod", "appos", "npadvmod")
_NP_PREPS = frozenset({"of", "from", "in", "by"})
# Prepositions that say where or when, not to whom: tried last for a target.
_LOCATIVE_PREPS = frozenset(
    {"in", "at", "on", "near", "along", "during", "inside", "outside", "throughout", "across"}
)
_PRONOUNS = frozenset({"he", "she", "it", "they", "him", "her", "them", "his", "its", "their"})
_BOTH = frozenset({"both", "two"})
_BOTH_NOUNS = frozenset(
    {"side", "party", "country", "leader", "government", "nation", "delegation", "minister", "president"}
)


# Passive forms that describe the subject's own stance ("is opposed to", "is committed to").
STATIVE_PASSIVES = frozenset({"oppose", "commit", "determine", "dedicate", "devote", "engage"})


@dataclass(frozen=True)
class Dyad:
    source: ActorMention
    target: ActorMention | None
    reversed_: bool = False  # the reverse reading of a symmetric dyad


class ActorIndex:
    """Actor mentions by token, with look-backs for pronouns and "both sides"."""

    def __init__(
        self, doc: Doc, actors: Sequence[ActorMention], agents=None, *, places=(), countries=()
    ) -> None:
        self.doc = doc
        self.agents = agents
        # Where an unnamed agent ("students", "police") belongs when nothing in its
        # phrase says: the sentence's place, else the article's main country. Empty
        # when coding with PETRARCH's conventions, which leave such agents as "---".
        self.places = tuple(places)
        self.countries = tuple(countries)
        self.mentions = sorted(actors, key=lambda m: m.token_start)
        self.by_token: dict[int, ActorMention] = {}
        for m in self.mentions:
            for i in range(m.token_start, m.token_end):
                self.by_token.setdefault(i, m)
        self.pairs: list[tuple[int, ActorMention, ActorMention]] = []  # (token, a, b) of compound dyads

    def is_actor(self, tok: Token) -> bool:
        return tok.i in self.by_token

    def at(self, tok: Token) -> ActorMention | None:
        return self.by_token.get(tok.i)

    def before(self, i: int, *, person: bool | None = None) -> ActorMention | None:
        best = None
        for m in self.mentions:
            if m.token_end > i:
                break
            if person and not self.looks_person(m):
                continue
            best = m
        return best

    def looks_person(self, m: ActorMention) -> bool:
        return bool(m.actor.name) or any(
            t.ent_type_ == "PERSON" for t in self.doc[m.token_start : m.token_end]
        )

    def last_pair(self, i: int) -> tuple[ActorMention, ActorMention] | None:
        best = None
        for tok_i, a, b in self.pairs:
            if tok_i < i:
                best = (a, b)
        return best

    def note_pair(self, i: int, a: ActorMention, b: ActorMention) -> None:
        self.pairs.append((i, a, b))


def np_actors(tok: Token, index: ActorIndex, depth: int = 0) -> list[ActorMention]:
    """The actors a noun phrase headed by ``tok`` names (several when coordinated)."""
    if depth > 3:
        return []
    found: list[ActorMention] = []
    own = index.at(tok)
    if own is not None:
        found.append(own)
    elif tok.lower_ in _PRONOUNS and tok.pos_ == "PRON":
        ref = _antecedent(tok, index)
        if ref is not None:
            found.append(ref)
    elif _is_both(tok):
        pair = index.last_pair(tok.i)
        if pair:
            found.extend(pair)
    else:
        for dep in _NP_MOD_DEPS:
            for child in tok.children:
                if child.dep_ == dep:
                    found.extend(np_actors(child, index, depth + 1))
            if found:
                break
        if not found:
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in _NP_PREPS:
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            found.extend(np_actors(pobj, index, depth + 1))
                if found:
                    break
    for child in tok.children:
        if child.dep_ == "conj" and child.pos_ != "VERB":
            found.extend(np_actors(child, index, depth + 1))
    out: list[ActorMention] = []
    for m in found:
        if m not in out:
            out.append(m)
    return out


_COORD_PATH = frozenset({"conj", "cc", "compound", "amod", "nmod", "appos", "det", "punct", "nummod"})


def _coordinated(tok: Token, index: ActorIndex, have: list[ActorMention]) -> list[ActorMention]:
    """Every actor coordinated in a subject, however the parser nested the list
    ("Arnor, Calenardhon and the evil awful Gondor"): mentions reached from the head
    through conjunctions and modifiers only (not possessives or prepositions)."""
    out: list[ActorMention] = []
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ not in _COORD_PATH:
                continue
            m = index.at(c)
            if m is not None and m not in have and m not in out and not any(_overlap(m, h) for h in have):
                out.append(m)
            stack.append(c)
    return out


def _overlap(a: ActorMention, b: ActorMention) -> bool:
    return a.token_start < b.token_end and b.token_start < a.token_end


def _antecedent(pron: Token, index: ActorIndex) -> ActorMention | None:
    """A pronoun's actor: the subject of the clause it is reported in ("Putin said he
    was ready"), else the nearest earlier subject actor, else the nearest earlier actor."""
    person = pron.lower_ in ("he", "she", "him", "her", "his")
    t = pron.head
    for _ in range(6):
        if t.dep_ in ("ccomp", "conj", "xcomp", "advcl", "acomp") and t.head.i != t.i:
            t = t.head
            for c in t.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.i < pron.i:
                    m = index.at(c) or next(iter(np_actors(c, index, 3)), None)
                    if m is not None and (not person or index.looks_person(m)):
                        return m
        else:
            break
    subj = None
    for m in index.mentions:
        if m.token_end > pron.i:
            break
        head = index.doc[m.token_start : m.token_end].root
        if head.dep_ in ("nsubj", "nsubjpass") and (not person or index.looks_person(m)):
            subj = m
    if subj is not None and pron.sent.start - 40 < subj.token_start:
        return subj
    return index.before(pron.i, person=person)


def _is_both(tok: Token) -> bool:
    if tok.lemma_.lower() not in _BOTH_NOUNS:
        return False
    return any(c.lower_ in _BOTH for c in tok.children) or tok.lower_ in ("both",)


def subject_tokens(verb: Token) -> tuple[list[Token], bool]:
    """(subject heads, passive?) of ``verb``, climbing xcomp/conj/acomp chains."""
    t = verb
    for _ in range(6):
        subs = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subs:
            passive = any(c.dep_ == "nsubjpass" for c in subs)
            if passive:
                agents = [p for c in t.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
                if not agents and t.lemma_.lower() in STATIVE_PASSIVES:
                    return subs, False  # "Israel is opposed to …": the subject acts
                return agents, True
            return subs, False
        if t.dep_ == "relcl":
            return [t.head], False
        if t.dep_ == "acl" and t.head.dep_ in ("dobj", "pobj") and t.head.head.pos_ in ("VERB", "AUX"):
            # "issued a declaration demanding …": the issuer demands
            t = t.head.head
            continue
        if t.dep_ == "xcomp":
            # object control: "urged Eriador to respond" — Eriador responds
            objs = [c for c in t.head.children if c.dep_ in ("dobj",)]
            if objs and t.head.lemma_.lower() not in ("promise",):
                return objs, False
        if t.dep_ in ("xcomp", "conj", "acomp", "advcl", "ccomp") and t.head.i != t.i:
            t = t.head
            continue
        break
    return [], False


def _target_tokens(verb: Token) -> list[Token]:
    """Candidate target heads, best first: objects, the object's own phrases ("an attack
    *by* X", "ties *with* Y"), the verb's non-locative phrases, then locative ones."""
    out: list[Token] = []
    children = list(verb.children)
    out.extend(c for c in children if c.dep_ == "nsubjpass")
    objs = [c for c in children if c.dep_ in ("dobj", "dative", "iobj", "attr", "oprd")]
    out.extend(objs)
    for obj in [c for c in objs if c.dep_ == "dobj"]:
        for p in obj.children:
            if p.dep_ == "prep" and p.lower_ not in _LOCATIVE_PREPS:
                out.extend(c for c in p.children if c.dep_ == "pobj")
        for c in obj.children:
            if c.dep_ == "acl":
                # "expressed hopes that Osgiliath could be drawn in", "an accord to supply Gondor"
                out.extend(x for x in c.children if x.dep_ in ("dobj", "nsubj", "nsubjpass"))
    preps = [c for c in children if c.dep_ == "prep"]

    def rank(c: Token) -> tuple[bool, int]:
        return c.lower_ in _LOCATIVE_PREPS, _TARGET_PREPS.index(c.lower_) if c.lower_ in _TARGET_PREPS else 99

    for p in sorted(preps, key=rank):
        if p.lower_ in _LOCATIVE_PREPS:
            continue
        out.extend(c for c in p.children if c.dep_ == "pobj")
    for x in [c for c in children if c.dep_ in ("xcomp", "ccomp")]:
        out.extend(c for c in x.children if c.dep_ in ("dobj", "nsubj", "nsubjpass"))
        for p in x.children:
            if p.dep_ == "prep" and p.lower_ not in _LOCATIVE_PREPS:
                out.extend(c for c in p.children if c.dep_ == "pobj")
    for x in [c for c in children if c.dep_ == "advcl" and any(m.lower_ == "to" for m in c.children)]:
        # a purpose clause: "signed an accord to supply Gondor", "to protest against Sweden's decision"
        out.extend(c for c in x.children if c.dep_ in ("dobj", "dative"))
        for p in x.children:
            if p.dep_ == "prep" and p.lower_ not in _LOCATIVE_PREPS:
                out.extend(c for c in p.children if c.dep_ == "pobj")
    for x in [
        c for c in children if c.dep_ == "advcl" and any(m.lower_ in ("if", "unless") for m in c.children)
    ]:
        # a condition names who is being pressed: "… unless Israel rescinded its annexation"
        out.extend(c for c in x.children if c.dep_ in ("nsubj", "nsubjpass"))
    for p in sorted(preps, key=rank):
        if p.lower_ in _LOCATIVE_PREPS:
            out.extend(c for c in p.children if c.dep_ == "pobj")
    return out


_NO_DESCEND = frozenset(
    {
        "conj",
        "cc",
        "ccomp",
        "advcl",
        "relcl",
        "parataxis",
        "punct",
        "mark",
        "nsubj",
        "nsubjpass",
        "csubj",
        "aux",
        "neg",
    }
)


def _deep_target(verb: Token, index: ActorIndex, sources: list[ActorMention]) -> list[ActorMention]:
    """Breadth-first down the verb's own phrase: "considers bolstering ties *with China*"."""
    frontier = [c for c in verb.children if c.dep_ not in _NO_DESCEND and c.i > verb.i]
    for _ in range(5):
        nxt: list[Token] = []
        for tok in frontier:
            m = index.at(tok)
            if (
                m is not None
                and m not in sources
                and tok.dep_
                in (
                    "pobj",
                    "dobj",
                    "poss",
                    "compound",
                    "dative",
                    "attr",
                    "oprd",
                    "appos",
                    "conj",
                    "nmod",
                    "amod",
                )
            ):
                found = [a for a in np_actors(tok, index) if a not in sources]
                return found or [m]
            nxt.extend(c for c in tok.children if c.dep_ not in _NO_DESCEND and c.dep_ != "relcl")
        frontier = nxt
        if not frontier:
            break
    return []


def agent_only(tok: Token, index: ActorIndex, *, strict: bool = False) -> ActorMention | None:
    """A subject no dictionary names but whose noun is a known agent ("Islamic
    fundamentalists", "thousands of students"): coded ``---`` + agent, as PETRARCH does."""
    if index.agents is None or tok.pos_ not in ("NOUN", "PROPN"):
        return None
    heads = [tok] + [
        p
        for c in tok.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for p in c.children
        if p.dep_ == "pobj"
    ]
    for h in heads:
        words = [c for c in h.children if c.dep_ in ("compound", "amod") and c.i < h.i] + [h]
        words.sort(key=lambda t: t.i)
        for cand in (words, [h]):
            matches = index.agents.find_all([t.text for t in cand])
            if matches:
                agent = matches[-1].agent
                lo = min(t.i for t in tok.subtree if t.i <= h.i)
                span = index.doc[lo : h.i + 1]
                # an organisation in the phrase that no dictionary knows ("EC truce
                # monitors") says whose agents these are: then the context does not
                named = h.pos_ == "NOUN" and any(
                    c.pos_ == "PROPN"
                    and c.dep_ in ("compound", "nmod")
                    and c.i < h.i
                    and (c.ent_type_ == "ORG" or (c.is_upper and len(c.text) >= 2))
                    for c in h.children
                )
                country = None if named else _context_country(tok, index, strict=strict)
                base = country or "---"
                code = agent.apply(base) if not agent.prefix else agent.code + base
                return ActorMention(
                    start=span.start_char,
                    end=span.end_char,
                    text=span.text,
                    actor=Actor(text=span.text, code=code, country=country, sector=agent.sector),
                    token_start=span.start,
                    token_end=span.end,
                    how="context" if country else "agent",
                )
    return None


def _context_country(tok: Token, index: ActorIndex, *, strict: bool = False) -> str | None:
    """Where an unnamed agent belongs: the place the sentence says things happen ("police
    in Nairobi", "killed in Beirut"), else any place the sentence names, else the
    article's main country. ``strict`` (targets): only the place things happen, else the
    article's country when it names only one — a country named as a party ("pressure the
    communist regime" in a sentence about the US) does not place the agent. None under
    PETRARCH's conventions (no countries given)."""
    if not index.countries:
        return None
    sent = tok.sent
    where = locations(sent, index)
    if where:
        return where[0][1]
    if strict:
        return index.countries[0] if len(index.countries) == 1 else None
    for p in index.places:
        if sent.start_char <= p.start < sent.end_char and p.location.country:
            return p.location.country
    return index.countries[0]


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


# Nouns naming an attack or its means, not who carried it out ("a roadside bombing
# killed …", "killed by an improvised explosive device").
ATTACK_NOUNS = frozenset(
    {
        "attack",
        "ambush",
        "bomb",
        "bombing",
        "blast",
        "explosion",
        "device",
        "explosive",
        "ied",
        "grenade",
        "mine",
        "landmine",
        "rocket",
        "missile",
        "mortar",
        "shell",
        "shelling",
        "gunfire",
        "airstrike",
        "crossfire",
    }
)
BOMB_NOUNS = frozenset({"bomb", "bombing", "blast", "explosion", "device", "explosive", "ied"})


def _attack_noun(tok: Token) -> bool:
    return tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in ATTACK_NOUNS


# Violent verbs that name a deliberate act by themselves; "kill", "wound" or "die" may be
# an accident ("killed when a tram derailed") unless an attack is named as the means.
DELIBERATE_VERBS = frozenset(
    {
        "attack",
        "assault",
        "assassinate",
        "murder",
        "shoot",
        "gun",
        "stab",
        "behead",
        "bomb",
        "shell",
        "ambush",
        "abduct",
        "kidnap",
        "massacre",
        "execute",
        "torture",
        "storm",
        "raid",
    }
)
# The dependency path from a place up to the verb stays inside the verb's own phrase:
# objects, prepositional phrases of place and their modifiers — no other clause.
_PHRASE_DEPS = frozenset({"pobj", "prep", "compound", "amod", "nmod", "appos", "dobj", "npadvmod", "agent"})
_PHRASE_PREPS = frozenset(
    {"in", "at", "near", "outside", "inside", "across", "throughout", "of", "on", "into", "against", "by"}
)


def _in_phrase(tok: Token, verb: Token, *, subject: bool) -> bool:
    """Whether ``tok`` hangs from ``verb`` through its own phrase (``subject``: the
    subject's phrase counts too: "a bombing *near Samarra* killed …")."""
    t = tok
    for _ in range(12):
        if t.head.i == t.i:
            return False
        if t.dep_ in ("nsubj", "nsubjpass") and t.head.i == verb.i:
            return subject
        if t.dep_ not in _PHRASE_DEPS or (t.dep_ in ("prep", "agent") and t.lower_ not in _PHRASE_PREPS):
            return False
        t = t.head
        if t.i == verb.i:
            return True
    return False


def _phrase_location(verb: Token, index: ActorIndex, *, subject: bool) -> tuple[int, str, str, Span] | None:
    for start, country, place in locations(verb.sent, index):
        span = index.doc.char_span(start, start + len(place), alignment_mode="expand")
        if span is not None and _in_phrase(span.root, verb, subject=subject):
            return start, country, place, span
    return None


def _means(verb: Token) -> list[Token]:
    """What a violent act was done with or by: its subject and ``by``/``in`` phrases."""
    out = [c for c in verb.children if c.dep_ == "nsubj"]
    for c in verb.children:
        if c.dep_ in ("agent", "prep") and c.lower_ in ("by", "in"):
            out.extend(p for p in c.children if p.dep_ == "pobj")
    return out


def unknown_attacker(verb: Token, index: ActorIndex) -> ActorMention | None:
    """The unidentified perpetrator of an attack whose text names no one: an agentless
    passive of a deliberate act ("was assassinated in Beirut"; "killed in a car bomb
    explosion in Beirut") or an attack as the subject ("a roadside bombing near Samarra
    killed …"). Placed in the country of the place the verb's own phrase names (the
    PLOVER gold's convention), marked as implied; None when the phrase says nowhere, when
    the victim is itself a weapon ("the missile was fired from Sunan") or when nothing
    says the act was an attack ("killed when a tram derailed near London")."""
    if not index.countries:
        return None
    subj, passive = subject_tokens(verb)
    victims = [c for c in verb.children if c.dep_ == "nsubjpass"]
    if subj and not all(_attack_noun(s) for s in subj):
        return None
    if not subj and not (passive or victims):
        return None
    if any(_attack_noun(v) for v in victims):
        return None  # a weapon launched, not a victim attacked
    if verb.lemma_.lower() not in DELIBERATE_VERBS and not any(_attack_noun(m) for m in _means(verb)):
        return None
    found = _phrase_location(verb, index, subject=True)
    if found is None:
        return None
    _, country, place, _span = found
    anchor = subj[0] if subj else verb
    text = f"unidentified perpetrator in {place} (implied)"
    return ActorMention(
        start=anchor.idx,
        end=anchor.idx + len(anchor.text),
        text=text,
        actor=Actor(text=text, code=country, country=country),
        token_start=anchor.i,
        token_end=anchor.i + 1,
        how="implied",
    )


def bombing_code(verb: Token) -> str | None:
    """CAMEO 183x when a bomb is the means of the act (subject, ``by`` agent or ``in``
    phrase of the verb): 1831 suicide, 1832 car, 1833 roadside, else 183."""
    cands = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    for c in verb.children:
        if c.dep_ in ("agent", "prep") and c.lower_ in ("by", "in"):
            cands.extend(p for p in c.children if p.dep_ == "pobj")
    for c in cands:
        mods = {m.lower_ for m in c.children if m.dep_ in ("compound", "amod")}
        mods |= {m.lower_ for x in c.children if x.dep_ in ("compound", "amod") for m in x.children}
        if c.dep_ == "nsubjpass" or not ({c.lemma_.lower()} | mods) & BOMB_NOUNS:
            continue  # neither a bomb nor a bomb attack ("killed in a bomb attack")
        if "suicide" in mods:
            return "1831"
        if mods & {"car", "truck", "vehicle"}:
            return "1832"
        if "roadside" in mods:
            return "1833"
        return "183"
    return None


def place_target(verb: Token, index: ActorIndex) -> ActorMention | None:
    """The place an attack with no named victim was aimed at, when the verb's own phrase
    says where ("fired shells at targets in Khan Yunis"; not the subject's phrase, "police
    in Seattle", nor another clause): coded as the place's country (the CAMEO convention
    for attacks on a location), marked as implied."""
    if not index.countries:
        return None
    found = _phrase_location(verb, index, subject=False)
    if found is None:
        return None
    _, country, place, span = found
    text = f"{place} (implied: where the attack took place)"
    return ActorMention(
        start=span.start_char,
        end=span.end_char,
        text=text,
        actor=Actor(text=text, code=country, country=country),
        token_start=span.start,
        token_end=span.end,
        how="implied",
    )


def _unique(ms: Iterable[ActorMention]) -> list[ActorMention]:
    out: list[ActorMention] = []
    for m in ms:
        if m not in out:
            out.append(m)
    return out


def _code(m: ActorMention) -> str:
    return m.actor.code or m.actor.country or m.text


def _locative_slot(tok: Token, verb: Token) -> bool:
    """ "in Beirut" of "was killed in Beirut": where the verb happened, not to whom."""
    return tok.dep_ == "pobj" and tok.head.lower_ in _LOCATIVE_PREPS and tok.head.head.i == verb.i


def _agent_target(
    cands: Sequence[Token], index: ActorIndex, sources: list[ActorMention]
) -> list[ActorMention]:
    """An unnamed agent as the target, only when the context gives it a country: a bare
    "---" target says nothing a missing one does not (and would block the implied
    domestic target)."""
    for t in cands:
        found = agent_only(t, index, strict=True)
        if found is not None and found.actor.country and not any(_overlap(found, s) for s in sources):
            return [found]
    return []


def find_dyads(
    verb: Token,
    index: ActorIndex,
    *,
    target_slot: Token | None = None,
    source_slot: Token | None = None,
    symmetric: bool = True,
    implied_source: ActorMention | None = None,
) -> list[Dyad]:
    """Dyads of a verb. ``symmetric``: coordinated subjects with no other target face
    each other ("A and B agreed"), as CAMEO codes agreements and meetings.
    ``implied_source``: the source when the text names none (:func:`unknown_attacker`)."""
    subj_toks, _passive = subject_tokens(verb)
    sources: list[ActorMention] = []
    if source_slot is not None and index.at(source_slot) is not None:
        sources = [index.at(source_slot)]  # type: ignore[list-item]
    else:
        for s in subj_toks:
            sources.extend(np_actors(s, index))
            sources.extend(_coordinated(s, index, sources))
    sources = _unique(sources)
    if not sources:
        sources = [m for m in (agent_only(s, index) for s in subj_toks) if m is not None]
    if not sources and implied_source is not None:
        sources = [implied_source]
    if not sources:
        return []
    targets: list[ActorMention] = []
    if target_slot is not None and index.at(target_slot) is not None:
        targets = np_actors(target_slot, index) or [index.at(target_slot)]  # type: ignore[list-item]
    else:
        fallback: list[ActorMention] = []
        cands = _target_tokens(verb)
        where_only = False  # the target found is only where the verb happened ("in Beirut")
        fallback_where = False
        for t in cands:
            found = [
                m
                for m in np_actors(t, index)
                if m not in sources and not any(_overlap(m, s) for s in sources)
            ]
            other = [m for m in found if _code(m) not in {_code(s) for s in sources}]
            if other:
                targets = other
                where_only = _locative_slot(t, verb)
                break
            if found and not fallback:
                fallback = found  # same code as the source: a domestic event, kept if nothing better
                fallback_where = _locative_slot(t, verb)
        if not targets:
            deep = _deep_target(verb, index, sources)
            other = [m for m in deep if _code(m) not in {_code(s) for s in sources}]
            targets = other or fallback or deep
            where_only = not other and bool(fallback) and fallback_where
        if (not targets or where_only) and index.countries and not (symmetric and len(sources) >= 2):
            # an unnamed agent in a target position ("to disperse demonstrators", "demands
            # from Shona rebels", the victim of "a journalist was killed in Beirut"), placed
            # by context; it beats the place the verb happened in, not a named actor
            agents = _agent_target([t for t in cands if not _locative_slot(t, verb)], index, sources)
            targets = agents or targets
    targets = _unique(targets)
    dyads: list[Dyad] = []
    if targets:
        for s in sources:
            for t in targets:
                if s is not t and not _overlap(s, t):
                    dyads.append(Dyad(s, t))
        return dyads
    if len(sources) >= 2 and symmetric:
        # "A and B agreed …": they face each other, both ways.
        a, b = sources[0], sources[1]
        index.note_pair(verb.i, a, b)
        for s in sources:
            for t in sources:
                if s is not t and _code(s) != _code(t):
                    dyads.append(Dyad(s, t))
        return dyads
    return [Dyad(s, None) for s in sources]


def _governing_subjects(tok: Token, index: ActorIndex) -> list[ActorMention]:
    t = tok
    for _ in range(6):
        if t.head.i == t.i:
            break
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            subs, _ = subject_tokens(t)
            found: list[ActorMention] = []
            for s in subs:
                found.extend(np_actors(s, index))
            if found:
                return found
    return []


def nominal_dyads(noun: Token, index: ActorIndex) -> list[Dyad]:
    """Participants of a meeting-like noun: "meeting with B", "talks between A and B", "A's visit to B"."""
    inner: list[ActorMention] = []
    partner: list[ActorMention] = []
    for p in noun.children:
        if p.dep_ == "prep" and p.lower_ in ("between", "among"):
            for o in p.children:
                if o.dep_ == "pobj":
                    inner.extend(np_actors(o, index))
        elif p.dep_ == "prep" and p.lower_ in ("with", "to"):
            for o in p.children:
                if o.dep_ == "pobj":
                    partner.extend(np_actors(o, index))
        elif p.dep_ in ("poss", "compound", "amod"):
            inner.extend(np_actors(p, index))
    inner = _unique(inner)
    partner = _unique(partner)
    if len(inner) >= 2 and not partner:
        a, b = inner[0], inner[1]
        index.note_pair(noun.i, a, b)
        return [Dyad(a, b), Dyad(b, a, True)] if _code(a) != _code(b) else []
    sources = inner or _governing_subjects(noun, index)
    if not sources or not partner:
        return []
    out: list[Dyad] = []
    for s in sources:
        for t in partner:
            if _code(s) != _code(t):
                out.append(Dyad(s, t))
                out.append(Dyad(t, s, True))
                index.note_pair(noun.i, s, t)
    return out
