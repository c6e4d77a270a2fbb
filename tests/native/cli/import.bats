#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Native tests of kvalab import and kvalab capture against the fixtures in
# fixtures/import/ (where each comes from: its README.md): the exact traces
# produced (the *.trace files, reviewed by hand against the inputs and
# docs/traces.md), the refusals with their line numbers and the exit codes
# (0 written, 1 refused input, 2 usage). capture runs against a fake
# tracefs directory ($KVALAB_TRACEFS).
#
# Run: bats --tap tests/native/cli

bats_require_minimum_version 1.5.0
export BATS_LIB_PATH=${BATS_LIB_PATH:-/usr/lib/bats}
bats_load_library bats-support
bats_load_library bats-assert

TOP=$(cd "$BATS_TEST_DIRNAME/../../.." && pwd)
FIX=$BATS_TEST_DIRNAME/fixtures/import
KVALAB=${KVALAB:-$TOP/userspace-tools/kvalab}

setup_file() {
	if [ -z "${KVALAB_NO_BUILD:-}" ]; then
		make -s -C "$TOP/userspace-tools" >&2
	fi
	[ -x "$KVALAB" ]
}

# The fixtures are named relative to their folder, as the traces' comments
# record the input path.
setup() {
	cd "$FIX"
	OUT=$BATS_TEST_TMPDIR
}

# bad_vmi LINE...: a vmallocinfo of the first real fixture line then LINEs.
bad_vmi() {
	head -n 2 vmallocinfo-6.1 > "$OUT/bad"
	printf '%s\n' "$@" >> "$OUT/bad"
}

@test "help and man page document import and capture" {
	run "$KVALAB" --help
	assert_success
	assert_line --regexp '^  import vmallocinfo\|tracefs FILE -o TRACE'
	assert_line --regexp '^  capture \[--seconds N\]'
	for c in import capture; do
		grep -Eq "^\.B $c( |$)" "$TOP/docs/kvalab.1"
		run "$KVALAB" "$c" --help
		assert_success
		assert_line --index 0 --regexp "^Usage: kvalab $c "
	done
}

@test "import vmallocinfo: a 6.1 snapshot gives the exact layout trace" {
	run "$KVALAB" import vmallocinfo vmallocinfo-6.1 -o "$OUT/t"
	assert_success
	assert_output "kvalab: import: 15 areas, 10 gap fillers, 2 unpurged, span 139416K, slice 137M -> $OUT/t"
	diff -u vmallocinfo-6.1.trace "$OUT/t"
}

@test "import vmallocinfo: -o - writes the trace to stdout" {
	run --separate-stderr "$KVALAB" import vmallocinfo vmallocinfo-6.1 -o -
	assert_success
	diff -u vmallocinfo-6.1.trace <(printf '%s\n' "$output")
}

@test "import vmallocinfo: --scale fit fits a 16M slice exactly" {
	run "$KVALAB" import vmallocinfo vmallocinfo-6.1 --slice-size 16M \
		--scale fit -o "$OUT/t"
	assert_success
	assert_output --partial "span 16244K, slice 16M"
	diff -u vmallocinfo-6.1-fit16M.trace "$OUT/t"
}

@test "import vmallocinfo: a layout larger than the slice is refused with advice" {
	run -1 "$KVALAB" import vmallocinfo vmallocinfo-6.1 --slice-size 16M -o "$OUT/t"
	assert_output "kvalab: import: vmallocinfo-6.1: the layout spans 139416K; the slice is 16M: pass --scale F (F < 1, e.g. --scale 0.118), --scale fit, a larger --slice-size or a smaller --max-gap"
	[ ! -e "$OUT/t" ]
}

