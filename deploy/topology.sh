#!/usr/bin/env bash
# The production topology on one machine (docs/topology.md):
#   nginx (TLS) → two app servers (`jianli web`) → PostgreSQL primary + streaming read replica, Redis,
#   an S3-compatible object store (moto's server), the task worker (`jianli worker`) and `jianli scheduler`,
#   the commands deploy/systemd/'s units run. The service runs in production mode (JIANLI_PRODUCTION=1, debug and
#   demo off) against local stand-ins for Tencent Cloud SMS and FaceID (tests/topology/vendors.py, process `vendors`).
# Every long-lived process runs under a small supervisor loop that restarts it when it exits, as systemd's
# Restart=always would. PostgreSQL runs as the `postgres` user; the rest as the caller.
#
#   deploy/topology.sh up            start everything (idempotent), migrate, print the address
#   deploy/topology.sh down          stop everything (data stays under the run dir)
#   deploy/topology.sh destroy       stop and delete the run dir
#   deploy/topology.sh stop NAME     stop one supervised process (app1 app2 worker scheduler redis pg-primary …)
#   deploy/topology.sh start NAME    start it again
#   deploy/topology.sh kill NAME     kill -9 it (its supervisor restarts it)
#   deploy/topology.sh env           print the environment the app processes run with
#
# Ports: TOPOLOGY_PORT (default 8500) is nginx; app servers +10/+11, the object store +20, the SMS and FaceID
# stand-ins +21/+22 (GET http://127.0.0.1:SMS/sent lists the SMS "sent", codes included); PostgreSQL
# TOPOLOGY_PG_PORT (5440) and +1 for the replica; Redis TOPOLOGY_REDIS_PORT (6390).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUN="${TOPOLOGY_DIR:-$ROOT/var/topology}"
PY="${PY:-$ROOT/.venv/bin/python}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PORT="${TOPOLOGY_PORT:-8500}"
APP1_PORT=$((PORT + 10))
APP2_PORT=$((PORT + 11))
S3_PORT=$((PORT + 20))
SMS_PORT=$((PORT + 21))
FACE_PORT=$((PORT + 22))
PG_PORT="${TOPOLOGY_PG_PORT:-5440}"
REPLICA_PORT=$((PG_PORT + 1))
REDIS_PORT="${TOPOLOGY_REDIS_PORT:-6390}"
WORKERS="${JIANLI_WORKERS:-2}"
PGUSER_OS=postgres

log() { echo "[topology +${SECONDS}s] $*" >&2; }

as_postgres() { setpriv --reuid="$PGUSER_OS" --regid="$PGUSER_OS" --init-groups -- "$@"; }

wait_port() {  # host port seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0
    sleep 0.1
  done
  log "nothing answers on $1:$2 after $3 s"; return 1
}

