#!/bin/bash
# Exercise for `contxray profile`: redis-benchmark against the redis in the container, run from a
# second, unrecorded container of the same image (it carries redis-tools). Needs REDIS_IMAGE;
# DOCKER_HOST picks the engine, as for contxray.
set -u
ip=${CONTXRAY_CONTAINER_IP:?}
image=${REDIS_IMAGE:?}
for _ in $(seq 1 100); do
  docker run --rm "$image" redis-cli -h "$ip" ping 2>/dev/null | grep -q PONG && break
  sleep 0.2
done
docker run --rm "$image" redis-benchmark -h "$ip" -n 2000 -c 10 -q -t set,get,incr,lpush,lpop >/dev/null
