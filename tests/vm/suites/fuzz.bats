#!/usr/bin/env bats
# Fuzzing the control file from the guest: over 100,000 lines of random
# grammar tokens, mutated commands, huge and negative numbers, overflowing
# size+align, binary bytes, over-long lines and several commands per write,
# from 4 writers at once plus a writer of valid commands. Afterwards the
# allocator must be consistent, give back every page and unload.

bats_require_minimum_version 1.5.0
bats_load_library kvalab
load common
load workloads
load fuzz

setup() {
	echo 1 >/proc/sys/kernel/kptr_restrict
}

teardown() {
	[[ -n ${fd:-} ]] && exec {fd}>&-
	if kvalab_loaded; then
		ctl stop >/dev/null || true
	fi
	kvalab_unload || true
}

# wr FD BYTES-FOR-%b: one write; then the result read back on FD.
wr() {
	local rc=0
	printf '%b' "$2" >&"$1" 2>/dev/null || rc=1
	IFS= read -r RES <&"$1" || true
	return $rc
}

@test "partial writes: each write() is one command, halves are rejected or run cleanly" {
	kvalab_load slice_size=8M
	exec {fd}<>"$D/control"
	# "alloc 4K" split in the middle of the word: both halves are rejected.
	! wr $fd 'all'
	[[ $RES == "error parse -22 EINVAL: unknown command 'all'" ]]
	! wr $fd 'oc 4K\n'
	[[ $RES == "error parse -22 EINVAL: unknown command 'oc'" ]]
	[[ $(stat_val nr_busy) == 0 && $(stat_val allocs) == 0 ]]
	# Split after "alloc 4": the first half is a valid 4-byte alloc, the
	# second ("K") is rejected and changes nothing.
	wr $fd 'alloc 4'
	[[ $RES == "ok alloc id=1 "*" size=4096 "* ]]
	! wr $fd 'K\n'
	[[ $RES == "error parse -22 EINVAL: unknown command 'K'" ]]
	# A command and its newline in two writes: the command runs, the lone
	# newline is rejected.
	wr $fd 'check'
	[[ $RES == "ok check busy=1 free=1 lazy=0" ]]
	! wr $fd '\n'
	[[ $RES == "error parse -22 EINVAL: "* ]]
	# Two commands in one write: rejected as a whole.
	! wr $fd 'free 1\nfree 1\n'
	[[ $RES == "error parse -22 EINVAL: "* ]]
	[[ $(stat_val nr_busy) == 1 ]]
	exec {fd}>&-
	check_ok
}

@test "line length: 256 bytes with the newline run, 257 are EMSGSIZE; binary bytes are EINVAL" {
	kvalab_load slice_size=8M
	exec {fd}<>"$D/control"
	pad=$(printf '%*s' 246 '')
	line="alloc 4K${pad}\n"		# 8 + 246 + 1 = 255 bytes
	wr $fd "${line}"
	[[ $RES == "ok alloc "* ]]
	wr $fd "alloc 4K ${pad}\n"	# 256 bytes
	[[ $RES == "ok alloc "* ]]
	! wr $fd "alloc 4K  ${pad}\n"	# 257 bytes
	[[ $RES == "error parse -90 EMSGSIZE: line of 257 bytes is longer than 256" ]]
	! wr $fd "alloc $(printf '%01000d' 4)\n"
	[[ $RES == "error parse -90 EMSGSIZE: line of 1007 bytes is longer than 256" ]]
	for bad in 'alloc 4K\x00\n' '\x00' 'alloc\x014K\n' 'check\xff\n' '\xef\xbb\xbfcheck\n' \
		'purge\r\n' 'alloc 4K\x1b[0m\n'; do
		! wr $fd "$bad"
		[[ $RES == "error parse -22 EINVAL: "* ]]
	done
	! wr $fd 'alloc 0xffffffffffffffff\n'
	[[ $RES == "error "*" -75 EOVERFLOW: "* ]]
	! wr $fd 'alloc 0x7ffffffffffff000 align=0x8000000000000000\n'
	[[ $RES == "error "*" -75 EOVERFLOW: "* ]]
	! wr $fd 'alloc 18446744073709551616\n'
	[[ $RES == "error parse -34 ERANGE: "* ]]
	! wr $fd 'alloc -1\n'
	[[ $RES == "error parse -22 EINVAL: "* ]]
	[[ $(stat_val nr_busy) == 2 ]]
	exec {fd}>&-
	check_ok
}

