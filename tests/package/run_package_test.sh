#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Usage: run_package_test.sh CMAKE BUILD_DIR CONSUMER_SOURCE WORK_DIR
# Environment (set by CTest): CONSUMER_GENERATOR, CONSUMER_CXX, CONSUMER_BUILD_TYPE,
# CONSUMER_CXX_FLAGS, CONSUMER_EXE_LINKER_FLAGS.
#
# 1. cmake --install BUILD_DIR into WORK_DIR/prefix;
# 2. configure and build the consumer with find_package(standin) and only that prefix;
# 3. start the installed `standin serve` with a recipe for com.package.Consumer, wait for its ready
#    line (a read with a deadline on a FIFO, no sleeping), export the component's environment with
#    the installed `standin env`, run the consumer, stop the daemon.
set -euo pipefail
cmake_bin=$1 build_dir=$2 consumer_src=$3 work=$4
component=com.package.Consumer

rm -rf "$work"
mkdir -p "$work/recipes"
prefix=$work/prefix

step() { printf '== %s\n' "$*"; }

step "install $build_dir into $prefix"
"$cmake_bin" --install "$build_dir" --prefix "$prefix" >"$work/install.log" || {
    cat "$work/install.log"
    exit 1
}
for f in lib/cmake/standin/standinConfig.cmake include/standin/client/connection.hpp \
         include/standin/protocol/frame_encoder.hpp include/standin/model/operations.hpp \
         include/standin/client/typed.hpp bin/standin; do
    [ -e "$prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done

step "configure and build the consumer against the prefix"
"$cmake_bin" -S "$consumer_src" -B "$work/build" ${CONSUMER_GENERATOR:+-G "$CONSUMER_GENERATOR"} \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
    ${CONSUMER_CXX:+-DCMAKE_CXX_COMPILER="$CONSUMER_CXX"} \
    -DCMAKE_BUILD_TYPE="${CONSUMER_BUILD_TYPE:-Debug}" \
    -DCMAKE_CXX_FLAGS="${CONSUMER_CXX_FLAGS:-}" \
    -DCMAKE_EXE_LINKER_FLAGS="${CONSUMER_EXE_LINKER_FLAGS:-}" >"$work/configure.log" || {
    cat "$work/configure.log"
    exit 1
}
grep -q "standin_DIR:PATH=$prefix/" "$work/build/CMakeCache.txt" || {
    echo "find_package(standin) did not use the install prefix:"
    grep standin_DIR "$work/build/CMakeCache.txt" || true
    exit 1
}
"$cmake_bin" --build "$work/build" >"$work/build.log" 2>&1 || {
    cat "$work/build.log"
    exit 1
}

step "run the consumer as $component of the installed daemon"
cat >"$work/recipes/$component.json" <<RECIPE
{
  "RecipeFormatVersion": "2020-01-25",
  "ComponentName": "$component",
  "ComponentVersion": "1.0.0",
  "ComponentConfiguration": {"DefaultConfiguration": {"accessControl": {"aws.greengrass.ipc.pubsub": {
    "$component:pubsub:1": {"policyDescription": "package test",
      "operations": ["aws.greengrass#PublishToTopic", "aws.greengrass#SubscribeToTopic"],
      "resources": ["*"]}}}}},
  "Manifests": [{"Platform": {"os": "linux"}, "Lifecycle": {"Run": "true"}}]
}
RECIPE
root=$(mktemp -d /tmp/standin-package-XXXXXX)
mkfifo "$work/ready"
"$prefix/bin/standin" serve --root "$root" --recipes "$work/recipes" >"$work/ready" 2>"$work/daemon.log" &
daemon=$!
cleanup() {
    kill "$daemon" 2>/dev/null || true
    wait "$daemon" 2>/dev/null || true
    rm -rf "$root"
}
trap cleanup EXIT
exec 3<"$work/ready"
if ! read -r -t 20 -u 3 line || [[ "$line" != "standin ready"* ]]; then
    echo "the installed daemon did not get ready: ${line:-<nothing>}"
    cat "$work/daemon.log"
    exit 1
fi
eval "$("$prefix/bin/standin" env --root "$root" "$component")"
if ! "$work/build/consumer"; then
    echo "-- daemon log:"
    cat "$work/daemon.log"
    exit 1
fi
kill "$daemon"
wait "$daemon"
step "ok"
