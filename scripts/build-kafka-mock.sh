#!/usr/bin/env bash
# Compiles the Kafka-protocol test peer (librdkafka's mock cluster) into .cache/kafka-mock.
# Needs Debian's librdkafka-dev, gcc and pkg-config (scripts/ensure-apt.sh installs them). < 0.5 s.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache
src=infra/kafka-mock/kafka-mock.c out=.cache/kafka-mock
if [[ ! -x $out || $src -nt $out ]]; then
  gcc -O2 -Wall -o "$out.tmp" "$src" $(pkg-config --cflags --libs rdkafka) && mv "$out.tmp" "$out"
fi
