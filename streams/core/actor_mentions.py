"""Actor mentions in a parsed article: dictionary matches, then context. Pure.

Layers, each allowed to replace the one before where they overlap:

1. **dictionary** — longest PETRARCH-2 phrase matches, codes chosen by the article date.
2. **agent** / **nationality** — a noun phrase whose head is an agent noun and which
   names a country: "the Chinese government" (CHN + GOV), "China's foreign ministry
   spokesperson", "Russia's national Security Council" (which the bare dictionary would
   read as the UN's).
3. **people** (spaCy PERSON entities):
   the dictionary, if it knows them at that date ("Chinese President Xi Jinping", the
   title folded into the mention); else a title before the name ("Russian President
   Vladimir Putin"); else an apposition ("Nikolai Patrushev, secretary of Russia's
   national Security Council", "Guo Shengkun, a top official of China's Communist Party" —
   the institution's agent wins over the title's); else the dictionary by surname with a
   similar first name (Nikolai/Nikolay) — all before **coreference**: a later bare
   "Patrushev" or "Xi" takes the code of the resolved person with that name.
4. **outlets** are dropped: a media actor (sector MED) that is the subject of a reporting
   verb or the object of "according to" is the source of the story, not an actor in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Span, Token

from schemas.events import Actor
from streams.core.mentions import ActorMention

REPORTING_LEMMAS = frozenset(
    {
        "report",
        "say",
        "tell",
        "quote",
        "cite",
        "write",
        "state",
        "add",
        "claim",
        "announce",
        "note",
        "reveal",
        "broadcast",
        "publish",
        "air",
        "learn",
        "confirm",
        "show",
    }
)
_NP_LEFT_DEPS = frozenset({"det", "amod", "compound", "poss", "nmod", "nummod", "case", "quantmod", "advmod"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod"})
# generic sector codes that are not countries even though they are three letters long
_NON_COUNTRY = frozenset(
    {
        "IGO",
        "NGO",
        "NGM",
        "MNC",
        "IMG",
        "UIS",
        "INT",
        "MED",
        "GOV",
        "MIL",
        "REB",
        "OPP",
        "PTY",
        "COP",
        "JUD",
        "SPY",
        "EDU",
        "BUS",
        "CRM",
        "CVL",
        "HLH",
        "HRI",
        "LAB",
        "LEG",
        "REF",
        "REL",
        "SET",
        "UAF",
        "AGR",
        "ELI",
        "ENV",
        "MOD",
        "RAD",
        "MUS",
        "CHR",
        "JEW",
        "BUD",
        "HIN",
        "ATH",
        "---",
    }
)


# short words that are not acronyms when they appear in a dictionary phrase
_SHORT_WORDS = frozenset(
    {
        "the",
        "of",
        "and",
        "for",
        "al",
        "el",
        "de",
        "du",
        "la",
        "le",
        "bin",
        "ben",
        "abu",
        "von",
        "der",
        "van",
        "da",
        "dos",
        "das",
        "del",
        "des",
        "'s",
        "in",
        "on",
        "to",
        "new",
        "san",
        "st.",
        "mr.",
        "dr.",
    }
)


def _case_fits(span: Span) -> bool:
    """Dictionary phrases are names: at least one capitalised word; and one whose only
    word of substance has up to three letters is an acronym (UN, EU, US) that must be
    written in capitals, unless it names a person: "the Un Certain Regard" is not the UN;
    "Xi" said is Xi Jinping."""
    content = [t for t in span if t.is_alpha and t.lower_ not in _SHORT_WORDS]
    if content and all(t.is_lower for t in content):
        return False  # names are capitalised: "male athlete" is not Malé, the Maldives
    if len(content) != 1:
        return True
    t = content[0]
    return len(t.text) > 3 or t.text.isupper() or t.ent_type_ == "PERSON"


def _hyphen_modifier(doc: Doc, start: int, end: int) -> bool:
    """A name inside a modifier of something else is not an actor of its own:
    "Iran-backed militias", "U.S.-led coalition", "NATO-member Norway", "pro-Kremlin"."""
    if start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in ("pro", "anti"):
        return True
    first = doc[start].text
    if "-" in first and first.split("-", 1)[0].lower() in ("pro", "anti"):
        return True
    last = doc[end - 1].text
    if "-" in last and last.rsplit("-", 1)[1].islower():
        return True  # one token: "U.S.-led"
    return end + 1 < len(doc) and doc[end].text in ("-", "\u2010", "\u2011") and doc[end + 1].is_lower


@dataclass(frozen=True)
class Resolved:
    """A code found for a token span before it becomes an :class:`ActorMention`."""

    start: int
    end: int
    code: str | None
    how: str
    name: str | None = None
    country_code: str | None = None  # the 3-letter actor code the country came from


class ActorContext:
    """What the layers share: the doc, the codebook's dictionaries and the article date."""

    def __init__(self, doc: Doc, codebook, when: date | None):
        self.doc = doc
        self.actors = codebook.actors
        self.agents = getattr(codebook, "agents", None)
        self.nationalities: dict[str, str] = getattr(codebook, "nationalities", None) or {}
        places = getattr(codebook, "places", None)
        self.iso3: frozenset[str] = getattr(places, "iso3", None) or frozenset()
        self.when = when
        self.blocked: set[int] = set()  # tokens of '---' entries: known non-actors
        self.ents = doc.ents  # Doc.ents rebuilds its tuple on every access

    # --- dictionary -----------------------------------------------------------------

    def dictionary(self) -> list[Resolved]:
        out: list[Resolved] = []
        for sent in self.doc.sents:
            toks = [t for t in sent if not t.is_space]
            sentence: list[Resolved] = []
            for m in self.actors.find_all([t.text for t in toks]):
                start, end = toks[m.start].i, toks[m.end - 1].i + 1
                if not _case_fits(self.doc[start:end]) or _hyphen_modifier(self.doc, start, end):
                    continue
                codes = m.entry.codes_at(self.when)
                if not codes:
                    latest = m.entry.latest_codes()
                    if not latest and not any(s.dated for s in m.entry.spans):
                        self.blocked.update(range(start, end))  # '---': not an actor at all
                        continue
                    # known, but not in that role at that date: the country still holds
                    country = self.country_of(latest[0]) if latest else None
                    if country is None:
                        continue
                    codes = (country,)
                for code in codes:
                    sentence.append(Resolved(start, end, code, "dictionary", m.entry.name))
            sentence.extend(self._plural_demonyms(toks, sentence))
            out.extend(self.with_residence(sentence))
        return out

    def _plural_demonyms(self, toks: Sequence[Token], found: Sequence[Resolved]) -> list[Resolved]:
        """ "Algerians", "Libyans": plurals the dictionary lists only in the singular."""
        covered = {i for r in found for i in range(r.start, r.end)}
        out = []
        for t in toks:
            if t.i in covered or len(t.text) < 5 or not t.text[0].isupper() or not t.text.endswith("s"):
                continue
            singular = t.text[:-1]
            entry = self.actors.get(singular)
            code = entry.code_at(self.when) if entry is not None else None
            if code is None:
                code = self.nationalities.get(singular.upper())
            if code is not None and self.is_country_code(code):
                out.append(Resolved(t.i, t.i + 1, code, "nationality"))
        return out

    def residence(self, tok: Token) -> str | None:
        """The country a group named by its ethnicity lives in, when the text says so:
        "Bosnian Serbs" → BIH, "Albanians of southern Serbia" → SRB (CAMEO codes such
        groups by their country of residence)."""
        for c in tok.children:
            if c.dep_ in ("amod", "compound") and c.i < tok.i:
                found = self.country_in([c])
                if found is not None and self.is_country_code(found[0]):
                    return found[0]
        obj = _of_object(tok, ("in", "of", "from"))
        if obj is not None:
            found = self.country_in(_np_tokens(self.doc, obj))
            if found is not None and self.is_country_code(found[0]):
                return found[0]
        if any(c.dep_ == "amod" and c.lower_ == "ethnic" for c in tok.children):
            return self.clause_country(tok)
        return None

    def clause_country(self, tok: Token) -> str | None:
        """The country a clause says a group is in: "ethnic Albanians demonstrated in
        Serbia", "killed three ethnic Albanians in a gunbattle in southeastern Serbia"
        (CAMEO codes a minority named by its ethnicity by where it lives)."""
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ in ("NOUN", "NUM"):
            tok = tok.head.head  # "hundreds of ethnic Hungarians"
        verb = tok.head
        if tok.dep_ not in ("nsubj", "nsubjpass", "dobj") or verb.pos_ not in ("VERB", "AUX"):
            return None
        frontier = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in _IN_PREPS]
        for _ in range(3):
            nxt = []
            for prep in frontier:
                for obj in prep.children:
                    if obj.dep_ != "pobj":
                        continue
                    found = self.country_in(_np_tokens(self.doc, obj))
                    if found is not None and self.is_country_code(found[0]):
                        return found[0]
                    nxt.extend(c for c in obj.children if c.dep_ == "prep" and c.lower_ in _IN_PREPS)
            frontier = nxt
        return None

    def with_residence(self, found: Sequence[Resolved]) -> list[Resolved]:
        """Plural demonyms (bare countries on a plural noun) moved to their residence."""
        out = []
        for r in found:
            tok = self.doc[r.end - 1]
            if (
                r.end - r.start == 1
                and self.is_country_code(r.code)
                and tok.tag_ in ("NNPS", "NNS")
                and tok.text.endswith("s")
            ):
                home = self.residence(tok)
                if home is not None and home != r.code:
                    end = r.end
                    obj = _of_object(tok, ("in", "of", "from"))
                    if obj is not None and self.country_in(_np_tokens(self.doc, obj)):
                        end = obj.i + 1
                    start = min(
                        [r.start] + [c.left_edge.i for c in tok.lefts if c.dep_ in ("amod", "compound")]
                    )
                    out.append(Resolved(start, end, home, "nationality", None, r.code))
                    continue
            out.append(r)
        return out

    def country_of(self, code: str | None) -> str | None:
        """The 3-letter country part of an actor code (``RUSGOV`` → RUS; a fictional
        ``GONMIL`` of PETRARCH's validation set → GON; ``IGOUNO`` → None)."""
        if not code or len(code) < 3 or not code[:3].isalpha():
            return None
        head = code[:3].upper()
        return None if head in _NON_COUNTRY else head

    def is_country_code(self, code: str | None) -> bool:
        """A bare country code such as ``RUS``, or a federation member such as ``SCGSRB``
        (Serbia within Serbia and Montenegro)."""
        if not code:
            return False
        if len(code) == 6 and code[:3] in _FEDERATIONS:
            return True
        return len(code) == 3 and self.country_of(code) is not None

    # --- countries and agents in a span ---------------------------------------------

    def country_in(self, tokens: Sequence[Token]) -> tuple[str, str] | None:
        """(actor code, how) named by modifier tokens: a country or capital, a nationality
        adjective, or any coded actor ("White House security officials" → USAGOV,
        "activists of Amnesty International" → NGM)."""
        toks = [t for t in tokens if not t.is_space and not t.is_punct and t.tag_ != "POS"]
        if not toks:
            return None
        for m in self.actors.find_all([t.text for t in toks]):
            a, b = toks[m.start].i, toks[m.end - 1].i + 1
            if not _case_fits(self.doc[a:b]) or _hyphen_modifier(self.doc, a, b):
                continue
            codes = m.entry.codes_at(self.when) or m.entry.latest_codes()
            if codes:
                span_toks = toks[m.start : m.end]
                adjective = any(t.pos_ == "ADJ" or t.ent_type_ == "NORP" for t in span_toks)
                return codes[0], "nationality" if adjective else "agent"
        for t in toks:
            iso = (
                self.nationalities.get(t.text.upper())
                if t.text[:1].isupper() and not _hyphen_modifier(self.doc, t.i, t.i + 1)
                else None
            )
            if iso:
                return iso, "nationality"
        return None

    def agents_in(self, tokens: Sequence[Token]) -> list:
        """Agent matches in a span, left to right, as (first token index, last + 1, agent)."""
        if self.agents is None:
            return []
        toks = [t for t in tokens if not t.is_space]
        return [
            (toks[a.start].i, toks[a.end - 1].i + 1, a.agent)
            for a in self.agents.find_all([t.text for t in toks])
        ]

    def agent_in(self, tokens: Sequence[Token]):
        """The agent named in a span: the one ending last (nearest the head), if any."""
        found = self.agents_in(tokens)
        if not found:
            return None
        return max(found, key=lambda a: (a[1], a[1] - a[0]))[2]


