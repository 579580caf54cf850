#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Conformance tier: the unmodified npm aws-iot-device-sdk-v2 client against the real daemon.
#   tests/conformance/run.sh <path-to-standin> [extra node --test arguments...]
# Exits with node's status.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ $# -lt 1 ]]; then
    echo "usage: $0 <path-to-standin-binary> [node --test options...]" >&2
    exit 2
fi
bin="$1"
shift
[[ -x "$bin" ]] || { echo "conformance/run.sh: $bin is not an executable" >&2; exit 2; }
STANDIN_BIN="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
export STANDIN_BIN

"$here/install.sh"
NODE_PATH="${STANDIN_NODE_DEPS:-$(cd "$here/../.." && pwd)/.deps/conformance}/node_modules"
export NODE_PATH

cd "$here"
# Explicit file list: `node --test <dir>` means different things across node versions.
shopt -s nullglob
files=(./*.test.js)
[[ ${#files[@]} -gt 0 ]] || { echo "conformance/run.sh: no *.test.js in $here" >&2; exit 1; }
set +e
node --test "$@" "${files[@]}"
status=$?
set -e
exit $status
