#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Serve /recipes with the socket in the shared /ipc volume, readable by component containers.
set -eu
mkdir -p /ipc
exec standin serve --root /ipc --recipes /recipes --socket-mode 666 "$@"
