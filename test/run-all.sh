#!/usr/bin/env bash
# The whole contxray test suite (README command 2). Run as root from anywhere:
#   test/run-all.sh [--no-maven] [--no-bats] [BATS_FILE_OR_DIR...]
# Steps: install/deps.sh, install/mounts.sh, install/docker26.sh, `mvn -B -P root-tests verify`
# (unit + root kernel tests), install/install.sh (when present), start dockerd 20.10 and 26,
# build the test images on both, `bats --tap test/bats/` (or the given files), stop the engines.
# Ends with one line `N passed, N failed[, N skipped]` counted from the Surefire reports and the
# bats TAP output (a failed set-up step counts as one failure) and exits non-zero on any failure.
# Logs: $CONTXRAY_TEST_LOGDIR (default /tmp/contxray-test): maven.log, bats.tap, engine logs.
# Time limits (seconds): CONTXRAY_MAVEN_TIMEOUT (default 2400), CONTXRAY_BATS_TIMEOUT (1800).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}"
export CONTXRAY_TEST_LOGDIR=${CONTXRAY_TEST_LOGDIR:-/tmp/contxray-test}
MAVEN_TIMEOUT=${CONTXRAY_MAVEN_TIMEOUT:-2400}
BATS_TIMEOUT=${CONTXRAY_BATS_TIMEOUT:-1800}

RUN_MAVEN=1 RUN_BATS=1
BATS_ARGS=()
for a in "$@"; do
  case "$a" in
    --no-maven) RUN_MAVEN=0 ;;
    --no-bats) RUN_BATS=0 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) echo "run-all.sh: unknown option $a" >&2; exit 2 ;;
    *) BATS_ARGS+=("$a") ;;
  esac
