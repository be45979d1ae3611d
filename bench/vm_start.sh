#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Test-VM start-up: seconds from running scripts/pcrace-vm to the command
# starting inside (TCG here), per file-system preparation, median of N
# boots; and what a second, cached kernel request costs.
# usage: bench/vm_start.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-3}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '%-10s %10s %10s\n' fs median max
for fs in none raw ext4-dax xfs-dax; do
	for ((i = 0; i < n; i++)); do
		scripts/pcrace-vm --fs "$fs" -- true 2>&1 |
			sed -n 's/.*command started after \([0-9.]*\)s.*/\1/p'
	done > /tmp/pcrace-vm-start.$$
	printf '%-10s %10.1f %10.1f\n' "$fs" "$(median < /tmp/pcrace-vm-start.$$)" \
		"$(sort -g /tmp/pcrace-vm-start.$$ | tail -1)"
done
rm -f /tmp/pcrace-vm-start.$$

t0=$(date +%s.%N)
k=$(scripts/build-kernel)
t1=$(date +%s.%N)
echo "cached test-kernel request: $(echo "$t1 - $t0" | bc) s ($k)"
bs=$(dirname "$k")/build-seconds
[ -f "$bs" ] && echo "first build of that kernel: $(cat "$bs") s"
