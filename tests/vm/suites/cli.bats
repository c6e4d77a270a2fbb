#!/usr/bin/env bats
# The userspace CLI (userspace-tools/kvalab, installed as `kvalab` in the guest)
# end to end: every subcommand against the real module, text and --json output,
# exit codes and the messages a user sees.

bats_require_minimum_version 1.5.0
bats_load_library kvalab

setup() {
	lean_trace # bats' per-command trap, cheaper (kvalab.bash)
	echo 1 >/proc/sys/kernel/kptr_restrict
	cd "$BATS_TEST_TMPDIR" || return 1
}

teardown() {
	if [[ -n ${cfd:-} ]]; then exec {cfd}>&-; fi
	kvalab_unload || true
}

@test "cli: --help of every subcommand exits 0 and prints its usage" {
	run kvalab --help
	assert_success
	assert_output --partial "Usage: kvalab"
	for c in load unload status alloc free free-atomic fill verify purge reset \
		check list free-areas lazy-areas map stats results run report; do
		run kvalab "$c" --help
		assert_success
		assert_output --partial "Usage: kvalab $c"
	done
	run -2 kvalab nosuchcommand
	assert_output --partial "unknown command 'nosuchcommand'"
	run -2 kvalab alloc
	assert_output --partial "missing SIZE"
	assert_output --partial "Try 'kvalab alloc --help'"
	run -2 kvalab free 1 2
	assert_output --partial "unexpected argument '2'"
}

@test "cli load: --slice, the parameter reaches the module; second load is refused" {
	run kvalab load --slice 8M
	assert_success
	assert_output --partial "loaded $KVALAB_KO slice_size=8M"
	kvalab_loaded
	[[ $(stat_val slice_size) == 8388608 ]]
	run -1 kvalab load --slice 8M
	assert_output --partial "already loaded"
	[[ $(stat_val slice_size) == 8388608 ]]
}

@test "cli load: --module and PARAM=VALUE are passed through" {
	KVALAB_KO=/nonexistent.ko run kvalab load --module "$KVALAB_KO" slice_size=16M lazy_max_pages=7
	assert_success
	[[ $(stat_val slice_size) == 16777216 ]]
	[[ $(stat_val lazy_max_pages) == 7 ]]
}

@test "cli load: a bad parameter value is an error naming it, exit non-zero" {
	# A slice size the module would refuse is refused before insmod, with
	# the reason: the token and the accepted forms, or the minimum.
	run -2 kvalab load --slice 1.5M
	assert_line --index 0 "kvalab load: malformed slice size '1.5M': sizes are decimal or 0x hex bytes with an optional K, M, G, KiB, MiB or GiB suffix"
	not_loaded
	run -2 kvalab load slice_size=0
	assert_line --index 0 "kvalab load: slice size '0' is below the module's minimum of 1M"
	not_loaded
	# Another parameter the kernel refuses: EINVAL, named.
	run kvalab load lazy_max_pages=x
	assert_failure
	assert_output --partial "lazy_max_pages=x"
	assert_output --partial "EINVAL"
	not_loaded
	run -2 kvalab load notaparam
	assert_output --partial "expected PARAM=VALUE, got 'notaparam'"
	not_loaded
}

@test "cli load: a missing module file is named" {
	run -1 kvalab load --module /nonexistent/kvalab.ko
	assert_output --partial "module file not found: /nonexistent/kvalab.ko"
	# Without --module and without $KVALAB_KO nothing is installed in the guest.
	KVALAB_KO='' run -1 kvalab load
	assert_output --partial "not installed"
	not_loaded
}