@test "import vmallocinfo: --max-gap shrinks wide gaps, none keeps them" {
	run "$KVALAB" import vmallocinfo vmallocinfo-6.1 --max-gap 1M -o "$OUT/t"
	assert_success
	grep -qx '# 2 gaps wider than 1M shrunk to it (--max-gap)' "$OUT/t"
	[ "$(grep -c '^a .*filler' "$OUT/t")" -eq 10 ]
	run -1 "$KVALAB" import vmallocinfo vmallocinfo-6.1 --max-gap none \
		--slice-size 1G -o "$OUT/t"
	assert_output --regexp 'the layout spans [0-9]+K; the slice is 1G: pass --scale F \(F < 1, e.g. --scale 1.78e-05\), --scale fit, a larger --slice-size$'
}

@test "import vmallocinfo: --scale 0.5 halves sizes and gaps, rounded to pages" {
	run "$KVALAB" import vmallocinfo vmallocinfo-6.1 --scale 0.5 -o "$OUT/t"
	assert_success
	grep -qx '# sizes and gaps scaled by 0.5, rounded to pages' "$OUT/t"
	# bpf_prog_alloc 2363392 -> 1181696 = 288.5 pages -> 289 pages, one the guard
	grep -qx 'a [0-9]* 1179648 flags=vmalloc,vpages' "$OUT/t"
}

@test "import vmallocinfo: hashed addresses are refused with the reason" {
	run -1 "$KVALAB" import vmallocinfo vmallocinfo-hashed -o "$OUT/t"
	assert_output "kvalab: import: vmallocinfo-hashed: the addresses are hashed (line 1: 0x00000000d8d25554-0x00000000e136af8e for 20480 bytes is no page-aligned kernel range of that size): /proc/vmallocinfo prints %pK values, hashed unless kptr_restrict=1 and the reader has CAP_SYSLOG; take the snapshot again as root after 'echo 1 > /proc/sys/kernel/kptr_restrict', or import sizes and order only with --ignore-addresses"
	[ ! -e "$OUT/t" ]
}

@test "import vmallocinfo: --ignore-addresses imports sizes and order only" {
	run "$KVALAB" import vmallocinfo vmallocinfo-hashed --ignore-addresses -o "$OUT/t"
	assert_success
	assert_output "kvalab: import: 8 areas, 0 gap fillers, 1 unpurged, span 2452K, slice 3M -> $OUT/t"
	diff -u vmallocinfo-hashed.trace "$OUT/t"
}

@test "import vmallocinfo: kptr_restrict=2 zeros are refused" {
	printf '0x0000000000000000-0x0000000000000000   20480 f+0x1/0x2 pages=4 vmalloc\n%.0s' 1 2 > "$OUT/z"
	run -1 "$KVALAB" import vmallocinfo "$OUT/z" -o "$OUT/t"
	assert_output --partial "every address is zero: the snapshot was taken with kptr_restrict=2"
}

@test "import vmallocinfo: one unaligned line among real ones names its line" {
	bad_vmi '0xffffc90000100000-0xffffc90000100123     291 f+0x1/0x2 vmalloc'
	run -1 "$KVALAB" import vmallocinfo "$OUT/bad" -o "$OUT/t"
	assert_output "kvalab: import: $OUT/bad: line 3: 0xffffc90000100000-0xffffc90000100123 is not a page-aligned kernel range of 291 bytes, unlike the other lines"
}

@test "import vmallocinfo: overlapping areas are refused with both lines" {
	bad_vmi '0xffffc90000001000-0xffffc90000003000    8192 f+0x1/0x2 vmap'
	run -1 "$KVALAB" import vmallocinfo "$OUT/bad" -o "$OUT/t"
	assert_output "kvalab: import: $OUT/bad: line 3 overlaps line 1 (0xffffc90000001000-0xffffc90000003000 and 0xffffc90000000000-0xffffc90000002000)"
}

