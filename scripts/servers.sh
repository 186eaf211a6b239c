#!/usr/bin/env bash
# The servers the platform needs on a developer machine, all on 127.0.0.1:
#   NATS with JetStream, Redis, an OCI registry (Debian's docker-registry) and the git HTTP server.
#
#   scripts/servers.sh up [name…]  start each one whose port is free (installing missing binaries with apt-get);
#                                  names (nats redis registry git) limit it to those
#   scripts/servers.sh install  only install the missing binaries, servers and build tools (buildah, skopeo,
#                               busybox-static): what the tests need, since they start their own servers
#   scripts/servers.sh status   say what runs where; exits 1 when one is not running
#   scripts/servers.sh down     stop the ones this script started (by pid file); others are left alone
#   scripts/servers.sh env <user>  print NATS_URL and REDIS_URL with the credentials of a NATS user of
#                               infra/k8s/nats-users.conf (one user per service, viewer, admin)
#
# NATS and Redis start with credentials (docs/security.md): NATS with the platform's users and per-service
# permissions (infra/k8s/nats-users.conf), Redis with a password. The passwords are generated once into
# <data dir>/secrets/ (nats.env, redis.password; mode 600). A NATS or Redis already running on the port and
# not started by this script is reused as it is: the script cannot add credentials to it, says so, and
# `env` then prints URLs without credentials.
#
# Environment: GITOPS_DATA_DIR (./.gitops-data), NATS_PORT (4222), REDIS_PORT (6379), REGISTRY_PORT (5000),
# GIT_PORT (8181), REDIS_PERSIST=1 to keep Redis data (AOF) across restarts.
# Under the data dir: servers/<name>.pid, servers/<name>.log, servers/<name>/ (their files), git/ (repositories),
# secrets/ (credentials).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="$(realpath -m "${GITOPS_DATA_DIR:-./.gitops-data}")"
RUN_DIR="$DATA_DIR/servers"
SECRETS_DIR="$DATA_DIR/secrets"
NATS_USERS_CONF="$ROOT/infra/k8s/nats-users.conf"
NATS_PORT="${NATS_PORT:-4222}"
REDIS_PORT="${REDIS_PORT:-6379}"
REGISTRY_PORT="${REGISTRY_PORT:-5000}"
GIT_PORT="${GIT_PORT:-8181}"
SERVERS=(nats redis registry git)
CMD=()
# A file of VAR=value lines the server's environment gets (NATS reads its users' passwords from there).
CMD_ENV_FILE=""
READY_TIMEOUT_S=15

die() {
  echo "servers.sh: $*" >&2
  exit 1
}

for var in NATS_PORT REDIS_PORT REGISTRY_PORT GIT_PORT; do
  if ! [[ "${!var}" =~ ^[0-9]+$ ]] || ((${!var} < 1 || ${!var} > 65535)); then
    die "$var is not a port number: ${!var}"
  fi
done

port_of() {
  case "$1" in
    nats) echo "$NATS_PORT" ;;
    redis) echo "$REDIS_PORT" ;;
    registry) echo "$REGISTRY_PORT" ;;
    git) echo "$GIT_PORT" ;;
  esac
}

