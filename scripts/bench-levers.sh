#!/usr/bin/env bash
# The VM part of `make bench` (docs/performance.md): one boot per kernel and
# page-zeroing setting; in it, the workloads run on vmalloc, kvalab and the
# floor (the same pages, mappings and flushes with no VA management) side by
# side, under each lever configuration and thread count, interleaved round
# by round: every round loads the module afresh per configuration, and the
# backends' order rotates from round to round, so every ratio compares
# backends of the same boot measured close together. Prints one table per
# boot: per configuration, thread count and case, the median over rounds of
# kvalab ns/op / vmalloc ns/op and of kvalab ns/op / floor ns/op, each with
# its min-max over rounds; then the summary table of the default
# configuration over every boot. Writes levers.json.
#
# Knobs (environment): KERNELS ("6.1 6.12"), ZEROING ("1 0": init_on_alloc),
# THREADS ("1 2"), LOOPS (2000), REPEAT (1 per round), ROUNDS (5), MASK
# (0x40f: fix_size, full_fit, long_busy_list, random_size, vm_map_ram),
# BACKENDS ("vmalloc kvalab floor": rotated per round), CONFIGS
# (space-separated NAME:PARAM=V,PARAM=V...; NAME: alone loads the defaults;
# the pseudo-parameter ko=VARIANT loads that variant's module instead),
# VARIANTS (space-separated VARIANT=KCFLAGS: measurement builds of the module,
# e.g. VARIANTS=nobd=-DKVALAB_NO_BREAKDOWN CONFIGS="default: nobd:ko=nobd"
# measures what the breakdown's phase hooks cost while off).
# BOOT_TIMEOUT (7200 s per boot). Tiny smoke run: ROUNDS=1 LOOPS=10 THREADS=1 ZEROING=1 CONFIGS=default:
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KERNELS=${KERNELS:-6.1 6.12}
ZEROING=${ZEROING:-1 0}
THREADS=${THREADS:-1 2}
LOOPS=${LOOPS:-2000}
REPEAT=${REPEAT:-1}
ROUNDS=${ROUNDS:-5}
MASK=${MASK:-0x40f}
VARIANTS=${VARIANTS:-}
BACKENDS=${BACKENDS:-vmalloc kvalab floor}
CONFIGS=${CONFIGS:-default: base:vblocks=0,page_alloc=single bulk:page_alloc=bulk lazy16k:lazy_max_pages=16384 invlpg:tlb_flush=invlpg noobjcache:obj_cache=N pools:va_pools=Y breakdown:breakdown=Y all:page_alloc=bulk,lazy_max_pages=16384,tlb_flush=invlpg,va_pools=Y}

out=${BENCH_OUT:-$TOP/build/bench/levers-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
make -s -C "$TOP" cli >/dev/null

script=$(mktemp --suffix=.sh)
trap 'rm -f "$script"' EXIT
# Each configuration loads the module afresh with its parameters, so
# load-time ones (lazy_max_pages) are levers too.
cat >"$script" <<GUEST
set -e
backends=($BACKENDS)
n=\${#backends[@]}
for r in \$(seq 1 $ROUNDS); do
	# Round r starts with backend r mod n: the order rotates.
	order=
	for ((i = 0; i < n; i++)); do
		order+=\${order:+,}\${backends[(i + r) % n]}
	done
	for t in $THREADS; do
		for cfg in $CONFIGS; do
			name=\${cfg%%:*} params= ko=
			for p in \$(echo "\${cfg#*:}" | tr , ' '); do
				case \$p in
				ko=*) ko=/kvalab/kvalab-\${p#ko=}.ko ;;
				*) params+=" \$p" ;;
				esac
			done
			kvalab load \${ko:+--module \$ko} \$params >/dev/null
			# kvalab's lazy list starts empty (a fresh load): so does
			# the kernel's, for vmalloc (docs/oracle.md).
			kvalab purge vmalloc >/dev/null
			kvalab run --mask $MASK --loops $LOOPS --repeat $REPEAT \\
				--threads \$t --backend \$order --baseline vmalloc \\
				--no-progress \\
				--json "\$KVALAB_RESULTS/\$name-t\$t-\$r.json" >/dev/null || true
			cat /sys/kernel/debug/kvalab/stats >"\$KVALAB_RESULTS/\$name-t\$t-\$r.stats"
			kvalab check >/dev/null
			kvalab unload >/dev/null
		done
	done
done
GUEST

for k in $KERNELS; do
	for z in $ZEROING; do
		dir="$out/$k-init_on_alloc=$z"
		mkdir -p "$dir"
		echo "bench: $k init_on_alloc=$z ($ROUNDS rounds x threads ${THREADS// /, } x ${CONFIGS// /, })" >&2
		# shellcheck disable=SC2046 # one --variant word pair per variant
		"$TOP/tests/vm/run" --kernel "$k" --script "$script" \
			$(for v in $VARIANTS; do printf -- '--variant %s ' "$v"; done) \
			--results "$dir" --timeout "${BOOT_TIMEOUT:-7200}" \
			--append "init_on_alloc=$z" >"$dir/vm.tap" 2>"$dir/vm.log" ||
			echo "bench: the $k boot failed (see $dir/vm.tap)" >&2
	done
done
"$TOP/scripts/bench-levers-table.py" "$out"