@test "import vmallocinfo: malformed lines are refused with their line number" {
	local -a cases=(
		'garbage|expected '"'"'0xSTART-0xEND SIZE ...'"'"', not '"'"'garbage'"'"''
		'0xffffc90000010000-0xffffc90000011000|expected a decimal SIZE after the range, not '"'"'end of line'"'"''
		'0xffffc90000010000-0xffffc90000011000 4k vmalloc|expected a decimal SIZE after the range, not '"'"'4k'"'"''
		'0xffffc90000010000-0xffffc90000011000 0 vmalloc|size 0'
		'0xffffc90000010000-0xffffc900000110000000 4096 vmalloc|expected '"'"'0xSTART-0xEND SIZE ...'"'"', not '"'"'0xffffc90000010000-0xffffc900000110000000'"'"''
		'0xffffc90000010000-0xffffc90000011000 4096 f+0x1/0x2 pages=x vmalloc|unexpected field '"'"'pages=x'"'"''
		'0xffffc90000010000-0xffffc90000011000 4096 f+0x1/0x2 vmalloc vmalloc|unexpected field '"'"'vmalloc'"'"''
		'0xffffc90000010000-0xffffc90000011000 4096 f+0x1/0x2 vmalloc g+0x1/0x2|unexpected field '"'"'g+0x1/0x2'"'"''
		'0xffffc90000010000-0xffffc90000011000 4096 f+0x1/0x2 phys=12 ioremap|unexpected field '"'"'phys=12'"'"''
		'0xffffc90000010000-0xffffc90000011000 4096 unpurged|expected '"'"'unpurged vm_area'"'"''
		'0xffffc90000010000-0xffffc90000011000 4096 unpurged vm_area x|unexpected field '"'"'x'"'"' after '"'"'unpurged vm_area'"'"''
		'0xffffc90000010000-0xffffc90000011000 4096 vm_map_ram N0=1|unexpected field '"'"'N0=1'"'"' after '"'"'vm_map_ram'"'"''
	)
	local c
	for c in "${cases[@]}"; do
		bad_vmi "${c%%|*}"
		run -1 "$KVALAB" import vmallocinfo "$OUT/bad" -o "$OUT/t"
		assert_output "kvalab: import: $OUT/bad: line 3: ${c#*|}"
	done
}

@test "import vmallocinfo: every field the kernel prints is understood" {
	bad_vmi '0xffffc90000010000-0xffffc90000012000    8192 drm_gem+0x1/0x2 [drm] pages=1 phys=0x00000000fe000000 ioremap vmalloc vmap user dma-coherent vpages N0=1 N1=0' \
		'0xffffc90000012000-0xffffc90000013000    4096 0xffffffffc0123456 vmalloc'
	run "$KVALAB" import vmallocinfo "$OUT/bad" -o "$OUT/t"
	assert_success
	grep -qx 'a [0-9]* 4096 flags=vmalloc,vmap,ioremap,user,vpages,dma-coherent' "$OUT/t"
	grep -qx 'a [0-9]* 4096 flags=noguard,vmalloc' "$OUT/t"
}

@test "import tracefs: a 6.12 capture gives the exact trace" {
	run "$KVALAB" import tracefs tracefs-6.12 -o "$OUT/t"
	assert_success
	assert_line --index 0 "kvalab: import: 2 frees of areas never seen allocated skipped (lines 15 26)"
	assert_line --index 1 "kvalab: import: 5 allocs (1 failed attempts folded, 0 never succeeded), 4 frees, 2 purges, 1 other lines ignored, slice 14M -> $OUT/t"
	diff -u tracefs-6.12.trace "$OUT/t"
}

@test "import tracefs: the real 7.3 capture (tests/data) gives capture-7.3.trace" {
	run "$KVALAB" import tracefs "$TOP/tests/data/tracefs-7.3.txt" -o "$OUT/t"
	assert_success
	assert_line --index 0 "kvalab: import: 2 frees of areas never seen allocated skipped (lines 14 103)"
	assert_line --index 1 "kvalab: import: 458 allocs (0 failed attempts folded, 0 never succeeded), 456 frees, 186 purges, 0 other lines ignored, slice 106M -> $OUT/t"
	sed "s|$TOP/tests/data/tracefs-7.3.txt|/sys/kernel/tracing/trace|; s|source=tracefs|source=capture|" "$OUT/t" \
		| diff -u "$TOP/tests/data/capture-7.3.trace" -
}

