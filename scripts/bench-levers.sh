#!/usr/bin/env bash
# The VM part of `make bench` for the performance levers (docs/performance.md):
# one boot per kernel and page-zeroing setting; in it, the workloads run on
# kvalab and vmalloc side by side under each lever configuration, the
# configurations interleaved round by round, so every ratio compares the two
# backends in the same boot. Prints, per configuration and case, the median
# over rounds of kvalab ns/op / vmalloc ns/op, with the min-max spread.
#
# Knobs (environment): KERNELS ("6.1 6.12"), ZEROING ("1 0": init_on_alloc),
# THREADS (1), LOOPS (2000), REPEAT (1 per round), ROUNDS (5), MASK
# (0x40f: fix_size, full_fit, long_busy_list, random_size, vm_map_ram),
# CONFIGS (space-separated NAME:PARAM=V,PARAM=V...).
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KERNELS=${KERNELS:-6.1 6.12}
ZEROING=${ZEROING:-1 0}
THREADS=${THREADS:-1}
LOOPS=${LOOPS:-2000}
REPEAT=${REPEAT:-1}
ROUNDS=${ROUNDS:-5}
MASK=${MASK:-0x40f}
CONFIGS=${CONFIGS:-base:vblocks=0,page_alloc=single vblocks:vblocks=1,page_alloc=single bulk:vblocks=0,page_alloc=bulk all:vblocks=1,page_alloc=bulk}

out=${BENCH_OUT:-$TOP/build/bench/levers-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
make -s -C "$TOP" cli >/dev/null

script=$(mktemp --suffix=.sh)
trap 'rm -f "$script"' EXIT
cat >"$script" <<GUEST
set -e
kvalab load
for r in \$(seq 1 $ROUNDS); do
	for cfg in $CONFIGS; do
		name=\${cfg%%:*}
		for kv in \$(echo "\${cfg#*:}" | tr , ' '); do
			echo "\${kv#*=}" >/sys/module/kvalab/parameters/\${kv%%=*}
		done
		kvalab run --mask $MASK --loops $LOOPS --repeat $REPEAT \\
			--threads $THREADS --no-progress \\
			--json "\$KVALAB_RESULTS/\$name-\$r.json" >/dev/null || true
	done
done
kvalab check
kvalab unload
GUEST

for k in $KERNELS; do
	for z in $ZEROING; do
		dir="$out/$k-init_on_alloc=$z"
		mkdir -p "$dir"
		echo "bench: $k init_on_alloc=$z ($ROUNDS rounds x ${CONFIGS// /, })" >&2
		"$TOP/tests/vm/run" --kernel "$k" --script "$script" \
			--results "$dir" --timeout 3000 \
			--append "init_on_alloc=$z" >"$dir/vm.tap" 2>"$dir/vm.log" ||
			echo "bench: the $k boot failed (see $dir/vm.tap)" >&2
	done
done
"$TOP/scripts/bench-levers-table.py" "$out"
