#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job on its built-in default: set up, build, record the mixed
# buffered/O_DIRECT/mmap/io_uring workload on this machine, and show what
# the trace holds (header, probe manifest, tables, counts, the file's
# events).  TRACE_DIR chooses where the trace goes (default /var/tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
make -j"$(nproc)" test-bins >/dev/null
dir=$(mktemp -d "${TRACE_DIR:-/var/tmp}/pcrace-demo.XXXXXX")
trace=$dir/mixed.pcr
./pcrace record -o "$trace" -- .output/tests/workload_mixed "$dir/data"
./pcrace info "$trace"
echo
echo "== events on $dir/data =="
./pcrace dump "$trace" | grep -F "<$dir/data>"
echo
echo "trace kept in $trace ('./pcrace dump --json $trace' for JSON)"