@test "fuzz: 100,000+ lines from 4 writers and a valid writer at once; state stays consistent" {
	kvalab_load slice_size=16M
	slice=$(stat_val slice_size)
	per=25600
	seed0=${KVALAB_FUZZ_SEED:-$(((RANDOM << 15) | RANDOM))}
	echo "# fuzz: seed $seed0 (KVALAB_FUZZ_SEED to replay)" >&3
	t0=$(date +%s)
	for w in 1 2 3 4; do
		fuzz_gen $((seed0 + w)) $per 4 >"$BATS_TEST_TMPDIR/fuzz.$w"
	done
	t1=$(date +%s)
	[[ $(cat "$BATS_TEST_TMPDIR"/fuzz.[1-4] | wc -l) == $((4 * per)) ]]
	stopfile=$BATS_TEST_TMPDIR/stop
	pids=()
	for w in 1 2 3 4; do
		fuzz_write "$BATS_TEST_TMPDIR/fuzz.$w" >"$BATS_TEST_TMPDIR/count.$w" 3>&- &
		pids+=($!)
	done
	valid_writer "$stopfile" >"$BATS_TEST_TMPDIR/count.valid" 3>&- &
	vpid=$!
	for p in "${pids[@]}"; do
		wait "$p"
	done
	touch "$stopfile"
	wait "$vpid"
	t2=$(date +%s)
	total=0 bad=0
	for w in 1 2 3 4; do
		read -r n b <"$BATS_TEST_TMPDIR/count.$w"
		[[ $n == "$per" ]]
		total=$((total + n)) bad=$((bad + b))
	done
	read -r vallocs vverified <"$BATS_TEST_TMPDIR/count.valid"
	secs=$((t2 - t1 > 0 ? t2 - t1 : 1))
	echo "# fuzz: $total lines ($bad rejected) in ${secs} s, $((total / secs)) lines/s (generated in $((t1 - t0)) s); valid writer: $vallocs allocs, $vverified verified" >&3
	((total >= 100000))
	# Both accepted and rejected lines, in plenty.
	((bad > total / 3 && bad < total))
	((vallocs > 0))
	[[ $(stat_val allocs) -gt 1000 && $(stat_val frees) -gt 100 ]]

	# A tiny run the fuzzers started may still be going: let it end.
	run -0 wait_run_end 120
	refute_output running
	check_ok
	ctl_ok reset >/dev/null
	check_ok
	[[ $(stat_val nr_busy) == 0 ]]
	[[ $(stat_val nr_lazy) == 0 && $(stat_val lazy_pages) == 0 ]]
	[[ $(stat_val nr_free) == 1 ]]
	[[ $(stat_val largest_free) == "$slice" ]]
	[[ $(stat_val free_bytes) == "$slice" && $(stat_val used_bytes) == 0 ]]
	[[ $(stat_val pages_allocated) == "$(stat_val pages_freed)" ]]
	[[ $(wc -l <"$D/vmallocinfo") == 0 && $(wc -l <"$D/free_areas") == 1 ]]
	# Still fully working.
	id=$(alloc_id 64K)
	ctl_ok fill "$id" 0xa5 >/dev/null
	ctl_ok verify "$id" 0xa5 >/dev/null
	kvalab_unload
	! kvalab_loaded
	run grep kvalab /proc/vmallocinfo
	assert_failure
}
