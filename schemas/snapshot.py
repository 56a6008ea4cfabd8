"""Write (or check) the committed JSON Schema snapshots of every wire model.

Usage:

    python -m schemas.snapshot          # rewrite schemas/jsonschema/*.json
    python -m schemas.snapshot --check  # exit 1 if a model changed without its snapshot
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import BaseModel

import schemas

SNAPSHOT_DIR = Path(__file__).parent / "jsonschema"


def wire_models() -> dict[str, type[BaseModel]]:
    """Every top-level record model, by its ``schema_id``."""
    models: dict[str, type[BaseModel]] = {}
    for name in schemas.__all__:
        obj = getattr(schemas, name)
        if isinstance(obj, type) and issubclass(obj, BaseModel) and "schema_id" in obj.model_fields:
            models[obj.model_fields["schema_id"].default] = obj
    return models


def render(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema(mode="serialization"), indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    stale = []
    for schema_id, model in sorted(wire_models().items()):
        path = SNAPSHOT_DIR / f"{schema_id}.json"
        text = render(model)
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(path.name)
        else:
            SNAPSHOT_DIR.mkdir(exist_ok=True)
            path.write_text(text)
    if stale:
        print("stale JSON Schema snapshots: " + ", ".join(stale) + " (run: python -m schemas.snapshot)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
