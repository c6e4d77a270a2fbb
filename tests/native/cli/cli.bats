#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Native tests of the kvalab CLI (userspace-tools/kvalab) against a fake
# debugfs directory of fixture files: argument parsing, the debugfs views,
# the control-line wire format, run's polling and outputs, report's JSON
# reader and writers. No module and no kernel state is touched; load is only
# tried with module files that do not exist.
#
# Run: bats --tap tests/native/cli

bats_require_minimum_version 1.5.0
export BATS_LIB_PATH=${BATS_LIB_PATH:-/usr/lib/bats}
bats_load_library bats-support
bats_load_library bats-assert
bats_load_library bats-file

TOP=$(cd "$BATS_TEST_DIRNAME/../../.." && pwd)
FIXTURES=$BATS_TEST_DIRNAME/fixtures
KVALAB=${KVALAB:-$TOP/userspace-tools/kvalab}

COMMANDS="load unload status alloc free free-atomic fill verify purge reset
	  check list free-areas lazy-areas map stats results run compare report"

CASES="fix_size_alloc_test full_fit_alloc_test long_busy_list_alloc_test
       random_size_alloc_test fix_align_alloc_test random_size_align_alloc_test
       align_shift_alloc_test vm_map_ram_test"

setup_file() {
	if [ -z "${KVALAB_NO_BUILD:-}" ]; then
		make -s -C "$TOP/userspace-tools" >&2
	fi
	[ -x "$KVALAB" ]
}

# A private copy of the fake debugfs, with control as a plain file: a write
# lands in it, so the test can read the exact line the CLI sent.
setup() {
	DFS=$BATS_TEST_TMPDIR/debugfs
	cp -r "$FIXTURES/debugfs" "$DFS"
	: > "$DFS/control"
	export KVALAB_DEBUGFS=$DFS
	unset KVALAB_KO
}

# --- global options and dispatch -------------------------------------------

@test "--version prints the dkms.conf version" {
	want=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' \
		"$TOP/dkms.conf" 2>/dev/null | head -n1)
	run "$KVALAB" --version
	assert_success
	assert_output "kvalab ${want:-0.1.0}"
}

@test "--help lists every command" {
	run "$KVALAB" --help
	assert_success
	for c in $COMMANDS; do
		assert_line --regexp "^  $c( |$)"
	done
	assert_output --partial "--debugfs DIR"
}

@test "every command has --help, exits 0 and names itself" {
	for c in $COMMANDS; do
		run "$KVALAB" "$c" --help
		assert_success
		assert_line --index 0 --regexp "^Usage: kvalab $c( |$)"
		assert_output --partial "--help"
	done
}

@test "no command: exit 2 with the usage" {
	run -2 "$KVALAB"
	assert_output --partial "no command given"
	assert_output --partial "Usage: kvalab"
}

@test "unknown command: exit 2 with the usage" {
	run -2 "$KVALAB" frobnicate
	assert_output --partial "unknown command 'frobnicate'"
	assert_output --partial "Usage: kvalab"
}

@test "unknown global option: exit 2" {
	run -2 "$KVALAB" --frob stats
	assert_output --partial "unknown option '--frob'"
	run -2 "$KVALAB" --debugfs
	assert_output --partial "requires an argument"
}

@test "unknown command option: exit 2 with the command's usage" {
	run -2 "$KVALAB" alloc 4K --frob
	assert_output --partial "kvalab alloc: unknown option '--frob'"
	assert_output --partial "Usage: kvalab alloc SIZE"
	run -2 "$KVALAB" stats -x
	assert_output --partial "unknown option '-x'"
	run -2 "$KVALAB" list --json
	assert_output --partial "--json is not supported"
	run -2 "$KVALAB" unload --json
	assert_output --partial "kvalab unload: --json is not supported here"
	run -0 "$KVALAB" purge --help
	assert_line "Usage: kvalab purge [vmalloc]"
	run -0 "$KVALAB" check --help
	assert_line "Usage: kvalab check [tlb]"
}

@test "missing arguments: exit 2 and say what is missing" {
	run -2 "$KVALAB" alloc
	assert_output --partial "missing SIZE"
	run -2 "$KVALAB" alloc 4K --align
	assert_output --partial "option '--align' requires an argument"
	run -2 "$KVALAB" free
	assert_output --partial "missing ID or ADDR"
	run -2 "$KVALAB" fill 3
	assert_output --partial "missing BYTE"
	run -2 "$KVALAB" verify
	assert_output --partial "missing ID or ADDR"
	run -2 "$KVALAB" report
	assert_output --partial "missing FILE"
	run -2 "$KVALAB" run --json
	assert_output --partial "requires an argument"
}

@test "extra arguments: exit 2 and name the extra one" {
	run -2 "$KVALAB" purge now
	assert_output --partial "'now' is not vmalloc"
	run -2 "$KVALAB" purge vmalloc now
	assert_output --partial "unexpected argument 'now'"
	run -2 "$KVALAB" check now
	assert_output --partial "'now' is not tlb"
	run -2 "$KVALAB" check tlb now
	assert_output --partial "unexpected argument 'now'"
	run -2 "$KVALAB" free 1 2
	assert_output --partial "unexpected argument '2'"
	run -2 "$KVALAB" fill 1 0x5a 7
	assert_output --partial "unexpected argument '7'"
	run -2 "$KVALAB" alloc 4K 8K
	assert_output --partial "unexpected argument '8K'"
	run -2 "$KVALAB" stats nr_busy nr_free
	assert_output --partial "unexpected argument 'nr_free'"
	run -2 "$KVALAB" report a.json b.json
	assert_output --partial "unexpected argument 'b.json'"
	run -2 "$KVALAB" unload now
	assert_output --partial "unexpected argument 'now'"
}