@test "cli status: not loaded exits 1; loaded shows the slice and counts" {
	run -1 kvalab status
	assert_output "kvalab: not loaded"
	run -1 kvalab status --json
	assert_output '{"loaded":false}'
	kvalab load --slice 8M >/dev/null
	kvalab alloc 16K >/dev/null
	run -0 kvalab status
	assert_line --regexp '^kvalab: loaded \(live\), refcnt [0-9]+$'
	assert_line "slice_size: 8388608"
	assert_line "nr_busy: 1"
	assert_line "used_bytes: 20480"
	run -0 kvalab --json status
	assert_output --regexp '^\{"loaded":true,"state":"live","refcnt":[0-9]+,"debugfs":"/sys/kernel/debug/kvalab","slice_size":8388608,"nr_busy":1,"nr_free":1,"used_bytes":20480\}$'
}

@test "cli alloc/fill/verify/free: key=value output, errors, --json" {
	kvalab load --slice 8M >/dev/null
	run -0 kvalab alloc 64K
	assert_output --regexp '^id=1 addr=0x[0-9a-f]{16} size=65536 vm_size=69632 pages=16 align=4096 fit=LE$'
	# Made to be eval'ed by scripts.
	eval "$output"
	[[ $id == 1 && $size == 65536 ]]
	run -0 kvalab fill 1 0x5a
	assert_output "id=1 byte=0x5a bytes=65536"
	run -0 kvalab verify "$addr" 90
	assert_output "id=1 byte=0x5a bytes=65536"
	run -1 kvalab verify 1 0x5b
	assert_output "kvalab: verify: id 1: byte at offset 0 is 0x5a, expected 0x5b"
	run -0 kvalab alloc 4K --align 64K --noguard --json
	assert_output --regexp '^\{"op":"alloc","id":2,"addr":"0x[0-9a-f]{16}","size":4096,"vm_size":4096,"pages":1,"align":65536,"fit":"(LE|NE)"\}$'
	a2=$(sed 's/.*"addr":"\(0x[0-9a-f]*\)".*/\1/' <<<"$output")
	(($a2 % 65536 == 0))
	run -0 kvalab --json fill 2 7
	assert_output '{"op":"fill","id":2,"byte":"0x07","bytes":4096}'
	run -1 kvalab alloc 9M
	assert_output --partial "kvalab: alloc: "
	assert_output --partial "exceed the 8388608-byte slice"
	run -1 kvalab alloc 8M
	assert_output "kvalab: alloc: 8388608 bytes need 8392704 with the guard page, more than the 8388608-byte slice"
	run -0 kvalab free 1
	assert_output "id=1"
	run -1 kvalab free 1
	assert_output --partial "kvalab: free: "
	assert_output --partial "already freed"
	run -1 kvalab free 99
	assert_output --partial "kvalab: free: "
	run -0 kvalab free --json 2
	assert_output '{"op":"free","id":2}'
	[[ $(stat_val nr_busy) == 0 ]]
	run -2 kvalab fill 1
	assert_output --partial "missing BYTE"
}

@test "cli: a rejected command's reason is shown once" {
	kvalab load --slice 8M >/dev/null
	# The control file's line names the command; the reason does not repeat it.
	run -1 ctl alloc 4K align=3000
	assert_output "error alloc -22 EINVAL: alignment 3000 is not a power of two"
	# The CLI prints "kvalab: CMD: reason": the command word once.
	run -1 kvalab alloc 4K --align 3000
	assert_output "kvalab: alloc: alignment 3000 is not a power of two"
	run -1 kvalab fill 1 256
	refute_output --partial "fill: fill:"
}

