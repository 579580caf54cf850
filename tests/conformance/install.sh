#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Installs the conformance tier's node dependencies (the unmodified npm aws-iot-device-sdk-v2)
# into <repo>/.deps/conformance/node_modules (STANDIN_NODE_DEPS overrides the folder), outside the
# source tree so that tests/ holds only the project's own files; run.sh points NODE_PATH there.
# Idempotent: does nothing when node_modules was installed from the current package.json /
# package-lock.json. Exits non-zero with a message when node, npm or the SDK are not usable.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
deps="${STANDIN_NODE_DEPS:-$(cd "$here/../.." && pwd)/.deps/conformance}"
mkdir -p "$deps"
# The manifest and lock are copied next to node_modules: npm installs where package.json is.
cp "$here/package.json" "$deps/package.json"
if [[ -f "$here/package-lock.json" ]]; then cp "$here/package-lock.json" "$deps/package-lock.json"; fi
cd "$deps"

die() { echo "conformance/install.sh: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || die "node is not on PATH (the conformance tier needs Node.js >= 18.13)"
command -v npm >/dev/null 2>&1 || die "npm is not on PATH"

# The stamp records what node_modules was installed from.
inputs=(package.json)
[[ -f package-lock.json ]] && inputs+=(package-lock.json)
want="$(cat "${inputs[@]}" | sha256sum | cut -d' ' -f1) node-$(node --version)"
stamp=node_modules/.standin-install-stamp

if [[ -d node_modules && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "conformance/install.sh: node_modules is up to date"
else
    echo "conformance/install.sh: installing into $deps/node_modules"
    rm -f "$stamp"
    # aws-crt ships prebuilt native bindings (dist/bin/<platform>); its install script, which npm
    # 11 skips by default anyway, is not needed for linux-x64/arm64.
    if [[ -f package-lock.json ]]; then
        npm ci --no-audit --no-fund || die "npm ci failed (is the npm registry reachable?)"
    else
        npm install --no-audit --no-fund || die "npm install failed (is the npm registry reachable?)"
    fi
    echo "$want" > "$stamp"
fi

# The SDK and its native binding must load; a missing prebuilt binding shows up here.
if ! out="$(node -e '
    const sdk = require("aws-iot-device-sdk-v2");
    const version = require("aws-iot-device-sdk-v2/package.json").version;
    if (typeof sdk.greengrasscoreipc.createClient !== "function") throw new Error("greengrasscoreipc.createClient missing");
    new sdk.io.SocketOptions(sdk.io.SocketType.STREAM, sdk.io.SocketDomain.LOCAL); // touches the native binding
    console.log("aws-iot-device-sdk-v2 " + version + ", aws-crt " + require("aws-crt/package.json").version);
' 2>&1)"; then
    rm -f "$stamp"
    die "require('aws-iot-device-sdk-v2') failed after install:
$out"
fi
echo "conformance/install.sh: $out"
