#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job on its built-in default: set up, build, boot the test VM
# (Debian's 6.1 kernel, emulated NVDIMM, fsdax ext4), record the mixed
# buffered/O_DIRECT/mmap/io_uring workload there with pcrace record, and
# show what the trace holds: header, probe manifest (kprobes included),
# tables, counts, and the workload file's events (DAX faults, DAX entry
# locks, syscalls).  TRACE_DIR chooses where the trace is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
make -j"$(nproc)" test-bins >/dev/null
dir=$(mktemp -d "${TRACE_DIR:-/var/tmp}/pcrace-demo.XXXXXX")
# the VM's paths exist only inside it: let its shell expand them
scripts/pcrace-vm --fs ext4-dax --timeout 600 --out "$dir" -- \
	sh -c './pcrace record -o "$PCRACE_VM_OUT/mixed.pcr" -- \
		.output/tests/workload_mixed "$PCRACE_VM_MNT/data"' 2>&1 |
	sed 's/^/  /'
trace=$dir/mixed.pcr
[ -f "$trace" ] || { echo "demo: no trace came back from the VM" >&2; exit 125; }
./pcrace info "$trace"
echo
echo "== events on /run/pcrace-mnt/data (fsdax ext4 on /dev/pmem0, in the VM) =="
./pcrace dump "$trace" | grep -F '</run/pcrace-mnt/data>'
echo
echo "trace kept in $trace ('./pcrace dump --json $trace' for JSON)"
