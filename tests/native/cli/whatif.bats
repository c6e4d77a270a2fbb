#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# kvalab whatif (docs/sim.md): a failed vmap request tried against a real
# /proc/vmallocinfo layout under every policy and search mode, before and
# after the snapshot's unpurged ranges are purged. The expected answers on
# the real snapshots (tests/data/vmallocinfo-6.12.txt, -6.1.txt) are
# computed by hand from the files; the arithmetic is in the comments. Then
# --dmesg on fixtures/whatif/dmesg.txt (a constructed log in the format of
# 6.1's messages: timestamps, a syslog prefix, a dmesg -t line, and the
# vmalloc error lines that follow a failure, which are not failures of
# their own), the JSON, the inferred range, and bad input: refused with
# the importer's reasons or LOG:LINE, exit 1 or 2, never a crash.
#
# Run: bats --tap tests/native/cli

bats_require_minimum_version 1.5.0
export BATS_LIB_PATH=${BATS_LIB_PATH:-/usr/lib/bats}
bats_load_library bats-support
bats_load_library bats-assert

TOP=$(cd "$BATS_TEST_DIRNAME/../../.." && pwd)
KVALAB=${KVALAB:-$TOP/userspace-tools/kvalab}
DATA=$TOP/tests/data
FIX=$BATS_TEST_DIRNAME/fixtures/whatif

setup_file() {
	if [ -z "${KVALAB_NO_BUILD:-}" ]; then
		make -s -C "$TOP/userspace-tools" >&2
	fi
	[ -x "$KVALAB" ]
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	# whatif runs on the sim: it must not need the module.
	export KVALAB_DEBUGFS=$BATS_TEST_TMPDIR/no-debugfs
}

# The vmalloc clusters of the real snapshots, first area start to last
# area end (see the tests for the areas this leaves out).
R612=0xff82d42e40000000-0xff82d42e40641000
R61=0xff6cdc27c0000000-0xff6cdc27c07d8000

# The table rows of $output: policy search fits where largest short_by
# purged where_purged largest_purged.
rows() { awk '/^policy /{t=1; next} /^fits now/{t=0} t' <<<"$output"; }

# Every row of $output matches the awk condition $1 (fields as rows()),
# and there is at least one.
all_rows() {
	local n bad
	n=$(rows | wc -l)
	bad=$(rows | awk "!($1)")
	[ "$n" -gt 0 ] || { echo "no rows"; return 1; }
	[ -z "$bad" ] || { echo "rows failing '$1':"; echo "$bad"; return 1; }
}

@test "whatif: help and man page" {
	run "$KVALAB" --help
	assert_success
	assert_line --regexp '^  whatif SNAPSHOT SIZE\|--dmesg LOG \[--align N\]'
	grep -Eq '^\.B whatif( |$)' "$TOP/docs/kvalab.1"
	run "$KVALAB" whatif --help
	assert_success
	assert_line --index 0 --regexp '^Usage: kvalab whatif SNAPSHOT '
}

# vmallocinfo-6.12.txt: 94 lines. The vmalloc cluster runs from line 1
# (0xff82d42e40000000) to line 93's end (0xff82d42e40641000): 92 areas,
# one of them line 94's unpurged vm_area (20480 bytes). Left out by $R612:
# line 45, the percpu first chunk at the top of the vmalloc space
# (0xffb4d42e3fc00000), and line 46, bpf_prog_pack in the modules area
# (0xffffffffc01a6000). Gaps (low 32 bits of the addresses):
#   largest: line 44 ends 0x404cd000, line 92 starts 0x40618000:
#            0x40618000 - 0x404cd000 = 0x14b000 = 1355776 (331 pages)
#   next:    line 91 ends 0x4045d000, line 42 starts 0x404a0000:
#            0x43000 = 274432 (67 pages)
# The purge frees 0x40440000-0x40445000 (line 94) between line 89 (ends
# 0x4043d000) and line 41 (starts 0x40448000): 12288 + 20480 + 12288 =
# 45056 bytes, less than 1355776: the largest free area stays 1355776.

