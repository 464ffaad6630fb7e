#!/usr/bin/env bash
# `make dev`: RabbitMQ, the Mongo wire server (unless MONGO_URL), the dev mailbox and every
# service, supervised by honcho. Ctrl-C stops everything this started (RabbitMQ keeps running:
# it is the machine's broker, not ours).
set -euo pipefail
cd "$(dirname "$0")/../.."

deploy/local/ensure-rabbitmq.sh
mkdir -p .data/mail
.venv/bin/python -m accounts generate-signing-key .data/jwt-ed25519.pem

export JWT_PRIVATE_KEY_FILE=${JWT_PRIVATE_KEY_FILE:-.data/jwt-ed25519.pem}
export SMTP_HOST=${SMTP_HOST:-127.0.0.1} SMTP_PORT=${SMTP_PORT:-1025}
export LOG_JSON=${LOG_JSON:-false}
export PYTHONUNBUFFERED=1

procfile=.data/Procfile
{
  if [ -z "${MONGO_URL:-}" ]; then
    echo "mongo: exec .venv/bin/python deploy/local/mongo_wire.py --port 27017 --sqlite .data/mongo.sqlite3"
  fi
  if [ "$SMTP_HOST:$SMTP_PORT" = "127.0.0.1:1025" ]; then
    echo "mail: exec .venv/bin/python -m aiosmtpd -n -l 127.0.0.1:1025 -c aiosmtpd.handlers.Mailbox .data/mail"
  fi
  port=8001
  for service in accounts workspaces miniprograms notifier; do
    if [ -f "services/$service/$service/__main__.py" ]; then
      echo "$service: exec env HTTP_PORT=$port MONGO_DATABASE=$service .venv/bin/python -m $service"
    fi
    port=$((port + 1))
  done
  echo "welcome: exec .venv/bin/python deploy/local/welcome.py"
} > "$procfile"

exec .venv/bin/honcho -f "$procfile" -d . start
