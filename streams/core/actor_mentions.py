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

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from schemas.events import Actor
from streams.core.actor_context import (
    FEDERATIONS,
    NON_COUNTRY,
    ActorContext,
    Resolved,
    _hyphen_modifier,
    apply_agents,
    inside_person_np,
    name_key,
    np_start,
    np_tokens,
    of_object,
)
from streams.core.mentions import ActorMention
from streams.core.people import coreference, resolve_people

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
            if head.i in seen or head.ent_type_ == "PERSON" or inside_person_np(head):
                continue
            seen.add(head.i)
            own = np_tokens(doc, head)
            last = max(head.i, b - 1)
            phrase_agents = ctx.agents_in(doc[own[0].i : last + 1])
            agent_toks = {i for x, y, _ in phrase_agents for i in range(x, y)}
            country = ctx.country_in([t for t in own if t.i not in agent_toks])
            end = last + 1
            obj = None
            if country is None:
                obj = of_object(head, _PHRASE_PREPS)
                # "the government of China", "soldiers from Gondor": the country follows
                if obj is not None and obj.ent_type_ != "PERSON" and obj.i >= end:
                    country = ctx.country_in(np_tokens(doc, obj))
                    if country is not None:
                        end = obj.i + 1
                else:
                    obj = None
            if country is None and head.dep_ == "conj" and head.head.i < head.i:
                # "Danish media and government": the first conjunct's country holds for both
                first = head.head
                first_agents = {i for x, y, _ in ctx.agents_in(np_tokens(doc, first)) for i in range(x, y)}
                country = ctx.country_in([t for t in np_tokens(doc, first) if t.i not in first_agents])
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
                name = "_".join(name_key(words)) or None
            agents = [x for _, _, x in phrase_agents] or [m.agent]
            code = apply_agents(country[0], agents, doc[start:end])
            out.append(Resolved(start, end, code, country[1], name, country[0]))
            if obj is not None:
                # "ambassadors of Arnor, Osgiliath and Gondor": each country's ambassadors
                for conj in obj.conjuncts:
                    other = ctx.country_in(np_tokens(doc, conj))
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


# --- people -------------------------------------------------------------------------


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


_ENTITY_LABELS = frozenset({"ORG"})
# Words that make an unknown organisation's name a civil-society body's (CAMEO's NGO).
_CIVIL_SOCIETY_WORDS = frozenset(
    {
        "association",
        "forum",
        "federation",
        "foundation",
        "league",
        "movement",
        "society",
        "coalition",
        "alliance",
        "front",
        "network",
        "watch",
        "committee",
        "council",
        "congress",
        "organization",
        "organisation",
        "union",
        "campaign",
    }
)
# Words that make an organisation's name an outlet's.
_MEDIA_WORDS = frozenset(
    {
        "news",
        "times",
        "post",
        "journal",
        "herald",
        "tribune",
        "gazette",
        "daily",
        "press",
        "tv",
        "television",
        "radio",
        "broadcasting",
        "zeitung",
        "telegraph",
        "guardian",
        "magazine",
    }
)