@test "import tracefs: the real 6.12 capture (tests/data) still gives capture-6.12.trace" {
	run "$KVALAB" import tracefs "$TOP/tests/data/tracefs-6.12.txt" -o "$OUT/t"
	assert_success
	assert_line --index 1 "kvalab: import: 460 allocs (0 failed attempts folded, 0 never succeeded), 459 frees, 90 purges, 0 other lines ignored, slice 87M -> $OUT/t"
	sed "s|$TOP/tests/data/tracefs-6.12.txt|/sys/kernel/tracing/trace|; s|source=tracefs|source=capture|" "$OUT/t" \
		| diff -u "$TOP/tests/data/capture-6.12.trace" -
}

@test "import tracefs: a 6.12 failure (va_start = vend) never retried is counted, not replayed" {
	grep 'size=20480' tracefs-6.12 > "$OUT/f"
	grep 'failed=1' tracefs-6.12 >> "$OUT/f"
	run "$KVALAB" import tracefs "$OUT/f" -o "$OUT/t"
	assert_success
	assert_line --index 0 "kvalab: import: 1 allocations failed in the kernel, not replayed (lines 2)"
	assert_line --index 1 "kvalab: import: 1 allocs (0 failed attempts folded, 1 never succeeded), 0 frees, 0 purges, 0 other lines ignored, slice 1M -> $OUT/t"
	grep -qx '# 1 allocations failed in the kernel (no successful retry): not replayed' "$OUT/t"
	grep -qx '#   line 2: 4194304 bytes, 1 attempt, va_start=vend: the trace ends before a retry' "$OUT/t"
	[ "$(grep -c '^@.* a ' "$OUT/t")" -eq 1 ]
}

# tracefs-7.3-synthetic's lines (see fixtures/import/README.md): 18-21 a
# blocking failure, a softirq's alloc on the same task, the purge, the
# retry; 22-26 non-blocking failures; 27-30 a blocking call that gives up;
# 33 a purge by another task; 34 a failure the trace ends on.
@test "import tracefs: a 7.3 trace (synthetic, errno failures) gives the exact trace" {
	run "$KVALAB" import tracefs tracefs-7.3-synthetic -o "$OUT/t"
	assert_success
	assert_output "kvalab: import: 4 allocations failed in the kernel, not replayed (lines 22 25 27 34)
kvalab: import: 8 allocs (1 failed attempts folded, 4 never succeeded), 2 frees, 3 purges, 0 other lines ignored, slice 9M -> $OUT/t"
	diff -u tracefs-7.3-synthetic.trace "$OUT/t"
}

@test "import tracefs: 7.x errno failure, purge and retry fold into the retry (an interrupt between is another context)" {
	sed -n '18,21p' tracefs-7.3-synthetic > "$OUT/f"
	run "$KVALAB" import tracefs "$OUT/f" -o "$OUT/t"
	assert_success
	assert_output "kvalab: import: 2 allocs (1 failed attempts folded, 0 never succeeded), 0 frees, 1 purges, 0 other lines ignored, slice 9M -> $OUT/t"
	run grep -v '^#' "$OUT/t"
	assert_line --index 1 '@100100200000 a 0 8192 flags=noguard'
	assert_line --index 3 '@100101200000 a 1 4194304 flags=noguard'
}

@test "import tracefs: 7.x non-blocking failures (errno, no purge) fold into no later allocation" {
	sed -n '22,26p;33p' tracefs-7.3-synthetic > "$OUT/f"
	run "$KVALAB" import tracefs "$OUT/f" -o "$OUT/t"
	assert_success
	assert_output "kvalab: import: 2 allocations failed in the kernel, not replayed (lines 1 4)
kvalab: import: 3 allocs (0 failed attempts folded, 2 never succeeded), 0 frees, 1 purges, 0 other lines ignored, slice 1M -> $OUT/t"
	run grep '^#  ' "$OUT/t"
	assert_output "#   line 1: 8192 bytes, 1 attempt, va_start=-ENOMEM: no purge, no retry (a non-blocking caller)
#   line 4: 8192 bytes, 1 attempt, va_start=-ENOMEM: no purge, no retry (a non-blocking caller)"
}

