"""The wire contract cannot change silently: models must match their committed snapshots."""

import json

import pytest

from schemas.snapshot import SNAPSHOT_DIR, render, wire_models


def test_every_wire_model_is_snapshotted():
    ids = set(wire_models())
    assert {"raw_article.v1", "clean_article.v1", "diplomatic_event.v1", "dead_letter.v1"} <= ids
    on_disk = {p.stem for p in SNAPSHOT_DIR.glob("*.json")}
    assert ids == on_disk, "run `python -m schemas.snapshot` and commit schemas/jsonschema/"


@pytest.mark.parametrize("schema_id", sorted(wire_models()))
def test_snapshot_matches_model(schema_id):
    model = wire_models()[schema_id]
    committed = json.loads((SNAPSHOT_DIR / f"{schema_id}.json").read_text())
    assert committed == json.loads(render(model)), (
        f"{schema_id} changed without its snapshot: bump the version for a breaking change, "
        "then run `python -m schemas.snapshot`"
    )