# The binary each server runs, its Debian package, and a word of its command line that proves a pid is ours.
binary_of() {
  case "$1" in
    nats) echo nats-server ;;
    redis) echo redis-server ;;
    registry) echo docker-registry ;;
    git) echo git ;;
  esac
}
package_of() { binary_of "$1"; }
marker_of() { if [[ "$1" == git ]]; then echo git-http-server.mjs; else binary_of "$1"; fi; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Debian puts nats-server in /usr/sbin, which is not on a normal user's PATH.
find_bin() { command -v "$1" 2>/dev/null || { [[ -x "/usr/sbin/$1" ]] && echo "/usr/sbin/$1"; }; }

# Prints the pid when this script started the server and it still runs; forgets stale pid files.
owned_pid() {
  local file="$RUN_DIR/$1.pid" pid
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file")"
  if [[ -n "$pid" ]] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF "$(marker_of "$1")"; then
    echo "$pid"
    return 0
  fi
  rm -f "$file" "$RUN_DIR/$1.auth"
  return 1
}

# Whether this script started server $1 and with credentials (older runs of it started them without).
has_credentials() { owned_pid "$1" >/dev/null && [[ -f "$RUN_DIR/$1.auth" ]]; }

# Letters and digits, starting with a letter: nats-server reads a password variable as a configuration value,
# in which a leading digit makes a number. 48 hex digits are 192 random bits.
new_password() { printf 'p%s' "$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"; }

# The credentials, generated once and kept: a password for every user of nats-users.conf, and Redis's.
ensure_secrets() {
  (umask 077 && mkdir -p "$SECRETS_DIR" && touch "$SECRETS_DIR/nats.env")
  chmod 700 "$SECRETS_DIR"
  local var
  for var in $(grep -o '\$NATS_PASSWORD_[A-Z0-9_]*' "$NATS_USERS_CONF" | tr -d '$' | sort -u); do
    grep -q "^$var=" "$SECRETS_DIR/nats.env" || echo "$var=$(new_password)" >>"$SECRETS_DIR/nats.env"
  done
  [[ -s "$SECRETS_DIR/redis.password" ]] || (umask 077 && new_password >"$SECRETS_DIR/redis.password")
}

# Redis reads its password from a file of ours (mode 600), so it never shows in a process list.
redis_config() {
  local file="$RUN_DIR/redis/redis.conf"
  (umask 077 && printf 'requirepass %s\n' "$(cat "$SECRETS_DIR/redis.password")" >"$file")
  echo "$file"
}

install_packages() {
  local sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null || die "missing: $*; run as root or install sudo, or install the Debian packages $* yourself"
    sudo=(sudo)
  fi
  command -v apt-get >/dev/null ||
    die "missing: $*; apt-get is not available, so install them with your package manager (Debian names: $*)"
  mkdir -p "$RUN_DIR"
  local log="$RUN_DIR/apt-get.log"
  echo "installing $* with apt-get (log $log)"
  if ! { "${sudo[@]}" apt-get update && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"; } \
    >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    die "apt-get could not install $*"
  fi
}

registry_config() {
  local dir="$RUN_DIR/registry"
  mkdir -p "$dir/storage"
  # Our own config: the packaged one listens on every interface.
  cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: '${dir//\'/\'\'}/storage'
http:
  addr: 127.0.0.1:$REGISTRY_PORT
EOF
  echo "$dir/config.yml"
}

# Sets CMD to the command line that runs server $1.
set_command() {
  local bin
  bin="$(find_bin "$(binary_of "$1")")"
  CMD_ENV_FILE=""
  case "$1" in
    nats)
      # The platform's users and permissions; the command line's address, port and store win over the file.
      CMD=("$bin" -c "$NATS_USERS_CONF" -js -a 127.0.0.1 -p "$NATS_PORT" -sd "$RUN_DIR/nats")
      CMD_ENV_FILE="$SECRETS_DIR/nats.env"
      ;;
    redis)
      mkdir -p "$RUN_DIR/redis"
      # noeviction: BullMQ loses jobs when Redis evicts keys under memory pressure.
      CMD=("$bin" "$(redis_config)" --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$RUN_DIR/redis" --maxmemory-policy noeviction)
      if [[ "${REDIS_PERSIST:-}" == 1 ]]; then CMD+=(--appendonly yes); else CMD+=(--save '' --appendonly no); fi
      ;;
    registry) CMD=("$bin" serve "$(registry_config)") ;;
    git) CMD=(node "$ROOT/infra/local/git-http-server.mjs" --port "$GIT_PORT" --root "$DATA_DIR/git") ;;
  esac
}

# setsid: the server outlives this shell and its terminal's Ctrl-C. The inner shell records its own pid and
# execs the server, so the pid file is right even when setsid has to fork.
start() {
  local name="$1" port log="$RUN_DIR/$1.log" pidfile="$RUN_DIR/$1.pid"
  port="$(port_of "$name")"
  set_command "$name"
  rm -f "$pidfile" "$RUN_DIR/$name.auth"
  # Exported in a subshell, not put on the command line: passwords stay out of process lists.
  (
    if [[ -n "$CMD_ENV_FILE" ]]; then set -a && source "$CMD_ENV_FILE" && set +a; fi
    # shellcheck disable=SC2016 # $$ and $@ belong to the inner shell
    exec setsid sh -c 'echo $$ > "$0"; exec "$@"' "$pidfile" "${CMD[@]}"
  ) >"$log" 2>&1 </dev/null &
  local deadline=$((SECONDS + READY_TIMEOUT_S)) pid
  until listening "$port"; do
    pid="$(cat "$pidfile" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      fail_start "$name" "exited before accepting connections on 127.0.0.1:$port"
    fi
    ((SECONDS < deadline)) || fail_start "$name" "did not accept connections on 127.0.0.1:$port within ${READY_TIMEOUT_S} s"
    sleep 0.1
  done
  local auth=""
  if [[ "$name" == nats || "$name" == redis ]]; then
    touch "$RUN_DIR/$name.auth"
    auth=", with credentials from $SECRETS_DIR"
  fi
  echo "$name: started on 127.0.0.1:$port (pid $(cat "$pidfile"), log $log$auth)"
}

fail_start() {
  local pid
  pid="$(owned_pid "$1")" && kill "$pid" 2>/dev/null
  rm -f "$RUN_DIR/$1.pid"
  echo "$1: $2; last lines of $RUN_DIR/$1.log:" >&2
  tail -n 20 "$RUN_DIR/$1.log" | sed 's/^/  /' >&2
  exit 1
}