@test "cli: sizes, signs, raised alignments, hashed addresses, runs too big for the slice" {
	kvalab load --slice 4MiB >/dev/null
	[[ $(stat_val slice_size) == 4194304 ]]
	run -0 kvalab alloc 8KiB
	assert_output --regexp '^id=1 .* size=8192 '
	run -1 kvalab alloc 64KB
	assert_output "kvalab: alloc: malformed size '64KB': sizes are decimal or 0x hex bytes with an optional K, M, G, KiB, MiB or GiB suffix"
	run -2 kvalab alloc -4K
	assert_line --index 0 --partial "kvalab alloc: bad size '-4K': sizes have no sign"
	# The alignment raised to a page: said on stderr, recorded on stdout.
	run -0 --separate-stderr kvalab alloc 4K --align 2K
	assert_output --regexp '^id=2 .* align=4096 fit=[A-Z]+ align_raised_from=2048$'
	[[ $stderr == "kvalab: alloc: note: alignment 2048 is below the page size; raised to 4096" ]]
	# A listing's address as kptr_restrict=0 shows it (hashed, 32 bits).
	run -1 kvalab free 0x000000002079e759
	assert_output --partial "kvalab: free: address 0x2079e759 is outside the slice and is no kernel address (listings under kptr_restrict=0 show hashes)"
	run -1 kvalab run random_size_align_alloc_test --backend kvalab --threads 2 --no-progress
	assert_output --partial "random_size_align_alloc_test needs"
	assert_output --partial "load with slice_size=9M or more"
	[[ $(stat_val nr_busy) == 2 ]]
}

@test "cli free-atomic: deferred free, by id and --json" {
	kvalab load --slice 8M >/dev/null
	kvalab alloc 32K >/dev/null
	kvalab alloc 32K >/dev/null
	run -0 kvalab free-atomic 1
	assert_output "id=1 deferred"
	run -0 kvalab free-atomic --json 2
	assert_output '{"op":"free_atomic","id":2,"deferred":true}'
	wait_stat deferred_frees 2
	[[ $(stat_val deferred_frees) == 2 && $(stat_val nr_busy) == 0 ]]
	run -1 kvalab free-atomic 1
	assert_output --partial "already freed"
}

@test "cli purge/reset/check: text and --json" {
	kvalab load --slice 8M >/dev/null
	kvalab alloc 16K >/dev/null
	kvalab alloc 16K >/dev/null
	kvalab free 1 >/dev/null
	run -0 kvalab check
	assert_output "busy=1 free=1 lazy=1"
	run -0 kvalab purge
	assert_output "areas=1 pages=5"
	run -0 kvalab purge --json
	assert_output '{"op":"purge","areas":0,"pages":0}'
	run -0 kvalab --json check
	assert_output '{"op":"check","busy":1,"free":2,"lazy":0}'
	run -0 kvalab reset
	assert_output --regexp '^freed=1( |$)'
	run -0 kvalab reset --json
	assert_output --regexp '^\{"op":"reset","freed":0[,}]'
	[[ $(stat_val nr_busy) == 0 && $(stat_val nr_free) == 1 ]]
	[[ $(stat_val largest_free) == 8388608 ]]
	run -2 kvalab check extra
	assert_output --partial "'extra' is not tlb"
	run -2 kvalab check tlb extra
	assert_output --partial "unexpected argument 'extra'"
	# check tlb: the module's line without "ok check", and as JSON.
	run -0 kvalab check tlb
	assert_output --regexp '^tlb flush=[a-z_.0-9]+ cpus=[0-9]+ full_stale=[0-9]+ full_missed=0 purge_stale=[0-9]+ purge_missed=0 purge_flush=(full|invlpg)$'
	run -0 kvalab --json check tlb
	assert_output --regexp '^\{"op":"check","tlb":true,"flush":"[a-z_.0-9]+","cpus":[0-9]+,"full_stale":[0-9]+,"full_missed":0,'
}

