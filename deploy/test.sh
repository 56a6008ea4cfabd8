#!/usr/bin/env bash
# `make test`: one throw-away Kafka broker on a free port for the whole run, stopped even on failure.
# The user's own broker (`make broker`, data/kafka, port 9092) is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/wirewatch-test-kafka.XXXXXX")
PORT=$("$BIN/python" -c 'from streams.adapters.broker import free_port; print(free_port())')

cleanup() {
  status=$?
  "$BIN/wirewatch" broker stop --port "$PORT" --data-dir "$DATA_DIR" || true
  if [ "$status" -ne 0 ] && [ -f "$DATA_DIR/kafka.log" ]; then
    cp "$DATA_DIR/kafka.log" .pytest-kafka.log && echo "broker log kept in .pytest-kafka.log" >&2
  fi
  rm -rf "$DATA_DIR"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# fetches the broker jars with Maven on first use (cached in ~/.cache/wirewatch)
"$BIN/wirewatch" broker start --port "$PORT" --data-dir "$DATA_DIR"
export WIREWATCH_TEST_BOOTSTRAP="127.0.0.1:$PORT"
# `deploy/test.sh tests/unit/x.py -k y` narrows the run; `make test` runs everything
if [ "$#" -eq 0 ]; then set -- tests/; fi
"$BIN/pytest" -q -rs "$@"
