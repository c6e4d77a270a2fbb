#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# kvalab's debugfs vmallocinfo is in /proc/vmallocinfo's format, as a parser
# of the kernel's file sees it: Debian's jc (package jc, installed by make
# deps), `jc --proc-vmallocinfo`. The inputs were captured in guests of the
# oldest and newest test kernels, 6.1 and 7.3 (fixtures/vmallocinfo/: its
# README.md and capture.bats say how): busy areas (id=N lines), busy then lazy
# ones (unpurged vm_area), lazy ones only, an empty slice (0 bytes), a running
# workload's areas, a vmap block (vm_map_ram), and each guest's own
# /proc/vmallocinfo read as root. For each, jc must exit 0 and return one
# record per line, each the line's range, size, caller and options. Negative
# control: the same listings with the "#" header line kvalab printed before
# are refused by jc, so these tests fail if the header comes back.
#
# jc 1.22.5 (bookworm) files a line's key=value fields (pages=, phys=, N0=,
# id=) in the record of the line before, and the first line's in none: its
# parser updates the previous record's dict before it builds the line's own.
# So an id=N line's id is looked for among all records, and the first line's
# may be missing; which record holds it is jc's business.
#
# Run: bats --tap tests/native/cli

bats_require_minimum_version 1.5.0
export BATS_LIB_PATH=${BATS_LIB_PATH:-/usr/lib/bats}
bats_load_library bats-support
bats_load_library bats-assert

FIX=$BATS_TEST_DIRNAME/fixtures/vmallocinfo
KERNELS="6.1 7.3"
OLD_HEADER="# busy areas (/proc/vmallocinfo format, then id=N or workload), then lazy ones (unpurged vm_area)"

setup_file() {
	command -v jc >/dev/null || {
		echo "jc is not installed: run make deps (scripts/deps.sh installs Debian's jc)" >&2
		return 1
	}
}

setup() {
	J=$BATS_TEST_TMPDIR/jc.json
}

# jc_parse FILE: jc --proc-vmallocinfo on FILE (relative to the fixtures)
# exits 0, and its records, kept in $J, are FILE's lines one for one: same
# count, and each record the line's start, end, size, caller and the words
# without '=' after the caller ("unpurged vm_area" is the caller of a lazy
# line). The ids jc returns are the lines' ids (see the top of this file).
jc_parse() {
	local f=$FIX/$1
	[[ -f $f ]]
	run --separate-stderr jc --proc-vmallocinfo <"$f"
	assert_success
	printf '%s\n' "$output" >"$J"
	python3 - "$f" "$J" <<-'EOF'
	import json, sys
	path, jpath = sys.argv[1:3]
	lines = open(path).read().splitlines()
	recs = json.load(open(jpath))
	assert len(recs) == len(lines), \
	    f"{path}: {len(lines)} lines but jc returned {len(recs)} records"
	file_ids = []
	for n, (line, r) in enumerate(zip(lines, recs), 1):
	    w = line.split()
	    start, end = w[0].split("-")
	    lazy = line.endswith(" unpurged vm_area")
	    want = {"start": start, "end": end, "size": int(w[1]),
	            "caller": "unpurged vm_area" if lazy else w[2],
	            "options": [] if lazy else [x for x in w[3:] if "=" not in x]}
	    got = {k: r.get(k) for k in want}
	    assert got == want, f"{path}:{n}: {line!r}: jc gave {got}"
	    file_ids += [(n, int(x[3:])) for x in w if x.startswith("id=")]
	jc_ids = [r["id"] for r in recs if "id" in r]
	assert all(isinstance(i, int) for i in jc_ids), jc_ids
	assert set(jc_ids) <= {i for _, i in file_ids}, (jc_ids, file_ids)
	missing = {i for n, i in file_ids if n > 1} - set(jc_ids)
	assert not missing, f"{path}: jc lost id=N of lines: {sorted(missing)}"
	print(f"# {path.split('/fixtures/')[-1]}: {len(lines)} lines, {len(recs)} records, {len(file_ids)} id=N lines", file=sys.stderr)
	EOF
}

# jcq EXPR: EXPR (Python) over the records of the last jc_parse, as r.
jcq() {
	python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$J" "$1"
}

@test "jc is Debian's, with the proc-vmallocinfo parser" {
	run jc --version
	assert_success
	assert_line --partial "jc version:"
	run jc -h --proc-vmallocinfo
	assert_success
	assert_output --partial "/proc/vmallocinfo"
}