@test "a signed size is a bad size naming the token, not an unknown option" {
	run -2 "$KVALAB" alloc -4K
	assert_line --index 0 "kvalab alloc: bad size '-4K': sizes have no sign; they are decimal or 0x hex bytes with an optional K, M, G, KiB, MiB or GiB suffix"
	run -2 "$KVALAB" alloc -4
	assert_line --index 0 --partial "bad size '-4'"
	run -2 "$KVALAB" explain -1M
	assert_line --index 0 --partial "kvalab explain: bad size '-1M'"
	run -2 "$KVALAB" free -1
	assert_line --index 0 "kvalab free: bad number '-1': numbers have no sign"
	# A real unknown short option in a cluster is named as such.
	run -2 "$KVALAB" alloc -xz
	assert_line --index 0 "kvalab alloc: unknown option '-x'"
	[ ! -s "$DFS/control" ]
}

@test "load: a slice size the module would refuse is refused first, with the accepted forms" {
	for bad in 1.5M 64KB 4T -8M; do
		run -2 "$KVALAB" load --slice "$bad" --module /nonexistent.ko
		assert_line --index 0 --regexp "^kvalab load: (malformed slice size|slice size) '$bad'.*[:;] sizes are decimal or 0x hex bytes with an optional K, M, G, KiB, MiB or GiB suffix$"
	done
	run -2 "$KVALAB" load slice_size=1.5M --module /nonexistent.ko
	assert_line --index 0 --partial "malformed slice size '1.5M': sizes are"
	run -2 "$KVALAB" load --slice 512K --module /nonexistent.ko
	assert_line --index 0 "kvalab load: slice size '512K' is below the module's minimum of 1M"
	# Accepted forms get as far as the module file.
	for good in 8M 8MiB 0x800000 8192K; do
		run -1 "$KVALAB" load --slice "$good" --module /nonexistent.ko
		assert_output "kvalab: load: module file not found: /nonexistent.ko"
	done
}

@test "alloc --help names the size forms" {
	run -0 "$KVALAB" alloc --help
	assert_output --partial "KiB, MiB or GiB"
	run -0 "$KVALAB" load --help
	assert_output --partial "KiB, MiB"
}

@test "arguments that would split the control line are refused" {
	run -2 "$KVALAB" alloc "4K align=8K"
	assert_output --partial "invalid argument"
	run -2 "$KVALAB" run --threads "2 mask=1"
	assert_output --partial "invalid --threads value"
	run -2 "$KVALAB" run loops=3
	assert_output --partial "invalid test name 'loops=3'"
	run -2 "$KVALAB" run --timeout 0
	assert_output --partial "--timeout wants a number of seconds"
	[ ! -s "$DFS/control" ]
}

# --- debugfs views -----------------------------------------------------------

@test "missing debugfs directory: 'is the module loaded?'" {
	for c in stats list map results purge "alloc 4K" "free 1" run; do
		# shellcheck disable=SC2086
		run -1 "$KVALAB" --debugfs "$BATS_TEST_TMPDIR/none" $c
		assert_output --partial "is the module loaded?"
	done
	KVALAB_DEBUGFS=$BATS_TEST_TMPDIR/none run -1 "$KVALAB" stats
	assert_output --partial "$BATS_TEST_TMPDIR/none does not exist"
}

@test "stats prints the stats file" {
	run "$KVALAB" stats
	assert_success
	assert_output "$(cat "$FIXTURES/debugfs/stats")"
}

@test "stats NAME prints one value; an unknown name fails" {
	run "$KVALAB" stats slice_size
	assert_success
	assert_output "67108864"
	run "$KVALAB" stats nr_busy
	assert_output "3"
	run -1 "$KVALAB" stats no_such_counter
	assert_output --partial "no counter named 'no_such_counter'"
	run -1 "$KVALAB" stats slice
	assert_output --partial "no counter named 'slice'"
}

@test "stats --json: decimal values are numbers, addresses strings" {
	run "$KVALAB" stats --json
	assert_success
	assert_output --partial '"slice_size":67108864,'
	assert_output --partial '"slice_start":"0xffffc90040000000"'
	assert_output --partial '"insert_nomerge":1}'
	if command -v python3 >/dev/null; then
		echo "$output" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["nr_free"] == 2 and len(d) == 27'
	fi
	run "$KVALAB" --json stats used_bytes
	assert_output '{"used_bytes":147456}'
}

@test "list, free-areas, lazy-areas, map, results print their debugfs files" {
	run "$KVALAB" list
	assert_success
	assert_output "$(cat "$FIXTURES/debugfs/vmallocinfo")"
	run "$KVALAB" free-areas
	assert_output "$(cat "$FIXTURES/debugfs/free_areas")"
	# An empty listing is its header alone, so empty and broken differ.
	run -0 "$KVALAB" lazy-areas
	assert_output "$(cat "$FIXTURES/debugfs/lazy_areas")"
	assert_output --regexp '^# lazy areas awaiting purge: .*\(nr_lazy=0 lazy_pages=0\)$'
	run "$KVALAB" map
	assert_output "$(cat "$FIXTURES/debugfs/map")"
	run "$KVALAB" results
	assert_output "$(cat "$FIXTURES/debugfs/results")"
}

@test "an unreadable debugfs file is named" {
	rm "$DFS/vmallocinfo"
	run -1 "$KVALAB" list
	assert_output --partial "cannot read $DFS/vmallocinfo"
}

# --- control commands --------------------------------------------------------

