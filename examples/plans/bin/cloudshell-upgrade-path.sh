#!/bin/sh
# CloudShell's upgrade-path rules (seed 000), for the command-line tool's hooks:
#   cloudshell-upgrade-path.sh FROM TO     e.g.  "2022.2 GA" "2023.3 GA"  or  "2023.3 GA" "2023.3 patch 2"
# Exit 0 when the upgrade is supported; 1, with the reason, when it is not. Says when a new licence is
# needed (a major or minor change). The same rules, in Java: io.cutover.examples.CloudShellUpgradePath.
set -eu
from="$1"; to="$2"
fv=${from%% *}; tv=${to%% *}
fkind=$(echo "$from" | cut -s -d' ' -f2); tkind=$(echo "$to" | cut -s -d' ' -f2)
fmajor=${fv%%.*}; tmajor=${tv%%.*}
fminor=$(echo "$fv" | cut -s -d. -f2); tminor=$(echo "$tv" | cut -s -d. -f2)
if [ "$fmajor" -lt 6 ]; then
  echo "refused: upgrades are supported from 6.x GA or later; $from is older (contact Quali Support)"; exit 1
fi
if [ "$fkind" != "GA" ] && [ "$fkind" != "patch" ]; then
  echo "refused: upgrades are supported from a GA or patch version; $from is neither"; exit 1
fi
if [ "$tkind" = "patch" ] && { [ "$fkind" != "GA" ] || [ "$fv" != "$tv" ]; }; then
  echo "refused: a patch is installed on its GA version only ($tv GA); $from would risk the database"; exit 1
fi
if [ "$fmajor" != "$tmajor" ] || [ "$fminor" != "$tminor" ]; then
  echo "supported; a new licence is needed ($fv to $tv changes the major or minor version)"
else
  echo "supported; no new licence is needed"
fi
