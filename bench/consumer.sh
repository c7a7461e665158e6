#!/usr/bin/env bash
# What one file event costs the recorder's event thread once it is out of the ring buffer, step
# by step: decode the kernel record, convert it to the events.jsonl form (path normalised, time
# formatted), write its line, append it to an events.jsonl (buffered, as the daemon does). The line
# writer is measured side by side with Jackson's ObjectMapper writing the same line (the writer
# before). Runs in one JVM started by the installed launcher exactly as it starts the daemon (its
# JIT, heap and GC flags), so the figures are the daemon's; rounds interleave the steps.
# bench/file-events.sh measures the whole recorder against a container; this isolates the Java
# side of it, the part that decides whether a burst drains before the ring buffer fills.
# A benchmark, not a test: only errors fail the script.
#
# Usage: bench/consumer.sh   (any user who can run the installed launcher; root is not needed)
# Settings (environment):
#   EVENTS=500000    events per step and round
#   ROUNDS=9         rounds; figures are the best and the median round
#   TARGET=200000    the events/s the recorder must sustain (issue 3)
set -euo pipefail

EVENTS=${EVENTS:-500000}
ROUNDS=${ROUNDS:-9}
TARGET=${TARGET:-200000}
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
bench_start consumer 16 "$@"
positive_ints EVENTS ROUNDS TARGET

command -v contxray >/dev/null || die "'contxray' not found; run install/setup.sh (README command 1)"
launcher=$(command -v contxray)
# where the launcher finds its jar (see install/contxray)
jar=${CONTXRAY_LIB:-$(dirname "$(dirname "$launcher")")/lib/contxray}/contxray.jar
[ -r "$jar" ] || jar=/usr/local/lib/contxray/contxray.jar
[ -r "$jar" ] || die "contxray.jar not found for $launcher (set CONTXRAY_LIB)"
for tool in javac java; do
  command -v "$tool" >/dev/null || die "'$tool' not found (Debian package: openjdk-17-jdk-headless)"
done

tmp=$(mktemp -d /tmp/contxray-consumer.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/classes" "$tmp/log"
javac -nowarn -d "$tmp/classes" -cp "$jar" "$BENCH_DIR/ConsumerBench.java" 2>"$tmp/javac.err" \
  || die "compiling ConsumerBench.java against $jar failed: $(head -n 3 "$tmp/javac.err" | tr '\n' ' ')"

# The launcher's daemon command line with the bench's class in place of the daemon's main class:
# CONTXRAY_JAVA is the launcher's way to name the java it runs.
cat >"$tmp/java" <<'WRAP'
#!/usr/bin/env bash
args=()
swapped=""
while (($#)); do
  case $1 in
    -cp) args+=(-cp "$2:$BENCH_CLASSES"); shift 2 ;;
    io.contxray.cli.Main) args+=(io.contxray.recorder.ConsumerBench "$BENCH_EVENTS" "$BENCH_ROUNDS" "$BENCH_LOG"); swapped=1; break ;;
    *) args+=("$1"); shift ;;
  esac
done
echo "${args[*]}" >"$BENCH_LOG/../cmdline"
# never start a second daemon: without the main class to swap, stop here
[ -n "$swapped" ] || { echo "the launcher's command line has no io.contxray.cli.Main: ${args[*]}" >&2; exit 2; }
exec java "${args[@]}"
WRAP
chmod 755 "$tmp/java"
BENCH_CLASSES=$tmp/classes BENCH_EVENTS=$EVENTS BENCH_ROUNDS=$ROUNDS BENCH_LOG=$tmp/log CONTXRAY_JAVA=$tmp/java \
  "$launcher" daemon >"$tmp/out.tsv" 2>"$tmp/err" || die "the bench JVM failed: $(tail -n 3 "$tmp/err" | tr '\n' ' ')"
grep -q -- '-XX:TieredStopAtLevel' "$tmp/cmdline" || die "the launcher's daemon flags were not passed on: $(cat "$tmp/cmdline")"

python3 - "$tmp/out.tsv" "$TARGET" "$EVENTS" "$ROUNDS" "$(cat "$tmp/cmdline")" <<'PY'
import sys
path, target, events, rounds, cmdline = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
rows = {}
for line in open(path):
    name, best, median = line.rstrip("\n").split("\t")
    rows[name] = (float(best), float(median))
need = ["decode", "decode+convert", "decode+convert+line", "decode+convert+jackson-line", "decode+convert+line+file"]
missing = [n for n in need if n not in rows]
if missing:
    sys.exit(f"consumer: the bench JVM did not print {missing}")
flags = " ".join(a for a in cmdline.split() if a.startswith("-X"))
print(f"consumer: {events} file events x {rounds} rounds per step, JVM flags of the daemon: {flags}")
print(f"{'step':32} {'best ns':>8} {'median ns':>10} {'events/s (median)':>18}")
for n in need:
    b, m = rows[n]
    print(f"{n:32} {b:8.0f} {m:10.0f} {1e9 / m:18,.0f}")
conv = rows["decode+convert"][1]
ours = rows["decode+convert+line"][1] - conv
jackson = rows["decode+convert+jackson-line"][1] - conv
print(f"line writing alone: {ours:.0f} ns vs Jackson's mapper {jackson:.0f} ns: {ours / jackson:.2f}x" if jackson > 0
      else "line writing alone: Jackson's figure is lost in the noise (n/a)")
full = rows["decode+convert+line+file"][1]
print(f"whole consumer step: {1e9 / full:,.0f} events/s = {1e9 / full / target:.2f}x the {target:,} events/s target "
      f"(one core to itself; in file-events.sh it shares one with the engine)")
PY
