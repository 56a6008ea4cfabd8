"""Coder B of the re-coding test: the built-in coder with one root dropped and one code changed.

A real coder for ``WIREWATCH_CODER__FACTORY=coder_b:make`` (the spaCy model and codebook are the
built-in ones): B finds no consultations (root 04) and reads fighting with small arms (193) as an
intent to negotiate (036). Every other event is A's, under B's version and B's ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from schemas.events import Cameo, DiplomaticEvent, Plover

DROPPED_ROOT = "04"
CHANGED = ("193", "036")


class CoderB:
    def __init__(self, base: Any, version: str) -> None:
        self.base = base
        self.version = version
        entry = base.codebook.cameo[CHANGED[1]]
        self.cameo = Cameo(
            code=entry.code,
            root=entry.root,
            name=entry.name,
            goldstein=entry.goldstein,
            quad_class=entry.quad_class,
        )
        self.plover = Plover(event=entry.plover.event, mode=entry.plover.mode, context=entry.plover.context)

    def _event(self, event: DiplomaticEvent) -> DiplomaticEvent | None:
        if event.cameo.root == DROPPED_ROOT:
            return None
        update: dict[str, Any] = {"coder_version": self.version}
        if event.cameo.code == CHANGED[0]:
            update.update(cameo=self.cameo, plover=self.plover)
        code = update.get("cameo", event.cameo).code
        update["event_id"] = (
            "evb-" + hashlib.sha256(f"{event.event_id}|{code}|{self.version}".encode()).hexdigest()[:24]
        )
        return event.model_copy(update=update)

    def _outcome(self, outcome: Any) -> Any:
        events = [e for e in (self._event(event) for event in outcome.events) if e is not None]
        return type(outcome)(raw=outcome.raw, clean=outcome.clean, events=events, timings=outcome.timings)

    def process(self, raw: Any, **kwargs: Any) -> Any:
        return self._outcome(self.base.process(raw, **kwargs))

    def process_batch(self, raws: Sequence[Any], batch_size: int = 16, **kwargs: Any) -> list[Any]:
        return [self._outcome(o) for o in self.base.process_batch(raws, batch_size, **kwargs)]


def make(settings: Any) -> CoderB:
    from streams.adapters.nlp import load_coder

    return CoderB(load_coder(settings.nlp), settings.coder.version or "test-coder-b")
