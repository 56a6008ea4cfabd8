"""The test folders have no __init__.py, so pytest imports each test module by its basename:
two test files with the same name in different folders stop collection of the whole suite."""

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_test_module_basenames_are_unique_across_folders():
    names = Counter(path.name for path in TESTS.rglob("test_*.py"))
    assert sum(names.values()) > 50, "the test tree was not found"
    assert [name for name, count in names.items() if count > 1] == []