@test "whatif: 6.12 snapshot: 1M fits only in the largest gap, under every policy" {
	# 1M = 1048576 > 274432: only the 1355776 gap holds it, so every
	# placement is in [0x404cd000, 0x40618000 - 0x100000 = 0x40518000];
	# lowest (first fit by address) takes its start.
	run "$KVALAB" whatif "$DATA/vmallocinfo-6.12.txt" 1M --range "$R612"
	assert_success
	assert_line --index 0 'request 1 of 1: size 1048576 (1M) align 4096, from command line'
	assert_line --index 1 "range: $R612 (--range)"
	assert_line --index 2 'layout: 92 areas, 1 unpurged (20480 bytes); 2 left out, wholly outside the range, which the search never looks at'
	all_rows '$3 == "yes" && $5 == 1355776 && $6 == 0 && $7 == "yes" && $9 == 1355776'
	all_rows '$4 >= "0xff82d42e404cd000" && $4 <= "0xff82d42e40518000"'
	assert_line --regexp '^lowest +exact +yes +0xff82d42e404cd000 +1355776 +0 +yes +0xff82d42e404cd000 +1355776$'
	[ "$(rows | wc -l)" -ge 12 ]
	assert_line --regexp '^fits now under ([0-9]+) of \1 policy x search, after the purge under \1 of \1$'
}

@test "whatif: 6.12 snapshot: one page more than the largest gap fits nowhere" {
	# 1355776 + 4096 = 1359872: short by 4096 before and after the purge.
	run "$KVALAB" whatif "$DATA/vmallocinfo-6.12.txt" 1359872 --range "$R612"
	assert_success
	all_rows '$3 == "no" && $4 == "-" && $5 == 1355776 && $6 == 4096 && $7 == "no" && $8 == "-" && $9 == 1355776'
	assert_line --regexp '^fits now under 0 of [0-9]+ policy x search, after the purge under 0 of [0-9]+$'
}

@test "whatif: 6.12 snapshot: 40K fits only after line 94's unpurged area is purged" {
	# With the range ending at line 41's end (0xff82d42e4044d000), right
	# after the merged gap, the largest gap is line 40's end 0x40429000
	# to line 88's start 0x40430000: 0x7000 = 28672 (7 pages). 40960 (10
	# pages) is short by 40960 - 28672 = 12288 now and fits after the
	# purge in the 45056 (11 pages: 3 + 5 + 3 above) at 0x4043d000, the
	# only place: at 0x4043d000 or a page higher. 40960 + 4095 = 45055 <=
	# 45056, so the padded search enters it too.
	# In the range: the 92 cluster areas less the 7 above 0x4044d000
	# (lines 90, 91, 42, 43, 44, 92, 93) = 85; left out 7 + 2 = 9.
	run "$KVALAB" whatif "$DATA/vmallocinfo-6.12.txt" 40960 \
		--range 0xff82d42e40000000-0xff82d42e4044d000
	assert_success
	assert_line --index 2 'layout: 85 areas, 1 unpurged (20480 bytes); 9 left out, wholly outside the range, which the search never looks at'
	all_rows '$3 == "no" && $5 == 28672 && $6 == 12288 && $7 == "yes" && $9 == 45056'
	all_rows '$8 >= "0xff82d42e4043d000" && $8 <= "0xff82d42e4043e000"'
	assert_line --regexp '^lowest +exact +no +- +28672 +12288 +yes +0xff82d42e4043d000 +45056$'
}

@test "whatif: 6.12 snapshot: an exact fit after the purge, which padded rows may miss" {
	# 45056 fills the merged gap exactly: every exact row fits there after
	# the purge (short by 45056 - 28672 = 16384 before). The padded search
	# enters a subtree only for 45056 + 4095 = 49151 bytes, more than any
	# free area, so it finds the gap only when it is a node on its descent
	# path: which padded rows miss depends on the tree's shape; each 'no'
	# is explained by the note.
	run "$KVALAB" whatif "$DATA/vmallocinfo-6.12.txt" 45056 \
		--range 0xff82d42e40000000-0xff82d42e4044d000
	assert_success
	all_rows '$6 == 16384 && ($2 != "exact" || ($7 == "yes" && $8 == "0xff82d42e4043d000"))'
	if rows | awk '$2 == "padded" && $7 == "no"' | grep -q .; then
		assert_line "note: a padded 'no' whose largest free area is at least the size: the search of v5.2 until 2021 enters a subtree only for size + align - 1 (49151) bytes, so it can miss an area the request fits only exactly or only at an aligned start inside it"
	fi
}