@test "import tracefs: a blocking call failing again after its purge is one failure of 2 attempts" {
	sed -n '27,30p' tracefs-7.3-synthetic > "$OUT/f"
	run "$KVALAB" import tracefs "$OUT/f" -o "$OUT/t"
	assert_success
	assert_output "kvalab: import: 1 allocations failed in the kernel, not replayed (lines 1)
kvalab: import: 1 allocs (0 failed attempts folded, 1 never succeeded), 0 frees, 1 purges, 0 other lines ignored, slice 1M -> $OUT/t"
	grep -qx '#   line 1: 33554432 bytes, 2 attempts, va_start=-ENOENT: given up after purging' "$OUT/t"
}

@test "import tracefs: without purge events in the text, a same-task same-size success is the retry" {
	sed -n '25,26p' tracefs-7.3-synthetic > "$OUT/f"
	run "$KVALAB" import tracefs "$OUT/f" -o "$OUT/t"
	assert_success
	assert_output "kvalab: import: 1 allocs (1 failed attempts folded, 0 never succeeded), 0 frees, 0 purges, 0 other lines ignored, slice 1M -> $OUT/t"
}

@test "import tracefs: more than 64 calls pending at once: the oldest is counted as failed" {
	grep 'size=20480' tracefs-6.12 > "$OUT/f"
	for pid in $(seq 100 164); do
		echo "  t-$pid [000] ..... 42.000000: alloc_vmap_area: va_start: 18446744073709551614 size=8192 align=4096 vstart=0xffffc90000000000 vend=0xffffe8ffffffffff failed=1"
	done >> "$OUT/f"
	run "$KVALAB" import tracefs "$OUT/f" -o "$OUT/t"
	assert_success
	assert_line --index 0 "kvalab: import: 65 allocations failed in the kernel, not replayed (lines 2 3 4 5 6 ...)"
	grep -qx '#   line 2: 8192 bytes, 1 attempt, va_start=-ENOENT: too many calls pending at once to follow' "$OUT/t"
	grep -qx '#   line 3: 8192 bytes, 1 attempt, va_start=-ENOENT: the trace ends before a retry' "$OUT/t"
	grep -qx '#   and 60 more' "$OUT/t"
}

@test "import tracefs: a start allocated again while live frees the old area" {
	grep 'size=20480' tracefs-6.12 > "$OUT/f"
	grep 'size=20480' tracefs-6.12 | sed 's/41\.204511/41.300000/' >> "$OUT/f"
	run "$KVALAB" import tracefs "$OUT/f" -o "$OUT/t"
	assert_success
	run grep -v '^#' "$OUT/t"
	assert_line --index 1 '@41204511000 a 0 20480 align=16384 flags=noguard'
	assert_line --index 2 '@41300000000 f 0'
	assert_line --index 3 '@41300000000 a 1 20480 align=16384 flags=noguard'
}

