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
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span

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
from streams.core.coding import Coding
from streams.core.codings import find_codings
from streams.core.locative import is_locative
from streams.core.mentions import ActorMention, Mentions
from streams.core.relevance import DISSENT_ROOTS, REPRESSION_ROOTS, STATE_SECTORS, is_political
from streams.core.triggers import actor_key
from streams.core.when import event_dates
from streams.core.where import article_zone, dateline_place, event_place, zone_of

if TYPE_CHECKING:
    from streams.codebook import Codebook

# --------------------------------------------------------------------------- events


def _dates_for(
    doc: Doc, codings: Sequence[Coding], mentions: Mentions, clean: CleanArticle, roots, zones, base_zone
) -> list:
    """(date, provenance, text) per coding (:func:`streams.core.when.event_dates`)."""
    keys = [
        (actor_key(c.source), actor_key(c.target), r, c.sentence.start_char)
        for c, r in zip(codings, roots, strict=True)
    ]
    return event_dates(doc, codings, roots, keys, mentions, clean.published_at, zones, base_zone)


_PROVENANCE_ORDER = {"explicit": 0, "relative": 1, "publication": 2}


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
    "generic": 0.75,  # an unnamed agent ("police", "the authorities") placed by context
    "modifier": 0.8,  # a state that only qualifies the target ("Chinese goods")
    "entity": 0.7,  # a person or organisation no dictionary knows
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


def _confidence(best: Coding, mentions: int) -> float:
    """How far the reading can be trusted, from what it rests on: the kind of reading
    (a dictionary pattern over a verb's default), how each actor was found (a dictionary
    name over a context guess), whether both sides are political actors and the target is
    named, and how many sentences report it."""
    conf = _CONFIDENCE.get(best.how, 0.5)
    conf *= min(
        _ACTOR_CONFIDENCE.get(best.source.how, 0.8),
        _ACTOR_CONFIDENCE.get(best.target.how, 0.8) if best.target else 1.0,
    )
    if best.target is None:
        conf *= 0.85  # one side only: a recipient may have been missed
    elif not (is_political(best.source) and is_political(best.target)):
        conf *= 0.9  # a political actor and a private party
    return round(min(1.0, conf + 0.05 * (mentions - 1)), 3)


def _rank(c: Coding) -> tuple:
    # The most informative reading of one (dyad, root, date): pattern > intent > verb > nominal,
    # then the longer (more specific) code, then the earliest mention.
    order = {"pattern": 3, "intent": 2, "verb": 1, "nominal": 0}
    return (order.get(c.how, 0), len(c.code), -c.trigger)


def classify(
    doc: Doc, mentions: Mentions, *, codebook: Codebook, clean: CleanArticle, coder_version: str
) -> list[DiplomaticEvent]:
    codings = find_codings(doc, mentions, codebook=codebook)
    groups: dict[tuple[str, str, str, str], list[Coding]] = {}
    dates: dict[tuple[str, str, str, str], tuple] = {}
    gazetteer = codebook.places
    filed_at = dateline_place(clean.dateline, gazetteer, mentions.countries)
    base_zone = article_zone(filed_at, clean.source)
    kept, roots = [], []
    for c in codings:
        entry = codebook.cameo.get(c.code)
        if entry is None:
            continue  # a code outside CAMEO (fictional test dictionaries)
        if entry.root == "01":
            continue  # statements frame events in wire copy; PLOVER has no type for them
        if c.target is not None and (c.source.start, c.source.end) == (c.target.start, c.target.end):
            continue  # one mention cannot act on itself; two mentions of one country may (domestic events)
        kept.append(c)
        roots.append(entry.root)
    zones = [zone_of(c.source.actor.country, gazetteer) or base_zone for c in kept]
    whens = _dates_for(doc, kept, mentions, clean, roots, zones, base_zone)
    for c, root, when in zip(kept, roots, whens, strict=True):
        key = (actor_key(c.source), actor_key(c.target), root, _date_key(when[0]))
        groups.setdefault(key, []).append(c)
        # the most telling provenance of the group's readings: a date written out, then
        # one resolved, then the publication day
        if key not in dates or _PROVENANCE_ORDER.get(when[1], 3) < _PROVENANCE_ORDER.get(dates[key][1], 3):
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
        quote = None
        ordered = sorted(group, key=lambda c: (c is not best, c.sentence.start_char))
        for c in ordered:
            quote = quote or _quote_for(c.sentence, mentions)
        location, where_from = event_place(
            ordered,
            entry.root,
            mentions,
            gazetteer=gazetteer,
            dateline=filed_at.location() if filed_at is not None else None,
            extra=extra_evidence.get(key, ()),
        )
        for sent, trigger in extra_evidence.get(key, ()):
            if sent.start_char not in seen_sents:
                seen_sents.add(sent.start_char)
                evidence.append(_evidence(sent, trigger.text, starts))
        evidence.sort(key=lambda ev: ev.start)
        conf = _confidence(best, len(evidence))
        when, when_from, when_text = dates[key]
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
                event_date_provenance=when_from,
                event_date_text=when_text,
                location=location,
                location_provenance=where_from,
                evidence=evidence,
                quote=quote,
                confidence=conf,
                coder_version=coder_version,
            )
        )
    events = _share_places(events)
    events.sort(key=lambda e: (e.evidence[0].start, e.event_id))
    return events


def _share_places(events: list[DiplomaticEvent]) -> list[DiplomaticEvent]:
    """A meeting and its mirror image (B met A) happened in the same place."""
    where = {
        (e.source.code, e.target.code, e.cameo.root, str(e.event_date)): (e.location, e.location_provenance)
        for e in events
        if e.location is not None and e.target is not None
    }
    out = []
    for e in events:
        if e.location is None and e.target is not None and e.cameo.root == "04":
            mirror = where.get((e.target.code, e.source.code, e.cameo.root, str(e.event_date)))
            if mirror is not None:
                e = e.model_copy(update={"location": mirror[0], "location_provenance": mirror[1]})
        out.append(e)
    return out


__all__ = ["classify", "event_id"]
