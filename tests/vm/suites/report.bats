#!/usr/bin/env bats
# Latency histograms, fragmentation over time and the HTML report from a
# real run: a small run (2 cases, loops=100 repeat=1, backends vmalloc,
# kvalab:lowest, kvalab:best-fit) gives ordered percentiles per op and
# backend, purge lines for the kvalab backends, exactly loops * repeat /
# frag_every fragmentation samples per case and kvalab backend, and
# `kvalab report --html` works on the run's JSON.

bats_require_minimum_version 1.5.0
bats_load_library kvalab
load workloads

setup() {
	lean_trace # bats' per-command trap, cheaper (kvalab.bash)
	echo 1 >/proc/sys/kernel/kptr_restrict
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	if kvalab_loaded; then
		ctl stop >/dev/null || true
	fi
	kvalab_unload || true
}

BACKENDS="vmalloc kvalab:lowest kvalab:best-fit"
CASES="fix_size_alloc_test random_size_alloc_test"

# $1 a latency line: p50 <= p99 <= p99.9 <= max for each of its groups.
ordered() {
	awk '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		n = split("_ns areas_ pages_", g, " ")
		for (j = 1; j <= n; j++) {
			p = g[j] == "_ns" ? "" : g[j]; s = g[j] == "_ns" ? "_ns" : ""
			if (!((p "p50" s) in v)) continue
			if (v[p "p50" s] + 0 > v[p "p99" s] + 0 || v[p "p99" s] + 0 > v[p "p999" s] + 0 ||
			    v[p "p999" s] + 0 > v[p "max" s] + 0) exit 1
		}
	}' <<<"$1"
}

@test "a small run: latency percentiles ordered, purges on kvalab backends, frag samples as documented" {
	kvalab_load slice_size=16M
	run -0 kvalab run $CASES --backend vmalloc,kvalab:lowest,kvalab:best-fit \
		--loops 100 --repeat 1 --threads 2 --no-progress --latency \
		--json r.json --frag-svg f.svg
	assert_line --regexp '^fix_size_alloc_test +vmalloc +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ '
	assert_line --regexp '^ +kvalab:best-fit +[0-9]+ '
	run -0 cat "$D/results"
	results=$output
	assert_line --regexp '^timing: latency=1 clock_ns=[0-9]+ frag_every=1 frag_samples=100 pinned=1$'
	# The measured cost of a clock read, for the log.
	echo "# $(grep '^timing:' <<<"$results")" >&3
	grep -E '^(latency|frag) case=fix_size_alloc_test backend=kvalab:lowest (op=alloc|op=purge|op=1 )' <<<"$results" |
		sed 's/^/# /' >&3
	for c in $CASES; do
		for b in $BACKENDS; do
			# One alloc and one free per iteration, loops x threads.
			for op in alloc free; do
				line=$(grep "^latency case=$c backend=$b op=$op " <<<"$results")
				[[ $line =~ \ n=200\ p50_ns=[0-9]+\ p99_ns=[0-9]+\ p999_ns=[0-9]+\ max_ns=[1-9][0-9]*$ ]]
				ordered "$line"
			done
			nfrag=$(grep -c "^frag case=$c backend=$b " <<<"$results" || true)
			if [[ $b == vmalloc ]]; then
				refute_line --regexp "^latency case=$c backend=vmalloc op=purge "
				[[ $nfrag == 0 ]]
				continue
			fi
			line=$(grep "^latency case=$c backend=$b op=purge " <<<"$results")
			[[ $line =~ \ n=[0-9]+\ p50_ns=[0-9]+\ .*\ pages_max=[0-9]+$ ]]
			ordered "$line"
			# loops x repeat / frag_every samples of worker 0, ops 1..100.
			[[ $nfrag == 100 ]]
			ops=$(grep "^frag case=$c backend=$b " <<<"$results" |
				sed 's/.* op=\([0-9]*\) .*/\1/' | tr '\n' ' ')
			[[ $ops == "$(seq -s ' ' 1 100) " ]]
			grep "^frag case=$c backend=$b " <<<"$results" | awk '{
				for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
				if (v["ext_frag"] < 0 || v["ext_frag"] > 1 || v["frag_rss"] < 0 ||
				    v["frag_rss"] > 1 || v["largest_free"] + 0 > v["free_bytes"] + 0 ||
				    v["nr_free"] < 1) exit 1
			}'
		done
	done
	# The JSON has them too, and the slice's listings at the end.
	grep -q '"timing": {"latency": 1, ' r.json
	grep -q '"snapshot": {' r.json
	grep -q '"map": "# one char = ' r.json
	grep -Eq '"purge": \{"n": [0-9]+' r.json
	[[ $(grep -c '<polyline' f.svg) == 8 ]]
	check_ok
}

@test "kvalab report --html works on the run's JSON" {
	kvalab_load slice_size=16M
	run -0 kvalab run fix_size_alloc_test --backend vmalloc,kvalab:lowest,kvalab:best-fit \
		--loops 100 --repeat 1 --threads 2 --no-progress --json r.json
	run -0 kvalab report r.json --html r.html --latency
	assert_line --regexp '^fix_size_alloc_test +vmalloc '
	for id in results bars latency frag state; do
		grep -q "<h2 id=\"$id\">" r.html
	done
	[[ $(grep -c '<svg class="frag"' r.html) == 1 ]]
	[[ $(grep -c '<svg class="latency"' r.html) == 1 ]]
	grep -q '<svg class="map"' r.html
	run ! grep -Eiq '<script|<link|<img|(src|href)=' r.html
}

@test "op_latency=0 turns per-op timing off (no alloc/free latency lines, purges still); writing 1 turns it on for the next run" {
	kvalab_load slice_size=16M op_latency=0
	run -0 ctl run fix_size_alloc_test backend=vmalloc,kvalab:lowest loops=50 repeat=1 threads=1
	run -0 wait_run_end 120
	run -0 cat "$D/results"
	assert_line --regexp '^timing: latency=0 clock_ns=[0-9]+ frag_every=1 frag_samples=100 pinned=1$'
	refute_line --regexp '^latency .* op=(alloc|free) '
	assert_line --regexp '^latency case=fix_size_alloc_test backend=kvalab:lowest op=purge n=[0-9]+ '
	[[ $(grep -c '^frag case=fix_size_alloc_test backend=kvalab:lowest ' <<<"$output") == 50 ]]
	# For the log: ns/op without per-op timing, then with it.
	echo "# op_latency=0: $(grep '^case=fix_size_alloc_test backend=kvalab:lowest' <<<"$output" | grep -o 'loop_ns=[0-9]*')" >&3
	ctl stop >/dev/null || true
	echo 1 > /sys/module/kvalab/parameters/op_latency
	run -0 ctl run fix_size_alloc_test backend=vmalloc,kvalab:lowest loops=50 repeat=1 threads=1
	run -0 wait_run_end 120
	run -0 cat "$D/results"
	assert_line --regexp '^timing: latency=1 '
	assert_line --regexp '^latency case=fix_size_alloc_test backend=kvalab:lowest op=alloc n=50 '
	echo "# op_latency=1: $(grep '^case=fix_size_alloc_test backend=kvalab:lowest' <<<"$output" | grep -o 'loop_ns=[0-9]*')" >&3
}