# vmallocinfo-6.1.txt: 116 lines. The vmalloc cluster is every line but 85
# (the percpu first chunk, 0xff9edc27bfc00000) and 86 (bpf_prog_pack,
# 0xffffffffc0226000), from 0xff6cdc27c0000000 to line 84's end
# 0xff6cdc27c07d8000: 114 areas, 30 of them unpurged (lines 87-116, 20480
# bytes each: 614400). Gaps (low 32 bits):
#   largest: line 116 (unpurged) ends 0x40595000, line 84 starts
#            0x407d4000: 0x23f000 = 2355200 (575 pages)
#   next:    line 88 (unpurged) ends 0x403fd000, line 74 starts
#            0x40405000: 0x8000 = 32768
# After the purge, lines 108-116 (9 unpurged areas 0x40550000-0x40595000)
# join it: line 83 ends 0x4054d000, so 0x407d4000 - 0x4054d000 = 0x287000
# = 2650112 (647 pages) = 2355200 + 9 * 20480 + 9 * 12288 (the 3-page
# gaps before each). Nothing else the purge frees comes near it.

@test "whatif: 6.1 snapshot: 2M fits now; 2646016 only after the purge; 2654208 nowhere" {
	run "$KVALAB" whatif "$DATA/vmallocinfo-6.1.txt" 2M --range "$R61"
	assert_success
	assert_line --index 2 'layout: 114 areas, 30 unpurged (614400 bytes); 2 left out, wholly outside the range, which the search never looks at'
	# 2097152 <= 2355200, > 32768: only the largest gap, [0x40595000,
	# 0x407d4000 - 0x200000 = 0x405d4000]; after the purge in [0x4054d000,
	# 0x405d4000].
	all_rows '$3 == "yes" && $5 == 2355200 && $6 == 0 && $7 == "yes" && $9 == 2650112'
	all_rows '$4 >= "0xff6cdc27c0595000" && $4 <= "0xff6cdc27c05d4000"'
	all_rows '$8 >= "0xff6cdc27c054d000" && $8 <= "0xff6cdc27c05d4000"'
	assert_line --regexp '^lowest +exact +yes +0xff6cdc27c0595000 +2355200 +0 +yes +0xff6cdc27c054d000 +2650112$'

	# 2646016 (646 pages): short by 2646016 - 2355200 = 290816 (71
	# pages) now; after the purge only the merged gap holds it, at
	# 0x4054d000 or a page higher (2646016 + 4095 <= 2650112: the padded
	# search enters it too).
	run "$KVALAB" whatif "$DATA/vmallocinfo-6.1.txt" 2646016 --range "$R61"
	assert_success
	all_rows '$3 == "no" && $6 == 290816 && $7 == "yes" && $9 == 2650112'
	all_rows '$8 >= "0xff6cdc27c054d000" && $8 <= "0xff6cdc27c054e000"'
	assert_line --regexp '^lowest +exact +no +- +2355200 +290816 +yes +0xff6cdc27c054d000 +2650112$'

	# 2650112: the exact fit of the merged gap; short by 294912 now;
	# every exact row fits at 0x4054d000 after the purge.
	run "$KVALAB" whatif "$DATA/vmallocinfo-6.1.txt" 2650112 --range "$R61"
	assert_success
	all_rows '$3 == "no" && $6 == 294912 && ($2 != "exact" || ($7 == "yes" && $8 == "0xff6cdc27c054d000"))'

	# 2654208 = 2650112 + 4096: short by 2654208 - 2355200 = 299008 now,
	# and by a page after the purge.
	run "$KVALAB" whatif "$DATA/vmallocinfo-6.1.txt" 2654208 --range "$R61"
	assert_success
	all_rows '$3 == "no" && $6 == 299008 && $7 == "no" && $9 == 2650112'
}

