#!/usr/bin/env bash
# Make sure a RabbitMQ broker answers: the one in RABBITMQ_URL, else the local one on 5672,
# which is started when installed but stopped.
set -euo pipefail

host=127.0.0.1
port=5672
if [ -n "${RABBITMQ_URL:-}" ]; then
  hostport=$(echo "$RABBITMQ_URL" | sed -E 's#^amqps?://([^@]*@)?([^/?]*).*#\2#')
  host=${hostport%%:*}
  port=${hostport##*:}
  [ "$port" = "$hostport" ] && port=5672
fi

answers() { (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; }

if answers; then
  echo "==> RabbitMQ answers on $host:$port"
  exit 0
fi
if [ -n "${RABBITMQ_URL:-}" ]; then
  echo "RabbitMQ at RABBITMQ_URL ($host:$port) does not answer. Start it, or unset RABBITMQ_URL" >&2
  echo "to use a local broker." >&2
  exit 1
fi
if ! command -v rabbitmq-server >/dev/null 2>&1; then
  cat >&2 <<'MSG'
RabbitMQ is not installed and nothing listens on 127.0.0.1:5672.
Install and start it, then run the command again:
  Debian/Ubuntu:  sudo apt-get install -y rabbitmq-server
  macOS:          brew install rabbitmq && brew services start rabbitmq
  Docker:         docker run -d --name rabbitmq -p 5672:5672 -p 15672:15672 rabbitmq:4-management
Or point RABBITMQ_URL at a broker you have (amqp://user:password@host:5672/vhost).
MSG
  exit 1
fi
echo "==> starting RabbitMQ (rabbitmq-server -detached)"
rabbitmq-server -detached
for _ in $(seq 1 120); do
  if answers; then
    # The port opens before the broker is fully booted; wait for that too.
    command -v rabbitmqctl >/dev/null 2>&1 && rabbitmqctl -q await_startup >/dev/null 2>&1 || true
    echo "==> RabbitMQ is up"
    exit 0
  fi
  sleep 1
done
echo "RabbitMQ did not start within 2 minutes; see its logs (/var/log/rabbitmq/)." >&2
exit 1
