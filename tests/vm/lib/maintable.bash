# The README's main-job tables as tests (tests/vm/suites/readme.bats): the
# block after a "<!-- make-run SERIES -->" line of README.md is what
# `KERNEL=SERIES make run` printed; its shape must stay what a run prints now.
# Sourced by kvalab.bash.

# readme_run_block FILE SERIES: the lines of the fenced block after the
# SERIES marker, without the fences.
readme_run_block() {
	awk -v m="<!-- make-run $2 -->" '
		$0 == m { found = 1; next }
		found && /^```/ { if (inside) exit; inside = 1; next }
		found && inside { print }' "$1"
}

# run_table_shape: a `kvalab run`/`kvalab report` table on stdin reduced to
# what does not vary between runs: the numbers of each case row (the case,
# its " *" when its list was shorter than test_vmalloc's, and its status
# stay), the loops, repeat and result counts of the header, the kernel
# release.
run_table_shape() {
	sed -E \
		-e 's/^(kvalab [0-9.]+, kernel )[^,]+(, state: done) \([0-9]+\/[0-9]+\)$/\1<release>\2 (<n>\/<n>)/' \
		-e 's/ loops=[0-9]+ repeat=[0-9]+ / loops=<n> repeat=<n> /' \
		-e 's/^([a-z0-9_]+_test( \*)?) +([-0-9. ]+) +([a-z/]+)$/\1 \4/'
}

# run_table_ratios: "case ratio" for every row with a ratio, from stdin.
run_table_ratios() {
	awk '/^[a-z0-9_]+_test / && $(NF - 1) ~ /^[0-9]+\.[0-9]+$/ { print $1, $(NF - 1) }'
}
