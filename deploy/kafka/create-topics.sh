#!/bin/bash
# One-shot job of docker-compose.yml: creates the topics of the catalog (packages/events) on
# the broker, idempotently. $KAFKA_TOPICS holds "name:partitions:retention.ms" entries;
# npm run deploy:check keeps that list equal to the catalog.
set -euo pipefail
: "${KAFKA_BOOTSTRAP:?host:port of the broker}"
: "${KAFKA_TOPICS:?topics to create}"
for entry in $KAFKA_TOPICS; do
  IFS=: read -r name partitions retention <<<"$entry"
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor 1 \
    --config "retention.ms=$retention" --config min.insync.replicas=1
done
/opt/kafka/bin/kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP" --list
