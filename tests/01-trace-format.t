#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Trace format: round trip, cuts at every length, flipped bytes (C unit test).
. "$(dirname "$0")/lib.sh"
[ -x "$OUT/trace_format_test" ] || skip_all "trace_format_test not built"
exec "$OUT/trace_format_test"
