"""The gap and stall checks the worker uses against records faust fetched but never delivered."""

from __future__ import annotations

from streams.adapters.continuity import OffsetContinuity, commit_cap, stalled


def test_contiguous_offsets_need_no_seek() -> None:
    tracker = OffsetContinuity()
    assert [tracker.observe("p0", n, generation=1, committed=None) for n in range(5)] == [None] * 5


def test_a_jump_asks_once_for_the_first_missing_offset() -> None:
    tracker = OffsetContinuity()
    for n in range(3):
        tracker.observe("p0", n, generation=1, committed=None)
    assert tracker.observe("p0", 7, generation=1, committed=3) == 3
    # the records after the gap in the same batch do not ask again
    assert tracker.observe("p0", 8, generation=1, committed=3) is None
    # the re-delivered records are duplicates of nothing: accepted
    assert [tracker.observe("p0", n, generation=1, committed=3) for n in range(3, 9)] == [None] * 6
    assert tracker.observe("p0", 9, generation=1, committed=3) is None


def test_a_gap_still_there_after_the_seek_is_accepted() -> None:
    """Offsets that do not exist (transaction markers, compaction): one seek, then go on."""
    tracker = OffsetContinuity()
    tracker.observe("p0", 0, generation=1, committed=None)
    assert tracker.observe("p0", 2, generation=1, committed=None) == 1
    assert tracker.observe("p0", 2, generation=1, committed=None) is None
    assert tracker.observe("p0", 3, generation=1, committed=None) is None


def test_the_first_record_after_an_assignment_is_checked_against_the_committed_offset() -> None:
    tracker = OffsetContinuity()
    assert tracker.observe("p1", 41, generation=2, committed=40) == 40
    # a new generation starts again from its own committed offset
    assert tracker.observe("p1", 50, generation=3, committed=50) is None
    # records before the committed offset are stale duplicates, not gaps
    assert tracker.observe("p1", 45, generation=3, committed=50) is None


def test_partitions_are_independent() -> None:
    tracker = OffsetContinuity()
    tracker.observe("p0", 0, generation=1, committed=None)
    tracker.observe("p1", 10, generation=1, committed=None)
    assert tracker.observe("p0", 1, generation=1, committed=None) is None
    assert tracker.observe("p1", 12, generation=1, committed=None) == 11


def test_forget_starts_over_from_the_committed_offsets() -> None:
    tracker = OffsetContinuity()
    tracker.observe("p0", 0, generation=1, committed=None)
    tracker.forget()
    assert tracker.observe("p0", 5, generation=1, committed=3) == 3


def test_stalled_names_only_partitions_behind_after_the_patience() -> None:
    ends = {"p0": 10, "p1": 7, "p2": 0, "p3": None}
    committed = {"p0": 10, "p1": 5, "p2": None, "p3": None}
    assert stalled(idle_s=31, busy=False, committed=committed, ends=ends, patience_s=30) == ["p1"]
    assert stalled(idle_s=29, busy=False, committed=committed, ends=ends, patience_s=30) == []
    assert stalled(idle_s=300, busy=True, committed=committed, ends=ends, patience_s=30) == []


def test_new_records_after_a_long_idle_are_work_arriving_not_a_stall() -> None:
    """Issue 18: an hour idle, then `replay --republish` writes records; the first stall check that
    sees them behind must not rewind (that coded 8 articles twice), only one patience later."""
    behind = {"committed": {"p0": 40}, "ends": {"p0": 80}}
    assert stalled(idle_s=3600, busy=False, patience_s=15, behind_s=0, **behind) == []
    assert stalled(idle_s=3600, busy=False, patience_s=15, behind_s=10, **behind) == []
    assert stalled(idle_s=3600, busy=False, patience_s=15, behind_s=16, **behind) == ["p0"]


def test_a_group_that_never_committed_is_behind_any_record() -> None:
    assert stalled(idle_s=60, busy=False, committed={"p0": None}, ends={"p0": 3}, patience_s=30) == ["p0"]


def test_a_hole_is_known_until_its_record_comes_again_and_that_batch_is_acknowledged() -> None:
    tracker = OffsetContinuity()
    for n in (12, 13, 14, 15):
        tracker.observe("p0", n, generation=2, committed=12)
    tracker.settle()
    assert tracker.observe("p0", 18, generation=2, committed=16) == 16
    for n in (19, 20, 21):
        tracker.observe("p0", n, generation=2, committed=16)
    tracker.settle()
    assert tracker.hole("p0") == 16, "records before the re-read do not fill the hole"
    tracker.observe("p0", 16, generation=2, committed=16)  # the re-read begins
    assert tracker.hole("p0") == 16, "still held while the batch holding 16 is being coded"
    tracker.settle()
    assert tracker.hole("p0") is None


def test_a_hole_that_does_not_exist_is_released_by_the_re_read() -> None:
    """A transaction marker at 16: the re-read starts at 17."""
    tracker = OffsetContinuity()
    tracker.observe("p0", 15, generation=1, committed=None)
    assert tracker.observe("p0", 17, generation=1, committed=None) == 16
    tracker.observe("p0", 18, generation=1, committed=None)
    tracker.settle()
    tracker.observe("p0", 17, generation=1, committed=None)
    tracker.settle()
    assert tracker.hole("p0") is None


def test_commit_cap_never_passes_a_known_hole() -> None:
    # faust's own #606 case: committed 16, 16 skipped, 17-21 acknowledged → it would commit 22
    assert commit_cap(22, hole=16, committed=16) is None
    assert commit_cap(22, hole=18, committed=16) == 18
    assert commit_cap(22, hole=None, committed=16) == 22
    assert commit_cap(15, hole=16, committed=12) == 15
    assert commit_cap(None, hole=16, committed=12) is None