keys() {
  mkdir -p "$RUN/keys"
  [ -f "$RUN/keys/secret" ] || "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$RUN/keys/secret"
  [ -f "$RUN/keys/pii" ] || "$PY" -c 'import base64, secrets; print("k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())' >"$RUN/keys/pii"
  [ -f "$RUN/keys/lookup" ] || "$PY" -c 'import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())' >"$RUN/keys/lookup"
  chmod 600 "$RUN"/keys/*
  if [ ! -f "$RUN/tls/cert.pem" ]; then
    mkdir -p "$RUN/tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=127.0.0.1" \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
      -keyout "$RUN/tls/key.pem" -out "$RUN/tls/cert.pem" 2>/dev/null
  fi
}

write_env() {
  cat >"$RUN/env" <<EOF
DATABASE_URL=postgres://jianli@127.0.0.1:$PG_PORT/jianli
JIANLI_REPLICA_URL=postgres://jianli@127.0.0.1:$REPLICA_PORT/jianli
JIANLI_DB_CONN_MAX_AGE=60
REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
JIANLI_S3_BUCKET=jianli
JIANLI_S3_ENDPOINT_URL=http://127.0.0.1:$S3_PORT
JIANLI_S3_REGION=us-east-1
JIANLI_S3_ACCESS_KEY_ID=topology
JIANLI_S3_SECRET_ACCESS_KEY=topology-secret
JIANLI_S3_ADDRESSING_STYLE=path
JIANLI_PRODUCTION=1
JIANLI_DEBUG=0
JIANLI_DEMO=0
JIANLI_SECRET_KEY_FILE=$RUN/keys/secret
JIANLI_PII_KEY_FILE=$RUN/keys/pii
JIANLI_PII_LOOKUP_KEY_FILE=$RUN/keys/lookup
JIANLI_VAR_DIR=$RUN/app
JIANLI_ALLOWED_HOSTS=127.0.0.1,localhost
JIANLI_CSRF_TRUSTED_ORIGINS=https://127.0.0.1:$PORT,https://localhost:$PORT
JIANLI_SITE_URL=https://127.0.0.1:$PORT
JIANLI_BEHIND_PROXY=1
JIANLI_TRUSTED_PROXY_COUNT=1
JIANLI_HSTS_SECONDS=0
JIANLI_SMS_PROVIDER=tencent
JIANLI_SMS_TENCENT_ENDPOINT=http://127.0.0.1:$SMS_PORT/
JIANLI_SMS_SECRET_ID=AKIDtestid
JIANLI_SMS_SECRET_KEY=test-secret-key
JIANLI_SMS_APP_ID=1400000000
JIANLI_SMS_SIGN_NAME=住建部政务服务
JIANLI_SMS_TEMPLATE_ID=1234567
JIANLI_SMS_RECEIPT_TOKEN=topology-receipts
JIANLI_FACE_PROVIDER=tencent
JIANLI_TENCENT_ENDPOINT=http://127.0.0.1:$FACE_PORT/
JIANLI_TENCENT_SECRET_ID=AKIDfakefakefakefakefakefakefake
JIANLI_TENCENT_SECRET_KEY=fake-secret-key-0123456789abcdef
JIANLI_TENCENT_RULE_ID=1
JIANLI_WEB_WORKERS=$WORKERS
JIANLI_WEB_GRACEFUL_TIMEOUT=3
JIANLI_SCHEDULER_RETRY_SECONDS=${JIANLI_SCHEDULER_RETRY_SECONDS:-10}
JIANLI_RATE_CHECK_PER_ADDRESS=${JIANLI_RATE_CHECK_PER_ADDRESS:-5}
JIANLI_RATE_API_PROFILE_PER_ADDRESS=${JIANLI_RATE_API_PROFILE_PER_ADDRESS:-100000}
JIANLI_RATE_SMS_PER_ADDRESS=${JIANLI_RATE_SMS_PER_ADDRESS:-100000}
JIANLI_RATE_SMS_PER_NUMBER=${JIANLI_RATE_SMS_PER_NUMBER:-100000}
JIANLI_RATE_API_KEY_PER_MINUTE=${JIANLI_RATE_API_KEY_PER_MINUTE:-100000}
PYTHONUNBUFFERED=1
EOF
}

load_env() { set -a; . "$RUN/env"; set +a; }

# supervise NAME COMMAND…: run COMMAND again whenever it exits (1 s apart), until `stop NAME`.
supervise() {
  local name=$1; shift
  [ -f "$RUN/pids/$name.sup" ] && kill -0 "$(cat "$RUN/pids/$name.sup")" 2>/dev/null && return 0
  rm -f "$RUN/pids/$name.stopped"
  setsid bash -c '
    name=$1; run=$2; shift 2
    trap "kill -TERM \$child 2>/dev/null; wait \$child; exit 0" TERM INT
    while [ ! -f "$run/pids/$name.stopped" ]; do
      "$@" >>"$run/logs/$name.log" 2>&1 &
      child=$!; echo $child >"$run/pids/$name.pid"
      wait $child || true
      [ -f "$run/pids/$name.stopped" ] && break
      echo "[supervisor] $name exited; restarting in 1 s" >>"$run/logs/$name.log"
      sleep 1
    done' supervise "$name" "$RUN" "$@" </dev/null >/dev/null 2>&1 &
  echo $! >"$RUN/pids/$name.sup"
}

stop_one() {
  local name=$1
  touch "$RUN/pids/$name.stopped"
  if [ -f "$RUN/pids/$name.sup" ]; then
    kill -TERM "$(cat "$RUN/pids/$name.sup")" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$(cat "$RUN/pids/$name.sup")" 2>/dev/null || break; sleep 0.1; done
    rm -f "$RUN/pids/$name.sup"
  fi
}

pg_init() {
  # PostgreSQL runs as its own user and must pass through the folders above its data (var/ is 0700):
  # grant only that (o+x, no listing) where it is missing.
  d="$RUN"; while [ "$d" != "/" ]; do as_postgres test -x "$d" || chmod o+x "$d"; d="$(dirname "$d")"; done
  mkdir -p "$RUN/pg"
  chown "$PGUSER_OS" "$RUN/pg"
  if [ ! -f "$RUN/pg/primary/PG_VERSION" ]; then
    log "initdb primary on port $PG_PORT"
    as_postgres "$PG_BIN/initdb" -D "$RUN/pg/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$RUN/pg/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$RUN/pg'
wal_level = replica
max_wal_senders = 5
wal_keep_size = 256MB
hot_standby = on
fsync = off
EOF
    echo "host replication postgres 127.0.0.1/32 trust" >>"$RUN/pg/primary/pg_hba.conf"
  fi
}

pg_primary_cmd() { echo setpriv --reuid="$PGUSER_OS" --regid="$PGUSER_OS" --init-groups -- "$PG_BIN/postgres" -D "$RUN/pg/primary"; }
pg_replica_cmd() { echo setpriv --reuid="$PGUSER_OS" --regid="$PGUSER_OS" --init-groups -- "$PG_BIN/postgres" -D "$RUN/pg/replica"; }

pg_up() {
  pg_init
  # shellcheck disable=SC2046
  supervise pg-primary $(pg_primary_cmd)
  wait_port 127.0.0.1 "$PG_PORT" 30
  for _ in $(seq 1 50); do "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break; sleep 0.2; done
  psql_primary -tAc "SELECT 1 FROM pg_roles WHERE rolname='jianli'" | grep -q 1 ||
    psql_primary -c "CREATE ROLE jianli LOGIN" >/dev/null
  psql_primary -tAc "SELECT 1 FROM pg_database WHERE datname='jianli'" | grep -q 1 ||
    psql_primary -c "CREATE DATABASE jianli OWNER jianli" >/dev/null
  if [ ! -f "$RUN/pg/replica/PG_VERSION" ]; then
    log "pg_basebackup -R: streaming replica on port $REPLICA_PORT"
    as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$RUN/pg/replica" -R -X stream -c fast
    cat >>"$RUN/pg/replica/postgresql.conf" <<EOF
port = $REPLICA_PORT
EOF
  fi
  # shellcheck disable=SC2046
  supervise pg-replica $(pg_replica_cmd)
  wait_port 127.0.0.1 "$REPLICA_PORT" 30
}

psql_primary() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q "$@"; }

redis_up() {
  mkdir -p "$RUN/redis"
  supervise redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$RUN/redis" --save "" --appendonly no
  wait_port 127.0.0.1 "$REDIS_PORT" 15
}

s3_up() {
  supervise s3 "$(dirname "$PY")/moto_server" -H 127.0.0.1 -p "$S3_PORT"
  wait_port 127.0.0.1 "$S3_PORT" 30
  "$PY" - "$S3_PORT" <<'PY'
import sys, boto3
s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", region_name="us-east-1",
                  aws_access_key_id="topology", aws_secret_access_key="topology-secret")
if "jianli" not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
    s3.create_bucket(Bucket="jianli")
PY
}

vendors_up() {
  load_env
  supervise vendors env -C "$ROOT" "$PY" tests/topology/vendors.py "$SMS_PORT" "$FACE_PORT"
  wait_port 127.0.0.1 "$SMS_PORT" 30
  wait_port 127.0.0.1 "$FACE_PORT" 30
}

# The commands deploy/systemd/'s units run (jianli-web@.service, jianli-worker.service, jianli-scheduler.service),
# after a release's steps (migrate, collectstatic: see `up`).
app_up() {
  load_env
  start_app 1
  start_app 2
  start_worker
  supervise scheduler env -C "$ROOT" "$PY" -m jianli scheduler
  wait_port 127.0.0.1 "$APP1_PORT" 60
  wait_port 127.0.0.1 "$APP2_PORT" 60
}

start_app() {  # n
  supervise "app$1" env -C "$ROOT" "$PY" -m jianli web --addr "127.0.0.1:$((PORT + 9 + $1))" --no-collectstatic
}

start_worker() { supervise worker env -C "$ROOT" "$PY" -m jianli worker --interval 0.5 --no-startup-delay; }

nginx_up() {
  mkdir -p "$RUN/nginx"
  sed -e "s#@PORT@#$PORT#g" -e "s#@APP1@#127.0.0.1:$APP1_PORT#g" -e "s#@APP2@#127.0.0.1:$APP2_PORT#g" \
      -e "s#@RUN@#$RUN#g" -e "s#@STATIC@#$RUN/app/static#g" "$ROOT/deploy/nginx/jianli.conf" >"$RUN/nginx/site.conf"
  cat >"$RUN/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 2;
pid $RUN/nginx/nginx.pid;
error_log $RUN/logs/nginx-error.log warn;
events { worker_connections 512; }
http {
  include /etc/nginx/mime.types;
  access_log $RUN/logs/nginx-access.log;
  client_body_temp_path $RUN/nginx/body;
  proxy_temp_path $RUN/nginx/proxy;
  fastcgi_temp_path $RUN/nginx/fastcgi;
  uwsgi_temp_path $RUN/nginx/uwsgi;
  scgi_temp_path $RUN/nginx/scgi;
  include $RUN/nginx/site.conf;
}
EOF
  nginx -t -q -c "$RUN/nginx/nginx.conf" -p "$RUN/nginx"
  supervise nginx nginx -c "$RUN/nginx/nginx.conf" -p "$RUN/nginx"
  wait_port 127.0.0.1 "$PORT" 15
}

up() {
  command -v nginx >/dev/null || { log "nginx is missing: make topology installs it"; exit 1; }
  mkdir -p "$RUN/pids" "$RUN/logs"
  chmod 755 "$RUN"
  keys
  write_env
  load_env
  mkdir -p "$RUN/app"
  # What does not depend on each other starts side by side: Redis, the object store and the vendors' stand-ins;
  # the static files; PostgreSQL, then the migrations.
  (redis_up; s3_up; vendors_up; log "Redis, the object store, the SMS and FaceID stand-ins up") &
  local others=$!
  (cd "$ROOT" && "$PY" -m jianli collectstatic --noinput -v 0) &
  local static=$!
  pg_up; log "PostgreSQL primary and replica up"
  (cd "$ROOT" && "$PY" -m jianli migrate --noinput -v 0); log "migrated"
  wait "$others"
  wait "$static"
  app_up; log "app servers, worker and scheduler up"
  nginx_up
  log "up: https://127.0.0.1:$PORT/ (certificate $RUN/tls/cert.pem); environment in $RUN/env"
}

down() {
  [ -d "$RUN/pids" ] || return 0
  local name sup
  for name in nginx app1 app2 worker scheduler vendors s3 redis pg-replica pg-primary; do
    touch "$RUN/pids/$name.stopped"
    # PostgreSQL's fast shutdown: do not wait for the app servers' sessions to end.
    case $name in pg-*) [ -f "$RUN/pg/${name#pg-}/postmaster.pid" ] &&
      kill -INT "$(head -1 "$RUN/pg/${name#pg-}/postmaster.pid")" 2>/dev/null || true ;; esac
    [ -f "$RUN/pids/$name.sup" ] && kill -TERM "$(cat "$RUN/pids/$name.sup")" 2>/dev/null || true
  done
  for name in nginx app1 app2 worker scheduler vendors s3 redis pg-replica pg-primary; do
    [ -f "$RUN/pids/$name.sup" ] || continue
    sup=$(cat "$RUN/pids/$name.sup")
    for _ in $(seq 1 150); do kill -0 "$sup" 2>/dev/null || break; sleep 0.1; done
    rm -f "$RUN/pids/$name.sup"
  done
  log "down"
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  destroy) down; rm -rf "$RUN" ;;
  stop) stop_one "$2" ;;
  start)
    rm -f "$RUN/pids/$2.stopped"
    case "$2" in
      pg-primary) supervise pg-primary $(pg_primary_cmd) ;;
      pg-replica) supervise pg-replica $(pg_replica_cmd) ;;
      redis) redis_up ;;
      s3) s3_up ;;
      app1 | app2) load_env; start_app "${2#app}"; wait_port 127.0.0.1 $((PORT + 9 + ${2#app})) 60 ;;
      worker) load_env; start_worker ;;
      scheduler) load_env; supervise scheduler env -C "$ROOT" "$PY" -m jianli scheduler ;;
      vendors) vendors_up ;;
      *) log "start: use up for $2"; exit 2 ;;
    esac ;;
  kill) kill -9 "$(cat "$RUN/pids/$2.pid")" ;;
  env) cat "$RUN/env" ;;
  *) echo "usage: $0 up|down|destroy|stop NAME|start NAME|kill NAME|env" >&2; exit 2 ;;
esac
