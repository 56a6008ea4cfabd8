"""A canonical block's state in bounded parts (streams.adapters.block_parts): every record
under the bound, read back exactly, a change rewriting only what it touched."""

from __future__ import annotations

from typing import Any

import pytest

from streams.adapters import block_parts

BOUND = 4096


def member(n: int) -> dict[str, Any]:
    """About 700 bytes of JSON, like a report without its MinHash signature."""
    return {
        "article_id": f"a{n}",
        "outlet": "wire",
        "confidence": 0.9,
        "published_at": None,
        "fields": {"title": f"report {n} " + "x" * 500},
        "report": {"root": "04", "family": 4, "days": [n, n], "signature": list(range(20))},
    }


def block(count: int, *, links: int = 0) -> dict[str, Any]:
    members = {f"ev-{n:05d}": member(n) for n in range(count)}
    ids = sorted(members)
    pairs = [[ids[i], ids[i + 1], 0.8] for i in range(min(links, count - 1))]
    return {"block": "2022-09-19/f4", "members": members, "links": sorted(pairs)}


class Table(dict):  # faust's table as the agents use it: get, keys, set, del
    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def __setitem__(self, key: str, value: Any) -> None:
        self.writes.append(key)
        super().__setitem__(key, value)


def store(table: Table, value: dict[str, Any]) -> int:
    key = value["block"]
    return block_parts.save(table, key, value, block_parts.load(table, key), part_bytes=BOUND)


def test_a_small_block_is_one_value_as_before() -> None:
    table = Table()
    value = block(3)
    assert block_parts.size(value) < BOUND
    store(table, value)
    assert dict(table) == {value["block"]: value}
    assert block_parts.load(table, value["block"]).value == value


@pytest.mark.parametrize("count", [10, 40, 300])
def test_a_big_block_is_kept_in_parts_under_the_bound_and_read_back_exactly(count: int) -> None:
    table = Table()
    value = block(count, links=count // 2)
    assert block_parts.size(value) > BOUND
    store(table, value)
    assert len(table) > 2
    assert all(block_parts.size(v) <= BOUND for v in table.values())
    assert block_parts.load(table, value["block"]).value == value
    assert list(block_parts.heads(table)) == [value]
    assert all(block_parts.is_part(k) for k in table if k != value["block"])


def test_one_new_report_rewrites_its_part_only() -> None:
    table = Table()
    value = block(300)
    store(table, value)
    table.writes.clear()
    bigger = {**value, "members": {**value["members"], "ev-99999": member(99999)}}
    assert store(table, bigger) == 1 and len(table.writes) == 1
    assert block_parts.load(table, value["block"]).value == bigger


def test_growth_past_a_layout_rewrites_everything_and_leaves_no_stale_part() -> None:
    table = Table()
    value = block(10)
    store(table, value)
    for count in (40, 150, 600):
        value = block(count, links=count // 3)
        store(table, value)
        head = table[value["block"]]
        assert set(table) == {
            value["block"],
            *(block_parts.part_key(value["block"], head["parts"], i) for i in range(head["parts"])),
        }
        assert block_parts.load(table, value["block"]).value == value


def test_a_block_that_shrinks_goes_back_to_one_value_and_its_parts_are_deleted() -> None:
    table = Table()
    store(table, block(40))
    small = block(2)
    store(table, small)
    assert dict(table) == {small["block"]: small}


def test_deleting_a_block_deletes_its_parts() -> None:
    table = Table()
    value = block(40)
    store(table, value)
    block_parts.delete(table, value["block"], block_parts.load(table, value["block"]))
    assert dict(table) == {}


class WrittenWhileRead(Table):
    """A table the agent writes to between the reader's first and second part read (a view's
    scan runs on a thread while the agent rewrites the block on the loop)."""

    def __init__(self, write: Any) -> None:
        super().__init__()
        self.write = write
        self.part_reads = 0

    def get(self, key: Any, default: Any = None) -> Any:
        value = super().get(key, default)
        if block_parts.is_part(key):
            self.part_reads += 1
            if self.part_reads == 1:
                self.write(self)
        return value


def consistent(value: dict[str, Any]) -> bool:
    return all(a in value["members"] and b in value["members"] for a, b, _ in value["links"])


def torn_write() -> tuple[dict[str, Any], dict[str, Any]]:
    """A block in parts and the same block with one more report linked to an old one, such that
    a read with the first part old and the others new sees the link but not the report."""
    before = block(40, links=39)
    n = block_parts.split(before, part_bytes=BOUND)[0]["parts"]
    for k in range(10_000):
        new_id = f"ev-new-{k}"
        old_id = "ev-00000"
        if block_parts._bucket(new_id, n) == 0 and block_parts._bucket(f"{old_id} {new_id}", n) != 0:
            after = {
                **before,
                "members": {**before["members"], new_id: member(99)},
                "links": sorted([*before["links"], [old_id, new_id, 0.9]]),
            }
            if block_parts.split(after, part_bytes=BOUND, previous=n)[0]["parts"] == n:
                return before, after
    raise AssertionError("no id gives a torn read")


def test_a_scan_reads_a_snapshot_never_parts_of_two_versions_of_a_block() -> None:
    before, after = torn_write()

    def agent_writes(table: Table) -> None:
        block_parts.save(table, key, after, block_parts.load(dict(table), key), part_bytes=BOUND)

    key = before["block"]
    live = WrittenWhileRead(agent_writes)
    store(live, before)
    [torn] = block_parts.heads(live)
    assert not consistent(torn)  # the fault: the new link without its report

    live = Table()
    store(live, before)
    copy = block_parts.snapshot(live)  # on the loop, where no save is ever half done
    agent_writes(live)  # then the agent's write, while the scan reads the copy on its thread
    [read] = block_parts.heads(copy)
    assert consistent(read) and read["members"].keys() == before["members"].keys()
    [now] = block_parts.heads(live)
    assert consistent(now) and now["members"].keys() == after["members"].keys()
