#!/bin/bash
# Exercise for `contxray profile`: waits for `python3 -m http.server 8000` in the container, then
# fetches a directory listing and a file 10 times each from the host.
set -u
base="http://${CONTXRAY_CONTAINER_IP:?}:8000"
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null --max-time 2 "$base/" && break
  sleep 0.1
done
for _ in $(seq 1 10); do
  curl -fsS -o /dev/null --max-time 2 "$base/" || exit 1
  curl -fsS -o /dev/null --max-time 2 "$base/python3/copyright" || exit 1
done
