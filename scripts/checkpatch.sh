#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the kernel's checkpatch.pl (from Debian's linux-source-6.1, unpacked
# once into /var/cache/pcrace) over the C sources.  VOLATILE is ignored:
# `const volatile` is libbpf's idiom for load-time knobs and
# `volatile sig_atomic_t` is what C requires of signal flags.  The one
# line that defines __printf() for user space is itself what PREFER_PRINTF
# flags, so that line alone is let through.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${PCRACE_CACHE:-/var/cache/pcrace}/checkpatch
cp=$cache/scripts/checkpatch.pl
if [ ! -x "$cp" ]; then
	[ -r /usr/src/linux-source-6.1.tar.xz ] ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q linux-source-6.1 >&2
	mkdir -p "$cache"
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$cache" --strip-components=1 \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
fi
files=$(git ls-files '*.c' '*.h')
out=$("$cp" --no-tree --terse --ignore VOLATILE -f $files 2>/dev/null |
	grep -v '^total: 0 errors, 0 warnings' |
	grep -v '^include/pcrace.h:[0-9]*: WARNING: Prefer ____printf__' |
	grep -v '^total: 0 errors, 1 warnings, [0-9]* lines checked' || true)
[ -z "$out" ] && { echo "checkpatch: clean ($(echo $files | wc -w) files)"; exit 0; }
echo "$out"
exit 1