@test "import tracefs: malformed event lines are refused with their line number" {
	local -a cases=(
		'alloc_vmap_area: va_start: 0x10 size=4096 align=1 vstart=0x0 vend=0x1 failed=0|alloc_vmap_area: expected '"'"'va_start: N size=N align=N vstart=0xH vend=0xH failed=0|1'"'"''
		'alloc_vmap_area: va_start: 4096 size=4096 align=1 vstart=0x0 vend=0x1 failed=2|alloc_vmap_area: expected '"'"'va_start: N size=N align=N vstart=0xH vend=0xH failed=0|1'"'"''
		'alloc_vmap_area: va_start: 4096 size=100 align=1 vstart=0x0 vend=0x1 failed=0|alloc_vmap_area: size 100 or align 1 is not what the kernel allocates (page multiple, power of two)'
		'alloc_vmap_area: va_start: 4096 size=4096 align=3 vstart=0x0 vend=0x1 failed=0|alloc_vmap_area: size 4096 or align 3 is not what the kernel allocates (page multiple, power of two)'
		'alloc_vmap_area: va_start: 18446744073709551616 size=4096 align=1 vstart=0xffffc90000000000 vend=0xffffe8ffffffffff failed=0|alloc_vmap_area: expected '"'"'va_start: N size=N align=N vstart=0xH vend=0xH failed=0|1'"'"''
		'alloc_vmap_area: va_start: 18446744073709551604 size=4096 align=1 vstart=0xffffc90000000000 vend=0xffffe8ffffffffff failed=0|alloc_vmap_area: va_start 18446744073709551604 is an errno (-ENOMEM), not an address, but failed=0'
		'alloc_vmap_area: va_start: 18446683600570023936 size=4096 align=1 vstart=0xffffc90000000000 vend=0xffffe8ffffffffff failed=1|alloc_vmap_area: failed=1 with va_start 18446683600570023936, which is neither vend (Linux 6.2 to 6.15) nor an errno (6.16 on)'
		'alloc_vmap_area: va_start: 4096 size=4096 align=1 vstart=0xffffc90000000000 vend=0xffffe8ffffffffff failed=0|alloc_vmap_area: va_start 0x1000 cannot start 4096 bytes aligned to 1 between vstart and vend'
		'alloc_vmap_area: va_start: 18446683600570028032 size=4096 align=16384 vstart=0xffffc90000000000 vend=0xffffe8ffffffffff failed=0|alloc_vmap_area: va_start 0xffffc90000001000 cannot start 4096 bytes aligned to 16384 between vstart and vend'
		'alloc_vmap_area: va_start: 18446718784942108672 size=8192 align=1 vstart=0xffffc90000000000 vend=0xffffe8ffffffffff failed=0|alloc_vmap_area: va_start 0xffffe8fffffff000 cannot start 8192 bytes aligned to 1 between vstart and vend'
		'free_vmap_area_noflush: va_start=4096 nr_lazy=1 nr_lazy_max=2|free_vmap_area_noflush: expected '"'"'va_start=0xH nr_lazy=N nr_lazy_max=N'"'"''
		'free_vmap_area_noflush: va_start=0x1000 nr_lazy=1|free_vmap_area_noflush: expected '"'"'va_start=0xH nr_lazy=N nr_lazy_max=N'"'"''
		'purge_vmap_area_lazy: start=0x1000 end=0x2000 num_purged=1 extra|purge_vmap_area_lazy: expected '"'"'start=0xH end=0xH num_purged=N'"'"''
	)
	local c
	for c in "${cases[@]}"; do
		{ head -n 13 tracefs-6.12; echo "  x-1 [000] ..... 50.000000: ${c%%|*}"; } > "$OUT/bad"
		run -1 "$KVALAB" import tracefs "$OUT/bad" -o "$OUT/t"
		assert_output "kvalab: import: $OUT/bad: line 14: ${c#*|}"
	done
}

@test "import tracefs: timestamps going backwards are refused" {
	{ head -n 14 tracefs-6.12; echo "  x-1 [000] ..... 1.000000: purge_vmap_area_lazy: start=0x1000 end=0x2000 num_purged=1"; } > "$OUT/bad"
	run -1 "$KVALAB" import tracefs "$OUT/bad" -o "$OUT/t"
	assert_output "kvalab: import: $OUT/bad: line 15: timestamp goes backwards (1000000000 ns after 41204733000 ns): not one time-ordered trace"
}

@test "import tracefs: a trace without vmalloc events is refused" {
	head -n 12 tracefs-6.12 > "$OUT/none"
	run -1 "$KVALAB" import tracefs "$OUT/none" -o "$OUT/t"
	assert_output "kvalab: import: $OUT/none: no vmalloc events (alloc_vmap_area, free_vmap_area_noflush, purge_vmap_area_lazy) in 12 lines"
}

@test "import tracefs: LOST EVENTS lines are warned about and noted" {
	{ cat tracefs-6.12; echo "CPU:1 [LOST 12 EVENTS]"; } > "$OUT/lost"
	run "$KVALAB" import tracefs "$OUT/lost" -o "$OUT/t"
	assert_success
	assert_output --partial "warning: 1 LOST EVENTS lines: the trace buffer overflowed"
	grep -qx '# the capture lost events (1 LOST lines): frees may be missing' "$OUT/t"
}

