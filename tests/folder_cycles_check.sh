#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fails when the folders of server/src/ include each other in a cycle (architecture.md: no include
# cycles between folders). Prints the folder dependency edges and, on failure, tsort's loop report.
set -euo pipefail
src="$(cd "$(dirname "$0")/../server/src" && pwd)"
edges=$(
    cd "$src"
    for file in */*.cpp */*.hpp */*/*.cpp */*/*.hpp; do
        [ -f "$file" ] || continue
        from=${file%%/*}
        sed -n 's/^#include "\([a-z_]*\)\/.*"/\1/p' "$file" | while read -r to; do
            [ -d "$to" ] && [ "$to" != "$from" ] && echo "$from $to"
        done
    done | sort -u
)
echo "folder dependencies (from -> to):"
echo "$edges" | sed 's/^\([^ ]*\) \(.*\)$/  \1 -> \2/'
if ! report=$(echo "$edges" | tsort 2>&1 >/dev/null) || [ -n "$report" ]; then
    echo "include cycle between folders of server/src:" >&2
    echo "$report" >&2
    exit 1
fi
echo "no cycles"
