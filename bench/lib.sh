# shellcheck shell=bash
# The start every benchmark shares: die/log prefixed with its name, --help from its header
# comment, no arguments (settings come from the environment), and positive integer settings.
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#   bench_start NAME LAST_HEADER_LINE "$@"
#   positive_ints VAR...

bench_start() {
  BENCH_NAME=$1
  local last=$2 script=${BASH_SOURCE[1]}
  shift 2
  case "${1:-}" in
    -h|--help) sed -n "2,${last}p" "$script" | sed 's/^# \{0,1\}//'; exit 0 ;;
    "") ;;
    *) die "no arguments expected (settings come from the environment; see --help)" ;;
  esac
}

die() { echo "$BENCH_NAME: $*" >&2; exit 1; }
log() { echo "$BENCH_NAME: $*" >&2; }

positive_ints() {
  local v
  for v in "$@"; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, got '${!v}'"
  done
}

# Calls `visit ROUND MODE` for every mode in MODES, ROUNDS times, in an order that rotates per
# round: over ${#MODES[@]} rounds every mode takes every position once, so slow drift of a noisy
# machine (other tenants, frequency) spreads over all modes alike.
run_rounds() {
  local round i mode order
  for round in $(seq 1 "$ROUNDS"); do
    order=()
    for i in "${!MODES[@]}"; do order+=("${MODES[$(( (i + round - 1) % ${#MODES[@]} ))]}"); done
    log "round $round/$ROUNDS: ${order[*]}"
    for mode in "${order[@]}"; do visit "$round" "$mode"; done
  done
}
