"""The specs ``streams.adapters.topic_admin`` creates topics from, and its wait for leaders (no broker).

The creation itself runs on the real broker in tests/integration/test_topic_setup.py.
"""

from __future__ import annotations

from agentkit import fresh_app

from streams.adapters import topic_admin
from streams.adapters.topic_admin import CHANGELOG_CONFIG, TopicSpec
from streams.settings import Settings, TopicSettings


def test_worker_specs_compact_the_table_like_topics_only() -> None:
    settings = Settings(topics=TopicSettings(partitions=5, replication_factor=3))
    specs = {s.name: s for s in topic_admin.worker_specs(settings)}
    assert set(specs) == set(topic_admin.worker_topics(settings).values())
    assert len(specs) == len(topic_admin.ROLES)
    assert {(s.partitions, s.replication_factor) for s in specs.values()} == {(5, 3)}
    compacted = {name for name, s in specs.items() if s.configs.get("cleanup.policy") == "compact"}
    assert compacted == {settings.topics.canonical, settings.topics.event_sets}
    assert all(not specs[name].configs for name in set(specs) - compacted)


def test_app_specs_hold_every_internal_topic_with_compacting_changelogs() -> None:
    app, _, _ = fresh_app()
    settings = Settings(topics=TopicSettings(partitions=2))
    specs = {s.name: s for s in topic_admin.app_specs(app, settings)}
    changelogs = {name for name in specs if name.endswith("-changelog")}
    assert {f"{app.conf.id}-{t}-changelog" for t in ("ledger", "dyads", "actors", "events")} <= changelogs
    assert all(specs[name].configs == CHANGELOG_CONFIG for name in changelogs)
    assert specs[f"{app.conf.id}-__assignor-__leader"].partitions == 1
    raw = Settings().topics.raw  # fresh_app keeps the default topic names
    assert specs[raw].configs == {}  # an agent's input, with the settings' partitions
    assert specs[raw].partitions == 2


def _described(name: str, leaders: list[int | None], error_code: int = 0) -> dict:
    return {
        "name": name,
        "error_code": error_code,
        "partitions": [{"partition_index": i, "leader_id": leader} for i, leader in enumerate(leaders)],
    }


def test_a_new_topic_is_waited_for_until_every_partition_has_a_leader() -> None:
    new = [TopicSpec("a", 3), TopicSpec("b", 2), TopicSpec("c", 1), TopicSpec("d", 1)]
    described = [_described("a", [1, 1]), _described("b", [1, -1]), _described("c", [], error_code=3)]
    assert topic_admin.leaderless(described, new) == ["a", "b", "c", "d"]
    ready = [_described("a", [1, 1, 1]), _described("b", [1, 1]), _described("c", [1]), _described("d", [1])]
    assert topic_admin.leaderless(ready, new) == []


def test_an_existing_topic_keeps_its_partitions_but_needs_its_leaders() -> None:
    existing = [TopicSpec("old", 4), TopicSpec("bare", 4)]
    described = [_described("old", [1, 1]), _described("bare", [1, None])]
    assert topic_admin.leaderless(described, [], existing) == ["bare"]


def test_specs_give_every_name_the_same_partitions_and_configs() -> None:
    made = topic_admin.specs(["x", "y"], partitions=3, configs={"message.timestamp.type": "LogAppendTime"})
    assert made == [
        TopicSpec("x", 3, 1, {"message.timestamp.type": "LogAppendTime"}),
        TopicSpec("y", 3, 1, {"message.timestamp.type": "LogAppendTime"}),
    ]
