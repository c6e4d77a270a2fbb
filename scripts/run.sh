#!/usr/bin/env bash
# make run: the main job. Installs what is missing, builds, boots the test
# VM (KERNEL=6.1 by default; 6.12, 7.2 and 7.3 the others), loads kvalab and
# runs the workload suite on the default backends, kvalab and vmalloc
# (test_vmalloc's PERF preset: sequential order, 3 repeats; loops scaled
# for TCG), prints the side-by-side table and leaves JSON, CSV, SVG and the raw results file in
# results/<kernel>-<date>/ on the host.
#
# Knobs (environment): KERNEL, LOOPS (default 1000), REPEAT (3), THREADS (2),
# MASK (0x1c7f: every case but the per-CPU and kvfree_rcu ones, which measure
# other allocators), APPEND (extra kernel args, e.g. init_on_alloc=0).
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KERNEL=${KERNEL:-6.1}
LOOPS=${LOOPS:-1000}
REPEAT=${REPEAT:-3}
THREADS=${THREADS:-2}
MASK=${MASK:-0x1c7f}
APPEND=${APPEND:-}

"$TOP/scripts/deps.sh"

out="$TOP/results/$KERNEL-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
script=$(mktemp --suffix=.sh)
vmlog=$(mktemp)
trap 'rm -f "$script" "$vmlog"' EXIT
cat >"$script" <<GUEST
set -e
kvalab load
kvalab status
kvalab run --mask $MASK --loops $LOOPS --repeat $REPEAT --threads $THREADS \\
	--sequential --no-progress --json "\$KVALAB_RESULTS/run.json" \\
	--csv "\$KVALAB_RESULTS/run.csv" --svg "\$KVALAB_RESULTS/run.svg" \\
	|| echo "kvalab run: some case failed (see the table)"
kvalab results >"\$KVALAB_RESULTS/results.txt"
kvalab stats >"\$KVALAB_RESULTS/stats.txt"
kvalab check
kvalab unload
GUEST

args=(--kernel "$KERNEL" --script "$script" --results "$out" --timeout 1200)
[[ -n $APPEND ]] && args+=(--append "$APPEND")
rc=0
"$TOP/tests/vm/run" "${args[@]}" | tee "$vmlog" || rc=$?

if [[ ! -s $out/run.json ]]; then
	# A refused module (lockdown, sig_enforce...) is the usual cause: repeat
	# the CLI's own explanation instead of a bare failure.
	why=$(grep -m 1 '^kvalab: load: ' "$vmlog" || true)
	if [[ -n $why ]]; then
		echo "make run: kvalab could not be loaded in the $KERNEL guest: ${why#kvalab: load: }" >&2
	else
		echo "make run: the guest produced no results (see above)" >&2
	fi
	exit 1
fi
((rc == 0)) || exit "$rc"
echo
echo "kvalab on $KERNEL: ns per operation, median over $REPEAT repeats (p99), kvalab / vmalloc"
"$TOP/userspace-tools/kvalab" report "$out/run.json"
echo
echo "results: $out/{run.json,run.csv,run.svg,results.txt,stats.txt}"
