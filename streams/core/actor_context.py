"""What the actor layers share: dictionary matches of an article and the tests on them.

:class:`ActorContext` holds the doc, the codebook's actor, agent and nationality
dictionaries and the article date; it finds the dictionary's phrase matches (codes chosen
by date), countries and agents inside a span, and where an ethnic group lives.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

if TYPE_CHECKING:
    from streams.codebook import Codebook

_NP_LEFT_DEPS = frozenset({"det", "amod", "compound", "poss", "nmod", "nummod", "case", "quantmod", "advmod"})


_MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod"})


# generic sector codes that are not countries even though they are three letters long
NON_COUNTRY = frozenset(
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

    def __init__(self, doc: Doc, codebook: Codebook, when: date | None):
        self.doc = doc
        self.actors = codebook.actors
        self.agents = codebook.agents
        self.nationalities: Mapping[str, str] = codebook.nationalities
        self.gazetteer = codebook.places
        self.iso3: frozenset[str] = codebook.places.iso3
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
        obj = of_object(tok, ("in", "of", "from"))
        if obj is not None:
            found = self.country_in(np_tokens(self.doc, obj))
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
                    found = self.country_in(np_tokens(self.doc, obj))
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
                    obj = of_object(tok, ("in", "of", "from"))
                    if obj is not None and self.country_in(np_tokens(self.doc, obj)):
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
        return None if head in NON_COUNTRY else head

    def is_country_code(self, code: str | None) -> bool:
        """A bare country code such as ``RUS``, or a federation member such as ``SCGSRB``
        (Serbia within Serbia and Montenegro)."""
        if not code:
            return False
        if len(code) == 6 and code[:3] in FEDERATIONS:
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


FORMER = frozenset({"former", "ex", "ex-"})


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
    if any(t.lower_ in FORMER for t in tokens):
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


def of_object(head: Token, preps: Sequence[str] = ("of", "at", "for", "in")) -> Token | None:
    for c in head.rights:
        if c.dep_ == "prep" and c.lower_ in preps:
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def np_tokens(doc: Doc, head: Token) -> list[Token]:
    return list(doc[np_start(head) : head.i + 1])


# CAMEO prefixes for former federations, followed by the member's code (SCGSRB, USRUKR)
FEDERATIONS = frozenset({"USR", "YUG", "FRY", "SCG", "SUN", "CSK"})


def resolve_np(ctx: ActorContext, head: Token, *, institution_first: bool = True) -> tuple[str, str] | None:
    """(code, how) of a role noun phrase: its own modifiers, then its ``of`` object.

    "secretary of Russia's national Security Council" → RUS + GOV (from the council);
    "a top official of China's Communist Party" → CHN + PTY (the institution's agent
    wins over the title's); "the Chinese government" → CHN + GOV; "the U.S. Secretary of
    State" → USA + GOV (the agent phrase runs through the ``of``).
    """
    doc = ctx.doc
    own = np_tokens(doc, head)
    obj = of_object(head)
    if obj is not None and obj.ent_type_ == "PERSON":
        return None  # "ally of Vladimir Putin": a relation, not a role
    obj_toks = np_tokens(doc, obj) if obj is not None else []
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


def inside_person_np(tok: Token) -> bool:
    """A title noun modifying a name ("President" in "President Xi Jinping")."""
    h = tok
    for _ in range(4):
        if h.dep_ not in ("compound", "amod") or h.head.i == h.i:
            return False
        h = h.head
        if h.ent_type_ == "PERSON":
            return True
    return False


def name_key(tokens: Iterable[Token]) -> tuple[str, ...]:
    return tuple(t.text.upper().replace("\u2019", "'") for t in tokens if t.is_alpha or "." in t.text)