@test "whatif: --policy and --search choose the rows" {
	run "$KVALAB" whatif "$DATA/vmallocinfo-6.1.txt" 2646016 --range "$R61" \
		--policy lowest,best-fit --search padded
	assert_success
	[ "$(rows | wc -l)" -eq 2 ]
	assert_line --regexp '^lowest +padded +no +- +2355200 +290816 +yes +0xff6cdc27c054[de]000 +2650112$'
	assert_line --regexp '^best-fit +padded +no +- +2355200 +290816 +yes +0xff6cdc27c054[de]000 +2650112$'
	assert_line 'fits now under 0 of 2 policy x search, after the purge under 2 of 2'
}

@test "whatif: --dmesg tries every failure line, named LOG:LINE" {
	# Lines 4, 8 and 10 of the log (see the 6.1 arithmetic above):
	# 2654208 fits nowhere, 2646016 after the purge, 2101248 (2M + the
	# guard page) now, lowest at the largest gap's start 0x40595000.
	cp "$FIX/dmesg.txt" .
	run "$KVALAB" whatif "$DATA/vmallocinfo-6.1.txt" --dmesg dmesg.txt --range "$R61"
	assert_success
	assert_line 'request 1 of 3: size 2654208 (2592K) align 4096, from dmesg.txt:4'
	assert_line 'request 2 of 3: size 2646016 (2584K) align 4096, from dmesg.txt:8'
	assert_line 'request 3 of 3: size 2101248 (2052K) align 4096, from dmesg.txt:10'
	[ "$(grep -c '^request ' <<<"$output")" -eq 3 ]
	assert_line --regexp '^fits now under 0 of ([0-9]+) policy x search, after the purge under 0 of \1$'
	assert_line --regexp '^fits now under 0 of ([0-9]+) policy x search, after the purge under \1 of \1$'
	assert_line --regexp '^fits now under ([0-9]+) of \1 policy x search, after the purge under \1 of \1$'
	assert_line --regexp '^lowest +exact +yes +0xff6cdc27c0595000 +2355200 +0 +yes +0xff6cdc27c054d000 +2650112$'
	# --align applies to every request of the log.
	run "$KVALAB" whatif "$DATA/vmallocinfo-6.1.txt" --dmesg dmesg.txt \
		--range "$R61" --align 64K --policy lowest --search exact
	assert_success
	assert_line 'request 3 of 3: size 2101248 (2052K) align 65536, from dmesg.txt:10'
	# 0x40595000 rounded up to 64K: 0x405a0000, + 2101248 = 0x407a1000
	# <= 0x407d4000: it still fits, 44K higher.
	assert_line --regexp '^lowest +exact +yes +0xff6cdc27c05a0000 '
}

