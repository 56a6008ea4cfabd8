#!/usr/bin/env bash
# `make run`: the main job, on the embedded default.
#   1. use the Kafka broker at kafka.bootstrap_servers, or start the local one if none answers;
#   2. start a streaming worker in the background (log: var/run/worker.log);
#   3. publish the bundled sample wire (streams/sample/sample-wire.jsonl) to the raw topic;
#   4. print the diplomatic events as they arrive, and the URLs of the HTTP views;
#   5. on Ctrl-C: stop the worker cleanly (SIGTERM: flush, commit, leave the group).
#      The broker is left running (it is shared, and restarting it is slow): `make broker-stop`.
# Extra arguments go to `wirewatch worker` (e.g. `deploy/run.sh --web-port 6070`).
# Ports: WIREWATCH_BROKER__PORT moves the local broker (default 9092, its controller port + 1) and every
# client with it; WIREWATCH_WEB__PORT the worker's views (default 6066). E.g.
#   WIREWATCH_BROKER__PORT=9192 WIREWATCH_WEB__PORT=6166 make run
# WIREWATCH_KAFKA__BOOTSTRAP_SERVERS=host:port uses that cluster instead of a local broker.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PY="$BIN/python"
WW="$BIN/wirewatch"
RUN_DIR=var/run
mkdir -p "$RUN_DIR"
WORKER_LOG="$RUN_DIR/worker.log"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Settings as the worker will see them (WIREWATCH_* variables apply), one per line; a bad value
# stops here with one line.
"$WW" check-config >/dev/null
mapfile -t CONF < <("$PY" - "$@" <<'PY'
import sys
from streams.commands.stream import worker_settings
from streams.settings import get_settings
args = sys.argv[1:]
port = host = None
for i, a in enumerate(args):
    if a.startswith("--web-port"):
        port = int(a.split("=", 1)[1] if "=" in a else args[i + 1])
    if a.startswith("--web-host"):
        host = a.split("=", 1)[1] if "=" in a else args[i + 1]
s = worker_settings(get_settings(), web_port=port, web_host=host)
print(s.kafka.bootstrap_servers); print(s.topics.raw); print(s.topics.events)
print(f"http://{s.web.host}:{s.web.port}")
PY
)
BOOTSTRAP=${CONF[0]}; RAW_TOPIC=${CONF[1]}; EVENTS_TOPIC=${CONF[2]}; WEB=${CONF[3]}

# The local broker of data/kafka (started if needed), or the cluster WIREWATCH_KAFKA__BOOTSTRAP_SERVERS
# names; a broker on the port that wirewatch did not start is refused, with whose it is.
say "Kafka at $BOOTSTRAP (first local start: Maven fetches the jars)"
"$WW" broker ensure

WORKER_PID=""
TAIL_PID=""
cleanup() {
  trap - INT TERM EXIT
  echo
  if [[ -n "$TAIL_PID" ]]; then kill "$TAIL_PID" 2>/dev/null || true; fi
  if [[ -n "$WORKER_PID" ]] && kill -0 "$WORKER_PID" 2>/dev/null; then
    say "stopping the worker (pid $WORKER_PID) …"
    kill -TERM "$WORKER_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$WORKER_PID" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$WORKER_PID" 2>/dev/null; then
      echo "worker did not stop within 30 s; killing it"; kill -KILL "$WORKER_PID" 2>/dev/null || true
    fi
  fi
  if [[ -n "$WORKER_PID" ]]; then
    # Ctrl-C in a terminal reaches the worker too (same process group): it then stops by itself.
    wait "$WORKER_PID" 2>/dev/null || true
    say "worker stopped. The Kafka broker is still running: 'make broker-stop' stops it."
  fi
}
on_interrupt() { cleanup; exit 0; }  # Ctrl-C is how this job is meant to end
trap on_interrupt INT TERM
trap cleanup EXIT

say "starting the worker (log: $WORKER_LOG)"
"$WW" worker "$@" >"$WORKER_LOG" 2>&1 &
WORKER_PID=$!

printf 'waiting for the worker to load the spaCy model and join its group '
ready=""
for _ in $(seq 1 240); do
  if ! kill -0 "$WORKER_PID" 2>/dev/null; then
    echo; echo "the worker exited; last lines of $WORKER_LOG:"; tail -n 20 "$WORKER_LOG"; exit 1
  fi
  if "$PY" -c "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('$WEB/healthz', timeout=2).status == 200 else 1)" 2>/dev/null; then
    ready=1; break
  fi
  printf '.'; sleep 0.5
done
echo
if [[ -z "$ready" ]]; then echo "the worker is not ready after 120 s; see $WORKER_LOG"; exit 1; fi
say "worker ready: $WEB/healthz"

# Print events from now on (started before publishing, so none is missed).
"$WW" tail "$EVENTS_TOPIC" &
TAIL_PID=$!
sleep 2

SAMPLE=streams/sample/sample-wire.jsonl
say "publishing the sample wire ($SAMPLE) to $RAW_TOPIC"
"$WW" publish --no-progress "$SAMPLE"

say "events as they arrive (Ctrl-C stops the worker):"
cat <<EOF
   live page:      $WEB/
   dyad view:      $WEB/dyads/RUS/CHN?from=2022-09-19&to=2022-09-20
   actor timeline: $WEB/actors/RUS/events
   health:         $WEB/healthz
EOF
wait "$TAIL_PID"