@test "busy: every line a record, id=N lines parse, the sizes of the areas allocated" {
	for k in $KERNELS; do
		jc_parse "$k/busy"
		[[ $(jcq 'len(r)') == 6 ]]
		# commands: alloc 12345 (id 1), 8K align=64K (2), 4K noguard (3),
		# 1M (4), 20K (5), 64K (6); guard pages but for id 3.
		grep -q ' 20480 control_write+0x[0-9a-f]*/0x[0-9a-f]* \[kvalab\] pages=4 vmalloc N0=4 id=1$' "$FIX/$k/busy"
		[[ $(jcq 'r[0]["size"], r[0]["caller"].split("+")[0], r[0]["options"]') == "(20480, 'control_write', ['[kvalab]', 'vmalloc'])" ]]
		[[ $(jcq 'sorted(x["size"] for x in r)') == "[4096, 12288, 20480, 24576, 69632, 1052672]" ]]
		[[ $(jcq 'sorted(x["id"] for x in r if "id" in x)') == "[2, 3, 4, 5, 6]" ]]
		[[ $(jcq 'all(x["options"] == ["[kvalab]", "vmalloc"] for x in r)') == True ]]
	done
}

@test "lazy: the busy lines, then unpurged vm_area lines as the kernel prints them" {
	for k in $KERNELS; do
		jc_parse "$k/lazy"
		grep -Eq '^0x[0-9a-f]{16}-0x[0-9a-f]{16}   24576 unpurged vm_area$' "$FIX/$k/lazy"
		# free 2 (8K align=64K: 12288) and free 5 (20K: 24576), after the
		# four busy lines, in address order.
		[[ $(jcq '[x["caller"] for x in r].count("unpurged vm_area")') == 2 ]]
		[[ $(jcq '[(x["caller"], x["size"], x["options"]) for x in r[4:]]') == "[('unpurged vm_area', 24576, []), ('unpurged vm_area', 12288, [])]" ]]
		[[ $(jcq 'all(x["caller"].startswith("control_write+") for x in r[:4])') == True ]]
	done
}

@test "lazy only: no busy area, and the lazy ones are still listed" {
	for k in $KERNELS; do
		jc_parse "$k/lazy-only"
		[[ $(jcq 'len(r), {x["caller"] for x in r}') == "(6, {'unpurged vm_area'})" ]]
		[[ $(jcq 'sum(x["size"] for x in r)') == $((20480 + 12288 + 4096 + 1052672 + 24576 + 69632)) ]]
	done
}

@test "empty: an empty slice's vmallocinfo is 0 bytes, and jc returns no record" {
	for k in $KERNELS; do
		[[ ! -s $FIX/$k/empty ]]
		jc_parse "$k/empty"
		[[ $(jcq 'r') == "[]" ]]
	done
}

@test "workload: the areas of a running workload end in 'workload' and parse" {
	for k in $KERNELS; do
		jc_parse "$k/workload"
		n=$(grep -c ' pages=1 vmalloc N0=1 workload$' "$FIX/$k/workload")
		((n > 20))
		[[ $(jcq 'sum(x["options"] == ["[kvalab]", "vmalloc", "workload"] for x in r)') == "$n" ]]
		[[ $(jcq '{x["caller"].split("+")[0] for x in r if "workload" in x["options"]}') == "{'wl_alloc'}" ]]
		[[ $(jcq 'sorted(x["id"] for x in r if "id" in x)') == "[1]" ]]
	done
}

@test "vmap block: a 'vm_map_ram' line with no caller, as the kernel prints its blocks" {
	for k in $KERNELS; do
		jc_parse "$k/vmap-block"
		grep -Eq '^0x[0-9a-f]{16}-0x[0-9a-f]{16}  524288 vm_map_ram workload$' "$FIX/$k/vmap-block"
		# One current block per CPU running the case (1 or 2 of them).
		n=$(grep -c ' vm_map_ram workload$' "$FIX/$k/vmap-block")
		((n >= 1))
		[[ $(jcq '{(x["size"], tuple(x["options"])) for x in r if x["caller"] == "vm_map_ram"}') == "{(524288, ('workload',))}" ]]
		[[ $(jcq '[x["caller"] for x in r].count("vm_map_ram")') == "$n" ]]
	done
}

@test "/proc/vmallocinfo of the same guests: every line a record" {
	for k in $KERNELS; do
		jc_parse "$k/proc"
		(($(jcq 'len(r)') > 100))
		# The slice itself, the kernel's own lazy areas, an ioremap.
		[[ $(jcq '[x["options"] for x in r if x["caller"].startswith("kvalab_slice_reserve+")]') == "[['[kvalab]', 'vmap']]" ]]
		[[ $(jcq '[x["caller"] for x in r].count("unpurged vm_area")') == "$(grep -c ' unpurged vm_area$' "$FIX/$k/proc")" ]]
		[[ $(jcq 'any("ioremap" in x["options"] for x in r)') == True ]]
	done
}

@test "negative control: jc refuses a listing with the old '#' header line" {
	for k in $KERNELS; do
		for f in busy lazy empty; do
			{ echo "$OLD_HEADER"; cat "$FIX/$k/$f"; } >"$BATS_TEST_TMPDIR/old"
			run --separate-stderr jc --proc-vmallocinfo <"$BATS_TEST_TMPDIR/old"
			assert_failure 100
			[[ $stderr == *"proc-vmallocinfo parser could not parse the input data"* ]]
		done
	done
}
