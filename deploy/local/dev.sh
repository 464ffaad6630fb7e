#!/usr/bin/env bash
# `make dev`: RabbitMQ, the Mongo wire server (unless MONGO_URL), the dev mailbox and every
# service, supervised by honcho. Ctrl-C stops everything this started (RabbitMQ keeps running:
# it is the machine's broker, not ours).
#
# Defaults suit one developer; DATA_DIR, DEV_PORT_BASE (first service port), DEV_MONGO_PORT and
# SMTP_PORT move a second stack (the smoke test of this script runs one) out of its way.
set -euo pipefail
cd "$(dirname "$0")/../.."

DATA_DIR=${DATA_DIR:-.data}
DEV_PORT_BASE=${DEV_PORT_BASE:-8001}
DEV_MONGO_PORT=${DEV_MONGO_PORT:-27017}
export DATA_DIR DEV_PORT_BASE

bash deploy/local/ensure-rabbitmq.sh
# Not $DATA_DIR/mail itself: the mailbox creates the whole Maildir (tmp, new, cur).
mkdir -p "$DATA_DIR"
.venv/bin/python -m accounts generate-signing-key "$DATA_DIR/jwt-ed25519.pem"

export JWT_PRIVATE_KEY_FILE=${JWT_PRIVATE_KEY_FILE:-$DATA_DIR/jwt-ed25519.pem}
# One key for accounts, workspaces and the notifier: the tokens of mail links travel sealed with it.
[ -s "$DATA_DIR/mail-link.key" ] || .venv/bin/python -m shared.sealing > "$DATA_DIR/mail-link.key"
export MAIL_LINK_KEY=${MAIL_LINK_KEY:-$(cat "$DATA_DIR/mail-link.key")}
# Accounts seals each TOTP secret with its own key, kept with the database it belongs to: lose
# it and every enrolled account signs in with a recovery code only.
[ -s "$DATA_DIR/totp-secret.key" ] || (umask 077 && .venv/bin/python -m shared.sealing > "$DATA_DIR/totp-secret.key")
export TOTP_SECRET_KEY=${TOTP_SECRET_KEY:-$(cat "$DATA_DIR/totp-secret.key")}
export SMTP_HOST=${SMTP_HOST:-127.0.0.1} SMTP_PORT=${SMTP_PORT:-1025}
export JWKS_URL=${JWKS_URL:-http://127.0.0.1:$DEV_PORT_BASE/.well-known/jwks.json}
export LOG_JSON=${LOG_JSON:-false}
# Plain http: browsers keep a Secure cookie from 127.0.0.1, but scripts and other hosts on the
# LAN address would never send it back.
export REFRESH_COOKIE_SECURE=${REFRESH_COOKIE_SECURE:-false}
# The dev reviewer and admin sign in with a password only (production requires two-factor).
export STAFF_TWO_FACTOR_REQUIRED=${STAFF_TWO_FACTOR_REQUIRED:-false}
# The links of mails (invitations, ...) open the console on the gateway below, wherever it moved.
export CONSOLE_URL=${CONSOLE_URL:-http://127.0.0.1:$((DEV_PORT_BASE - 1))}
export PYTHONUNBUFFERED=1

procfile=$DATA_DIR/Procfile
{
  if [ -z "${MONGO_URL:-}" ]; then
    export MONGO_URL="mongodb://127.0.0.1:$DEV_MONGO_PORT/?directConnection=true"
    echo "mongo: exec .venv/bin/python deploy/local/mongo_wire.py --port $DEV_MONGO_PORT --sqlite $DATA_DIR/mongo.sqlite3"
  fi
  if [ "$SMTP_HOST" = "127.0.0.1" ]; then
    echo "mail: exec .venv/bin/python -m aiosmtpd -n -l 127.0.0.1:$SMTP_PORT -c aiosmtpd.handlers.Mailbox $DATA_DIR/mail"
  fi
  port=$DEV_PORT_BASE
  for service in accounts workspaces miniprograms notifier; do
    if [ -f "services/$service/$service/__main__.py" ]; then
      echo "$service: exec env HTTP_PORT=$port MONGO_DATABASE=$service .venv/bin/python -m $service"
    fi
    port=$((port + 1))
  done
  # One origin for the console and the four APIs (deploy/local/gateway.py), just below the services.
  echo "gateway: exec .venv/bin/python deploy/local/gateway.py --port $((DEV_PORT_BASE - 1)) --accounts http://127.0.0.1:$DEV_PORT_BASE --workspaces http://127.0.0.1:$((DEV_PORT_BASE + 1)) --miniprograms http://127.0.0.1:$((DEV_PORT_BASE + 2)) --notifier http://127.0.0.1:$((DEV_PORT_BASE + 3)) --static console/dist"
  echo "welcome: exec .venv/bin/python deploy/local/welcome.py"
} > "$procfile"

exec .venv/bin/honcho -f "$procfile" -d . start
