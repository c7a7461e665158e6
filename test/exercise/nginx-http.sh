#!/bin/bash
# Exercise for `contxray profile`: waits for nginx in the container to answer, then fetches the
# index page 20 times from the host. CONTXRAY_CONTAINER_IP is set by contxray.
set -u
url="http://${CONTXRAY_CONTAINER_IP:?}/"
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null --max-time 2 "$url" && break
  sleep 0.1
done
for _ in $(seq 1 20); do
  curl -fsS -o /dev/null --max-time 2 "$url" || exit 1
done