@test "whatif: JSON holds one record per request, policy and search" {
	cp "$FIX/dmesg.txt" .
	run "$KVALAB" whatif "$DATA/vmallocinfo-6.1.txt" --dmesg dmesg.txt \
		--range "$R61" --json out.json
	assert_success
	local nrows
	nrows=$(rows | wc -l)
	python3 - "$nrows" out.json <<'EOF'
import json, sys
nrows, path = int(sys.argv[1]), sys.argv[2]
d = json.load(open(path))
recs = d["records"]
assert d["range"] == {"start": "0xff6cdc27c0000000", "end": "0xff6cdc27c07d8000",
                      "inferred": False, "how": "--range"}, d["range"]
assert d["layout"] == {"areas": 114, "unpurged": 30, "unpurged_bytes": 614400,
                       "left_out": 2}, d["layout"]
assert len(recs) == nrows, (len(recs), nrows)
pols = {r["policy"] for r in recs}
searches = {r["search"] for r in recs}
assert searches == {"exact", "padded"}, searches
for req, src in ((1, "dmesg.txt:4"), (2, "dmesg.txt:8"), (3, "dmesg.txt:10")):
    mine = [r for r in recs if r["request"] == req]
    assert len(mine) == len(pols) * len(searches), (req, len(mine))
    assert {(r["policy"], r["search"]) for r in mine} == \
        {(p, s) for p in pols for s in searches}
    assert all(r["source"] == src and r["align"] == 4096 for r in mine)
r = [r for r in recs if r["request"] == 2 and r["policy"] == "lowest"
     and r["search"] == "exact"][0]
assert r["size"] == 2646016 and r["fits"] is False and r["addr"] is None, r
assert r["largest_free"] == 2355200 and r["short_by"] == 290816, r
assert r["purged_fits"] is True and r["purged_addr"] == "0xff6cdc27c054d000", r
assert r["purged_largest_free"] == 2650112, r
EOF
	# --json -: the JSON alone on stdout.
	run --separate-stderr "$KVALAB" whatif "$DATA/vmallocinfo-6.12.txt" 64K --json -
	assert_success
	python3 -c 'import json, sys; d = json.loads(sys.argv[1]); assert d["range"]["inferred"] and len(d["records"]) > 0' "$output"
}

@test "whatif: the inferred range of the 6.12 snapshot fits a small request everywhere" {
	# 0xff82d42e40000000 is 1 GiB aligned and below 0xffff800000000000
	# (5-level paging): + 12800 TiB = + 0x32000000000000 =
	# 0xffb4d42e40000000. The percpu chunk (0xffb4d42e3fc00000-
	# 0xffb4d42e3fe00000) is inside; bpf_prog_pack (0xffffffffc01a6000)
	# in the modules area is left out: 93 areas.
	run "$KVALAB" whatif "$DATA/vmallocinfo-6.12.txt" 64K
	assert_success
	assert_line --index 1 'range: 0xff82d42e40000000-0xffb4d42e40000000 (inferred: the lowest area 0xff82d42e40000000 rounded down to 1 GiB, plus 12800 TiB: x86-64'"'"'s vmalloc space with 5-level paging)'
	assert_line --index 2 'layout: 93 areas, 1 unpurged (20480 bytes); 1 left out, in the kernel image and modules map (0xffffffff80000000 and up), which vmalloc() never searches'
	all_rows '$3 == "yes" && $7 == "yes"'
	# lowest: the first gap of 64K or more by address, 0x4045d000 (274432).
	assert_line --regexp '^lowest +exact +yes +0xff82d42e4045d000 '
}

@test "whatif: a 4-level snapshot infers 32 TiB; an area beyond asks for --range" {
	cat > v <<'EOF'
0xffffc90000000000-0xffffc90000005000   20480 irq_init_percpu_irqstack+0xf4/0x130 vmap
0xffffc90000005000-0xffffc90000007000    8192 acpi_os_map_iomem+0x1a9/0x1e0 phys=0x000000003ffe1000 ioremap
0xffffffffc0000000-0xffffffffc0005000   20480 load_module+0x1/0x2 pages=4 vmalloc
EOF
	# 0xffffc90000000000 + 32 TiB (0x200000000000) = 0xffffe90000000000.
	run "$KVALAB" whatif v 64K --policy lowest --search exact
	assert_success
	assert_line --index 1 'range: 0xffffc90000000000-0xffffe90000000000 (inferred: the lowest area 0xffffc90000000000 rounded down to 1 GiB, plus 32 TiB: x86-64'"'"'s vmalloc space with 4-level paging)'
	assert_line --regexp '^lowest +exact +yes +0xffffc90000007000 +35184372060160 '
	echo '0xffffea0000000000-0xffffea0000002000    8192 f+0x1/0x2 pages=1 vmalloc' >> v
	run -1 "$KVALAB" whatif v 64K
	assert_output "kvalab: whatif: v: line 4: 0xffffea0000000000-0xffffea0000002000 ends beyond the inferred range 0xffffc90000000000-0xffffe90000000000 (inferred: the lowest area 0xffffc90000000000 rounded down to 1 GiB, plus 32 TiB: x86-64's vmalloc space with 4-level paging): pass --range START-END"
	run "$KVALAB" whatif v 64K --range 0xffffc90000000000-0xfffff00000000000 --policy lowest --search exact
	assert_success
	assert_line --index 2 'layout: 3 areas, 0 unpurged (0 bytes); 1 left out, wholly outside the range, which the search never looks at'
}

