#!/usr/bin/env bash
# `make run`: the main job. Uses the broker at kafka.bootstrap_servers if one answers there,
# otherwise starts the local one (`wirewatch broker start`), then runs the streaming worker.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

if ! "$BIN/python" - <<'PY'
import sys
from streams.adapters.broker import metadata_ok
from streams.settings import get_settings
sys.exit(0 if metadata_ok(get_settings().kafka.bootstrap_servers) else 1)
PY
then
  "$BIN/wirewatch" broker start
fi
exec "$BIN/wirewatch" worker "$@"