@test "control commands send one line in the cmd.h grammar" {
	check_line() {
		: > "$DFS/control"
		run "$KVALAB" "$@"
		printf '%s\n' "$want" | cmp - "$DFS/control"
	}
	want="alloc 64K align=16K noguard" check_line alloc 64K --align 16K --noguard
	want="alloc 12345" check_line alloc 12345
	want="free 3" check_line free 3
	want="free_atomic 0xffffc90040011000" check_line free-atomic 0xffffc90040011000
	want="fill 3 0x5a" check_line fill 3 0x5a
	want="verify 7 90" check_line verify 7 90
	want="purge" check_line purge
	want="purge vmalloc" check_line purge vmalloc
	want="reset" check_line reset
	want="check" check_line check
}

@test "a control file that gives no result line is reported" {
	run -1 "$KVALAB" check
	assert_output "kvalab: check: no result line read back from $DFS/control"
}

@test "a failed control write exits 1 with the reason" {
	ln -sf /dev/full "$DFS/control"
	run -1 "$KVALAB" purge
	assert_output "kvalab: purge: No space left on device (ENOSPC)"
	run -1 "$KVALAB" alloc 4K
	assert_output "kvalab: alloc: No space left on device (ENOSPC)"
	rm "$DFS/control"
	run -1 "$KVALAB" free 3
	assert_output --partial "kvalab: free: cannot open $DFS/control"
}

# --- run -----------------------------------------------------------------------

@test "run sends the run line and prints the table of a finished run" {
	cd "$BATS_TEST_TMPDIR"
	run "$KVALAB" run fix_size_alloc_test vm_map_ram_test --threads 2 \
		--loops 1000 --repeat 3 --pages 1 --sequential \
		--backend kvalab,vmalloc --no-progress \
		--json out.json --csv out.csv --svg out.svg
	assert_success
	printf 'run fix_size_alloc_test vm_map_ram_test threads=2 loops=1000 repeat=3 pages=1 backend=kvalab,vmalloc sequential=1\n' |
		cmp - "$DFS/control"
	assert_line --regexp '^case +kvalab loop_ns +p99 +vmalloc loop_ns +p99 +ratio +status$'
	assert_line --regexp '^fix_size_alloc_test +1234 +1500 +1184 +1400 +1\.042 +pass$'
	assert_line --regexp '^fix_align_alloc_test +3010 +3500 +- +- +- +pass/skip$'
	assert_line --regexp '^align_shift_alloc_test +- +- +- +- +- +xfail$'
	assert_line --regexp '^vm_map_ram_test +4480 +5000 +4000 +4600 +1\.120 +pass$'
	assert_line "fix_align_alloc_test on vmalloc: skip: no_exported_aligned_vmalloc"
	assert_line "8 cases, 16 results: 12 pass, 2 xfail, 2 skip"
	assert_file_exists out.json
	assert_file_exists out.csv
	assert_file_exists out.svg
	[ "$(wc -l < out.csv)" -eq 17 ]
	grep -q '"kernel": "'"$(uname -r)"'"' out.json
}

@test "run --mask passes the mask" {
	run "$KVALAB" run --mask 0x41 --no-progress
	assert_success
	printf 'run mask=0x41\n' | cmp - "$DFS/control"
}

@test "run exits 1 when a case failed or an expected failure passed" {
	cp "$FIXTURES/results-fail" "$DFS/results"
	run -1 "$KVALAB" run --no-progress
	assert_line --regexp '^fix_size_alloc_test +900 +900 +1000 +1000 +0\.900 +fail/pass$'
	assert_line --regexp '^align_shift_alloc_test +500 +600 +- +- +- +xpass/xfail$'
	assert_output --partial "a case failed or an expected failure passed"
}

@test "test_vmalloc's whole table: avg_us and loop_ns apart; kernel-only cases skip on kvalab with a reason" {
	cd "$BATS_TEST_TMPDIR"
	run "$KVALAB" report --from-results "$FIXTURES/results-oracle" --json o.json --csv o.csv
	assert_success
	# The table shows loop_ns: full_fit's loop, not its 2 x 16384-area setup.
	assert_line --regexp '^full_fit_alloc_test +11002 +11500 +12001 +12400 +1\.091 +pass$'
	assert_line --regexp '^pcpu_alloc_test +13033 +13100 +- +- +- +pass/skip$'
	assert_line "pcpu_alloc_test on kvalab: skip: pcpu_chunks_use_kernel_vmalloc"
	assert_line "kvfree_rcu_1_arg_vmalloc_test on kvalab: skip: kvfree_rcu_frees_only_kernel_vmalloc"
	assert_line "kvfree_rcu_2_arg_vmalloc_test on kvalab: skip: kvfree_rcu_frees_only_kernel_vmalloc"
	grep -qx 'full_fit_alloc_test,2,vmalloc,pass,200,11002,11500,10900,11500,1.091,,vmalloc,,0,,,,250130' o.csv
	grep -qx 'pcpu_alloc_test,128,kvalab,skip,0,,,,,,pcpu_chunks_use_kernel_vmalloc,vmalloc,,0,,,,' o.csv
	grep -qx 'kvfree_rcu_2_arg_vmalloc_test,512,vmalloc,pass,200,18800,19000,18600,19000,,,vmalloc,,0,,,,1900' o.csv
	grep -q '"vmalloc": {"status": "pass", "ops": 200, "avg_us": 250130, "loop_ns": 11002,' o.json
	# The JSON reads back the same.
	run "$KVALAB" report o.json --csv o2.csv
	assert_success
	cmp o.csv o2.csv
}

