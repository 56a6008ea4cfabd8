"""People in a parsed article: PERSON entities resolved to actor codes, and coreference.

The dictionary, if it knows them at the article's date ("Chinese President Xi Jinping");
else a title before the name ("Russian President Vladimir Putin"); else an apposition
("Nikolai Patrushev, secretary of Russia's national Security Council"); else the dictionary
by surname with a similar first name (Nikolai/Nikolay) — then a later bare "Patrushev" or
"Xi" takes the code of the resolved person with that name.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from streams.core.actor_context import (
    FORMER,
    ActorContext,
    Resolved,
    apply_agents,
    name_key,
    np_start,
    np_tokens,
    of_object,
    resolve_np,
)


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


def _surname_entry(ctx: ActorContext, span: Span):
    """The dictionary's entry for a name spelt differently (Nikolai/Nikolay Patrushev)."""
    index = _surname_index(ctx.actors)
    key = name_key(span)
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
    obj = of_object(head, ("of",))
    if obj is None:
        return None
    found = ctx.country_in(np_tokens(ctx.doc, obj))
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
        name = "_".join(name_key(span)) or None
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
                    or any(t.lower_ in FORMER for t in title_toks)
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


def coreference(ctx: ActorContext, people: Sequence[Resolved], unresolved: Sequence[Span]) -> list[Resolved]:
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
