"""Which actor a noun phrase names: the sentence's actor mentions indexed by token.

:class:`ActorIndex` holds an article's actor mentions by token with look-backs for
pronouns and "both sides"; :func:`np_actors` reads the actor(s) a noun phrase names — the
mention on its head, else one on a compound/possessive/adjective/appositive or an
``of``/``from``/``in`` phrase ("soldiers from Gondor"), coordinated actors each;
:func:`agent_only` codes an unnamed agent noun ("students", "police") by its context.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from schemas.events import Actor
from streams.core.locative import is_locative
from streams.core.mentions import ActorMention

_NP_MOD_DEPS = ("compound", "poss", "amod", "nmod", "appos", "npadvmod")


_NP_PREPS = frozenset({"of", "from", "in", "by"})


_PRONOUNS = frozenset({"he", "she", "it", "they", "him", "her", "them", "his", "its", "their"})


_BOTH = frozenset({"both", "two"})


_BOTH_NOUNS = frozenset(
    {"side", "party", "country", "leader", "government", "nation", "delegation", "minister", "president"}
)


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
            if m.how == "place":
                continue  # a city named as a place: where things happen, never a party
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
            if m.how == "place" or (person and not self.looks_person(m)):
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

    def locations(self, sent: Span) -> list[tuple[int, str, str]]:
        """(character offset, ISO3 country, text) of the places a sentence says things happen
        in, in text order: gazetteer places and bare country/city actors ("near the town of
        Samarra") in a locative phrase."""
        doc = self.doc
        out: dict[int, tuple[int, str, str]] = {}
        for p in self.places:
            if sent.start_char <= p.start < sent.end_char and p.location.country:
                if is_locative(doc, p.start, p.end):
                    out.setdefault(p.start, (p.start, p.location.country, p.text))
        for m in self.mentions:
            a = m.actor
            if sent.start_char <= m.start < sent.end_char and a.country and not a.sector and not a.name:
                root = doc[m.token_start : m.token_end].root
                if root.pos_ in ("PROPN", "NOUN") and is_locative(doc, m.start, m.end):
                    out.setdefault(m.start, (m.start, a.country, m.text))
        return sorted(out.values())


def np_actors(tok: Token, index: ActorIndex, depth: int = 0) -> list[ActorMention]:
    """The actors a noun phrase headed by ``tok`` names (several when coordinated).

    A country that only qualifies a thing or a private person ("Chinese goods", "an American
    student", "Iranian oil") is the phrase's actor only as a *modifier* (see
    :func:`as_modifier`); one that qualifies an agent or a weapon ("Russian jets", "Iraqi
    forces") acts. A phrase naming no actor may still be an agent noun ("police", "the
    authorities"), which :func:`agent_only` codes by context where a named actor is missing."""
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
                    mods = np_actors(child, index, depth + 1)
                    if dep in _QUALIFYING_DEPS and not _acts_through(tok, index):
                        mods = [as_modifier(m) for m in mods]
                    found.extend(mods)
            if found:
                break
        if not found:
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in _NP_PREPS:
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            mods = np_actors(pobj, index, depth + 1)
                            if child.lower_ != "by" and not _acts_through(tok, index):
                                mods = [as_modifier(m) for m in mods]
                            found.extend(mods)
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


# Modifiers that qualify a head rather than name a party: "Chinese goods", "a Seattle
# resident", "the Iranian tanker" (possessives and appositions name a party: "Russia's
# decision").
_QUALIFYING_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod"})
# Heads a country only qualifies: private people, companies, goods, places and things
# ("an American student", "Chinese goods", "a Russian tanker", "the Iranian capital"). A
# country modifying anything else — an agent, a weapon, an act, a side — is its author.
_PEOPLE = frozenset(
    """man woman boy girl child teenager student tourist traveler traveller passenger resident
    citizen national fan player athlete coach singer actor actress artist star model scientist
    researcher author writer businessman entrepreneur billionaire celebrity victim survivor
    driver pilot doctor nurse""".split()
)
QUALIFIED_NOUNS = frozenset(
    {
        # private people
        "man",
        "woman",
        "boy",
        "girl",
        "child",
        "teenager",
        "student",
        "tourist",
        "traveler",
        "traveller",
        "passenger",
        "resident",
        "citizen",
        "national",
        "family",
        "couple",
        "fan",
        "player",
        "athlete",
        "coach",
        "singer",
        "actor",
        "actress",
        "artist",
        "star",
        "model",
        "scientist",
        "researcher",
        "author",
        "writer",
        "businessman",
        "entrepreneur",
        "billionaire",
        "celebrity",
        "victim",
        "survivor",
        "driver",
        "pilot",
        "doctor",
        "nurse",
        # companies, brands, institutions that are not the state's
        "company",
        "firm",
        "business",
        "bank",
        "airline",
        "carrier",
        "brand",
        "retailer",
        "startup",
        "giant",
        "conglomerate",
        "investor",
        "team",
        "club",
        "university",
        "school",
        "daily",
        "paper",
        "magazine",
        "outlet",
        "channel",
        "network",
        "hospital",
        "zoo",
        "museum",
        "newspaper",
        "website",
        "broadcaster",
        # goods, money, things
        "goods",
        "product",
        "export",
        "import",
        "oil",
        "gas",
        "beef",
        "steel",
        "car",
        "vehicle",
        "tanker",
        "ship",
        "vessel",
        "plane",
        "flight",
        "airport",
        "market",
        "economy",
        "currency",
        "stock",
        "share",
        "price",
        "film",
        "movie",
        "song",
        "album",
        "show",
        "language",
        "culture",
        "food",
        "cuisine",
        "flag",
        # situations and happenings: "the war in Iraq provoked dissent", "the crisis in Greece"
        "war",
        "conflict",
        "crisis",
        "situation",
        "election",
        "fighting",
        "violence",
        "unrest",
        "controversy",
        "scandal",
        "debate",
        "row",
        "issue",
        "problem",
        "storm",
        "earthquake",
        "disaster",
        "tsunami",
        "flood",
        "fire",
        "accident",
        "crash",
        # places
        "city",
        "town",
        "village",
        "capital",
        "region",
        "province",
        "territory",
        "soil",
        "coast",
        "waters",
        "border",
    }
)


def _acts_through(head: Token, index: ActorIndex) -> bool:
    """Whether a country modifying ``head`` is the actor: anything but a private person,
    a company, goods or a place (:data:`QUALIFIED_NOUNS`)."""
    if head.pos_ == "PROPN":
        return True
    return head.lemma_.lower() not in QUALIFIED_NOUNS and head.lower_ not in QUALIFIED_NOUNS


def as_modifier(m: ActorMention) -> ActorMention:
    """A state named only to qualify something else: kept as a mention (for the target's
    span and country) but no longer a state acting (:func:`streams.core.relevance.kind`)."""
    if m.how in ("modifier", "implied") or m.actor.sector:
        return m
    return replace(m, how="modifier")


_COORD_PATH = frozenset({"conj", "cc", "compound", "amod", "nmod", "appos", "det", "punct", "nummod"})


def coordinated(tok: Token, index: ActorIndex, have: list[ActorMention]) -> list[ActorMention]:
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
            if m is not None and m not in have and m not in out and not any(overlap(m, h) for h in have):
                out.append(m)
            stack.append(c)
    return out


def overlap(a: ActorMention, b: ActorMention) -> bool:
    return a.token_start < b.token_end and b.token_start < a.token_end


def _antecedent(pron: Token, index: ActorIndex) -> ActorMention | None:
    """A pronoun's actor: the subject of the clause it is reported in ("Putin said he
    was ready"), else the nearest earlier subject actor, else the nearest earlier actor of
    this or the previous sentence. "he"/"she" take people only, "it"/"its" never do."""
    person = pron.lower_ in ("he", "she", "him", "her", "his")
    thing = pron.lower_ in ("it", "its")

    def fits(m: ActorMention) -> bool:
        if m.how == "place":
            return False
        if person:
            return index.looks_person(m)
        return not (thing and index.looks_person(m))

    t = pron.head
    for _ in range(6):
        if t.dep_ in ("ccomp", "conj", "xcomp", "advcl", "acomp") and t.head.i != t.i:
            t = t.head
            for c in t.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.i < pron.i:
                    m = index.at(c) or next(iter(np_actors(c, index, 3)), None)
                    if m is not None and fits(m):
                        return m
                    if m is None and person and _private_person(c):
                        # "The driver … opened fire before officers shot him": the clause's
                        # own subject, a person no dictionary codes, not an earlier official
                        return None
        else:
            break
    subj = None
    for m in index.mentions:
        if m.token_end > pron.i:
            break
        head = index.doc[m.token_start : m.token_end].root
        if head.dep_ in ("nsubj", "nsubjpass") and fits(m):
            subj = m
    if subj is not None and pron.sent.start - 40 < subj.token_start:
        return subj
    sent = pron.sent
    previous = index.doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    near = [m for m in index.mentions if previous <= m.token_start and m.token_end <= pron.i and fits(m)]
    return near[-1] if near else None


_ASSAILANTS = frozenset({"attacker", "assailant", "gunman", "suspect", "bomber", "killer", "shooter"})


def _private_person(tok: Token) -> bool:
    """A person named or described without an actor code: "the driver", "Bouhlel"."""
    if tok.ent_type_ == "PERSON":
        return True
    low = tok.lemma_.lower()
    return tok.pos_ == "NOUN" and (low in _ASSAILANTS or low in _PEOPLE)


def _is_both(tok: Token) -> bool:
    if tok.lemma_.lower() not in _BOTH_NOUNS:
        return False
    return any(c.lower_ in _BOTH for c in tok.children) or tok.lower_ in ("both",)


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
            # the agent must be the head itself: "military aid" is no agent, "troops" is
            # (or its title, when the head is a name: "Judge Alejandro Rivera")
            matches = [
                m
                for m in index.agents.find_all([t.text for t in cand])
                if m.end == len(cand) or h.pos_ == "PROPN"
            ]
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
                    how="generic",
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
    where = index.locations(sent)
    if where:
        return where[0][1]
    if strict:
        return index.countries[0] if len(index.countries) == 1 else None
    for p in index.places:
        if sent.start_char <= p.start < sent.end_char and p.location.country:
            return p.location.country
    return index.countries[0]


def unique_mentions(ms: Iterable[ActorMention]) -> list[ActorMention]:
    out: list[ActorMention] = []
    for m in ms:
        if m not in out:
            out.append(m)
    return out


def actor_code(m: ActorMention) -> str:
    return m.actor.code or m.actor.country or m.text