@test "whatif: snapshots without real addresses are refused as the importer refuses them" {
	printf '%s\n' '0x00000000d8d25554-0x00000000e136af8e   20480 f+0x1/0x2 pages=4 vmalloc N0=4' \
		'0x0000000071e0a7e1-0x000000004c1a2d9b    8192 g+0x1/0x2 pages=1 vmalloc N0=1' > hashed
	run -1 "$KVALAB" whatif hashed 64K
	assert_output "kvalab: whatif: hashed: the addresses are hashed (line 1: 0x00000000d8d25554-0x00000000e136af8e for 20480 bytes is no page-aligned kernel range of that size): /proc/vmallocinfo prints %pK values, hashed unless kptr_restrict=1 and the reader has CAP_SYSLOG; take the snapshot again as root after 'echo 1 > /proc/sys/kernel/kptr_restrict'"
	printf '0x0000000000000000-0x0000000000000000   20480 f+0x1/0x2 pages=4 vmalloc\n%.0s' 1 2 > zero
	run -1 "$KVALAB" whatif zero 64K
	assert_output "kvalab: whatif: zero: every address is zero: the snapshot was taken with kptr_restrict=2 (or without CAP_SYSLOG); take it again as root after 'echo 1 > /proc/sys/kernel/kptr_restrict'"
	printf '%s\n' '0xffffc90000000000-0xffffc90000005000   20480 f+0x1/0x2 vmap' garbage > bad
	run -1 "$KVALAB" whatif bad 64K
	assert_output "kvalab: whatif: bad: line 2: expected '0xSTART-0xEND SIZE ...', not 'garbage'"
	run -1 "$KVALAB" whatif /nonexistent 64K
	assert_output "kvalab: whatif: cannot read /nonexistent: No such file or directory"
}

@test "whatif: bad logs are refused as LOG:LINE: reason, exit 1" {
	printf '%s\n' '[    1.000000] Linux version 6.1.0-57-amd64' '[    2.000000] Freeing unused kernel image' > nofail
	run -1 "$KVALAB" whatif "$DATA/vmallocinfo-6.1.txt" --dmesg nofail
	assert_output "kvalab: whatif: nofail: no 'vmap allocation for size N failed' line: nothing to try (dmesg of the machine that failed, with the kernel's messages)"
	printf '%s\n' '[    1.000000] Linux version 6.1.0-57-amd64' \
		'[   12.345678] vmap allocation for size 12ab failed: use vmalloc=<size> to increase size' > malformed
	run -1 "$KVALAB" whatif "$DATA/vmallocinfo-6.1.txt" --dmesg malformed
	assert_output "kvalab: whatif: malformed:2: '12ab' is not a size in decimal bytes (expected 'vmap allocation for size N failed')"
	printf '%s\n' '[   12.345678] vmap allocation for size 8192' > cut
	run -1 "$KVALAB" whatif "$DATA/vmallocinfo-6.1.txt" --dmesg cut
	assert_output "kvalab: whatif: cut:1: no ' failed' after 'vmap allocation for size 8192' (a cut line?)"
	printf '%s\n' '[   12.345678] vmap allocation for size 6000 failed: use vmalloc=<size> to increase size' > unaligned
	run -1 "$KVALAB" whatif "$DATA/vmallocinfo-6.1.txt" --dmesg unaligned
	assert_output "kvalab: whatif: unaligned:1: size 6000 is not a non-zero multiple of the page size (4096): not a vmap span"
	printf '%s\n' '[   12.345678] vmap allocation for size 99999999999999999999999 failed: use vmalloc=<size> to increase size' > huge
	run -1 "$KVALAB" whatif "$DATA/vmallocinfo-6.1.txt" --dmesg huge
	assert_output "kvalab: whatif: huge:1: size 99999999999999999999999 is out of range"
	run -1 "$KVALAB" whatif "$DATA/vmallocinfo-6.1.txt" --dmesg /nonexistent
	assert_output "kvalab: whatif: cannot read /nonexistent: No such file or directory"
}

