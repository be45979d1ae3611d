# SPDX-License-Identifier: GPL-2.0
# TAP helpers for the shell tests (kselftest style).  Source it; it sets
# PCRACE (the binary under test), OUT (helper binaries) and SCRATCH (a
# directory on a file system that takes O_DIRECT, removed at exit).

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PCRACE=${PCRACE:-$TOP/pcrace}
OUT=$TOP/.output/tests
_tap_n=0
_tap_fail=0

plan() { echo "1..$1"; }

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

ok() {	# ok COND_STATUS DESCRIPTION
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_fail=$((_tap_fail + 1))
	fi
}

skip() {	# skip COUNT REASON
	local i
	for ((i = 0; i < $1; i++)); do
		_tap_n=$((_tap_n + 1))
		echo "ok $_tap_n # SKIP $2"
	done
}

is() {	# is GOT EXPECTED DESCRIPTION
	if [ "$1" == "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "#   got:      $1"
		echo "#   expected: $2"
	fi
}

# Compare two multi-line texts, showing a diff on failure.
is_text() {	# is_text GOT EXPECTED DESCRIPTION
	if [ "$1" == "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diff <(echo "$2") <(echo "$1") | sed 's/^/#   /'
	fi
}

done_testing() {
	[ "$_tap_fail" -eq 0 ]
	exit $?
}

need_root_bpf() {
	[ "$(id -u)" = 0 ] || skip_all "needs root for BPF"
	[ -r /sys/kernel/btf/vmlinux ] || skip_all "kernel has no BTF"
	[ -x "$PCRACE" ] || skip_all "pcrace not built"
}

make_scratch() {
	local base
	for base in "${PCRACE_TEST_DIR:-}" /var/tmp "$TOP/.output"; do
		[ -n "$base" ] && [ -d "$base" ] || continue
		SCRATCH=$(mktemp -d "$base/pcrace-test.XXXXXX") || continue
		# O_DIRECT must work here (tmpfs before 6.6 and overlayfs may refuse)
		if dd if=/dev/zero of="$SCRATCH/.odirect" bs=4096 count=1 \
		      oflag=direct status=none 2>/dev/null; then
			rm -f "$SCRATCH/.odirect"
			trap 'rm -rf "$SCRATCH"' EXIT
			return 0
		fi
		rm -rf "$SCRATCH"
	done
	skip_all "no scratch directory that takes O_DIRECT"
}

# Kernel-encoded "major:minor" of the device holding a file, as traces show it.
file_kdev() { stat -c '%Hd:%Ld' "$1"; }

# A scratch ext4 file system (4 KiB blocks) on a loop device at
# $SCRATCH/mnt, for replay, which refuses targets on the root file system.
# Sets TARGET and TARGET_DEV; unmounted and detached at exit.
make_target() {
	local size=${1:-256M}
	[ "$(id -u)" = 0 ] || skip_all "needs root for a loop-mounted target"
	command -v mkfs.ext4 >/dev/null && command -v losetup >/dev/null ||
		skip_all "needs mkfs.ext4 and losetup"
	truncate -s "$size" "$SCRATCH/target.img"
	mkfs.ext4 -q -F -b 4096 "$SCRATCH/target.img" ||
		skip_all "mkfs.ext4 failed"
	TARGET_DEV=$(losetup -f --show "$SCRATCH/target.img") ||
		skip_all "no loop device"
	mkdir -p "$SCRATCH/mnt"
	if ! mount "$TARGET_DEV" "$SCRATCH/mnt"; then
		losetup -d "$TARGET_DEV"
		skip_all "cannot mount a loop device"
	fi
	TARGET=$SCRATCH/mnt
	trap 'fsfreeze -u "$TARGET" 2>/dev/null; umount "$TARGET" 2>/dev/null ||
		umount -l "$TARGET"; losetup -d "$TARGET_DEV"; rm -rf "$SCRATCH"' EXIT
}

json() {	# json FILE KEY: a number or string from a --json line
	sed -n "s/.*\"$2\":\"\{0,1\}\([^,\"}]*\).*/\1/p" "$1"
}