def _entities(ctx: ActorContext, people: list[Span]) -> list[Resolved]:
    """People and organisations no dictionary knows (``how="entity"``): a person with a
    title keeps the title's agent ("President Juvenal Habyariman" → ``---GOV``, placed by
    the article's country in :func:`streams.core.extract.extract`), an organisation the
    agent its name holds ("the Tis Hazari court" → ``---JUD``) and the country it names;
    the rest have no code — parties to an event, never political by themselves."""
    doc = ctx.doc
    out: list[Resolved] = []
    for span in people:
        head = span.root
        start = np_start(head)
        title = [t for t in doc[start : span.start] if not t.is_space and t.dep_ != "det"]
        agents = [a for _, _, a in ctx.agents_in(title)] if title else []
        code = apply_agents("---", agents, title) if agents else None
        name = "_".join(name_key(span)) or None
        out.append(Resolved(start if agents else span.start, span.end, code, "entity", name))
    for ent in ctx.ents:
        if (
            ent.label_ not in _ENTITY_LABELS
            or _hyphen_modifier(doc, ent.start, ent.end)
            or ent[0].lower_ in ("pro", "anti")
        ):
            continue  # "pro-Kremlin", "Iran-backed": a name inside a modifier
        toks = [t for t in ent if not t.is_punct and t.tag_ != "POS" and t.dep_ != "det"]
        if not toks:
            continue
        agents = [a for _, _, a in ctx.agents_in(toks)]
        country = ctx.country_in(toks)
        base = country[0] if country is not None else "---"
        code = apply_agents(base, agents, toks) if agents else (country[0] if country else None)
        if code is None and any(t.lower_ in _CIVIL_SOCIETY_WORDS for t in toks):
            code = "NGO" + (country[0] if country else "")  # "the Association of African Jurists"
        if any(t.lower_ in _MEDIA_WORDS for t in toks):
            code = base + "MED"  # "Bloomberg News", "the Moscow Times": an outlet, which never acts
        out.append(Resolved(toks[0].i, toks[-1].i + 1, code, "entity"))
    return out


def _city_only(ctx: ActorContext, r: Resolved) -> bool:
    """A city named alone ("Seattle", "NEW YORK —"): a place (``how="place"``: where things
    happen, never a party to them), not a state acting. Capitals stay actors ("Moscow
    said" is Russia's government), and a city naming an agent's country ("Seattle
    police") is read by the agent layer."""
    if r.how != "dictionary" or not ctx.is_country_code(r.code) or ctx.gazetteer is None:
        return False
    city_only = getattr(ctx.gazetteer, "city_only", None)
    return city_only is not None and city_only(ctx.doc[r.start : r.end].text)


# --- assembly -----------------------------------------------------------------------


# CAMEO country codes that are not ISO 3166-1 alpha-3
_CAMEO_TO_ISO = {"TMP": "TLS", "KSV": "XKX", "ANG": "AGO", "ROM": "ROU", "ZAR": "COD"}


def iso_country(code: str | None, iso3: frozenset[str]) -> tuple[str | None, str | None]:
    """(ISO3 country, first sector) of a CAMEO actor code: RUSGOV → (RUS, GOV); SCGSRBLEG →
    (SRB, LEG), Serbia inside Serbia and Montenegro; TMPGOV → (TLS, GOV); IGOUNO → (None, IGO)."""
    if not code:
        return None, None
    head, rest = code[:3], code[3:]
    if head == "---":
        return None, rest[:3] or None  # an agent no context placed: "---GOV"
    if head in FEDERATIONS and rest[:3] in iso3:
        return rest[:3], rest[3:6] or None
    head = _CAMEO_TO_ISO.get(head, head)
    if head in iso3:
        return head, rest[:3] or None
    if head in NON_COUNTRY and rest[:3] in iso3:
        # a prefixed sector names its home: NGOUSAHRI (a US rights group), IGOBGD
        # (Bangladeshi peacekeepers), MNCUSAMED (a US media company)
        return rest[:3], head
    if head in NON_COUNTRY or not iso3:
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
    corefs = coreference(ctx, [*people, *titled], unresolved)
    people.extend(corefs)
    entities = _entities(ctx, [u for u in unresolved if not any(c.start <= u.start < c.end for c in corefs)])
    chosen: list[Resolved] = []
    taken: set[int] = set()
    # people first, then role phrases, then the bare dictionary; a later layer only fills
    # tokens nothing earlier claimed
    for layer in (people, phrases, dictionary, entities):
        for r in sorted(layer, key=lambda r: (r.start, -(r.end - r.start))):
            toks = set(range(r.start, r.end))
            if toks & taken:
                continue
            taken |= toks
            if (r.code is None and r.how != "entity") or is_outlet(ctx, r) or _inside_name(ctx, r):
                continue
            chosen.append(replace(r, how="place") if _city_only(ctx, r) else r)
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