_FORMER = frozenset({"former", "ex", "ex-"})


class _Elite:
    """CAMEO's ELI for people out of office, in the place of their old role."""

    @staticmethod
    def apply(code: str | None) -> str:
        return "ELI" if not code else (code if code.endswith("ELI") else code + "ELI")


_ELITE = _Elite()


def apply_agents(base: str, agents: Sequence, tokens: Sequence[Token] = ()) -> str:
    """Every agent of a phrase on the base code, as PETRARCH does: "MSF Arnor diplomat" →
    NGO + ARN + GOV. Repeats collapse ("foreign ministry officials" is GOV once). People
    out of office are elites: "former Gondor prosecutors" → GON + ELI (CAMEO's ELI)."""
    if any(t.lower_ in _FORMER for t in tokens):
        agents = [_ELITE]
    code = base
    for agent in agents:
        code = agent.apply(code)
    return code


_NOT_NP_START = frozenset({"cc", "conj", "punct", "npadvmod", "advmod", "prep", "mark", "preconj"})


_IN_PREPS = frozenset({"in", "inside", "throughout", "across"})


def np_start(head: Token) -> int:
    """First token of the pre-head part of the noun phrase headed by ``head``.

    Never across a paragraph break, and not from a stray time adverb or conjunction a
    misparse hung on the phrase ("later Friday and UN chief Antonio Guterres")."""
    start = head.i
    for c in head.lefts:
        if c.dep_ in _NP_LEFT_DEPS or (c.dep_ == "punct" and c.text in "\"“”'"):
            start = min(start, c.left_edge.i)
    doc = head.doc
    for i in range(head.i - 1, start - 1, -1):
        if doc[i].is_space or "\n" in doc[i].text:
            start = i + 1
            break
    while start < head.i and (doc[start].dep_ in _NOT_NP_START or doc[start].ent_type_ in ("DATE", "TIME")):
        start += 1
    return start


