"""The alert rules file: YAML or TOML in, one clear line out for every kind of mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.adapters.alerting import load_rules
from streams.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def test_committed_example_parses() -> None:
    rules = load_rules(ROOT / "deploy" / "alerts.example.yaml")
    assert len(rules.watch_rules) >= 2 and len(rules.window_rules) >= 1
    assert all(r.cameo_roots == sorted(r.cameo_roots) for r in rules.watch_rules)


def test_no_file_means_no_rules() -> None:
    assert load_rules(None).rules == []


def test_toml_works(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        '[webhook]\nurl = "http://127.0.0.1:8080/h"\n\n'
        '[[rules]]\nname = "w"\nkind = "watch"\nactors = ["RUS"]\ncameo_roots = ["19"]\n'
    )
    rules = load_rules(path)
    assert rules.rules[0].name == "w" and rules.webhook is not None


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("bad.yaml", "rules: [\n", "line 2 not valid YAML"),
        ("bad.toml", "rules = [", "not valid TOML"),
        ("rules.json", "{}", "unknown format .json"),
        ("list.yaml", "- 1\n", "expected a mapping"),
        ("kind.yaml", "rules:\n  - {name: a, kind: wach}\n", "rules.a: Input tag 'wach'"),
        (
            "extra.yaml",
            "rules:\n  - {name: a, kind: watch, actors: [RUS], colour: red}\n",
            "rules.a.colour: Extra inputs are not permitted",
        ),
        ("window.yaml", "rules:\n  - {name: s, kind: dyad_window}\n", "rules.s: rule 's': set threshold"),
        ("hook.yaml", "webhook: {url: not-a-url}\n", "webhook.url:"),
    ],
)
def test_bad_files_give_one_line(tmp_path: Path, name: str, text: str, expected: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_rules(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"alerts config {path}") and expected in message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read: No such file"):
        load_rules(tmp_path / "nope.yaml")
