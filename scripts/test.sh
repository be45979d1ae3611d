#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Set up (Debian packages), build, and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
make -j"$(nproc)" test-bins
exec make check