def _of_object(head: Token, preps: Sequence[str] = ("of", "at", "for", "in")) -> Token | None:
    for c in head.rights:
        if c.dep_ == "prep" and c.lower_ in preps:
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _np_tokens(doc: Doc, head: Token) -> list[Token]:
    return list(doc[np_start(head) : head.i + 1])


def _combine(ctx: ActorContext, agent, country: str | None) -> str | None:
    if agent is None:
        return None
    return agent.apply(country)


def resolve_np(ctx: ActorContext, head: Token, *, institution_first: bool = True) -> tuple[str, str] | None:
    """(code, how) of a role noun phrase: its own modifiers, then its ``of`` object.

    "secretary of Russia's national Security Council" → RUS + GOV (from the council);
    "a top official of China's Communist Party" → CHN + PTY (the institution's agent
    wins over the title's); "the Chinese government" → CHN + GOV; "the U.S. Secretary of
    State" → USA + GOV (the agent phrase runs through the ``of``).
    """
    doc = ctx.doc
    own = _np_tokens(doc, head)
    obj = _of_object(head)
    if obj is not None and obj.ent_type_ == "PERSON":
        return None  # "ally of Vladimir Putin": a relation, not a role
    obj_toks = _np_tokens(doc, obj) if obj is not None else []
    whole = list(doc[own[0].i : (obj.i if obj is not None else head.i) + 1])
    country = ctx.country_in(own[:-1]) or (ctx.country_in(obj_toks) if obj_toks else None)
    if country is None:
        # a fully coded dictionary phrase in the role ("Secretary of State" → USAGOV)
        for m in ctx.actors.find_all([t.text for t in whole]):
            code = m.entry.code_at(ctx.when)
            if code and len(code) > 3 and ctx.country_of(code):
                return code, "context"
        return None
    own_agents = [a for _, _, a in ctx.agents_in(own)]
    obj_agents = [a for _, _, a in ctx.agents_in(obj_toks)] if obj_toks else []
    whole_agents = [a for _, _, a in ctx.agents_in(whole)] if obj is not None else []
    order = (
        (obj_agents, whole_agents, own_agents)
        if institution_first
        else (own_agents, whole_agents, obj_agents)
    )
    agents = next((a for a in order if a), None)
    if not agents:
        # no role noun the agents know ("the United Nations Emergency Relief Coordinator",
        # "the head of a Chinese company"): the organisation or country alone
        return country[0], country[1]
    return apply_agents(country[0], agents, whole), country[1]


