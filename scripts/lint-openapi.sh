#!/bin/sh
# lint-openapi.sh - check docs/exchange-api.yaml with Redocly CLI (the
# version pinned in docs/package.json, installed from docs/package-lock.json
# into docs/node_modules on first use).  Errors and warnings both fail.
# Prints "PASS: openapi lint" or "FAIL: openapi lint" (the form tests/run.sh
# counts) and exits 0 or 1; 69 when npm is missing.
set -u

cd "$(dirname "$0")/.." || exit 70

if ! command -v npm >/dev/null 2>&1 || ! command -v npx >/dev/null 2>&1; then
	echo "FAIL: openapi lint (npm is not installed)"
	exit 69
fi

# No telemetry and no update check from a lint run.
REDOCLY_TELEMETRY=off
REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export REDOCLY_TELEMETRY REDOCLY_SUPPRESS_UPDATE_NOTICE

out=$(mktemp) || exit 70
trap 'rm -f "$out"' EXIT

if [ ! -x docs/node_modules/.bin/redocly ]; then
	if ! npm ci --prefix docs --no-audit --no-fund >"$out" 2>&1; then
		cat "$out"
		echo "FAIL: openapi lint (npm ci --prefix docs failed)"
		exit 1
	fi
fi

# Warnings of the recommended rules count as failures: the spec is kept
# clean, not merely valid.
npx --prefix docs redocly lint --config docs/redocly.yaml \
	docs/exchange-api.yaml >"$out" 2>&1
rc=$?
# the Node.js deprecation banner is noise here
grep -v -F -e '╔' -e '║' -e '╚' "$out"
if [ "$rc" -eq 0 ] && ! grep -Eq 'You have [0-9]+ warning' "$out"; then
	echo "PASS: openapi lint"
	exit 0
fi
echo "FAIL: openapi lint"
exit 1
