#!/usr/bin/env bash
# Runs TwoMachinesFleetIT TIMES times in a row (20 by default) on moto while a CPU-bound process spins on
# every core, as a busy CI machine would be. Prints how many of the runs passed, and the failures.
#
#   fleet/scripts/two-machines-under-load.sh            # 20 runs, one spinner per core
#   TIMES=5 SPINNERS=4 fleet/scripts/two-machines-under-load.sh
#
# The runs are one Maven invocation (moto started once): the IT repeats itself -Dcutover.twoMachines.times
# times, each on a table and log directory of its own. Run it under `nice` on a shared machine: the spinners
# get the same niceness as the test, so they load the test without taking the machine from others.
set -euo pipefail
cd "$(dirname "$0")/../.."
TIMES="${TIMES:-20}"
SPINNERS="${SPINNERS:-$(nproc)}"
spinners=()
cleanup() {
  for pid in "${spinners[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
for _ in $(seq "$SPINNERS"); do
  bash -c 'while :; do :; done' &
  spinners+=("$!")
done
echo "two-machines-under-load: $SPINNERS CPU-bound spinners (pids ${spinners[*]}), $TIMES runs"
log="fleet/target/two-machines-under-load.log"
mkdir -p fleet/target
set +e
./mvnw -o -B -pl fleet -am verify -Dit.test=TwoMachinesFleetIT -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false -Dspotless.check.skip \
  -Dcutover.twoMachines.times="$TIMES" >"$log" 2>&1
rc=$?
set -e
passed=$(grep -c "^two-machines run .* passed" "$log" || true)
echo "two-machines-under-load: $passed of $TIMES runs passed (exit $rc; log $log)"
grep -E "^two-machines run|Tests run:.*TwoMachines|FAILURE|\[tenant-|expected|but was" "$log" | head -60 || true
exit $rc
