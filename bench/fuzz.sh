#!/usr/bin/env bash
# Fuzzing, long: the same jqwik properties the unit suite runs 200 times each (*FuzzTest in model,
# hook, shim, analyzer: the daemon protocol, the hook's OCI state, config.json patching, the
# rollout policy, NRI's framing and requests, seccomp profiles, Docker's default.json, report.json's
# argument values), TRIES times each, then one line per target: executions (jqwik's tries),
# failures, and the totals. A failure is a crash (an exception other than the parser's documented
# one), a hang (a try over the 10 s guard), a message of more than one line or a round trip that
# changed something; jqwik prints the shrunk input. Exit 1 on any failure.
# Settings (environment): TRIES (20000), SEED (jqwik's random one unless set). Needs Maven and the
# project's dependencies in ~/.m2 (offline); no root.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
bench_start fuzz 10 "$@"

TRIES=${TRIES:-20000}
positive_ints TRIES
command -v mvn >/dev/null || die "mvn is not installed"
out=$(mktemp /tmp/contxray-fuzz.XXXXXX)
trap 'rm -f "$out"' EXIT
seed=()
[ -n "${SEED:-}" ] && seed=("-Djqwik.seeds.default=$SEED")
log "running every *FuzzTest property $TRIES times (output in $out while it runs)"
start=$(date +%s)
set +e
(cd "$BENCH_DIR/.." && mvn -B -o -pl model,hook,shim,analyzer -am test -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Djqwik.tries.default="$TRIES" -Djqwik.reporting.onlyfailures=false "${seed[@]}") >"$out" 2>&1
rc=$?
set -e
secs=$(($(date +%s) - start))
python3 - "$out" "$BENCH_DIR/.." "$secs" <<'PY'
import glob, re, sys, xml.etree.ElementTree as ET
out, root, secs = sys.argv[1], sys.argv[2], sys.argv[3]
tries, current = {}, None
for line in open(out, errors="replace"):
    m = re.match(r"timestamp = \S+, (\w+):(\w+) = ", line)
    if m:
        current = m.group(1) + "." + m.group(2)
    m = re.match(r"tries = (\d+)", line)
    if m and current:
        tries[current] = int(m.group(1))
        current = None
failed = {}
for f in glob.glob(root + "/*/target/surefire-reports/TEST-*FuzzTest.xml"):
    for case in ET.parse(f).getroot().iter("testcase"):
        key = case.get("classname").rsplit(".", 1)[1] + "." + case.get("name")
        failed[key] = sum(1 for c in case if c.tag in ("failure", "error"))
        tries.setdefault(key, 0)
print(f"{'target':<90} {'executions':>10} {'failures':>8}")
for key in sorted(tries):
    print(f"{key:<90} {tries[key]:>10} {failed.get(key, 0):>8}")
print(f"{'total (' + str(len(tries)) + ' properties, ' + secs + ' s)':<90} {sum(tries.values()):>10} {sum(failed.values()):>8}")
PY
if [ "$rc" -ne 0 ]; then
  grep -E '^\[ERROR\]' "$out" | head -20 >&2
  die "a property failed (mvn exit $rc); the shrunk inputs are in the jqwik reports above the summary in mvn's output"
fi
