"""The CAMEO/PLOVER codebook: names, Goldstein scores, quad classes, PLOVER inheritance."""

from __future__ import annotations

import pytest

from streams.codebook.cameo import CameoCodebook, PloverType, parse_plover_table, quad_class


@pytest.fixture(scope="module")
def cameo() -> CameoCodebook:
    return CameoCodebook.from_files()


def test_all_312_codes_with_names_and_goldstein(cameo: CameoCodebook) -> None:
    assert len(cameo) == 312
    praise = cameo["051"]
    assert praise.name == "Praise or endorse"
    assert praise.goldstein == pytest.approx(3.4)
    assert praise.root == "05"
    assert cameo["0871"].goldstein == pytest.approx(9.0)
    assert cameo["20"].goldstein == pytest.approx(-10.0)


@pytest.mark.parametrize(
    ("root", "quad"),
    [("01", 1), ("05", 1), ("06", 2), ("09", 2), ("10", 3), ("14", 3), ("15", 4), ("20", 4)],
)
def test_quad_class_from_root(root: str, quad: int) -> None:
    assert quad_class(root) == quad


def test_quad_class_rejects_non_roots() -> None:
    with pytest.raises(ValueError):
        quad_class("21")


def test_entries_carry_quad_class(cameo: CameoCodebook) -> None:
    assert cameo["043"].quad_class == 1
    assert cameo["0311"].quad_class == 1
    assert cameo["064"].quad_class == 2
    assert cameo["1123"].quad_class == 3
    assert cameo["190"].quad_class == 4


def test_plover_from_own_line(cameo: CameoCodebook) -> None:
    assert cameo["042"].plover == PloverType("CONSULT", "visit", None)
    assert cameo["0871"].plover == PloverType("RETREAT", "ceasefire", "military")
    # listed under another root's heading in the table: the code's own line wins
    assert cameo["191"].plover.event == "COERCE"


def test_plover_inherited_from_parent() -> None:
    table = parse_plover_table("04: CONSULT\n043: CONSULT, visit, # Host a visit\n")
    cb = CameoCodebook.from_rows(
        [
            {"code": "04", "name": "CONSULT", "goldstein": "1", "root_code": "04"},
            {"code": "043", "name": "Host a visit", "goldstein": "2.8", "root_code": "04"},
            {"code": "0431", "name": "made up child", "goldstein": "2.8", "root_code": "04"},
            {"code": "040", "name": "Consult", "goldstein": "1", "root_code": "04"},
        ],
        table,
    )
    assert cb["0431"].plover == PloverType("CONSULT", "visit", None)
    assert cb["040"].plover == PloverType("CONSULT", None, None)


def test_statements_and_appeals_without_plover_lines(cameo: CameoCodebook) -> None:
    assert cameo["010"].plover.event == "OTHER"
    assert cameo["020"].plover.event == "REQUEST"


def test_unknown_code_falls_back_to_ancestor(cameo: CameoCodebook) -> None:
    assert cameo.get("0439") is cameo["043"]
    assert cameo.get("99") is None
    with pytest.raises(KeyError):
        cameo["903"]


def test_first_line_wins_for_repeated_root_headers() -> None:
    table = parse_plover_table(
        "08: CONCEDE\n080: CONCEDE,   ,  # Yield\n08: RETREAT\n084: RETREAT, ,  # Return\n"
    )
    assert table["08"].event == "CONCEDE"
    assert table["084"].event == "RETREAT"
