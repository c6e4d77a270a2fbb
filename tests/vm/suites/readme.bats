#!/usr/bin/env bats
# README.md's main-job section ("The two commands") as a test: the table that
# `KERNEL=<series> make run` printed there for this kernel must keep its shape
# in a run now (the same command as scripts/run.sh, fewer loops: the header,
# the params line, every case in order with its status, the notes and the
# summary line), and the section's claims (its "What the tables claim"
# paragraph) must hold. Runs on every kernel make check boots a full or
# middle set on.

bats_require_minimum_version 1.5.0
bats_load_library kvalab

README=/kvalab/src/README.md

setup() {
	lean_trace
	series=$(uname -r | cut -d. -f1,2)
}

teardown() {
	kvalab_unload || true
}

# The make run command of scripts/run.sh with 100 loops: its table.
main_job_table() {
	kvalab load >/dev/null
	kvalab run --mask 0x1c7f --loops 100 --repeat 3 --threads 2 --sequential \
		--no-progress || true
}

@test "README: the make run table of this kernel has the shape a run prints now" {
	want=$(readme_run_block "$README" "$series")
	[[ -n $want ]] || { echo "README.md has no <!-- make-run $series --> block" >&2; return 1; }
	got=$(main_job_table)
	echo "$got"
	diff -u <(run_table_shape <<<"$want") <(run_table_shape <<<"$got")
}

@test "README claims: no case fails, and both backends time every case the table gives a ratio" {
	got=$(main_job_table)
	echo "$got"
	# The status column: one word per backend, joined by '/'.
	failing=$(awk '/^[a-z0-9_]+_test / && $NF ~ /(^|\/)(fail|error)(\/|$)/' <<<"$got")
	[[ -z $failing ]] || { echo "failing: $failing" >&2; return 1; }
	# The cases with a ratio in the README's table have one in this run
	# (both backends ran and timed them). The ratios themselves are figures,
	# not assertions: under TCG beside another guest full_fit's came out
	# 2.002 at 100 loops where the README's idle runs show 0.90-1.33;
	# make bench measures them (docs/performance.md).
	diff <(readme_run_block "$README" "$series" | run_table_ratios | cut -d' ' -f1) \
		<(run_table_ratios <<<"$got" | cut -d' ' -f1)
}