# results-lists: a 512M slice with 2 threads holds long_busy_list's 15,000
# areas per worker but not full_fit's 16,384 pairs (2 CPUs), which the
# module cut to 2047; its `list` lines give both lengths.
@test "a case run with a shorter list than test_vmalloc's says so: a '*' and a note in the tables, both lengths in the JSON" {
	cd "$BATS_TEST_TMPDIR"
	run -0 "$KVALAB" report --from-results "$FIXTURES/results-lists" --json l.json
	assert_line --regexp '^full_fit_alloc_test \* +30512 +33804 +31870 +34100 +0\.957 +pass$'
	assert_line "* full_fit_alloc_test: its list is 2047 per worker, test_vmalloc's 16384 (cut to fit the slice and RAM)"
	# test_vmalloc's own length: no mark, no note; no list, no mark.
	assert_line --regexp '^long_busy_list_alloc_test +1503377 +1611002 +1490554 +1582305 +1\.009 +pass$'
	assert_line --regexp '^fix_size_alloc_test +38120 '
	refute_output --partial 'long_busy_list_alloc_test *'
	refute_output --partial '* long_busy_list_alloc_test'
	refute_output --partial 'fix_size_alloc_test *'
	grep -q '"name": "full_fit_alloc_test", "bit": 2, "list": {"length": 2047, "test_vmalloc": 16384},' l.json
	grep -q '"name": "long_busy_list_alloc_test", "bit": 4, "list": {"length": 15000, "test_vmalloc": 15000},' l.json
	grep -q '"name": "fix_size_alloc_test", "bit": 1,$' l.json
	# The JSON reads back with the lengths: the same table, the same JSON.
	table=$output
	run -0 "$KVALAB" report l.json --json l2.json
	[ "$output" = "$table" ]
	cmp l.json l2.json
	# The compare table marks the case's first row and gives the note too.
	cp "$FIXTURES/results-lists" "$DFS/results"
	run -0 "$KVALAB" compare --mask 0x7 --no-progress
	assert_line --regexp '^full_fit_alloc_test \* +kvalab +30512 +33804 +0 +0\.957 +pass +2 +536842240$'
	assert_line --regexp '^long_busy_list_alloc_test +kvalab '
	assert_line "* full_fit_alloc_test: its list is 2047 per worker, test_vmalloc's 16384 (cut to fit the slice and RAM)"
}

@test "results: a list line without its fields is named" {
	cd "$BATS_TEST_TMPDIR"
	sed 's/^list case=full_fit_alloc_test length=2047 /list case=full_fit_alloc_test /' \
		"$FIXTURES/results-lists" >bad
	run -1 "$KVALAB" report --from-results bad
	assert_output --partial "line 5: list line without case=, length= or test_vmalloc="
}

@test "run: the module refusing the run is an error" {
	ln -sf /dev/full "$DFS/control"
	run -1 "$KVALAB" run --no-progress
	assert_output "kvalab: run: No space left on device (ENOSPC)"
}

@test "run: a run that never starts is reported" {
	sed -i 's/^state: done/state: idle/' "$DFS/results"
	run -1 "$KVALAB" run --no-progress
	assert_output --partial "no run in progress (state: idle)"
}

@test "run: Ctrl-C writes stop and prints the cases that finished" {
	cp "$FIXTURES/results-running" "$DFS/results"
	"$KVALAB" run --no-progress >"$BATS_TEST_TMPDIR/out" \
		2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	sleep 0.6
	kill -INT "$pid"
	# The module confirms the stop once its workers have returned.
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		grep -q '^stop' "$DFS/control" && break
		sleep 0.1
	done
	sed -i 's/^state: running/state: stopped/' "$DFS/results"
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 130 ]
	[ "$(head -n1 "$DFS/control")" = "stop" ]
	grep -q "interrupted, stopping" "$BATS_TEST_TMPDIR/err"
	grep -q "state: stopped (2/16)" "$BATS_TEST_TMPDIR/out"
	grep -Eq '^fix_size_alloc_test +1234 +1500 +1184 +1400 +1\.042 +pass$' \
		"$BATS_TEST_TMPDIR/out"
}

@test "run: a malformed results file is named with its line" {
	printf 'state: done\ncase=fix_size_alloc_test backend=zmalloc status=pass\n' \
		> "$DFS/results"
	run -1 "$KVALAB" run --no-progress
	assert_output --partial "results: line 2: unknown backend 'zmalloc'"
}

# --- report ----------------------------------------------------------------------

@test "report prints the table from a JSON file" {
	run "$KVALAB" report "$FIXTURES/report.json"
	assert_success
	assert_line --index 0 "kvalab 0.1.0, kernel 6.1.0-56-amd64, state: done (8/8)"
	assert_line --regexp '^params: mask=0x451 threads=2 loops=10000 repeat=5 note='
	assert_line --regexp '^fix_size_alloc_test +1234 +1500 +1184 +1400 +1\.042 +pass$'
	assert_line --regexp '^fix_align_alloc_test +3010 +3500 +- +- +- +pass/skip$'
	assert_line --regexp '^align_shift_alloc_test +- +- +- +- +- +xfail$'
	assert_line --regexp '^vm_map_ram_test +3500 +4100 +4000 +4600 +0\.875 +pass$'
	assert_line "4 cases, 8 results: 5 pass, 2 xfail, 1 skip"
}

@test "report --csv writes one row per case and backend" {
	run "$KVALAB" report "$FIXTURES/report.json" --csv "$BATS_TEST_TMPDIR/r.csv"
	assert_success
	csv=$BATS_TEST_TMPDIR/r.csv
	# The two-backend columns first, unchanged; the N-backend ones after.
	[ "$(head -n1 "$csv")" = "case,bit,backend,status,ops,loop_ns,p99_ns,min_ns,max_ns,ratio,reason,baseline,backend_ratio,enomem,nr_free,largest_free,kvalab_floor,avg_us" ]
	[ "$(wc -l < "$csv")" -eq 9 ]
	grep -qx 'fix_size_alloc_test,1,kvalab,pass,3000,1234,1500,1100,1600,1.042,,vmalloc,1.042,0,,,,0' "$csv"
	grep -qx 'fix_size_alloc_test,1,vmalloc,pass,3000,1184,1400,1050,1450,1.042,,vmalloc,,0,,,,0' "$csv"
	grep -qx 'fix_align_alloc_test,16,vmalloc,skip,0,,,,,,no_exported_aligned_vmalloc,vmalloc,,0,,,,' "$csv"
	grep -qx 'align_shift_alloc_test,64,kvalab,xfail,0,,,,,,,vmalloc,,0,,,,' "$csv"
	grep -qx 'vm_map_ram_test,1024,vmalloc,pass,30000,4000,4600,3900,4700,0.875,,vmalloc,,0,,,,0' "$csv"
}

