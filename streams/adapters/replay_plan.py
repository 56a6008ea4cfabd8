"""What ``wirewatch replay`` will do to each output, said before it starts (issue 18).

Pure text from counts: the caller reads the topics (``streams.commands.ops``). The
outputs a re-coding touches, and how, depend on one thing: whether the coder that will
code the replay is the one that coded what is on the topics (same version: nothing
changes) or a newer one (its events supersede each article's earlier ones).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Coded:
    """What one coder version left on the event-set topic: articles and their current events."""

    articles: int = 0
    events: int = 0
    fingerprints: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Plan:
    records: int
    partitions: int
    span: str
    version: str
    fingerprint: str
    republish: bool
    coded: dict[str, Coded] | None  # None: the event-set topic could not be read
    topics: dict[str, str]

    @property
    def older_versions(self) -> list[str]:
        return sorted(v for v in (self.coded or {}) if v != self.version)

    @property
    def changes_coder(self) -> bool:
        return bool(self.older_versions)


def conflicts(plan: Plan) -> str | None:
    """A reason to refuse: events on the topic carry this version but another coder's fingerprint."""
    here = (plan.coded or {}).get(plan.version)
    if here is None:
        return None
    others = sorted(fp for fp in here.fingerprints if fp and fp != plan.fingerprint)
    if not others:
        return None
    return (
        f"{here.articles} article(s) on {plan.topics['event_sets']} were coded by {plan.version} with "
        f"fingerprint {others[0][:12]}, and this coder is {plan.version} with fingerprint "
        f"{plan.fingerprint[:12]}: the coder changed without a version bump; give it a new version "
        "(CODER_VERSION and `wirewatch coder lock`, or WIREWATCH_CODER__VERSION) before replaying"
    )


def explain(plan: Plan) -> list[str]:
    """One line per output: what the replay does to it."""
    t = plan.topics
    how = (
        "copied back onto the raw topic while the worker runs (duplicates in the raw log)"
        if plan.republish
        else "re-read by the worker from its reset group offsets (the raw log is unchanged)"
    )
    lines = [
        f"replay: {plan.records} raw record(s) in {plan.partitions} partition(s) {plan.span}, {how}",
        f"  coder        {plan.version} (fingerprint {plan.fingerprint[:12]}) codes them",
    ]
    if plan.coded is None:
        lines.append(f"  on the topics: unknown ({t['event_sets']} could not be read)")
    elif not plan.coded:
        lines.append(
            f"  on the topics: no event sets yet on {t['event_sets']} "
            "(nothing coded, or by a worker "
            "older than event sets)"
        )
    else:
        seen = ", ".join(
            f"{v}: {c.articles} article(s), {c.events} current event(s)"
            for v, c in sorted(plan.coded.items())
        )
        lines.append(f"  on the topics: {seen}")
    if plan.changes_coder or plan.coded is None:
        older = ", ".join(plan.older_versions) or "an earlier coder"
        lines += [
            f"  tables       each article's {older} contributions are retracted and the new coding's counted "
            "(dyads, actor timelines, events); counts change where the coders differ",
            f"  events       {t['events']}: the new coder's events are appended under new ids "
            "(the version is "
            f"part of an id); each article's event set on {t['event_sets']} supersedes the earlier one and "
            "lists the ids it retracts",
            f"  stories      {t['canonical']}: reports that were retracted leave their stories, the new ones "
            "are folded in",
            f"  alerts       {t['alerts']}: a watch alert already raised for the same article, "
            "dyad and code is "
            "not raised again; an alert whose events are all retracted, or a window alert that no longer "
            "reaches its threshold, is withdrawn by a cancellation alert",
        ]
    else:
        lines += [
            "  tables       unchanged (same coder: every event keeps its id and its contribution)",
            f"  events       {t['events']}: the same events are appended again (same ids and content; the "
            "current view is unchanged)",
            f"  event sets   {t['event_sets']}: the same revision per article again "
            "(a repeat, ignored by contract)",
            f"  stories      {t['canonical']}: unchanged, nothing published",
            f"  alerts       {t['alerts']}: none raised or withdrawn",
        ]
    return lines
