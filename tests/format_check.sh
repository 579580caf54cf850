#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fails when a C++ source differs from what .clang-format makes of it. Fix with:
#   find protocol server tests bench client \( -name '*.cpp' -o -name '*.hpp' \) | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
find protocol server tests bench client \( -name '*.cpp' -o -name '*.hpp' \) -not -path '*/node_modules/*' -print0 |
    xargs -0 clang-format --dry-run -Werror
