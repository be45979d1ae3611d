#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The data oracle's shadow model on its own (tests/shadow_model.c), in
# orders of completion a replay cannot force: a store through a mapping
# whose last bytes may lie past the kernel's EOF (a truncate raced a
# write, so the model knows only a least and a largest size) may read
# back as zeros there; with the size sure, zeros are a mismatch.
. "$(dirname "$0")/lib.sh"
[ -x "$OUT/shadow_model" ] || skip_all "tests/shadow_model not built (make test-bins)"
exec "$OUT/shadow_model"
