#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One entry point for developers and CI. Every command installs what it needs first, idempotently.
#
#   ./dev.sh run [serve flags...]   set up, build (Release) and run `standin serve` on ./recipes
#   ./dev.sh test                   set up, build (Debug, ASan+UBSan) and run every test tier,
#                                   then a short fuzz run
#   ./dev.sh deps                   only install the Debian packages and the npm SDK
#   ./dev.sh bench [--quick]        bench/run: build (Release, build-bench/), run every benchmark,
#                                   print the table and write bench/results/latest.json
#
# Environment: BUILD_DIR, FUZZ_SECONDS (default 20 per target), FUZZ_JOBS, SANITIZE=0 (a plain
# Debug build), JOBS.
set -euo pipefail
cd "$(dirname "$0")"

# lld links the Release daemon with its start-up code laid out first (server/CMakeLists.txt).
APT_PACKAGES=(cmake ninja-build g++ pkg-config libboost1.81-dev libyaml-cpp-dev nlohmann-json3-dev
              libspdlog-dev libgtest-dev libgmock-dev libcli11-dev zlib1g-dev libssl-dev clang libclang-rt-14-dev clang-format
              libmosquitto-dev mosquitto openssl libarchive-dev lld)
NODE_PACKAGES=(nodejs npm)
# The benchmarks' broker comparison and plots (bench/run, bench/plot); optional: without them the
# mosquitto figure is null and there are no plots.
BENCH_PACKAGES=(mosquitto libmosquitto-dev gnuplot-nox)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else echo "dev.sh: need root (or sudo) to install: $*" >&2; exit 1; fi
}

install_debian_packages() {
    local wanted=("$@") missing=()
    for p in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

deps_build() { install_debian_packages "${APT_PACKAGES[@]}"; }

deps_node() {
    command -v node >/dev/null && command -v npm >/dev/null || install_debian_packages "${NODE_PACKAGES[@]}"
    tests/conformance/install.sh
}

configure_and_build() {  # $1 = build type, $2 = build dir, then the targets (default: all)
    local type=$1 dir=$2 targets=()
    shift 2
    [ $# -gt 0 ] && targets=(--target "$@")
    log "building ($type) in $dir${*:+: $*}"
    # Build output goes to stderr: stdout is for what standin prints (the ready line).
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" >/dev/null
    cmake --build "$dir" ${JOBS:+-j "$JOBS"} "${targets[@]}" >&2
}

cmd_run() {
    deps_build
    local dir=${BUILD_DIR:-build}
    configure_and_build Release "$dir" standin
    log "starting standin serve (Ctrl-C stops it)"
    exec "$dir/bin/standin" serve --root .standin --recipes recipes "$@"
}

cmd_test() {
    deps_build
    deps_node
    local dir=${BUILD_DIR:-build-test}
    # One build runs every tier, under AddressSanitizer + UndefinedBehaviorSanitizer: what a plain
    # Debug pass would add is a second full build for no failure the sanitized one can miss.
    local flags=""
    if [ "${SANITIZE:-1}" != 0 ]; then
        flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
    fi
    # Built to run every test once, within CI's budget on a fresh machine, hence:
    # - a unity build (CMake's batches of 8 sources): the templates that every file instantiates
    #   (JSON, Asio, GoogleTest) are compiled once per batch, not once per file;
    # - line tables only (-g1): sanitizer reports keep their function, file and line;
    # - executables that are not position-independent, linked by lld: UBSan's many small check
    #   descriptors make a PIE test binary carry millions of relocations, which the loader
    #   applied at every start of every test process (about a second each).
    local link="-no-pie -fuse-ld=lld${flags:+ -fsanitize=address,undefined}"
    log "building (Debug${flags:+, ASan+UBSan}, unity) in $dir"
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_UNITY_BUILD=ON \
          -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DCMAKE_EXE_LINKER_FLAGS="$link" >/dev/null
    cmake --build "$dir" ${JOBS:+-j "$JOBS"} >&2
    log "unit, integration, conformance and style tests"
    ctest --test-dir "$dir" --output-on-failure -j "${JOBS:-$(nproc)}"
    log "fuzzing (${FUZZ_SECONDS:-20}s per target, ${FUZZ_JOBS:-$(nproc)} at a time)"
    cmake -S . -B "$dir-fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
          -DCMAKE_UNITY_BUILD=ON -DSTANDIN_ONLY_FUZZ=ON >/dev/null
    cmake --build "$dir-fuzz" ${JOBS:+-j "$JOBS"} >&2
    tests/fuzz/run.sh "$dir-fuzz" "${FUZZ_SECONDS:-20}"
}

cmd_bench() {
    exec bench/run "$@"
}

deps_bench() {
    deps_build
    # In a subshell: a failed install must not stop the run, only leave its figures null.
    (install_debian_packages "${BENCH_PACKAGES[@]}") ||
        log "could not install ${BENCH_PACKAGES[*]}: no mosquitto comparison or plots"
}

case "${1:-}" in
    run) shift; cmd_run "$@" ;;
    test) shift; cmd_test "$@" ;;
    deps) deps_build; deps_node ;;
    bench) shift; cmd_bench "$@" ;;
    deps-bench) deps_bench ;;
    *) sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
