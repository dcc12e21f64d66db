#!/usr/bin/env bash
# System packages the test suite needs besides Python: Debian's chromium (the browser tests
# drive it through Playwright at /usr/bin/chromium; `playwright install` is never used),
# poppler-utils (pdftoppm, pdftotext for the report tests) and PostgreSQL (the program store's
# tests; started by scripts/test_postgres.sh) and Java 17 (the Spark engine of the world-scale
# batch; Spark 4 runs on 17 or 21, Debian 12 has 17). Installs what is missing when run as root.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || missing+=(postgresql)
java_ok() {
  local java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  command -v "$java" >/dev/null 2>&1 && "$java" -version 2>&1 | grep -Eq 'version "(17|21)[."]'
}
java_ok || missing+=(openjdk-17-jre-headless)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "missing system packages: ${missing[*]} (apt-get install them as root)" >&2
  exit 1
fi
echo "installing ${missing[*]} (Debian packages) ..." >&2
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
