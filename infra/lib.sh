# shellcheck shell=bash
# Shared provisioning for infra/up and infra/test: install what is missing, start each
# service on loopback unless one already listens on its standard port, remember what we
# started so the caller can stop exactly that on exit.
#
# Services and ports: PostgreSQL 5432, Redis 6379, S3 (s3s-fs) 9000, SMTP sink 2525.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="${DATA_DIR:-$ROOT/.data}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/billing-target}"
export PATH="$HOME/.cargo/bin:$PATH"
S3S_FS_VERSION="0.14.1"
PG_PASSWORD="postgres"
STARTED_PIDS=()
STARTED_CMDS=()

log() { printf '\033[1;34m[infra]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[infra] %s\033[0m\n' "$*" >&2; exit 1; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local port=$1 name=$2 tries=${3:-100}
  for _ in $(seq "$tries"); do listening "$port" && return 0; sleep 0.2; done
  die "$name did not start listening on 127.0.0.1:$port (see $DATA_DIR/logs/)"
}

APT_UPDATED=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "need Debian packages ${missing[*]} (no apt-get here)"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ $APT_UPDATED -eq 0 ]; then $sudo apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Stops what this script started (the caller traps EXIT into this).
stop_started() {
  local i
  for ((i=${#STARTED_PIDS[@]}-1; i>=0; i--)); do
    kill "${STARTED_PIDS[$i]}" 2>/dev/null || true
  done
  for c in "${STARTED_CMDS[@]}"; do eval "$c" >/dev/null 2>&1 || true; done
  wait 2>/dev/null || true
}

start_bg() { # name, then the command; output to $DATA_DIR/logs/<name>.log
  local name=$1; shift
  "$@" >"$DATA_DIR/logs/$name.log" 2>&1 &
  STARTED_PIDS+=("$!")
}

ensure_postgres() {
  if listening 5432; then log "PostgreSQL: reusing the server on 127.0.0.1:5432"; else
    apt_install postgresql
    local ver; ver="$(ls /etc/postgresql | sort -V | tail -1)"
    log "PostgreSQL: starting cluster $ver/main"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start
    STARTED_CMDS+=("pg_ctlcluster --skip-systemctl-redirect $ver main stop")
    wait_port 5432 PostgreSQL
    # A fresh Debian cluster asks for a password over TCP: give postgres a known one.
    runuser -u postgres -- psql -q -c "ALTER USER postgres PASSWORD '$PG_PASSWORD'" >/dev/null
    # Debian's defaults (128 MB of buffers, a checkpoint every GB of WAL) are for a small
    # box; the period calculation writes millions of rows. Sized for this 24 GB machine.
    if ! runuser -u postgres -- psql -tAc "SHOW shared_buffers" | grep -q 4GB; then
      log "PostgreSQL: sizing buffers and checkpoints for bulk work (restart)"
      runuser -u postgres -- psql -q \
        -c "ALTER SYSTEM SET shared_buffers = '4GB'" -c "ALTER SYSTEM SET effective_cache_size = '16GB'" \
        -c "ALTER SYSTEM SET max_wal_size = '16GB'" -c "ALTER SYSTEM SET checkpoint_timeout = '30min'" \
        -c "ALTER SYSTEM SET maintenance_work_mem = '1GB'" -c "ALTER SYSTEM SET work_mem = '32MB'" >/dev/null
      pg_ctlcluster --skip-systemctl-redirect "$ver" main restart
      wait_port 5432 PostgreSQL
    fi
  fi
  command -v psql >/dev/null || apt_install postgresql-client
}

# Loopback only, so no TLS: encrypting every row both ways cost a third of the period
# calculation's time (infra/DEPLOY.md keeps TLS between machines).
pg_url() { echo "postgres://postgres:$PG_PASSWORD@127.0.0.1:5432/$1?sslmode=disable"; }

# Three roles besides the superuser: billing_owner owns the database and its schemas and
# runs migrations (it creates the tenants' roles, so CREATEROLE); billing_app is what the
# application signs in as, a member of billing_app_access (NOINHERIT), which the
# migrations give the control plane's rights and every tenant role. A database made by an
# earlier version (owned by postgres) keeps postgres for both.
DB_OWNER=billing_owner
DB_APP=billing_app
role_url() { echo "postgres://$1:$1@127.0.0.1:5432/$2?sslmode=disable"; }
db_owner() {
  PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -U postgres -tAc \
    "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname='$1'" postgres
}
pg_owner_url() { if [ "$(db_owner "$1")" = "$DB_OWNER" ]; then role_url "$DB_OWNER" "$1"; else pg_url "$1"; fi; }
pg_app_url() { if [ "$(db_owner "$1")" = "$DB_OWNER" ]; then role_url "$DB_APP" "$1"; else pg_url "$1"; fi; }

ensure_roles() {
  PGPASSWORD=$PG_PASSWORD psql -q -h 127.0.0.1 -U postgres postgres >/dev/null <<SQL
SET client_min_messages = warning;
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$DB_OWNER') THEN
    CREATE ROLE $DB_OWNER LOGIN CREATEROLE PASSWORD '$DB_OWNER';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$DB_APP') THEN
    CREATE ROLE $DB_APP LOGIN PASSWORD '$DB_APP';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'billing_app_access') THEN
    CREATE ROLE billing_app_access NOLOGIN NOINHERIT;
  END IF;
END \$\$;
GRANT billing_app_access TO $DB_APP;
SQL
}

ensure_database() {
  local db=$1
  ensure_roles
  if ! PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" postgres | grep -q 1; then
    log "PostgreSQL: creating database $db (owner $DB_OWNER)"
    PGPASSWORD=$PG_PASSWORD psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db OWNER $DB_OWNER" postgres
  fi
}

# A fresh database for a test run, so schemas of earlier runs do not pile up.
recreate_database() {
  local db=$1
  PGPASSWORD=$PG_PASSWORD psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" postgres
  # Tenant roles are cluster-wide: drop the ones earlier test runs made (slugs t_<hex>).
  PGPASSWORD=$PG_PASSWORD psql -q -h 127.0.0.1 -U postgres -tAc \
    "SELECT format('DROP ROLE IF EXISTS %I;', rolname) FROM pg_roles WHERE rolname ~ '^tenant_(t_[0-9a-f]{12}|e2e_[a-z0-9_]+)_role\$'" postgres \
    | PGPASSWORD=$PG_PASSWORD psql -q -h 127.0.0.1 -U postgres postgres >/dev/null 2>&1 || true
  ensure_database "$db"
}

ensure_redis() {
  if listening 6379; then log "Redis: reusing the server on 127.0.0.1:6379"; return; fi
  apt_install redis-server
  mkdir -p "$DATA_DIR/redis"
  log "Redis: starting on 127.0.0.1:6379 (data in $DATA_DIR/redis)"
  start_bg redis redis-server --bind 127.0.0.1 --port 6379 --dir "$DATA_DIR/redis" --appendonly yes --save ""
  wait_port 6379 Redis
}

ensure_s3() {
  if listening 9000; then log "S3: reusing the server on 127.0.0.1:9000"; return; fi
  if ! command -v s3s-fs >/dev/null; then
    log "S3: installing s3s-fs $S3S_FS_VERSION from crates.io (a few minutes, once)"
    cargo install "s3s-fs@$S3S_FS_VERSION" --features binary --locked -q
  fi
  mkdir -p "$DATA_DIR/s3"
  log "S3: starting s3s-fs on 127.0.0.1:9000 (data in $DATA_DIR/s3)"
  start_bg s3 s3s-fs --host 127.0.0.1 --port 9000 --access-key billing --secret-key billing-secret "$DATA_DIR/s3"
  wait_port 9000 S3
}

ensure_python_pkg() { # module, pip package
  python3 -c "import $1" 2>/dev/null && return 0
  command -v pip3 >/dev/null || apt_install python3-pip
  log "installing $2 from PyPI"
  pip3 install -q "$2" 2>/dev/null || pip3 install -q --break-system-packages "$2"
}

ensure_smtp() {
  # A Maildir: aiosmtpd's Mailbox handler writes into tmp/ and moves to new/.
  mkdir -p "$DATA_DIR/mail/tmp" "$DATA_DIR/mail/new" "$DATA_DIR/mail/cur"
  if listening 2525; then log "SMTP: reusing the server on 127.0.0.1:2525"; return; fi
  command -v python3 >/dev/null || apt_install python3
  ensure_python_pkg aiosmtpd aiosmtpd
  log "SMTP: starting aiosmtpd on 127.0.0.1:2525 (mail kept in $DATA_DIR/mail)"
  start_bg smtp python3 -m aiosmtpd -n -l 127.0.0.1:2525 -c aiosmtpd.handlers.Mailbox "$DATA_DIR/mail"
  wait_port 2525 SMTP
}

# A real OpenID Connect provider (oidc-provider from npm) for single sign-on.
OIDC_PORT=9400
ensure_oidc() {
  if listening "$OIDC_PORT"; then log "OpenID provider: reusing the server on 127.0.0.1:$OIDC_PORT"; return; fi
  command -v node >/dev/null || apt_install nodejs npm
  if [ ! -d "$ROOT/infra/oidc/node_modules/oidc-provider" ]; then
    log "OpenID provider: installing oidc-provider from npm"
    (cd "$ROOT/infra/oidc" && npm ci --no-audit --no-fund --silent)
  fi
  log "OpenID provider: starting on 127.0.0.1:$OIDC_PORT"
  OIDC_PORT=$OIDC_PORT OIDC_REDIRECTS="http://127.0.0.1:8080/auth/sso/callback,http://127.0.0.1:18080/auth/sso/callback" \
    start_bg oidc node "$ROOT/infra/oidc/provider.mjs"
  wait_port "$OIDC_PORT" "OpenID provider"
}

ensure_services() {
  mkdir -p "$DATA_DIR/logs"
  ensure_postgres
  ensure_redis
  ensure_s3
  ensure_smtp
  ensure_oidc
}

# The wasm tool chain: the wasm32 target and a wasm-bindgen CLI of exactly the version
# in Cargo.lock (the two must match byte for byte in their wire format).
ensure_wasm_tools() {
  rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown \
    || { log "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }
  local want; want="$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    log "installing wasm-bindgen-cli $want (a few minutes, once)"
    cargo install -q "wasm-bindgen-cli@$want"
  fi
}

# Builds the Yew client into web/dist with no download at build time (web/build: the
# size-first wasm profile, wasm-opt, content-hashed names, brotli and gzip copies).
build_web() {
  ensure_wasm_tools
  command -v brotli >/dev/null || apt_install brotli
  command -v node >/dev/null || apt_install nodejs npm
  log "building the web client (wasm, then wasm-opt: a few minutes)"
  "$ROOT/web/build"
}

build_server() {
  log "building backend, worker and tools"
  cargo build -q -p backend -p worker -p tools
}

service_env() { # database name, queue name
  export APP_DATABASE__URL; APP_DATABASE__URL="$(pg_app_url "$1")"
  export APP_DATABASE__OWNER_URL; APP_DATABASE__OWNER_URL="$(pg_owner_url "$1")"
  export APP_REDIS__QUEUE="$2"
  export APP_WEB__DIST_DIR="$ROOT/web/dist"
}

start_app() { # port
  local bin="$CARGO_TARGET_DIR/debug"
  export APP_HTTP__ADDR="127.0.0.1:$1"
  export APP_AUTH__PUBLIC_URL="http://127.0.0.1:$1"
  APP_DEMO_SSO_ISSUER="http://127.0.0.1:$OIDC_PORT" "$bin/tools" demo >/dev/null
  start_bg backend "$bin/backend" serve
  start_bg worker "$bin/worker"
  wait_port "$1" backend 300
}