up() {
  mkdir -p "$RUN_DIR" "$DATA_DIR/git"
  local name pid missing=() to_start=()
  for name in "${SERVERS[@]}"; do
    if listening "$(port_of "$name")"; then
      if pid="$(owned_pid "$name")"; then
        echo "$name: already running on 127.0.0.1:$(port_of "$name") (pid $pid, started by this script)"
      else
        echo "$name: already running on 127.0.0.1:$(port_of "$name")"
      fi
      warn_without_credentials "$name"
      continue
    fi
    to_start+=("$name")
    if [[ "$name" == git ]] && ! command -v node >/dev/null; then
      die "node is not on PATH: the git server needs Node.js 20+"
    fi
    find_bin "$(binary_of "$name")" >/dev/null || missing+=("$(package_of "$name")")
  done
  ((${#missing[@]} == 0)) || install_packages "${missing[@]}"
  [[ " ${to_start[*]} " != *" nats "* && " ${to_start[*]} " != *" redis "* ]] || ensure_secrets
  for name in "${to_start[@]}"; do start "$name"; done
}

# A server this script did not start (or started before it used credentials) is reused as it is.
warn_without_credentials() {
  [[ "$1" == nats || "$1" == redis ]] || return 0
  has_credentials "$1" && return 0
  echo "$1: WARNING: reused without credentials (this script cannot add them to a server it did not start):" \
    "anything on this host can use it; stop it and run 'scripts/servers.sh up' to start one with credentials" >&2
}

# NATS_URL and REDIS_URL as user $1 of nats-users.conf, for scripts/up and a developer's shell.
print_env() {
  local user="$1" nats_url="nats://127.0.0.1:$NATS_PORT" redis_url="redis://127.0.0.1:$REDIS_PORT" var password
  if has_credentials nats; then
    var="NATS_PASSWORD_$(tr 'a-z-' 'A-Z_' <<<"$user")"
    password="$(sed -n "s/^$var=//p" "$SECRETS_DIR/nats.env")"
    [[ -n "$password" ]] || die "no NATS user $user in $NATS_USERS_CONF"
    nats_url="nats://$user:$password@127.0.0.1:$NATS_PORT"
  else
    warn_without_credentials nats
  fi
  if has_credentials redis; then
    redis_url="redis://:$(cat "$SECRETS_DIR/redis.password")@127.0.0.1:$REDIS_PORT"
  else
    warn_without_credentials redis
  fi
  printf 'NATS_URL=%s\nREDIS_URL=%s\n' "$nats_url" "$redis_url"
}

# The tools the builder runs (buildah; bwrap and slirp4netns to sandbox build steps) and its tests use
# (skopeo, a busybox base image); chromium runs the metrics dashboard's browser test.
TOOLS=(buildah:buildah skopeo:skopeo busybox:busybox-static bwrap:bubblewrap slirp4netns:slirp4netns chromium:chromium)

install() {
  local name tool missing=()
  for name in "${SERVERS[@]}"; do
    find_bin "$(binary_of "$name")" >/dev/null || missing+=("$(package_of "$name")")
  done
  for tool in "${TOOLS[@]}"; do
    find_bin "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
  done
  if ((${#missing[@]} == 0)); then echo "servers: every binary is installed"; else install_packages "${missing[@]}"; fi
}

down() {
  local name pid i
  for ((i = ${#SERVERS[@]} - 1; i >= 0; i--)); do
    name="${SERVERS[i]}"
    if ! pid="$(owned_pid "$name")"; then
      if listening "$(port_of "$name")"; then
        echo "$name: left running on 127.0.0.1:$(port_of "$name") (not started by this script)"
      else
        echo "$name: not running"
      fi
      continue
    fi
    kill "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    rm -f "$RUN_DIR/$name.pid" "$RUN_DIR/$name.auth"
    echo "$name: stopped (pid $pid)"
  done
}

status() {
  local name pid port all_up=0
  for name in "${SERVERS[@]}"; do
    port="$(port_of "$name")"
    if pid="$(owned_pid "$name")"; then
      if listening "$port"; then
        echo "$name: running on 127.0.0.1:$port (pid $pid, started by this script, log $RUN_DIR/$name.log)"
      else
        echo "$name: pid $pid started by this script but not accepting connections on 127.0.0.1:$port"
        all_up=1
      fi
    elif listening "$port"; then
      echo "$name: running on 127.0.0.1:$port (not started by this script)"
    else
      echo "$name: not running (127.0.0.1:$port is free)"
      all_up=1
    fi
  done
  return "$all_up"
}

command="${1:-}"
if [[ "$command" == env ]]; then
  (($# == 2)) || die "usage: scripts/servers.sh env <user> (a user of $NATS_USERS_CONF)"
  print_env "$2"
  exit 0
fi
if (($# > 1)); then
  shift
  for name in "$@"; do
    [[ " ${SERVERS[*]} " == *" $name "* ]] || die "unknown server $name (known: ${SERVERS[*]})"
  done
  SERVERS=("$@")
fi
case "$command" in
  up) up ;;
  install) install ;;
  down) down ;;
  status) status ;;
  *) die "usage: scripts/servers.sh up|install|down|status [name…], or env <user>" ;;
esac