_PHRASE_PREPS = ("of", "in", "from", "at")


def agent_phrases(ctx: ActorContext, dictionary: Sequence[Resolved] = ()) -> list[Resolved]:
    """Noun phrases headed by an agent noun that name their country (or another actor)."""
    if ctx.agents is None:
        return []
    doc = ctx.doc
    out: list[Resolved] = []
    seen: set[int] = set()
    covering: dict[int, list[Resolved]] = {}
    for r in dictionary:
        for i in range(r.start, r.end):
            covering.setdefault(i, []).append(r)
    for sent in doc.sents:
        toks = [t for t in sent if not t.is_space]
        for m in ctx.agents.find_all([t.text for t in toks]):
            a, b = toks[m.start].i, toks[m.end - 1].i + 1
            head = doc[a:b].root  # "Ministry" in "Ministry of Silly Walks"
            while head.dep_ == "compound" and head.head.pos_ in ("NOUN", "PROPN") and head.head.i > head.i:
                head = head.head
            if head.i in seen or head.ent_type_ == "PERSON" or _inside_person_np(head):
                continue
            seen.add(head.i)
            own = _np_tokens(doc, head)
            last = max(head.i, b - 1)
            phrase_agents = ctx.agents_in(doc[own[0].i : last + 1])
            agent_toks = {i for x, y, _ in phrase_agents for i in range(x, y)}
            country = ctx.country_in([t for t in own if t.i not in agent_toks])
            end = last + 1
            obj = None
            if country is None:
                obj = _of_object(head, _PHRASE_PREPS)
                # "the government of China", "soldiers from Gondor": the country follows
                if obj is not None and obj.ent_type_ != "PERSON" and obj.i >= end:
                    country = ctx.country_in(_np_tokens(doc, obj))
                    if country is not None:
                        end = obj.i + 1
                else:
                    obj = None
            if country is None and head.dep_ == "conj" and head.head.i < head.i:
                # "Danish media and government": the first conjunct's country holds for both
                first = head.head
                first_agents = {i for x, y, _ in ctx.agents_in(_np_tokens(doc, first)) for i in range(x, y)}
                country = ctx.country_in([t for t in _np_tokens(doc, first) if t.i not in first_agents])
            if country is None:
                continue
            start = own[0].i
            while start < head.i and doc[start].dep_ == "det":
                start += 1  # "the Chinese government" is mentioned as "Chinese government"
            if any(r.start <= start and end <= r.end for r in covering.get(start, ())):
                continue  # a named institution ("UN Security Council"): the dictionary's code
            name = None
            if head.pos_ == "PROPN" and head.i >= b:
                # a title before a name the tagger did not call PERSON ("German Chancellor
                # Olaf Scholz"): a person, named by the proper nouns after the title
                words = [t for t in doc[b : head.i + 1] if t.pos_ == "PROPN"]
                name = "_".join(_name_key(words)) or None
            agents = [x for _, _, x in phrase_agents] or [m.agent]
            code = apply_agents(country[0], agents, doc[start:end])
            out.append(Resolved(start, end, code, country[1], name, country[0]))
            if obj is not None:
                # "ambassadors of Arnor, Osgiliath and Gondor": each country's ambassadors
                for conj in obj.conjuncts:
                    other = ctx.country_in(_np_tokens(doc, conj))
                    if other is not None and conj.i > obj.i:
                        cs = np_start(conj)
                        out.append(
                            Resolved(
                                cs,
                                conj.i + 1,
                                apply_agents(other[0], agents, doc[start:end]),
                                other[1],
                                None,
                                other[0],
                            )
                        )
    return out


