#!/usr/bin/env bash
# Starts or stops a moto server for the aws-adapter integration tests.
#
#   moto-server.sh start [PORT]   install moto if needed, start it on 127.0.0.1:PORT (a free port if none
#                                 is given), wait until it answers, write $MOTO_WORKDIR/endpoint and /port
#   moto-server.sh stop           stop the server that `start` left in $MOTO_WORKDIR
#
# Environment:
#   MOTO_VERSION   the moto release to install (default 5.2.5); pinned because the ITs record its gaps
#   MOTO_WORKDIR   where the pid, endpoint, port and log files go (default ./target/moto)
#   MOTO_VENV      the virtualenv to install into (default ~/.cache/cutover/moto-venv-$MOTO_VERSION)
#   PYTHON         the interpreter that creates the venv (default python3)
#
# The venv lives outside target/ so that `mvn clean` does not reinstall moto on every build; a fresh machine
# pays the install once (about half a minute).
set -euo pipefail

MOTO_VERSION="${MOTO_VERSION:-5.2.5}"
MOTO_WORKDIR="${MOTO_WORKDIR:-$(pwd)/target/moto}"
MOTO_VENV="${MOTO_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/cutover/moto-venv-$MOTO_VERSION}"
PYTHON="${PYTHON:-python3}"
PID_FILE="$MOTO_WORKDIR/moto.pid"
LOG_FILE="$MOTO_WORKDIR/moto.log"

log() { echo "[moto-server] $*"; }
die() { echo "[moto-server] ERROR: $*" >&2; exit 1; }

install_moto() {
  if [[ -x "$MOTO_VENV/bin/moto_server" ]] \
      && "$MOTO_VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('moto') != '$MOTO_VERSION')" 2>/dev/null; then
    return
  fi
  command -v "$PYTHON" >/dev/null || die "$PYTHON not found; install Python 3.9+ (apt-get install python3 python3-venv)"
  log "installing moto[server]==$MOTO_VERSION into $MOTO_VENV"
  rm -rf "$MOTO_VENV"
  mkdir -p "$(dirname "$MOTO_VENV")"
  "$PYTHON" -m venv "$MOTO_VENV" \
    || die "could not create a venv with $PYTHON; on Debian/Ubuntu install python3-venv"
  "$MOTO_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" \
    || { rm -rf "$MOTO_VENV"; die "pip could not install moto[server]==$MOTO_VERSION"; }
}

free_port() {
  "$MOTO_VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

answers() {
  # moto's own API answers once the server is up; any HTTP status means it is listening
  "$MOTO_VENV/bin/python" - "$1" <<'PY' 2>/dev/null
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1] + "/moto-api/data.json", timeout=1)
except urllib.error.HTTPError:
    pass
PY
}

stop() {
  if [[ -f "$PID_FILE" ]]; then
    local pid
    pid="$(cat "$PID_FILE")"
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping moto (pid $pid)"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$PID_FILE"
  fi
}

start() {
  local port="${1:-}"
  mkdir -p "$MOTO_WORKDIR"
  stop # a server left behind by an interrupted build
  install_moto
  [[ -n "$port" ]] || port="$(free_port)"
  local endpoint="http://127.0.0.1:$port"
  log "starting moto $MOTO_VERSION at $endpoint (log: $LOG_FILE)"
  nohup "$MOTO_VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 300); do
    if answers "$endpoint"; then
      echo "$port" >"$MOTO_WORKDIR/port"
      echo "$endpoint" >"$MOTO_WORKDIR/endpoint"
      log "moto answers at $endpoint"
      return
    fi
    kill -0 "$(cat "$PID_FILE")" 2>/dev/null || { cat "$LOG_FILE" >&2; die "moto exited during start"; }
    sleep 0.1
  done
  cat "$LOG_FILE" >&2
  stop
  die "moto did not answer at $endpoint within 30 s"
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop ;;
  *) echo "usage: $0 start [PORT] | stop" >&2; exit 2 ;;
esac
