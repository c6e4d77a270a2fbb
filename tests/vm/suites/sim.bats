#!/usr/bin/env bats
# kvalab sim is the module's VA-only replay without the module
# (docs/sim.md): on this kernel, every shipped trace, every scenario and
# seeded random traces (aligned, noguard, purges, running the slice out)
# replayed in the module and on the sim, under every policy and both search
# modes, give the same placement log (the slice offset of every allocation,
# every ENOMEM at the same op) and the same figures (sim.bash).

bats_require_minimum_version 1.5.0
bats_load_library kvalab

DATA=/kvalab/data

# The supported range's ends (6.1, 7.3) run every trace below; the kernels
# in between one of each kind (make check's time; the sim and the core are
# the same code on every kernel, the module's replay path is what differs).
# make check does not run this file on the debug kernel (tests/check.sh);
# run by hand there, it takes one trace of each kind at a quarter length.
full() {
	[[ ${KVALAB_KERNEL:-} == 6.1 || ${KVALAB_KERNEL:-} == 7.3 ]]
}

setup() {
	lean_trace
}

teardown() {
	kvalab_unload || true
}

@test "sim = module: the shipped captures and the recorded workload, both searches" {
	if full; then
		kvalab_load slice_size=128M
		for s in exact padded; do
			sim_matches "$DATA/capture-7.3.trace" "$s"
			sim_matches "$DATA/capture-6.12.trace" "$s"
		done
		kvalab_unload
	fi
	kvalab_load slice_size=4M
	sim_matches "$DATA/record-workload.trace" exact
	sim_matches "$DATA/record-workload.trace" padded
}

@test "sim = module: the scenarios' traces" {
	local n ops
	kvalab_load slice_size=16M
	local names=(aligned-search)
	if full; then names+=(modules-area lazy-purge); fi
	for n in "${names[@]}"; do
		ops=()
		if [[ $n != aligned-search ]]; then ops=(--ops "$(scaled 6000 1500)"); fi
		kvalab scenario "$n" --slice-size 16M "${ops[@]}" -o "$BATS_TEST_TMPDIR/$n.trace"
		sim_matches "$BATS_TEST_TMPDIR/$n.trace" exact --lazy-max 512
	done
	sim_matches "$BATS_TEST_TMPDIR/aligned-search.trace" padded
}

@test "sim = module: seeded random traces that fragment a 4M slice, both searches, small and default thresholds" {
	local seed ops
	ops=$(scaled 3000 800)
	kvalab_load slice_size=4M
	local seeds=(1)
	if full; then seeds+=(2); fi
	for seed in "${seeds[@]}"; do
		sim_random_trace "$seed" "$ops" 4194304 >"$BATS_TEST_TMPDIR/r$seed.trace"
		sim_matches "$BATS_TEST_TMPDIR/r$seed.trace" exact
		sim_matches "$BATS_TEST_TMPDIR/r$seed.trace" padded --lazy-max 32
	done
	# The traces did fail: the identity covers ENOMEM and the purge-retry.
	grep -q '^result .* enomem=[1-9]' "$D/replay_results"
}

@test "sim = module: va_pools=Y, the pool lever" {
	kvalab_load slice_size=4M va_pools=Y
	sim_random_trace 7 "$(scaled 3000 800)" 4194304 >"$BATS_TEST_TMPDIR/p.trace"
	sim_matches "$BATS_TEST_TMPDIR/p.trace" exact --lazy-max 64
}

@test "a replay's run starts from a fresh policy state, as the sim's" {
	# next-fit's rotor after a first replay must not move the second's
	# placements: the same trace twice gives the same digest.
	kvalab_load slice_size=4M policy=next-fit
	sim_random_trace 5 400 4194304 >"$BATS_TEST_TMPDIR/n.trace"
	kvalab replay "$BATS_TEST_TMPDIR/n.trace" --va-only >/dev/null
	a=$(field placements "$(grep '^result ' "$D/replay_results")")
	kvalab replay "$BATS_TEST_TMPDIR/n.trace" --va-only >/dev/null
	b=$(field placements "$(grep '^result ' "$D/replay_results")")
	[[ -n $a && $a == "$b" ]]
	# shellcheck disable=SC2046 # sim_pools: one word or none
	[[ $(kvalab sim "$BATS_TEST_TMPDIR/n.trace" --policy next-fit --slice-size 4M $(sim_pools) \
		--lazy-max "$(field lazy_max_pages "$(grep '^result ' "$D/replay_results")")" \
		--listing - | grep '^result ' | sed -E 's/.* placements=([0-9a-f]+).*/\1/') == "$a" ]]
}

@test "replay start log: one placement line per allocation op; a repeated option refused" {
	kvalab_load slice_size=4M
	sim_random_trace 9 50 4194304 >"$BATS_TEST_TMPDIR/l.trace"
	cat "$BATS_TEST_TMPDIR/l.trace" >"$D/replay"
	run ctl "replay start policy=all va_only log log"
	[[ $output == *"repeated option 'log'"* ]]
	ctl_ok "replay start policy=lowest va_only log" >/dev/null
	while grep -q '^state: running' "$D/replay_results"; do sleep 0.2; done
	# One placement line per allocation op of the trace.
	[[ $(grep -c '^place policy=lowest line=' "$D/replay_placements") == \
		"$(grep -c '^a ' "$BATS_TEST_TMPDIR/l.trace")" ]]
	check_ok
}