@test "whatif: a --range that cuts an area or holds none is refused, exit 1" {
	# 0xff6cdc27c0002000 is inside line 1 (0xff6cdc27c0000000-0xff6cdc27c0005000).
	run -1 "$KVALAB" whatif "$DATA/vmallocinfo-6.1.txt" 64K \
		--range 0xff6cdc27c0002000-0xff6cdc27c07d8000
	assert_output "kvalab: whatif: $DATA/vmallocinfo-6.1.txt: line 1: 0xff6cdc27c0000000-0xff6cdc27c0005000 crosses the start of the range 0xff6cdc27c0002000-0xff6cdc27c07d8000: the kernel never places an area across the bounds of the space it searches; fix --range"
	run -1 "$KVALAB" whatif "$DATA/vmallocinfo-6.1.txt" 64K \
		--range 0xff6cdc27c0000000-0xff6cdc27c07d6000
	assert_output --partial "line 84: 0xff6cdc27c07d4000-0xff6cdc27c07d8000 crosses the end of the range"
	run -1 "$KVALAB" whatif "$DATA/vmallocinfo-6.1.txt" 64K \
		--range 0xffffc90000000000-0xffffe90000000000
	assert_output "kvalab: whatif: $DATA/vmallocinfo-6.1.txt: none of its 116 areas lies inside the range 0xffffc90000000000-0xffffe90000000000; fix --range"
}

@test "whatif: usage errors exit 2" {
	local S=$DATA/vmallocinfo-6.1.txt
	run -2 "$KVALAB" whatif
	assert_line --index 0 'kvalab whatif: missing SNAPSHOT (a /proc/vmallocinfo)'
	run -2 "$KVALAB" whatif "$S"
	assert_line --index 0 'kvalab whatif: missing SIZE (or --dmesg LOG)'
	run -2 "$KVALAB" whatif "$S" 64K --dmesg "$FIX/dmesg.txt"
	assert_line --index 0 'kvalab whatif: give SIZE or --dmesg LOG, not both'
	run -2 "$KVALAB" whatif "$S" 64K 8K
	assert_line --index 0 "kvalab whatif: unexpected argument '8K'"
	local z
	for z in 6000 0 -4K 1.5M 64KB x; do
		run -2 "$KVALAB" whatif "$S" -- "$z"
		assert_line --index 0 "kvalab whatif: SIZE '$z' is not a non-zero multiple of the page size (4096; sizes are decimal or 0x hex bytes with an optional K, M, G, KiB, MiB or GiB suffix)"
	done
	for z in 0x1000 ff-fff 0x2000-0x1000 0x1000-0x1000 0x1800-0x4000 0x1000-0x4800 \
		0x1000- -0x4000 0xg000-0x4000 0x11111111111111111-0x4000 '0x1000 - 0x4000'; do
		run -2 "$KVALAB" whatif "$S" 64K --range "$z"
		assert_line --index 0 "kvalab whatif: --range '$z' is not START-END: hex addresses, page aligned, START below END"
	done
	run -2 "$KVALAB" whatif "$S" 64K --align 3K
	assert_line --index 0 --partial "--align '3K' is not a power of two"
	run -2 "$KVALAB" whatif "$S" 64K --policy nosuch
	assert_line --index 0 "kvalab whatif: --policy 'nosuch' is not a list of policy names or 'all'"
	run -2 "$KVALAB" whatif "$S" 64K --search sideways
	assert_line --index 0 "kvalab whatif: --search 'sideways' is not exact, padded or all"
	run -2 "$KVALAB" whatif "$S" 64K --bogus
	assert_line --index 0 "kvalab whatif: unknown option '--bogus'"
	run -2 "$KVALAB" whatif "$S" 64K --range
	assert_line --index 0 "kvalab whatif: option '--range' requires an argument"
}
