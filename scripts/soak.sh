#!/usr/bin/env bash
# make soak: hours of mixed traffic on the debug kernel (KASAN, kmemleak,
# lockdep, page-table check), not part of make check. The guest side is
# tests/vm/soak/soak-guest.sh (what each cycle does: load, mixed traffic
# from several writers, workloads under the cycle's policy, replays, record
# on/off, unload; the levers on in odd cycles). This script boots it and
# prints its progress lines and final figures, then the host's verdicts
# (guest status; kernel log clean: KASAN, lockdep, kmemleak, UBSAN).
#
#   make soak [SOAK_SECONDS=3600] [SOAK_CYCLE=300] [SOAK_KERNEL=debug]
#
# Environment: SOAK_SECONDS (total, default 3600), SOAK_CYCLE (seconds per
# load-to-unload cycle, default 300), SOAK_PROGRESS (seconds between
# progress lines, default 60), SOAK_KERNEL (debug, race or a Debian kernel:
# 6.1, 6.12, 7.2, 7.3; default debug). A figures file is kept in
# build/soak/soak-<kernel>-<date>.txt.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${SOAK_SECONDS:-3600}
cycle=${SOAK_CYCLE:-300}
progress=${SOAK_PROGRESS:-60}
kernel=${SOAK_KERNEL:-debug}
for v in seconds cycle progress; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "soak: SOAK_${v^^} must be a positive number of seconds, not '${!v}'" >&2; exit 2; }
done
((cycle >= 60)) || { echo "soak: SOAK_CYCLE must be at least 60 s (a cycle loads, runs, replays and unloads)" >&2; exit 2; }

mkdir -p "$TOP/build/soak"
out=$TOP/build/soak/soak-$kernel-$(date -u +%Y%m%dT%H%M%SZ).txt
script=$(mktemp "${TMPDIR:-/tmp}/kvalab-soak.XXXXXX.sh")
trap 'rm -f "$script"' EXIT
{
	echo "SOAK_SECONDS=$seconds SOAK_CYCLE=$cycle SOAK_PROGRESS=$progress"
	cat "$TOP/tests/vm/soak/soak-guest.sh"
} >"$script"

echo "soak: $seconds s on the $kernel kernel, cycles of $cycle s; figures to $out"
# The guest's limit: the soak, plus a cycle's replays and unload running
# over, plus boot and kmemleak's final scans.
rc=0
"$TOP/tests/vm/run" --kernel "$kernel" --timeout $((seconds + 2 * cycle + 900)) \
	--script "$script" | tee "$out" || rc=$?
echo "soak: figures in $out"
exit "$rc"
