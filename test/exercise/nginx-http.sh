#!/bin/bash
# Exercise for `contxray profile`: waits for nginx in the container to answer (giving up when the
# container is no longer running), then fetches the index page 20 times from the host.
# CONTXRAY_CONTAINER_ID and CONTXRAY_CONTAINER_IP are set by contxray.
set -u
id=${CONTXRAY_CONTAINER_ID:?}
url="http://${CONTXRAY_CONTAINER_IP:?}/"
for _ in $(seq 1 50); do
  curl -fsS -o /dev/null --connect-timeout 1 --max-time 2 "$url" 2>/dev/null && break
  [ "$(docker inspect -f '{{.State.Running}}' "$id" 2>/dev/null)" = true ] || exit 3
  sleep 0.2
done
for _ in $(seq 1 20); do
  curl -fsS -o /dev/null --max-time 2 "$url" || exit 1
done
