#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every fuzz target for <seconds> over a temporary copy of its checked-in seeds, so the
# corpus under fixtures/fuzz/ is never modified. Exits non-zero if any target crashes. Runs
# FUZZ_JOBS targets at a time (default: the number of CPUs); each summary prints when it ends.
#   tests/fuzz/run.sh <build-fuzz-dir> <seconds>
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 <build-fuzz-dir> <seconds>" >&2
    exit 2
fi
build_dir=$(cd "$1" && pwd)
seconds=$2
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seeds_root=$repo_root/fixtures/fuzz

work=$(mktemp -d "${TMPDIR:-/tmp}/standin-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

status=0
targets=(fuzz_frame_decoder fuzz_header_block fuzz_topic_filter fuzz_policy_document fuzz_recipe_yaml
         fuzz_model_pubsub fuzz_model_mqttproxy fuzz_model_config fuzz_model_lifecycle fuzz_model_cli
         fuzz_model_shadow fuzz_model_secrets fuzz_model_client_devices fuzz_model_metrics fuzz_model_tokens
         fuzz_shadow_document)
fuzz_one() {  # $1 = target; returns non-zero when it is missing or crashed
    local target=$1 status=0 binary dict dict_args
    binary=$build_dir/bin/$target
    if [[ ! -x $binary ]]; then
        echo "$target: not built ($binary missing)" >&2
        return 1
    fi
    local corpus=$work/$target/corpus
    local artifacts=$work/$target/artifacts
    mkdir -p "$corpus" "$artifacts"
    local seeds=$seeds_root/${target#fuzz_}
    if [[ -d $seeds ]]; then
        cp -- "$seeds"/* "$corpus"/ 2>/dev/null || true
    fi

    # The codec targets share the event-stream dictionary; others may have <name>.dict.
    case $target in
        fuzz_frame_decoder | fuzz_header_block) dict=$seeds_root/eventstream.dict ;;
        *) dict=$seeds_root/${target#fuzz_}.dict ;;
    esac
    dict_args=()
    [[ -f $dict ]] && dict_args=(-dict="$dict")

    local log=$work/$target/log
    echo "== $target: ${seconds}s, $(ls "$corpus" | wc -l) seeds"
    if "$binary" "$corpus" "${dict_args[@]}" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1; then
        grep -E '^stat::number_of_executed_units' "$log" || grep -E '^(#[0-9]+\s+DONE|Done [0-9]+ runs)' "$log" | tail -1
    else
        status=1
        echo "$target: CRASH (libFuzzer exit status non-zero); tail of the log:" >&2
        tail -n 60 "$log" >&2
        # Keep the reproducer outside the temp dir, which is removed on exit.
        for crash in "$artifacts"/*; do
            [[ -e $crash ]] || continue
            keep=$build_dir/fuzz-artifacts/$target
            mkdir -p "$keep"
            cp -- "$crash" "$keep"/
            echo "$target: reproducer saved to $keep/$(basename "$crash")" >&2
        done
        grep -E '^stat::number_of_executed_units' "$log" >&2 || true
    fi
    return $status
}

jobs=${FUZZ_JOBS:-$(nproc)}
running=0
for target in "${targets[@]}"; do
    if ((running >= jobs)); then
        wait -n || status=1
        running=$((running - 1))
    fi
    # Each target's output is printed in one piece when it ends, so parallel runs do not interleave.
    (if out=$(fuzz_one "$target" 2>&1); then rc=0; else rc=$?; fi; printf '%s\n' "$out"; exit $rc) &
    running=$((running + 1))
done
while ((running > 0)); do
    wait -n || status=1
    running=$((running - 1))
done
exit $status