def _inside_person_np(tok: Token) -> bool:
    """A title noun modifying a name ("President" in "President Xi Jinping")."""
    h = tok
    for _ in range(4):
        if h.dep_ not in ("compound", "amod") or h.head.i == h.i:
            return False
        h = h.head
        if h.ent_type_ == "PERSON":
            return True
    return False


# --- people -------------------------------------------------------------------------


def person_spans(doc: Doc) -> list[Span]:
    """PERSON entities without a trailing possessive ("Vladimir V. Putin’s" → "Vladimir V. Putin")."""
    out = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        end = ent.end
        while (
            end > ent.start
            and doc[end - 1].tag_ == "POS"
            or (end > ent.start and doc[end - 1].lower_ in ("'s", "’s"))
        ):
            end -= 1
        if end > ent.start:
            out.append(doc[ent.start : end])
    return out


def _name_key(tokens: Iterable[Token]) -> tuple[str, ...]:
    return tuple(t.text.upper().replace("\u2019", "'") for t in tokens if t.is_alpha or "." in t.text)


def _surname_entry(ctx: ActorContext, span: Span):
    """The dictionary's entry for a name spelt differently (Nikolai/Nikolay Patrushev)."""
    index = _surname_index(ctx.actors)
    key = _name_key(span)
    if len(key) < 2:
        return None
    cands = index.get(key[-1], ())
    best = None
    for keys, entry in cands:
        if len(keys) >= 2 and keys[0][:3] == key[0][:3] and keys[0][0] == key[0][0]:
            if best is None:
                best = entry
            elif best is not entry:
                return None  # ambiguous: two people share the surname and initial letters
    return best


