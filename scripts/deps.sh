#!/bin/sh
# deps.sh - install the Debian 12 packages that rcms needs to build, test
# and run its demo.  Idempotent: installs only what is missing.  As root it
# runs apt-get; otherwise it prints the command to run.
set -eu

PACKAGES="
build-essential
pkg-config
clang
libclang-rt-14-dev
libsqlite3-dev
libssl-dev
sqlite3
libargon2-dev
libcjson-dev
libcmocka-dev
libcurl4-openssl-dev
libmicrohttpd-dev
libgnutls28-dev
libncurses-dev
libcairo2-dev
libpango1.0-dev
libharfbuzz-dev
libfribidi-dev
libcups2-dev
cups
qpdf
testssl.sh
poppler-utils
fonts-dejavu-core
fonts-noto-core
openssl
curl
mandoc
tmux
hyperfine
wrk
nginx-light
python3
procps
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

# Node.js and npm run the OpenAPI linter and the tus interop test.  A
# machine may have them from elsewhere than Debian: only when the commands
# are missing do Debian's packages come in.
if ! command -v npm >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi

[ -z "$missing" ] && exit 0

echo "deps: missing Debian packages:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: run as root:  apt-get install -y$missing" >&2
	exit 69
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