@test "cli list/free-areas/map: the debugfs files as the module writes them" {
	kvalab load --slice 8M >/dev/null
	kvalab alloc 8K >/dev/null
	kvalab alloc 1M >/dev/null
	# vmallocinfo has no header, as /proc/vmallocinfo.
	run -0 kvalab list
	[[ ${#lines[@]} == 2 ]]
	assert_line --index 0 --regexp '^0x[0-9a-f]{16}-0x[0-9a-f]{16} +12288 .*\[kvalab\] pages=2 vmalloc N0=2 id=1$'
	assert_line --index 1 --regexp '^0x[0-9a-f]{16}-0x[0-9a-f]{16} +1052672 .*\[kvalab\] pages=256 vmalloc N0=256 id=2$'
	[[ $output == "$(cat "$D/vmallocinfo")" ]]
	run -0 kvalab free-areas
	[[ ${#lines[@]} == 2 ]]
	assert_line --index 0 "# free areas: start-end size subtree_max_size"
	assert_line --index 1 --regexp "^0x[0-9a-f]{16}-0x[0-9a-f]{16} +$((8388608 - 12288 - 1052672)) +[0-9]+$"
	# Empty: the header alone; then the lazy area once freed.
	run -0 kvalab lazy-areas
	assert_output "# lazy areas awaiting purge: start-end size [+start, +end) (nr_lazy=0 lazy_pages=0)"
	kvalab free 1 >/dev/null
	run -0 kvalab lazy-areas
	assert_line --index 1 --regexp '^0x[0-9a-f]{16}-0x[0-9a-f]{16} +12288 \[\+0x0, \+0x3000\)$'
	run -0 kvalab list
	[[ ${#lines[@]} == 2 ]]
	assert_line --index 1 --regexp '^0x[0-9a-f]{16}-0x[0-9a-f]{16}   12288 unpurged vm_area$'

	run -0 kvalab map
	[[ $output == "$(cat "$D/map")" ]]
	assert_output --partial "#"
	assert_output --partial "."
	run -2 kvalab list --json
	assert_output --partial "--json is not supported here"
}

@test "cli stats: all, one NAME, --json, unknown name" {
	kvalab load --slice 8M >/dev/null
	kvalab alloc 8K >/dev/null
	run -0 kvalab stats
	for n in slice_start slice_end slice_size used_bytes free_bytes largest_free \
		nr_busy nr_free nr_lazy lazy_pages lazy_max_pages purges tlb_flushes \
		pages_allocated pages_freed allocs frees alloc_failures deferred_frees \
		fit_fl fit_le fit_re fit_ne merge_prev merge_next merge_both insert_nomerge; do
		assert_line --regexp "^$n: [0-9a-fx]+$"
	done
	run -0 kvalab stats nr_busy
	assert_output "1"
	run -0 kvalab stats used_bytes --json
	assert_output '{"used_bytes":12288}'
	run -0 kvalab --json stats
	assert_output --regexp '^\{"slice_start":"0x[0-9a-f]+","slice_end":"0x[0-9a-f]+","slice_size":8388608,.*"nr_busy":1,.*"insert_nomerge":[0-9]+,"search_steps":[0-9]+(,"[a-z_]+":("[a-z]+"|[0-9]+))*\}$'
	run -1 kvalab stats nosuch
	assert_output "kvalab: stats: no counter named 'nosuch'"
}

@test "cli: commands that need the module say it is not loaded" {
	for c in "alloc 4K" "free 1" "purge" "check" "list" "map" "stats" "results"; do
		# shellcheck disable=SC2086
		run -1 kvalab $c
		assert_output --partial "/sys/kernel/debug/kvalab does not exist (is the module loaded?"
	done
}

@test "cli run: table, JSON with both backends, CSV, SVG; report reads it back" {
	kvalab load --slice 16M >/dev/null
	run -0 kvalab run fix_size_alloc_test --loops 20 --repeat 1 --threads 1 --no-progress \
		--json r.json --csv r.csv --svg r.svg
	assert_line --regexp '^kvalab [0-9.]+, kernel .*, state: done \(2/2\)$'
	assert_line "params: mask=0x1 threads=1 loops=20 repeat=1 pages=1 sequential=0 backends=kvalab,vmalloc baseline=vmalloc"
	assert_line --regexp '^case +kvalab loop_ns +p99 +vmalloc loop_ns +p99 +ratio +status$'
	assert_line --regexp '^fix_size_alloc_test +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+\.[0-9]{3} +pass$'
	assert_line "1 cases, 2 results: 2 pass"
	table=$output
	# JSON: one case, both backends with numbers, a ratio.
	[[ -s r.json && -s r.csv && -s r.svg ]]
	grep -q '"tool": "kvalab"' r.json
	grep -q '"state": "done"' r.json
	grep -q '"name": "fix_size_alloc_test", "bit": 1' r.json
	grep -Eq '"kvalab": \{"status": "pass", "ops": 20, "avg_us": [0-9]+, "loop_ns": [1-9][0-9]*' r.json
	grep -Eq '"vmalloc": \{"status": "pass", "ops": 20, "avg_us": [0-9]+, "loop_ns": [1-9][0-9]*' r.json
	grep -Eq '"ratio": [0-9]+\.[0-9]{3},' r.json
	grep -Eq '"ratios": \{"kvalab": [0-9]+\.[0-9]{3}\}' r.json
	# CSV: the header and one row per backend.
	run cat r.csv
	assert_line --index 0 "case,bit,backend,status,ops,loop_ns,p99_ns,min_ns,max_ns,ratio,reason,baseline,backend_ratio,enomem,nr_free,largest_free,kvalab_floor,avg_us"
	assert_line --regexp '^fix_size_alloc_test,1,kvalab,pass,20,[0-9]+,[0-9]+,[0-9]+,[0-9]+,[0-9.]+,,vmalloc,[0-9.]+,0,[1-9][0-9]*,[1-9][0-9]*,,[0-9]+$'
	assert_line --regexp '^fix_size_alloc_test,1,vmalloc,pass,20,[0-9]+,[0-9]+,[0-9]+,[0-9]+,[0-9.]+,,vmalloc,,0,,,,[0-9]+$'
	[[ ${#lines[@]} == 3 ]]
	grep -q '<svg' r.svg
	grep -q '</svg>' r.svg
	grep -q 'fix_size_alloc_test' r.svg
	# report prints the same table from the JSON and converts it.
	run -0 kvalab report r.json --csv r2.csv --json r2.json --svg r2.svg
	[[ $output == "$table" ]]
	cmp r.csv r2.csv
	cmp r.json r2.json
	[[ -s r2.svg ]]
	# results: the raw debugfs file; report --from-results parses it.
	run -0 kvalab results
	assert_line "state: done"
	assert_line --regexp '^case=fix_size_alloc_test backend=kvalab status=pass ops=20 '
	assert_line --regexp '^case=fix_size_alloc_test backend=vmalloc status=pass ops=20 '
	assert_line --regexp '^ratio case=fix_size_alloc_test kvalab/vmalloc=[0-9]+\.[0-9]{3}$'
	printf '%s\n' "$output" >saved.results
	run -0 kvalab report --from-results saved.results
	assert_line --regexp '^fix_size_alloc_test +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+\.[0-9]{3} +pass$'
	run -1 kvalab report /nonexistent.json
	assert_output --partial "kvalab: report: cannot read /nonexistent.json"
	echo '{"tool": "kvalab", "cases": [' >bad.json
	run -1 kvalab report bad.json
	assert_output --partial "kvalab: report: bad.json: "
}

@test "cli run: the expected failure is xfail and does not fail the run; bad args" {
	kvalab load --slice 16M >/dev/null
	run -0 kvalab run align_shift_alloc_test --backend kvalab --loops 20 --repeat 1 \
		--threads 1 --no-progress
	# Only the run's backends have columns: kvalab's, no ratio.
	assert_line --regexp '^case +kvalab loop_ns +p99 +status$'
	assert_line --regexp '^align_shift_alloc_test +- +- +xfail$'
	run -1 kvalab run no_such_test --loops 20 --no-progress
	assert_output --partial "kvalab: run: "
	assert_output --partial "no_such_test"
	run -2 kvalab run --timeout 0
	assert_output --partial "--timeout wants a number of seconds > 0"
	run -2 kvalab run --policies worst-fit
	assert_output --partial "unknown policy 'worst-fit' in --policies"
	run -1 kvalab run --backend vmalloc --baseline kvalab --no-progress
	assert_output --partial "baseline 'kvalab' is not one of the run's backends"
}

@test "cli run --backend vmalloc,kvalab:lowest,kvalab:best-fit: three backends in the table, JSON, CSV" {
	kvalab load --slice 16M >/dev/null
	run -0 kvalab run fix_size_alloc_test --backend vmalloc --policies lowest,best-fit \
		--loops 20 --repeat 1 --threads 1 --no-progress --json p.json --csv p.csv --svg p.svg
	assert_line --regexp '^kvalab [0-9.]+, kernel .*, state: done \(3/3\)$'
	assert_line --regexp '^case +vmalloc loop_ns +p99 +kvalab:lowest loop_ns +p99 +kvalab:best-fit loop_ns +p99 +kvalab:lowest/vmalloc +kvalab:best-fit/vmalloc +status$'
	assert_line --regexp '^fix_size_alloc_test +[1-9][0-9]* +[1-9][0-9]* +[1-9][0-9]* +[1-9][0-9]* +[1-9][0-9]* +[1-9][0-9]* +[0-9]+\.[0-9]{3} +[0-9]+\.[0-9]{3} +pass$'
	assert_line "1 cases, 3 results: 3 pass"
	grep -q '"backends": \["vmalloc", "kvalab:lowest", "kvalab:best-fit"\]' p.json
	grep -Eq '"kvalab:best-fit": \{"status": "pass", "ops": 20, .*"nr_free": [1-9]' p.json
	run cat p.csv
	[[ ${#lines[@]} == 4 ]]
	assert_line --regexp '^fix_size_alloc_test,1,kvalab:best-fit,pass,20,'
	grep -q 'kvalab:best-fit' p.svg
}

@test "cli compare --policies all: one table with every policy and vmalloc" {
	kvalab load --slice 16M >/dev/null
	run -0 kvalab compare fix_size_alloc_test vm_map_ram_test --loops 50 --repeat 1 \
		--threads 1 --no-progress --json c.json
	assert_line --regexp '^kvalab [0-9.]+, kernel .*, state: done \(14/14\)$'
	assert_line --regexp '^case +backend +loop_ns +p99 +enomem +ratio +status +nr_free +largest_free$'
	for c in fix_size_alloc_test vm_map_ram_test; do
		assert_line --regexp "^$c +vmalloc +[1-9][0-9]* +[1-9][0-9]* +0 +base +pass +- +-$"
	done
	for p in lowest vmlist cached-hole next-fit best-fit instant-fit; do
		# Every policy: a row per case (the first row names the case).
		[[ $(grep -Ec "^( +|[a-z_]+ +)kvalab:$p +[1-9][0-9]* +[1-9][0-9]* +0 +[0-9]+\.[0-9]{3} +pass +[1-9][0-9]* +[1-9][0-9]*$" <<<"$output") == 2 ]]
	done
	assert_line "2 cases, 14 results: 14 pass"
	grep -q '"baseline": "vmalloc"' c.json
	# The slice is consistent after switching through every policy.
	check_ok
}

@test "cli unload: refused while a control fd is open, then succeeds; not loaded" {
	kvalab load --slice 8M >/dev/null
	exec {cfd}<>"$D/control"
	run -1 kvalab unload
	assert_output "kvalab: unload: kvalab is in use (a debugfs file is held open); close it and retry (EAGAIN)"
	kvalab_loaded
	exec {cfd}>&-
	run -0 kvalab unload
	assert_output "unloaded kvalab"
	not_loaded
	run -1 kvalab unload
	assert_output "kvalab: unload: kvalab is not loaded (ENOENT)"
	run -2 kvalab unload now
	assert_output --partial "unexpected argument 'now'"
}