def _surname_index(actors) -> dict[str, list]:
    # built once per dictionary by the codebook (a plain dictionary without it: no index)
    build = getattr(actors, "surname_index", None)
    return build() if build is not None else {}


def _title_code(ctx: ActorContext, title_toks: Sequence[Token]) -> str | None:
    """The code a title before a name gives: "Russian President" → RUSGOV; "U.N. mediator"
    → IGOUNO (the organisation, no role noun known)."""
    country = ctx.country_in(title_toks)
    if country is None:
        return None
    agents = [a for _, _, a in ctx.agents_in(title_toks)]
    if agents:
        return apply_agents(country[0], agents, title_toks)
    return None if ctx.is_country_code(country[0]) else country[0]


def _realm(ctx: ActorContext, head: Token) -> str | None:
    """The country of "<person> of <country>" ("King Hassan of Morocco")."""
    obj = _of_object(head, ("of",))
    if obj is None:
        return None
    found = ctx.country_in(_np_tokens(ctx.doc, obj))
    return found[0] if found is not None and ctx.is_country_code(found[0]) else None


def resolve_people(ctx: ActorContext, dictionary: Sequence[Resolved]) -> tuple[list[Resolved], list[Span]]:
    """People resolved from the dictionary or context, and the PERSON spans left over."""
    doc = ctx.doc
    by_token: dict[int, Resolved] = {}
    for r in dictionary:
        for i in range(r.start, r.end):
            by_token.setdefault(i, r)
    people: list[Resolved] = []
    unresolved: list[Span] = []
    for span in person_spans(doc):
        head = span.root
        title_start = np_start(head)
        title_toks = [t for t in doc[title_start : span.start] if not t.is_space and t.dep_ != "det"]
        name = "_".join(_name_key(span)) or None
        start = title_start if title_toks else span.start
        hits = [by_token[i] for i in range(span.start, span.end) if i in by_token]
        if (
            not title_toks
            and hits
            and all(ctx.is_country_code(h.code) for h in hits)
            and all(i in by_token for i in range(span.start, span.end))
        ):
            continue  # "Ithilen" tagged PERSON: the dictionary knows it as a country
        known = next((h for h in hits if ctx.country_of(h.code) and len(h.code or "") > 3), None)
        if known is not None and known.how == "dictionary":
            code, how = known.code, "dictionary"
            titled = _title_code(ctx, title_toks) if title_toks else None
            if (
                titled is not None
                and ctx.country_of(titled) == ctx.country_of(known.code)
                and (
                    ctx.when is None
                    or (known.code or "")[3:6] == "ELI"
                    or any(t.lower_ in _FORMER for t in title_toks)
                )
            ):
                # the dictionary's newest role is a guess without a date, "ELI" (out of
                # office) is stale where the text gives a title, and "former" overrides a
                # role the 2014 dictionary still holds open: "UK Foreign Secretary Jack
                # Straw" in an undated story is GBRGOV, not his later GBRGOVJUD
                code, how = titled, "context"
            realm = _realm(ctx, head)
            known_country = ctx.country_of(known.code)
            if realm is not None and known_country is not None and realm != known_country:
                # "King Hassan of Morocco": the text says whose king this is, and a
                # namesake in the dictionary (Jordan's Prince Hassan) does not overrule it
                agents = [a for _, _, a in ctx.agents_in(title_toks)]
                code = apply_agents(realm, agents, title_toks) if agents else realm
                how = "context"
            people.append(
                Resolved(min(start, known.start), max(span.end, known.end), code, how, known.name or name)
            )
            continue
        code = None
        how = "context"
        if title_toks:
            code = _title_code(ctx, title_toks)
        if code is None:
            appos = next(
                (c for c in head.children if c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN")), None
            )
            if appos is not None and appos.ent_type_ != "PERSON":
                r = resolve_np(ctx, appos)
                if r:
                    code = r[0]
            elif head.dep_ == "appos" and head.head.pos_ == "NOUN":
                # "Russia's security council secretary, Nikolai Patrushev"
                r = resolve_np(ctx, head.head)
                if r:
                    code = r[0]
        if code is None:
            entry = _surname_entry(ctx, span)
            if entry is not None:
                codes = entry.codes_at(ctx.when)
                if codes:
                    code, how = codes[0], "dictionary"
                elif entry.latest_codes():
                    # known, but not in a role at that date: the country still holds
                    code, how = ctx.country_of(entry.latest_codes()[0]), "dictionary"
        if code is None and hits:
            # a known person out of office at that date: their country still holds
            h = hits[0]
            if h.code and ctx.country_of(h.code):
                code, how = h.code, "dictionary"
        if code is None:
            unresolved.append(span)
            continue
        people.append(
            Resolved(start if how == "context" and title_toks else span.start, span.end, code, how, name)
        )
    return people, unresolved


def _name_words(doc: Doc, p: Resolved) -> list[Token]:
    """The words of a resolved person's name that a later mention may use alone."""
    names = set((p.name or "").split("_"))
    words = [
        t
        for t in doc[p.start : p.end]
        if t.is_alpha
        and t.text[0].isupper()
        and t.text.upper() in names
        and (t.ent_type_ == "PERSON" or t.pos_ == "PROPN")
        and not (t.i > 0 and doc[t.i - 1].text in ("-", "\u2010", "\u2011"))  # "Ki-moon", not "moon"
    ]
    return words if len(words) >= 2 else []


def _coreference(ctx: ActorContext, people: Sequence[Resolved], unresolved: Sequence[Span]) -> list[Resolved]:
    """Short forms of a resolved person: "Patrushev", "Xi".

    Names are matched as written (case and all: "UN" is not the "Un" of Kim Jong Un); a
    word shared by several people ("Kim") goes to the nearest one named before it.
    """
    doc = ctx.doc
    by_word: dict[str, list[Resolved]] = {}
    for p in sorted(people, key=lambda r: r.start):
        if not p.name:
            continue
        words = _name_words(doc, p)
        if words:
            for t in {words[-1].text: words[-1], words[0].text: words[0]}.values():
                by_word.setdefault(t.text, []).append(p)  # surname last (Patrushev) or first (Xi)

    def nearest(word: str, at: int) -> Resolved | None:
        cands = by_word.get(word)
        if not cands:
            return None
        before = [c for c in cands if c.start < at]
        return before[-1] if before else cands[0]

    out = []
    covered = {i for p in people for i in range(p.start, p.end)}
    for span in unresolved:
        words = [t.text for t in span if t.is_alpha]
        target = next((t for w in reversed(words) if (t := nearest(w, span.start)) is not None), None)
        if target is not None:
            out.append(Resolved(span.start, span.end, target.code, "coreference", target.name))
            covered.update(range(span.start, span.end))
    # bare surnames the tagger did not call PERSON ("Russia's Patrushev" as NORP)
    for t in doc:
        if t.i in covered or t.pos_ != "PROPN" or t.ent_type_ == "PERSON":
            continue
        target = nearest(t.text, t.i)
        if target is not None and t.ent_type_ in ("", "NORP", "ORG"):
            out.append(Resolved(t.i, t.i + 1, target.code, "coreference", target.name))
    return out


# --- outlets ------------------------------------------------------------------------


def source_position(head: Token) -> bool:
    """Where a story names its source: "X reports/said", "according to X", "reported by X"."""
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_.lower() in REPORTING_LEMMAS:
        return True
    if head.dep_ == "pobj" and head.head.lower_ == "to" and head.head.head.lower_ == "according":
        return True
    return (
        head.dep_ == "pobj" and head.head.lower_ == "by" and head.head.head.lemma_.lower() in REPORTING_LEMMAS
    )


def is_outlet(ctx: ActorContext, r: Resolved) -> bool:
    """A media actor acting as the story's source: "Al Jazeera reports", "according to Xinhua"."""
    code = r.code or ""
    if not (code.startswith("MED") or code[3:6] == "MED" or code.endswith("MED")):
        return False
    return source_position(ctx.doc[r.start : r.end].root)


_NAME_LABELS = frozenset({"ORG", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"})


def _inside_name(ctx: ActorContext, r: Resolved) -> bool:
    """A bare country/city modifying another word of a longer name: "Shanghai" in "the
    Shanghai Cooperation Organisation", "Moscow" in "the Moscow Times" (but not "Gondor"
    in an entity the tagger made of "Gondor and Arnor")."""
    if r.how != "dictionary" or not ctx.is_country_code(r.code):
        return False
    last = ctx.doc[r.end - 1]
    if last.ent_type_ not in _NAME_LABELS or last.dep_ not in ("compound", "amod", "nmod"):
        return False
    ent = next((e for e in ctx.ents if e.start <= r.start < e.end), None)
    return ent is not None and ent.start <= last.head.i < ent.end and last.head.i >= r.end


# --- assembly -----------------------------------------------------------------------


# CAMEO country codes that are not ISO 3166-1 alpha-3
_CAMEO_TO_ISO = {"TMP": "TLS", "KSV": "XKX", "ANG": "AGO", "ROM": "ROU", "ZAR": "COD"}
# CAMEO prefixes for former federations, followed by the member's code (SCGSRB, USRUKR)
_FEDERATIONS = frozenset({"USR", "YUG", "FRY", "SCG", "SUN", "CSK"})


def iso_country(code: str | None, iso3: frozenset[str]) -> tuple[str | None, str | None]:
    """(ISO3 country, first sector) of a CAMEO actor code: RUSGOV → (RUS, GOV); SCGSRBLEG →
    (SRB, LEG), Serbia inside Serbia and Montenegro; TMPGOV → (TLS, GOV); IGOUNO → (None, IGO)."""
    if not code:
        return None, None
    head, rest = code[:3], code[3:]
    if head in _FEDERATIONS and rest[:3] in iso3:
        return rest[:3], rest[3:6] or None
    head = _CAMEO_TO_ISO.get(head, head)
    if head in iso3:
        return head, rest[:3] or None
    if head in _NON_COUNTRY and rest[:3] in iso3:
        # a prefixed sector names its home: NGOUSAHRI (a US rights group), IGOBGD
        # (Bangladeshi peacekeepers), MNCUSAMED (a US media company)
        return rest[:3], head
    if head in _NON_COUNTRY or not iso3:
        return None, code[:3]
    return None, rest[:3] or None


def _to_mention(doc: Doc, r: Resolved, ctx: ActorContext) -> ActorMention:
    span = doc[r.start : r.end]
    iso, sector = iso_country(r.code, ctx.iso3)
    person = (
        bool(r.name)
        and not ctx.is_country_code(r.code)  # "Sri Lanka" tagged PERSON is still a country
        and (r.how != "dictionary" or any(t.ent_type_ == "PERSON" for t in span))
    )
    actor = Actor(text=span.text, code=r.code, country=iso, sector=sector, name=r.name if person else None)
    return ActorMention(
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        actor=actor,
        token_start=r.start,
        token_end=r.end,
        how=r.how,
    )


def find_actor_mentions(doc: Doc, codebook, when: date | None) -> list[ActorMention]:
    ctx = ActorContext(doc, codebook, when)
    dictionary = ctx.dictionary()
    people, unresolved = resolve_people(ctx, dictionary)
    phrases = agent_phrases(ctx, dictionary)
    titled = [r for r in phrases if r.name]
    people.extend(_coreference(ctx, [*people, *titled], unresolved))
    chosen: list[Resolved] = []
    taken: set[int] = set()
    # people first, then role phrases, then the bare dictionary; a later layer only fills
    # tokens nothing earlier claimed
    for layer in (people, phrases, dictionary):
        for r in sorted(layer, key=lambda r: (r.start, -(r.end - r.start))):
            toks = set(range(r.start, r.end))
            if toks & taken:
                continue
            taken |= toks
            if r.code is None or is_outlet(ctx, r) or _inside_name(ctx, r):
                continue
            chosen.append(r)
    # several codes on one span (PETRARCH's "FRO/BIL/SAM") stay as parallel mentions
    by_span = {(c.start, c.end): c for c in chosen if c.how == "dictionary"}
    chosen_ids = {id(c) for c in chosen}
    chosen.extend(
        r
        for r in dictionary
        if (c := by_span.get((r.start, r.end))) is not None and c.code != r.code and id(r) not in chosen_ids
    )
    chosen.sort(key=lambda r: (r.start, r.end))
    return [_to_mention(doc, r, ctx) for r in chosen]
