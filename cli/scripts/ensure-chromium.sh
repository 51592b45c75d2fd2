#!/usr/bin/env bash
# Makes sure a headless Chromium is on the machine for the report's browser test (HtmlReportTest), as the
# build installs moto for the AWS tests: nothing to do when one is on the PATH; on Debian or Ubuntu as root,
# Debian's chromium package is installed; otherwise the test skips and says how to get one.
set -uo pipefail
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then
    exit 0
  fi
done
if [[ "${CUTOVER_SKIP_BROWSER_INSTALL:-}" == "1" ]]; then
  echo "[chromium] no chromium on the PATH and CUTOVER_SKIP_BROWSER_INSTALL=1: the report's browser test will skip"
  exit 0
fi
if [[ "$(id -u)" != "0" ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "[chromium] no chromium on the PATH; the report's browser test will skip (install it: apt-get install -y chromium)"
  exit 0
fi
echo "[chromium] installing Debian's chromium for the report's browser test (once per machine)"
export DEBIAN_FRONTEND=noninteractive
if ! timeout 600 apt-get install -y -q --no-install-recommends chromium >/tmp/cutover-chromium-install.log 2>&1; then
  timeout 300 apt-get update -q >>/tmp/cutover-chromium-install.log 2>&1
  timeout 600 apt-get install -y -q --no-install-recommends chromium >>/tmp/cutover-chromium-install.log 2>&1 \
    || echo "[chromium] could not install chromium (see /tmp/cutover-chromium-install.log); the browser test will skip"
fi
exit 0
