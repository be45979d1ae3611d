#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Kernel coding style: checkpatch --no-tree over every C file.
. "$(dirname "$0")/lib.sh"
plan 1
out=$(bash "$TOP/scripts/checkpatch.sh" 2>&1)
rc=$?
ok $rc "checkpatch --no-tree is clean"
[ $rc -eq 0 ] || echo "$out" | sed 's/^/#   /'
done_testing