@test "report --svg writes a valid SVG with every case and ratio" {
	svg=$BATS_TEST_TMPDIR/r.svg
	run "$KVALAB" report "$FIXTURES/report.json" --svg "$svg"
	assert_success
	if command -v xmllint >/dev/null; then
		xmllint --noout "$svg"
	fi
	head -n2 "$svg" | grep -q '<svg xmlns="http://www.w3.org/2000/svg"'
	tail -n1 "$svg" | grep -qx '</svg>'
	for c in fix_size_alloc_test fix_align_alloc_test align_shift_alloc_test vm_map_ram_test; do
		grep -q ">$c</text>" "$svg"
	done
	grep -q 'class="ratio"[^>]*>1.042</text>' "$svg"
	grep -q 'class="ratio"[^>]*>0.875</text>' "$svg"
	grep -q 'kernel 6.1.0-56-amd64' "$svg"
	# The params line is escaped, not passed through raw.
	grep -q 'caf.* &lt;&amp;&gt;' "$svg"
	# Two backends with timings for three cases: six bars plus the legend.
	[ "$(grep -c '<rect [^>]*fill="#4e79a7"' "$svg")" -eq 4 ]
	[ "$(grep -c '<rect [^>]*fill="#f28e2b"' "$svg")" -eq 3 ]
}

@test "run's SVG of the full fixture names all eight cases" {
	cd "$BATS_TEST_TMPDIR"
	run "$KVALAB" run --no-progress --svg all.svg
	assert_success
	if command -v xmllint >/dev/null; then
		xmllint --noout all.svg
	fi
	for c in $CASES; do
		grep -q ">$c</text>" all.svg
	done
	for r in 1.042 0.900 1.108 0.931 1.120; do
		grep -q "class=\"ratio\"[^>]*>$r</text>" all.svg
	done
}

@test "JSON round trip: results -> JSON -> JSON is stable" {
	cd "$BATS_TEST_TMPDIR"
	run "$KVALAB" report --from-results "$FIXTURES/debugfs/results" --json a.json
	assert_success
	table_a=$output
	run "$KVALAB" report a.json --json b.json --csv b.csv
	assert_success
	[ "$output" = "$table_a" ]
	cmp a.json b.json
	for c in $CASES; do
		grep -q "\"name\": \"$c\"" a.json
	done
	grep -q '"ratio": null' a.json
	grep -q '"reason": "no_exported_aligned_vmalloc"' a.json
	if command -v python3 >/dev/null; then
		python3 - a.json <<-'EOF'
		import json, sys
		d = json.load(open(sys.argv[1]))
		assert d["tool"] == "kvalab" and len(d["cases"]) == 8
		c = d["cases"][0]
		assert c["name"] == "fix_size_alloc_test" and c["bit"] == 1
		assert c["ratio"] == 1.042 and c["backends"]["vmalloc"]["loop_ns"] == 1184
		assert c["backends"]["vmalloc"]["avg_us"] == 1243
		ff = d["cases"][1]["backends"]["kvalab"]
		assert ff["avg_us"] == 44200 and ff["loop_ns"] == 2210
		assert d["params"]["threads"] == 2 and d["params"]["mask"] == "0x47f"
		EOF
	fi
}

@test "report JSON round trip keeps escapes and extra keys do not matter" {
	cd "$BATS_TEST_TMPDIR"
	run "$KVALAB" report "$FIXTURES/report.json" --json c.json
	assert_success
	grep -q '"note": "tab\\there \\"quoted\\" café <&>"' c.json
	run "$KVALAB" report c.json --json d.json
	assert_success
	cmp c.json d.json
}

@test "report names the place of a JSON syntax error" {
	run -1 "$KVALAB" report "$FIXTURES/bad.json"
	assert_output --partial "bad.json: line 6, column 36: expected ',' or '}'"
}

@test "report refuses JSON of another schema" {
	printf '{"tool": "other", "cases": []}' > "$BATS_TEST_TMPDIR/x.json"
	run -1 "$KVALAB" report "$BATS_TEST_TMPDIR/x.json"
	assert_output --partial "not a kvalab results file"
	printf '{"tool": "kvalab", "version": "1", "kernel": "k", "cases": [{"name": "a", "bit": -1, "backends": {}}]}' \
		> "$BATS_TEST_TMPDIR/y.json"
	run -1 "$KVALAB" report "$BATS_TEST_TMPDIR/y.json"
	assert_output --partial 'cases[0]: "bit" must be an unsigned integer'
	printf '{"tool": "kvalab"} x' > "$BATS_TEST_TMPDIR/z.json"
	run -1 "$KVALAB" report "$BATS_TEST_TMPDIR/z.json"
	assert_output --partial "trailing data"
	run -1 "$KVALAB" report "$BATS_TEST_TMPDIR/missing.json"
	assert_output --partial "cannot read $BATS_TEST_TMPDIR/missing.json"
}

@test "report: an unwritable output file fails the command" {
	run -1 "$KVALAB" report "$FIXTURES/report.json" --csv "$BATS_TEST_TMPDIR/no/dir.csv"
	assert_output --partial "cannot write $BATS_TEST_TMPDIR/no/dir.csv"
}

# --- N backends: run --backend/--policies/--baseline, compare --------------------

# The 3-backend fixture: vmalloc, kvalab:lowest, kvalab:best-fit (baseline
# vmalloc), as the module writes it: enomem on every case line, nr_free and
# largest_free on kvalab backends', one ratio line per non-baseline backend.
use_policies_fixture() {
	cp "$FIXTURES/results-policies" "$DFS/results"
}

@test "run --backend and --policies build one ordered backend list" {
	use_policies_fixture
	# The fixture has a failed case: exit 1 after the table.
	run -1 "$KVALAB" run fix_size_alloc_test --backend vmalloc \
		--policies lowest,best-fit --no-progress
	printf 'run fix_size_alloc_test backend=vmalloc,kvalab:lowest,kvalab:best-fit\n' |
		cmp - "$DFS/control"
	: > "$DFS/control"
	run -1 "$KVALAB" run --policies all --baseline kvalab:lowest --no-progress
	printf 'run backend=kvalab:lowest,kvalab:vmlist,kvalab:cached-hole,kvalab:next-fit,kvalab:best-fit,kvalab:instant-fit baseline=kvalab:lowest\n' |
		cmp - "$DFS/control"
	: > "$DFS/control"
	run -1 "$KVALAB" run --backend kvalab:next-fit,kvalab --no-progress
	printf 'run backend=kvalab:next-fit,kvalab\n' | cmp - "$DFS/control"
}

@test "run --policies: an unknown policy is a usage error naming the choices" {
	run -2 "$KVALAB" run --policies lowest,worst-fit --no-progress
	assert_line --index 0 "kvalab run: unknown policy 'worst-fit' in --policies (all, or some of: lowest, vmlist, cached-hole, next-fit, best-fit, instant-fit)"
	[ ! -s "$DFS/control" ]
	run -2 "$KVALAB" run --policies '' --no-progress
	assert_line --index 0 --partial "unknown policy '' in --policies"
	run -2 "$KVALAB" run --no-vmalloc --no-progress
	assert_line --index 0 --partial "no-vmalloc"
}

@test "run table with three backends: ns/op and p99 each, one ratio column per non-baseline backend" {
	use_policies_fixture
	run -1 "$KVALAB" run --no-progress
	assert_line --regexp '^case +vmalloc loop_ns +p99 +kvalab:lowest loop_ns +p99 +kvalab:best-fit loop_ns +p99 +kvalab:lowest/vmalloc +kvalab:best-fit/vmalloc +status$'
	assert_line --regexp '^fix_size_alloc_test +2000 +2400 +2500 +2900 +3000 +3300 +1\.250 +1\.500 +pass$'
	assert_line --regexp '^fix_align_alloc_test +- +- +4000 +4400 +4100 +4100 +- +- +skip/pass/fail$'
	assert_line --regexp '^vm_map_ram_test +1000 +1200 +1500 +1700 +1750 +1900 +1\.500 +1\.750 +pass$'
	assert_line "fix_align_alloc_test on kvalab:best-fit: fail: no_va_in_slice"
	assert_line "3 cases, 9 results: 7 pass, 1 fail, 1 skip"
	# The failed case fails the command, as with two backends.
	assert_output --partial "a case failed or an expected failure passed"
}

@test "compare runs every policy with vmalloc as baseline and prints one row per case and backend" {
	use_policies_fixture
	run -1 "$KVALAB" compare fix_size_alloc_test --loops 50 --repeat 1 --no-progress
	printf 'run fix_size_alloc_test loops=50 repeat=1 backend=vmalloc,kvalab:lowest,kvalab:vmlist,kvalab:cached-hole,kvalab:next-fit,kvalab:best-fit,kvalab:instant-fit\n' |
		cmp - "$DFS/control"
	assert_line --regexp '^case +backend +loop_ns +p99 +enomem +ratio +status +nr_free +largest_free$'
	assert_line --regexp '^fix_size_alloc_test +vmalloc +2000 +2400 +0 +base +pass +- +-$'
	assert_line --regexp '^ +kvalab:lowest +2500 +2900 +0 +1\.250 +pass +1 +268427264$'
	assert_line --regexp '^ +kvalab:best-fit +3000 +3300 +0 +1\.500 +pass +3 +268410880$'
	assert_line --regexp '^fix_align_alloc_test +vmalloc +- +- +- +base +skip +- +-$'
	assert_line --regexp '^ +kvalab:best-fit +4100 +4100 +7 +- +fail +12 +4096$'
	assert_line --regexp '^vm_map_ram_test +vmalloc +1000 +1200 +0 +base +pass +- +-$'
	assert_output --partial "compare: a case failed or an expected failure passed"
}

@test "compare --no-vmalloc --policies and --mask choose the backends and cases" {
	use_policies_fixture
	run -1 "$KVALAB" compare --mask 0x401 --no-vmalloc --policies best-fit,lowest \
		--baseline kvalab:lowest --no-progress
	printf 'run mask=0x401 backend=kvalab:best-fit,kvalab:lowest baseline=kvalab:lowest\n' |
		cmp - "$DFS/control"
	run -2 "$KVALAB" compare --backend vmalloc
	assert_line --index 0 "kvalab compare: --backend is run's option; compare takes --policies and --no-vmalloc"
	run -2 "$KVALAB" compare --policies nope
	assert_line --index 0 --partial "unknown policy 'nope'"
}

@test "compare --json/--csv/--svg write the same outputs as run" {
	use_policies_fixture
	cd "$BATS_TEST_TMPDIR"
	run -1 "$KVALAB" compare --no-progress --json c.json --csv c.csv --svg c.svg
	assert_file_exists c.json
	[ "$(wc -l < c.csv)" -eq 10 ]
	xmllint --noout c.svg
}

@test "three-backend JSON: per-backend objects, ratios over the baseline, the kept ratio field" {
	cd "$BATS_TEST_TMPDIR"
	run "$KVALAB" report --from-results "$FIXTURES/results-policies" --json p.json
	assert_success
	python3 - p.json <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["backends"] == ["vmalloc", "kvalab:lowest", "kvalab:best-fit"], d["backends"]
	assert d["baseline"] == "vmalloc"
	assert d["params"]["backends"] == "vmalloc,kvalab:lowest,kvalab:best-fit"
	c = {x["name"]: x for x in d["cases"]}
	f = c["fix_size_alloc_test"]
	assert list(f["backends"]) == d["backends"]
	assert f["backends"]["kvalab:best-fit"]["loop_ns"] == 3000
	assert f["backends"]["kvalab:best-fit"]["nr_free"] == 3
	assert f["backends"]["kvalab:lowest"]["largest_free"] == 268427264
	assert "nr_free" not in f["backends"]["vmalloc"]
	assert f["ratios"] == {"kvalab:lowest": 1.25, "kvalab:best-fit": 1.5}
	# No plain kvalab ran: "ratio" is the first kvalab:* backend's.
	assert f["ratio"] == 1.25
	a = c["fix_align_alloc_test"]
	assert a["backends"]["kvalab:best-fit"]["enomem"] == 7
	assert a["backends"]["kvalab:best-fit"]["reason"] == "no_va_in_slice"
	assert a["ratio"] is None and a["ratios"]["kvalab:lowest"] is None
	assert c["vm_map_ram_test"]["ratios"]["kvalab:best-fit"] == 1.75
	EOF
	# Read back: the same table and the same JSON.
	run "$KVALAB" report --from-results "$FIXTURES/results-policies"
	table_a=$output
	run "$KVALAB" report p.json --json q.json
	assert_success
	[ "$output" = "$table_a" ]
	cmp p.json q.json
}

@test "the run table lists cases in table order, not the shuffled order they ran in" {
	cd "$BATS_TEST_TMPDIR"
	# The same results with the cases in reverse (as a shuffled run writes them).
	{
		grep -v '^case=\|^ratio ' "$FIXTURES/results-policies"
		grep '^case=' "$FIXTURES/results-policies" | tac
		grep '^ratio ' "$FIXTURES/results-policies" | tac
	} >shuffled
	run "$KVALAB" report --from-results shuffled
	# Table rows: a case name, then columns (the notes below say " on ").
	[ "$(grep -E '^[a-z_]+_test +[-0-9]' <<<"$output" | cut -d' ' -f1 | tr '\n' ' ')" = \
	  "fix_size_alloc_test fix_align_alloc_test vm_map_ram_test " ]
	run "$KVALAB" report --from-results shuffled --json s.json
	python3 -c 'import json; d=json.load(open("s.json")); assert [c["name"] for c in d["cases"]] == ["fix_size_alloc_test", "fix_align_alloc_test", "vm_map_ram_test"], d["cases"]'
}

@test "kvalab and vmalloc together: ratio is kvalab's, the old kvalab/vmalloc line agrees" {
	cd "$BATS_TEST_TMPDIR"
	cat > r <<-'EOF'
	state: done
	progress: 3/3
	params: mask=0x1 threads=1 loops=10 repeat=1 pages=1 sequential=0 backends=kvalab:vmlist,kvalab,vmalloc baseline=vmalloc
	case=fix_size_alloc_test backend=kvalab:vmlist status=pass ops=10 avg_us=3 loop_ns=300 p99_ns=300 min_ns=300 max_ns=300 enomem=0 nr_free=1 largest_free=8192
	case=fix_size_alloc_test backend=kvalab status=pass ops=10 avg_us=3 loop_ns=200 p99_ns=200 min_ns=200 max_ns=200 enomem=0 nr_free=1 largest_free=8192
	case=fix_size_alloc_test backend=vmalloc status=pass ops=10 avg_us=3 loop_ns=100 p99_ns=100 min_ns=100 max_ns=100 enomem=0
	ratio case=fix_size_alloc_test backend=kvalab:vmlist baseline=vmalloc value=3.000
	ratio case=fix_size_alloc_test backend=kvalab baseline=vmalloc value=2.000
	ratio case=fix_size_alloc_test kvalab/vmalloc=2.000
	EOF
	run "$KVALAB" report --from-results r --json r.json --csv r.csv
	assert_success
	assert_line --regexp '^fix_size_alloc_test +300 +300 +200 +200 +100 +100 +3\.000 +2\.000 +pass$'
	grep -q '"ratio": 2.000' r.json
	grep -qx 'fix_size_alloc_test,1,kvalab:vmlist,pass,10,300,300,300,300,2.000,,vmalloc,3.000,0,1,8192,,3' r.csv
}

@test "the old two-backend results format (no enomem, no baseline, kvalab/vmalloc ratio lines) is still read" {
	run "$KVALAB" report --from-results "$FIXTURES/debugfs/results"
	assert_success
	assert_line --regexp '^case +kvalab loop_ns +p99 +vmalloc loop_ns +p99 +ratio +status$'
	assert_line --regexp '^fix_size_alloc_test +1234 +1500 +1184 +1400 +1\.042 +pass$'
	assert_line "loop_ns: median over repeats of ns/op in the measured loop (no setup); p99: 99th percentile; ratio: kvalab median / vmalloc median"
}

@test "results: malformed N-backend lines are named" {
	printf 'state: done\nratio case=fix_size_alloc_test backend=kvalab:lowest baseline=vmalloc\n' > "$DFS/results"
	run -1 "$KVALAB" run --no-progress
	assert_output --partial "line 2: ratio line without case= and backend=, value= or kvalab/vmalloc="
	printf 'state: done\nratio case=a backend=kvalab:worst baseline=vmalloc value=1.0\n' > "$DFS/results"
	run -1 "$KVALAB" run --no-progress
	assert_output --partial "line 2: unknown backend 'kvalab:worst'"
	printf 'state: done\nratio case=a backend=kvalab value=x\n' > "$DFS/results"
	run -1 "$KVALAB" run --no-progress
	assert_output --partial "line 2: bad ratio 'x'"
	printf 'state: done\nparams: backends=vmalloc,zmalloc\n' > "$DFS/results"
	run -1 "$KVALAB" run --no-progress
	assert_output --partial "params: unknown backend 'zmalloc'"
	printf 'state: done\ncase=a backend=kvalab status=pass enomem=-1\n' > "$DFS/results"
	run -1 "$KVALAB" run --no-progress
	assert_output --partial "line 2: bad enomem value '-1'"
}

@test "every backend at once: the longest params line is read whole" {
	cd "$BATS_TEST_TMPDIR"
	all=vmalloc,kvalab,floor,kvalab:lowest,kvalab:vmlist,kvalab:cached-hole,kvalab:next-fit,kvalab:best-fit,kvalab:instant-fit
	{
		echo "state: done"
		echo "params: mask=0x1 threads=1 loops=10 repeat=1 pages=1 sequential=0 backends=$all baseline=vmalloc"
		for b in ${all//,/ }; do
			echo "case=fix_size_alloc_test backend=$b status=pass ops=10 avg_us=3 loop_ns=100 p99_ns=100 min_ns=100 max_ns=100 enomem=0"
		done
	} > all.results
	run "$KVALAB" report --from-results all.results --json all.json
	assert_success
	assert_line --regexp '^case +vmalloc loop_ns +p99 +kvalab loop_ns +p99 +floor loop_ns +p99 +kvalab:lowest loop_ns .* +kvalab:instant-fit loop_ns +p99 +kvalab/vmalloc +floor/vmalloc +kvalab:lowest/vmalloc .* +kvalab:instant-fit/vmalloc +kvalab/floor +status$'
	grep -q "\"backends\": \"$all\"" all.json
	printf 'state: done\nparams: backends=%0300d\n' 0 > long.results
	run -1 "$KVALAB" report --from-results long.results
	assert_output --partial "line 2: param 'backends' is too long"
}

@test "three-backend SVG: three bars per case, a ratio above each non-baseline bar" {
	svg=$BATS_TEST_TMPDIR/p.svg
	run "$KVALAB" report --from-results "$FIXTURES/results-policies" --svg "$svg"
	assert_success
	xmllint --noout "$svg"
	if command -v rsvg-convert >/dev/null; then
		rsvg-convert -o "$BATS_TEST_TMPDIR/p.png" "$svg"
		[ -s "$BATS_TEST_TMPDIR/p.png" ]
	fi
	# Bars with timings (plus one legend swatch each): vmalloc has two
	# (fix_align skipped), both policies three.
	[ "$(grep -c '<rect [^>]*fill="#4e79a7"' "$svg")" -eq 3 ]
	[ "$(grep -c '<rect [^>]*fill="#f28e2b"' "$svg")" -eq 4 ]
	[ "$(grep -c '<rect [^>]*fill="#59a14f"' "$svg")" -eq 4 ]
	for name in vmalloc kvalab:lowest kvalab:best-fit; do
		grep -q "class=\"legend\"[^>]*>$name</text>" "$svg"
	done
	for v in 1.250 1.500 1.750; do
		grep -q "class=\"ratio bar\"[^>]*>$v</text>" "$svg"
	done
	[ "$(grep -c 'class="ratio bar"' "$svg")" -eq 4 ]
	grep -q 'fix_align_alloc_test on kvalab:best-fit: fail, median 4100 ns/op' "$svg"
	grep -q 'ratio above each bar: its median / vmalloc median' "$svg"
}

# --- module commands ---------------------------------------------------------------

@test "load --module with a missing file: 'module file not found'" {
	run -1 "$KVALAB" load --module "$BATS_TEST_TMPDIR/nope.ko"
	assert_output "kvalab: load: module file not found: $BATS_TEST_TMPDIR/nope.ko"
	KVALAB_KO=$BATS_TEST_TMPDIR/env.ko run -1 "$KVALAB" load --slice 64M
	assert_output "kvalab: load: module file not found: $BATS_TEST_TMPDIR/env.ko"
}

@test "load checks PARAM=VALUE arguments before touching the kernel" {
	run -2 "$KVALAB" load --module "$BATS_TEST_TMPDIR/nope.ko" slice_size
	assert_output --partial "expected PARAM=VALUE, got 'slice_size'"
	run -2 "$KVALAB" load =3
	assert_output --partial "expected PARAM=VALUE, got '=3'"
	run -2 "$KVALAB" load --slice
	assert_output --partial "requires an argument"
}

@test "status and unload when kvalab is not loaded" {
	[ ! -e /sys/module/kvalab ] || skip "kvalab is loaded on this machine"
	run -1 "$KVALAB" status
	assert_output "kvalab: not loaded"
	run -1 "$KVALAB" status --json
	assert_output '{"loaded":false}'
	[ "$(id -u)" -eq 0 ] || skip "unload's not-loaded error needs root"
	run -1 "$KVALAB" unload
	assert_output "kvalab: unload: kvalab is not loaded (ENOENT)"
}

# --- man page --------------------------------------------------------------------

@test "the man page formats without warnings and documents every command" {
	command -v groff >/dev/null || skip "groff is not installed"
	man=$TOP/docs/kvalab.1
	run groff -man -Tutf8 -ww -z "$man"
	assert_success
	assert_output ""
	for c in $COMMANDS; do
		grep -Eq "^\.B ${c//-/\\\\-}( |$)" "$man"
	done
	for word in KVALAB_KO KVALAB_DEBUGFS "EXIT STATUS" FILES EXAMPLES; do
		grep -q "$word" "$man"
	done
}