@test "import: usage errors exit 2" {
	run -2 "$KVALAB" import
	assert_output --partial "missing KIND (vmallocinfo or tracefs)"
	run -2 "$KVALAB" import vmallocinfo
	assert_output --partial "missing FILE"
	run -2 "$KVALAB" import vmallocinfo vmallocinfo-6.1
	assert_output --partial "missing -o TRACE"
	run -2 "$KVALAB" import slabinfo x -o y
	assert_output --partial "unknown KIND 'slabinfo' (vmallocinfo or tracefs)"
	run -2 "$KVALAB" import tracefs tracefs-6.12 --scale 2 -o y
	assert_output --partial "--scale applies to vmallocinfo only"
	run -2 "$KVALAB" import vmallocinfo vmallocinfo-6.1 --scale 0 -o y
	assert_output --partial "--scale '0' is not a positive number or 'fit'"
	run -2 "$KVALAB" import vmallocinfo vmallocinfo-6.1 --slice-size 5000 -o y
	assert_output --partial "--slice-size '5000' is not a non-zero multiple of the page size"
	run -2 "$KVALAB" import vmallocinfo vmallocinfo-6.1 --scale fit -o y
	assert_output --partial "--scale fit needs --slice-size"
	run -1 "$KVALAB" import vmallocinfo /nonexistent -o y
	assert_output "kvalab: import: cannot read /nonexistent: No such file or directory"
}

@test "capture: a kernel without events/vmalloc (6.1) is told they start in 6.2" {
	mkdir -p "$OUT/tfs/events/sched"
	: > "$OUT/tfs/trace"
	KVALAB_TRACEFS=$OUT/tfs run -1 "$KVALAB" capture --seconds 1 -o "$OUT/t"
	assert_output --regexp "^kvalab: capture: $OUT/tfs has no events/vmalloc/: the vmalloc trace events \(alloc_vmap_area, free_vmap_area_noflush, purge_vmap_area_lazy\) exist only from Linux 6.2, and this kernel is .*; import a /proc/vmallocinfo snapshot instead"
}

@test "capture: enables, waits, disables and converts (fake tracefs)" {
	mkdir -p "$OUT/tfs/events/vmalloc"
	echo 0 > "$OUT/tfs/events/vmalloc/enable"
	echo stale > "$OUT/tfs/trace"
	KVALAB_TRACEFS=$OUT/tfs "$KVALAB" capture --seconds 3 -o "$OUT/t" \
		3>&- 2> "$OUT/err" &
	pid=$!
	# Once the events are on, the buffer was cleared: the "kernel" writes.
	for _ in $(seq 50); do
		[ "$(cat "$OUT/tfs/events/vmalloc/enable")" = 1 ] && break
		sleep 0.1
	done
	[ "$(cat "$OUT/tfs/events/vmalloc/enable")" = 1 ]
	[ ! -s "$OUT/tfs/trace" ] || [ "$(cat "$OUT/tfs/trace")" = "" ]
	cp tracefs-6.12 "$OUT/tfs/trace"
	wait "$pid"
	[ "$(cat "$OUT/tfs/events/vmalloc/enable")" = 0 ]
	grep -q 'recording vmalloc events for 3 s' "$OUT/err"
	sed "s|$OUT/tfs/trace|tracefs-6.12|; s|source=capture|source=tracefs|" "$OUT/t" \
		| diff -u tracefs-6.12.trace -
}

@test "capture: usage errors exit 2" {
	run -2 "$KVALAB" capture
	assert_output --partial "missing -o TRACE"
	run -2 "$KVALAB" capture --seconds 0 -o x
	assert_output --partial "--seconds '0' is not 1..86400"
	run -2 "$KVALAB" capture -o x extra
	assert_output --partial "unexpected argument 'extra'"
}
