"""Ledger records in bounded parts (issue 12): same tables as one record, none too large."""

from __future__ import annotations

from streams.adapters import ledger_parts, tallies


def cells(n: int, prefix: str = "e", *, pad: int = 500) -> dict[str, list[list[object]]]:
    return {
        f"{prefix}{i:05d}": [
            ["event", f"2022-09-19|{prefix}{i:05d}", {"text": "x" * pad}],
            ["actor", "RUS", {"event_id": f"{prefix}{i:05d}"}],
        ]
        for i in range(n)
    }


def run(previous, messages):
    value, sent = previous, []
    for message in messages:
        value, updates, _ = ledger_parts.step(value, message)
        sent += updates
    return value, sent


def test_a_small_coding_is_one_message():
    [message] = ledger_parts.split("a", cells(3))
    assert message["parts"] == 1


def test_a_large_coding_is_split_into_bounded_parts_with_the_same_outcome():
    big = cells(2000)
    messages = ledger_parts.split("a", big, part_bytes=64 * 1024)
    assert len(messages) > 10
    assert all(ledger_parts.size(m) < 80 * 1024 for m in messages)
    whole_value, whole = tallies.ledger_update(None, big)
    value, sent = run(None, messages)
    assert value == whole_value
    assert sorted(map(str, sent)) == sorted(map(str, whole))


def test_a_recoding_in_parts_retracts_what_it_no_longer_produces():
    first, _ = run(None, ledger_parts.split("a", cells(300), part_bytes=16 * 1024))
    second = cells(200)  # events 200..299 gone
    value, sent = run(first, ledger_parts.split("a", second, part_bytes=16 * 1024))
    retracted = {u["event_id"] for u in sent if u["op"] == tallies.RETRACT}
    assert retracted == {f"e{i:05d}" for i in range(200, 300)}
    assert set(value["events"]) == set(second)
    assert "pending" not in value


def test_a_broken_run_retracts_nothing_but_still_upserts():
    first, _ = run(None, ledger_parts.split("a", cells(300), part_bytes=16 * 1024))
    messages = ledger_parts.split("a", cells(100), part_bytes=16 * 1024)
    assert len(messages) >= 3
    value, sent = run(first, messages[2:])  # parts 0 and 1 never came
    assert not [u for u in sent if u["op"] == tallies.RETRACT]
    assert [u for u in sent if u["op"] == tallies.UPSERT]
    assert set(value["events"]) == set(first["events"])


def test_a_redelivered_first_part_starts_over():
    messages = ledger_parts.split("a", cells(100), part_bytes=16 * 1024)
    value, _ = run(None, messages[:2] + messages)
    assert set(value["events"]) == set(cells(100))
    assert "pending" not in value


def test_the_last_part_of_a_whole_run_says_so_and_other_keys_are_kept():
    messages = ledger_parts.split("a", cells(100), part_bytes=16 * 1024, coder_version="v9")
    assert all(m["coder_version"] == "v9" for m in messages)
    value, flags = {"set": {"revision": "rev-1"}}, []
    for message in messages:
        value, _, whole = ledger_parts.step(value, message)
        flags.append(whole)
        assert value["set"] == {"revision": "rev-1"}
    assert flags == [False] * (len(messages) - 1) + [True]
    _, _, whole = ledger_parts.step(None, messages[-1])  # the last part of a broken run
    assert not whole
