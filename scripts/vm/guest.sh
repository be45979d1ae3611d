#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs as root inside the test VM, on the host's root file system: prepare
# /dev/pmem0 (fsdax namespace, then the file system asked for), run the
# command with its output in the run share, record its exit status there,
# and power off.  The host side is scripts/pcrace-vm.
R=/run/pcrace
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
. $R/env
# The guest kernel's modules live in the unpacked package on the host.
# The host's modprobe.d is not for this kernel (ndctl's install hook for
# libnvdimm calls a plain modprobe), so an empty configuration is used.
: > /run/pcrace-modprobe.conf
modprobe() {
	if [ -n "$PCRACE_VM_MODROOT" ]; then
		command modprobe -C /run/pcrace-modprobe.conf -d "$PCRACE_VM_MODROOT" "$@"
	else
		command modprobe "$@" 2>/dev/null || true	# built in
	fi
}

step() { echo "pcrace-vm: $*" > /dev/console; }

finish() {	# finish STATUS
	echo "$1" > $R/status
	# only the run share: a file system the command broke (a BUG in
	# its writeback) can make a full sync wait for ever
	sync -f $R/status
	echo "PCRACE-VM-EXIT: $1" > /dev/console
	# without the sync poweroff -f does first, for the same reason;
	# sysrq if this poweroff has no --no-sync
	poweroff -f -n 2>/dev/null
	echo o > /proc/sysrq-trigger
}

prepare_pmem() {
	modprobe -a nfit nd_pmem dax_pmem crc32c_generic || return 1
	udevadm settle 2>/dev/null
	for i in $(seq 50); do
		[ -e /sys/bus/nd/devices/region0 ] && break
		sleep 0.1
	done
	# fsdax needs namespace labels; they persist in the pmem image
	if ! ndctl list -N 2>/dev/null | grep -q '"mode":"fsdax"'; then
		ndctl disable-region all >/dev/null &&
		ndctl init-labels -f all >/dev/null &&
		ndctl enable-region all >/dev/null &&
		ndctl create-namespace -r region0 -m fsdax >/dev/null || return 1
	fi
	for i in $(seq 50); do
		[ -b /dev/pmem0 ] && return 0
		sleep 0.1
	done
	return 1
}

prepare_fs() {
	mnt=/run/pcrace-mnt
	mkdir -p $mnt
	case $PCRACE_VM_FS in
	raw)
		return 0 ;;
	ext4|ext4-dax)
		modprobe ext4 && mkfs.ext4 -q -F $PCRACE_VM_MKFS_OPTS /dev/pmem0 || return 1 ;;
	xfs|xfs-dax)
		modprobe -a crc32c_generic libcrc32c xfs &&
		mkfs.xfs -q -f $PCRACE_VM_MKFS_OPTS /dev/pmem0 || return 1 ;;
	*)
		return 1 ;;
	esac
	case $PCRACE_VM_FS in
	*-dax) opts=dax=always ;;
	*) opts=dax=never ;;
	esac
	mount -o $opts /dev/pmem0 $mnt || return 1
	export PCRACE_VM_MNT=$mnt
}

step "guest up ($(uname -r)), preparing pmem"
if [ "$PCRACE_VM_FS" != none ]; then
	prepare_pmem || { step "pmem set-up failed"; finish 125; }
	prepare_fs || { step "file system set-up ($PCRACE_VM_FS) failed"; finish 125; }
fi
export PCRACE_VM_DEV=/dev/pmem0 PCRACE_VM_OUT=$R/out
mkdir -p $R/out
step "running command"
: > $R/started
cd "$PCRACE_VM_CWD" 2>/dev/null || cd /
# the command was quoted with bash's printf %q
bash $R/cmd > $R/stdout 2> $R/stderr < /dev/null
finish $?
