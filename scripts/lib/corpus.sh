# SPDX-License-Identifier: GPL-2.0
# Sourced by scripts/corpora-run and tests/34-corpora.t, in a subshell
# that has sourced a scenario.sh: how a corpus scenario's VM is booted and
# where its replay writes, said once so the two cannot drift apart.

# corpus_vm_opts KERNEL MASK: pcrace-vm's options for one side, in the
# array CORPUS_VM_OPTS, and replay's target (expanded in the guest, where
# $MNT is the scratch mount) in CORPUS_REPLAY_TARGET.  MASK empty boots
# Debian's stock kernel, pcrace-vm's default.
corpus_vm_opts() {
	local kernel=$1 mask=$2 extra=

	# Warnings stay off the serial console: a race that warns per page
	# (seed 7 on a clean kernel) is slowed down by a console that TCG
	# prints a byte at a time; the guest reads dmesg.  A failure that
	# takes the kernel down panics it (oops=panic): a BUG can kill a task
	# holding a spinlock and wedge the guest until its time-out.
	[ "${FATAL:-0}" = 1 ] && extra=" oops=panic"
	if [ -n "$mask" ]; then
		CORPUS_VM_OPTS=(--kernel "$kernel" --append "pcrace_inject=$mask loglevel=4$extra")
	else
		CORPUS_VM_OPTS=(--append "loglevel=4")
	fi
	CORPUS_VM_OPTS+=(--fs "$FS")
	[ -n "${MKFS_OPTS:-}" ] && CORPUS_VM_OPTS+=(--mkfs-opts "$MKFS_OPTS")
	# shellcheck disable=SC2016
	CORPUS_REPLAY_TARGET=${REPLAY_TARGET:-'--target $MNT/replay'}
}
