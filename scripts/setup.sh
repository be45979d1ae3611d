#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install every Debian package pcrace needs to build, test and benchmark.
# Idempotent: a machine that has them all is left alone (no apt-get update).
set -euo pipefail

PKGS=(
	# build
	make gcc clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev
	liburing-dev pkg-config linux-libc-dev
	# tests and benchmarks
	jq perl fio bpftrace bc libclang-rt-14-dev
	# the test VM (scripts/pcrace-vm)
	qemu-system-x86 busybox-static cpio kmod ndctl e2fsprogs xfsprogs
	# the corpora's original workloads (scripts/corpora-run)
	parted rocksdb-tools
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "setup: need root to install: ${missing[*]}" >&2
		exit 125
	fi
	echo "setup: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
