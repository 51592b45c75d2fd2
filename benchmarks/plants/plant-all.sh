#!/usr/bin/env bash
# Plants each known bug (one patch file here per bug) in a copy of the tree and runs the fault campaign's test
# and the scenario suites against it; every planted bug must make at least one of them fail.
#   benchmarks/plants/plant-all.sh            # every patch
#   benchmarks/plants/plant-all.sh 07-*.patch # some
#   PLANT_TESTS=FaultCampaignTest,CrashAndResumeTest benchmarks/plants/plant-all.sh   # other tests
# Prints, for each bug, the test classes that caught it; exits 1 if any bug got past every test.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/benchmarks/plants"
tests="${PLANT_TESTS:-FaultCampaignTest,ParallelUpgradeScenariosTest,FileStateStoreTest}"
cd "$here"
patches=("$@")
[ ${#patches[@]} -eq 0 ] && patches=(*.patch)
missed=0
for p in "${patches[@]}"; do
  name=$(basename "$p" .patch)
  copy=$(mktemp -d "${TMPDIR:-/tmp}/cutover-plant-XXXXXX")
  (cd "$root" && tar --exclude=./.git --exclude='*/target' -cf - .) | tar -xf - -C "$copy"
  if ! patch -s -p1 -d "$copy" < "$here/$p"; then
    echo "$name: the patch no longer applies; update it"; missed=1; rm -rf "$copy"; continue
  fi
  (cd "$copy" && ./mvnw -q -o -B -pl benchmarks -am test -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
      -Dmaven.test.failure.ignore=true -Dmaven.javadoc.skip=true -Dspotless.check.skip=true > "$copy/build.log" 2>&1)
  caught=$(grep -lE '<(failure|error)[ >]' "$copy"/*/target/surefire-reports/TEST-*.xml 2>/dev/null \
      | sed -E 's#.*/TEST-(.*)\.xml#\1#; s#.*\.##' | sort -u | paste -sd, -)
  if [ -z "$caught" ]; then
    if grep -q "COMPILATION ERROR\|BUILD FAILURE" "$copy/build.log"; then
      echo "$name: the planted tree did not build (see $copy/build.log)"; missed=1; continue
    fi
    echo "$name: NOT CAUGHT"; missed=1
  else
    echo "$name: caught by $caught"
  fi
  rm -rf "$copy"
done
exit $missed