done
[ ${#BATS_ARGS[@]} -gt 0 ] || BATS_ARGS=(test/bats/)

if [ "$(id -u)" != 0 ]; then
  echo "run-all.sh: must run as root (kernel and container tests)" >&2
  exit 1
fi
mkdir -p "$CONTXRAY_TEST_LOGDIR"

STEP_FAILED=()     # set-up steps that failed, each counted as one failure
say() { printf '\n==> %s\n' "$*"; }

# step NAME CMD...: run CMD, report its time; a failure is remembered (and returned)
step() {
  local name=$1 t0=$SECONDS rc
  shift
  say "$name"
  "$@"
  rc=$?
  if [ $rc = 0 ]; then
    printf '\n--- %s: ok (%s s)\n' "$name" "$((SECONDS - t0))"
  else
    printf '\n--- %s: FAILED (exit %s, %s s)\n' "$name" "$rc" "$((SECONDS - t0))"
    STEP_FAILED+=("$name")
  fi
  return $rc
}

# --- counting -----------------------------------------------------------------------------
SF_PASS=0 SF_FAIL=0 SF_SKIP=0
count_surefire() {
  local f line t fl e s
  while IFS= read -r -d '' f; do
    # the first <testsuite ...> element carries the totals
    line=$(tr '\n' ' ' <"$f" | grep -o '<testsuite [^>]*>' | head -n 1)
    [ -n "$line" ] || continue
    t=$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$line")
    fl=$(sed -n 's/.* failures="\([0-9]*\)".*/\1/p' <<<"$line")
    e=$(sed -n 's/.* errors="\([0-9]*\)".*/\1/p' <<<"$line")
    s=$(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$line")
    t=${t:-0} fl=${fl:-0} e=${e:-0} s=${s:-0}
    SF_FAIL=$((SF_FAIL + fl + e))
    SF_SKIP=$((SF_SKIP + s))
    SF_PASS=$((SF_PASS + t - fl - e - s))
  done < <(find "$ROOT" -path '*/target/surefire-reports/TEST-*.xml' -print0 -o \
                        -path '*/target/failsafe-reports/TEST-*.xml' -print0 2>/dev/null)
}

# every skipped JUnit test with its reason (the assumption's message), one line each
list_surefire_skips() {
  find "$ROOT" -path '*/target/surefire-reports/TEST-*.xml' -print0 2>/dev/null |
    xargs -0 -r perl -0777 -ne '
      while (/<testcase name="([^"]*)" classname="([^"]*)"[^>]*>\s*<skipped(?: message="([^"]*)")?[^>]*?(?:\/>|>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?<\/skipped>)/sg) {
        my ($test, $class, $why) = ($1, $2, defined $3 ? $3 : (defined $4 ? $4 : ""));
        $why =~ s/\n.*//s; $why =~ s/^.*?Assumption failed: //; $why =~ s/\s+$//;
        $class =~ s/.*\.//;
        print "skipped: $class.$test: ", ($why eq "" ? "(no reason given)" : $why), "\n";
      }'
}

BATS_PASS=0 BATS_FAIL=0 BATS_SKIP=0
count_bats() {
  local tap=$1
  [ -f "$tap" ] || return 0
  BATS_SKIP=$(grep -cE '^ok [0-9]+ .*# [Ss][Kk][Ii][Pp]' "$tap")
  BATS_PASS=$(( $(grep -cE '^ok [0-9]+' "$tap") - BATS_SKIP ))
  BATS_FAIL=$(grep -cE '^not ok [0-9]+' "$tap")
}

# --- engines are always stopped, whatever happens -----------------------------------------
ENGINES_LOADED=0
cleanup() {
  if [ "$ENGINES_LOADED" = 1 ]; then
    say "stopping engines"
    stop_all_engines || true
  fi
}
trap cleanup EXIT
trap 'echo "run-all.sh: interrupted" >&2; exit 130' INT TERM

T_START=$SECONDS

# --- set-up: without these nothing else can run --------------------------------------------
SETUP_OK=1
step "install/deps.sh" bash install/deps.sh || SETUP_OK=0
[ $SETUP_OK = 1 ] && { step "install/mounts.sh" bash install/mounts.sh || SETUP_OK=0; }
[ $SETUP_OK = 1 ] && { step "install/docker26.sh" bash install/docker26.sh || SETUP_OK=0; }

if [ $SETUP_OK = 1 ]; then
  # --- Java: unit tests and root kernel tests ---------------------------------------------
  if [ $RUN_MAVEN = 1 ]; then
    # only this run's reports are counted
    find "$ROOT" -type d \( -path '*/target/surefire-reports' -o -path '*/target/failsafe-reports' \) \
      -prune -exec rm -rf {} + 2>/dev/null
    run_maven() {
      # A failing test must not stop the later modules' tests (the count is the whole suite's):
      # failures are counted from the reports; -fae keeps building what a broken module leaves.
      timeout -k 30 "$MAVEN_TIMEOUT" mvn -B -ntp -fae -Dstyle.color=never -Dmaven.test.failure.ignore=true \
        -P root-tests verify 2>&1 | tee "$CONTXRAY_TEST_LOGDIR/maven.log"
    }
    step "mvn -B -P root-tests verify" run_maven
  fi

  # --- install the product (written separately; optional until it exists) ------------------
  if [ -f install/install.sh ]; then
    step "install/install.sh" bash install/install.sh
  else
    say "install/install.sh not there yet: skipped"
  fi

  # --- engines, images, bats -------------------------------------------------------------
  if [ $RUN_BATS = 1 ]; then
    # shellcheck source=lib/engines.sh
    source test/lib/engines.sh
    # shellcheck source=lib/images.sh
    source test/lib/images.sh
    ENGINES_LOADED=1
    step "start dockerd 20.10 (+ containerd 1.6)" start_dockerd20
    step "start dockerd 26 (+ containerd 1.7)" start_dockerd26
    build_images_all() {
      local h rc=0
      for h in "$DOCKER20_HOST" "$DOCKER26_HOST"; do
        DOCKER_HOST=$h build_test_images || rc=1
      done
      return $rc
    }
    step "build test images" build_images_all
    run_bats() {
      local rc
      timeout -k 30 "$BATS_TIMEOUT" bats --tap "${BATS_ARGS[@]}" 2>&1 | tee "$CONTXRAY_TEST_LOGDIR/bats.tap"
      rc=${PIPESTATUS[0]}
      return "$rc"
    }
    rm -f "$CONTXRAY_TEST_LOGDIR/bats.tap"
    # what this run's bats files record is newer than this (99-docker-default.bats checks those)
    touch "$CONTXRAY_TEST_LOGDIR/bats-start"
    step "bats ${BATS_ARGS[*]}" run_bats
    BATS_RC=$?
    count_bats "$CONTXRAY_TEST_LOGDIR/bats.tap"
    # bats failed without a failing test line (a crash, a timeout): that is a failure too;
    # a "not ok" already counts, so the step itself is not counted twice
    if [ "$BATS_RC" != 0 ] && [ "$BATS_FAIL" -gt 0 ]; then
      unset 'STEP_FAILED[${#STEP_FAILED[@]}-1]'
    fi
  fi
fi

# stop the engines now, so that the summary is the last thing printed
cleanup
ENGINES_LOADED=0

[ $RUN_MAVEN = 1 ] && count_surefire
# mvn failing with failing tests is counted by the tests; count the step only if no test failed
if [ $RUN_MAVEN = 1 ] && [ "$SF_FAIL" -gt 0 ]; then
  kept=()
  for s in "${STEP_FAILED[@]}"; do [ "$s" = "mvn -B -P root-tests verify" ] || kept+=("$s"); done
  STEP_FAILED=("${kept[@]}")
fi

PASSED=$((SF_PASS + BATS_PASS))
SKIPPED=$((SF_SKIP + BATS_SKIP))
FAILED=$((SF_FAIL + BATS_FAIL + ${#STEP_FAILED[@]}))

say "summary ($((SECONDS - T_START)) s)"
[ $RUN_MAVEN = 1 ] && echo "maven: $SF_PASS passed, $SF_FAIL failed, $SF_SKIP skipped (surefire reports)"
[ $RUN_BATS = 1 ] && echo "bats:  $BATS_PASS passed, $BATS_FAIL failed, $BATS_SKIP skipped ($CONTXRAY_TEST_LOGDIR/bats.tap)"
[ $RUN_MAVEN = 1 ] && list_surefire_skips
[ $RUN_BATS = 1 ] && [ -f "$CONTXRAY_TEST_LOGDIR/bats.tap" ] &&
  sed -nE 's/^ok [0-9]+ (.*) # [Ss][Kk][Ii][Pp] ?(.*)$/skipped: bats: \1: \2/p' "$CONTXRAY_TEST_LOGDIR/bats.tap"
for s in "${STEP_FAILED[@]}"; do echo "failed step: $s"; done
if [ $((PASSED + FAILED)) = 0 ] && [ $RUN_MAVEN = 1 -o $RUN_BATS = 1 ]; then
  echo "no test ran"
  FAILED=1
fi
echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" = 0 ]
