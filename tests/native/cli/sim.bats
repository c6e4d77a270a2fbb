#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# kvalab sim without a module (docs/sim.md): the listing and table of the
# module's replay, the placement log and its digest, determinism, sweeps
# (the same records on 1 and 2 jobs, a heatmap that renders), the scenarios
# on the sim, and bad input: every malformed trace, option and sweep spec
# refused with FILE:LINE or the option and a reason, exit 1 or 2, never a
# crash. Whether the sim places as the kernel does is the VM suite sim.bats.
#
# Run: bats --tap tests/native/cli

bats_require_minimum_version 1.5.0
export BATS_LIB_PATH=${BATS_LIB_PATH:-/usr/lib/bats}
bats_load_library bats-support
bats_load_library bats-assert

TOP=$(cd "$BATS_TEST_DIRNAME/../../.." && pwd)
KVALAB=${KVALAB:-$TOP/userspace-tools/kvalab}
DATA=$TOP/tests/data

setup_file() {
	if [ -z "${KVALAB_NO_BUILD:-}" ]; then
		make -s -C "$TOP/userspace-tools" >&2
	fi
	[ -x "$KVALAB" ]
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	# The sim must not need the module: point debugfs nowhere.
	export KVALAB_DEBUGFS=$BATS_TEST_TMPDIR/no-debugfs
}

field() { # field KEY LINE
	sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"
}

# A trace that fills a 1M slice with 64 areas of 16K (3 pages + guard),
# frees every other one (32 holes of 16K, 512K free), asks for 32K on line
# 98 (ENOMEM even after the purge and retry: no hole is large enough) and
# then for 16K (fits).
small_trace() {
	echo "kvalab-trace 1 slice_size=1048576 page_size=4096"
	for ((i = 0; i < 64; i++)); do echo "a $i 12288"; done
	for ((i = 1; i < 64; i += 2)); do echo "f $i"; done
	echo "a 100 28672"
	echo "a 101 12288"
}

@test "sim: the replay table for every policy of a real capture, no module, no root" {
	run "$KVALAB" sim "$DATA/capture-7.3.trace" --policy all
	assert_success
	assert_line --index 0 --regexp '^policy +ops +ns/op +ENOMEM'
	for p in lowest vmlist cached-hole next-fit best-fit instant-fit; do
		assert_line --regexp "^$p +1100 +[0-9]+ +0 +0 +0 +23691264 +[01]\.[0-9]{4} .* ok$"
	done
	[[ ${#lines[@]} == 7 ]]
	if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null &&
		setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$KVALAB"; then
		cp "$DATA/capture-7.3.trace" /tmp/kvalab-sim-$$.trace
		chmod 644 /tmp/kvalab-sim-$$.trace
		run setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$KVALAB" sim /tmp/kvalab-sim-$$.trace --policy lowest
		rm -f /tmp/kvalab-sim-$$.trace
		assert_success
		assert_line --regexp '^lowest +1100 '
	fi
}

@test "sim: the listing is the module's format; runs are deterministic but for the times" {
	"$KVALAB" sim "$DATA/capture-6.12.trace" --policy all --search all --samples 7 --listing a.txt >/dev/null
	"$KVALAB" sim "$DATA/capture-6.12.trace" --policy all --search all --samples 7 --listing b.txt >/dev/null
	norm() { sed -E 's/ (ns|ns_per_op|purge_ns_p50|purge_ns_p99|purge_ns_max)=[0-9]+//g' "$1"; }
	diff <(norm a.txt) <(norm b.txt)
	run head -4 a.txt
	assert_line --index 0 'state: done'
	assert_line --index 1 --regexp '^trace: ops=1009 allocs=[0-9]+ frees=[0-9]+ purges=[0-9]+ ids=[0-9]+ slice_size=91226112 source=capture peak_live=[0-9]+ text_bytes=[0-9]+$'
	assert_line --index 2 'slice_size: 91226112'
	assert_line --index 3 'slice_align: 2097152'
	[[ $(grep -c '^result ' a.txt) == 12 ]]
	[[ $(grep -c '^sample ' a.txt) == 84 ]]
	# Every key the module's result line has, in its order.
	want='result policy va_only ops ns ns_per_op allocs_ok enomem errors skipped_frees purges first_fail_line first_fail_errno first_fail_size largest_free_then free_bytes_then nr_free_then peak_used search lazy_max_pages purge_n purge_ns_p50 purge_ns_p99 purge_ns_max purge_areas_p50 purge_areas_max purge_pages_p50 purge_pages_max used free_bytes nr_free largest_free ext_frag_e4 frag_rss_e4 placements stopped check'
	[[ $(grep -m1 '^result ' a.txt | sed -E 's/=[^ ]*//g') == "$want" ]]
}

@test "sim --log: a placement per allocation; the digest is FNV-1a 64 over them" {
	"$KVALAB" sim "$DATA/record-workload.trace" --policy all --log p.log --listing l.txt >/dev/null
	allocs=$(grep -cE '^(@[0-9]+ )?a ' "$DATA/record-workload.trace")
	[[ $(wc -l <p.log) == $((6 * allocs)) ]]
	for p in lowest next-fit best-fit; do
		want=$(field placements "$(grep "^result policy=$p " l.txt)")
		got=$(grep "^place policy=$p " p.log | python3 -c '
import sys
h = 0xcbf29ce484222325
for line in sys.stdin:
    v = int(line.split()[-1].split("=")[1]) & (2**64 - 1)
    for i in range(8):
        h = ((h ^ ((v >> (8 * i)) & 0xff)) * 0x100000001b3) & (2**64 - 1)
print("%016x" % h)')
		[[ $got == "$want" ]]
	done
	# Offsets are page aligned and inside the slice.
	awk -F'offset=' '/offset=/ { if ($2 % 4096 || $2 >= 4194304) exit 1 }' p.log
}

@test "sim: ENOMEM for fragmentation, after the purge and retry, on the right line" {
	small_trace >s.trace
	# A threshold above the 128 lazy pages: the failed search's purge is
	# the only one.
	run "$KVALAB" sim s.trace --lazy-max 200 --listing l.txt
	assert_success
	line=$(grep '^result ' l.txt)
	[[ $(field enomem "$line") == 1 && $(field allocs_ok "$line") == 65 ]]
	[[ $(field first_fail_line "$line") == 98 && $(field first_fail_errno "$line") == -12 ]]
	[[ $(field first_fail_size "$line") == 28672 ]]
	# Then: 32 holes of 16K, the failed search's purge having merged them.
	[[ $(field largest_free_then "$line") == 16384 && $(field free_bytes_then "$line") == 524288 ]]
	[[ $(field nr_free_then "$line") == 32 && $(field purge_n "$line") == 1 ]]
	[[ $(field check "$line") == ok ]]
	# With twice the slice nothing fails.
	[[ $(field enomem "$("$KVALAB" sim s.trace --slice-size 2M --lazy-max 200 --listing - | grep '^result ')") == 0 ]]
}

@test "sim: lazy-max, slice-size, base-align, va-pools and scale change what they should" {
	small_trace >s.trace
	a=$("$KVALAB" sim s.trace --lazy-max 4 --listing - | grep '^result ')
	b=$("$KVALAB" sim s.trace --lazy-max 200 --listing - | grep '^result ')
	[[ $(field lazy_max_pages "$a") == 4 && $(field lazy_max_pages "$b") == 200 ]]
	# 32 frees of 4 pages: a purge every second free past 4 pages, against
	# only the failed search's.
	(($(field purge_n "$a") >= 16)) && [[ $(field purge_n "$b") == 1 ]]
	"$KVALAB" sim s.trace --slice-size 4M --base-align 1M --listing - | grep -qx 'slice_align: 1048576'
	run "$KVALAB" sim s.trace --scale 2 --listing -
	assert_success
	assert_line --regexp '^trace: .* slice_size=2097152 '
	# The pool gives the freed 16K areas back whole to the last request.
	c=$("$KVALAB" sim s.trace --va-pools --lazy-max 8 --listing - | grep '^result ')
	[[ $(field check "$c") == ok ]]
	run "$KVALAB" sim s.trace --va-pools --policy all
	assert_success
}

@test "sim: malformed traces refused with FILE:LINE and the reason, exit 1" {
	printf 'kvalab-trace 1 slice_size=1M page_size=4096\na 1 4096\na 1 4096\n' >dup.trace
	run "$KVALAB" sim dup.trace
	assert_failure 1
	assert_output --regexp 'dup\.trace:3: .*'
	printf 'kvalab-trace 1 slice_size=1M page_size=4096\na 1 4096 align=3\n' >al.trace
	run "$KVALAB" sim al.trace
	assert_failure 1
	assert_output --partial 'al.trace:2: '
	assert_output --partial 'not a power of two'
	printf 'kvalab-trace 1 slice_size=1M page_size=4096\nf 9\n' >fr.trace
	run "$KVALAB" sim fr.trace
	assert_failure 1
	assert_output --partial 'fr.trace:2: '
	: >empty.trace
	run "$KVALAB" sim empty.trace
	assert_failure 1
	assert_output --partial 'empty.trace: empty trace: no header line'
	head -c 3000 /dev/urandom >junk.trace
	run "$KVALAB" sim junk.trace
	assert_failure 1
	assert_output --regexp 'junk\.trace:[0-9]+: '
	run "$KVALAB" sim no-such.trace
	assert_failure 1
	assert_output --partial 'cannot read no-such.trace'
}

@test "sim: runs it cannot start are refused with the module's reasons" {
	printf 'kvalab-trace 1 slice_size=1M page_size=4096\na 1 2M\n' >big.trace
	run "$KVALAB" sim big.trace
	assert_failure 1
	assert_output --partial 'the trace peaks at 2052K live; the slice is 1024K: sim with --scale'
	small_trace >s.trace
	run "$KVALAB" sim s.trace --lazy-max 999
	assert_failure 1
	assert_output --partial 'lazy_max_pages=999 is above the slice'"'"'s 256 pages'
}

@test "sim: bad options exit 2 with the reason" {
	small_trace >s.trace
	for args in "--policy worst-fit" "--search fuzzy" "--lazy-max 0" "--slice-size 5000" \
		"--base-align 12K" "--samples 0" "--scale -1" "--jobs 2" "--figure ops" \
		"--scenario modules-area s.trace" "" "s.trace extra"; do
		# shellcheck disable=SC2086 # the words of each case
		run "$KVALAB" sim $args
		[[ $status == 2 ]] || { echo "sim $args: status $status: $output"; return 1; }
		[[ -n $output ]]
	done
}

@test "sim --sweep: one record per cell, the same JSON on 1 and 2 jobs, what produced it" {
	"$KVALAB" sim "$DATA/capture-7.3.trace" --sweep policy=all lazy_max=32,512 search=exact,padded \
		--jobs 1 --json j1.json --csv c.csv >t1.txt
	"$KVALAB" sim "$DATA/capture-7.3.trace" --sweep policy=all lazy_max=32,512 search=exact,padded \
		--jobs 2 --json j2.json >/dev/null
	cmp j1.json j2.json
	python3 - "$DATA/capture-7.3.trace" <<'PY'
import json, sys
cells = json.load(open('j1.json'))['cells']
assert len(cells) == 24, len(cells)
keys = {(c['policy'], c['search'], c['lazy_max_pages']) for c in cells}
assert len(keys) == 24
# The digest is the trace text's FNV-1a 64.
h = 0xcbf29ce484222325
for b in open(sys.argv[1], 'rb').read():
    h = ((h ^ b) * 0x100000001b3) & (2**64 - 1)
for c in cells:
    assert c['trace_digest'] == '%016x' % h, c
    assert c['trace_ops'] == 1100 and c['version'] and c['check'] == 'ok'
    assert c['slice_size'] == 111149056 and c['ops_lasted'] == 1100
PY
	[[ $(wc -l <c.csv) == 25 ]]
	[[ $(grep -c ' ok$' t1.txt) == 24 ]]
}

@test "sim --sweep: the heatmap renders with a cell per policy and column" {
	"$KVALAB" sim "$DATA/record-workload.trace" --sweep policy=lowest,best-fit,next-fit lazy_max=8,64 \
		--figure ext_frag --svg h.svg --html h.html >/dev/null
	python3 -c 'import xml.etree.ElementTree as E; E.parse("h.svg")'
	grep -q '<svg' h.html
	grep -q 'ops_lasted' h.html
	if command -v rsvg-convert >/dev/null; then
		rsvg-convert h.svg -o h.png
		read -r ink w h < <(python3 "$BATS_TEST_DIRNAME/png_ink.py" h.png)
		((ink > 2000 && w > 300 && h > 150))
	fi
	for lab in lowest best-fit next-fit 'lazy=8' 'lazy=64'; do grep -q ">$lab<" h.svg; done
}

@test "sim --sweep: bad specs exit 2 with the reason" {
	small_trace >s.trace
	for spec in policy=worst search=x lazy_max=0 slice=5000 colour=red noequals =1 policy=; do
		run "$KVALAB" sim s.trace --sweep "$spec"
		[[ $status == 2 ]] || { echo "--sweep $spec: status $status: $output"; return 1; }
		assert_output --partial 'sweep'
	done
}

@test "sim --scenario and scenario --sim: the scenarios on the sim" {
	run "$KVALAB" sim --scenario aligned-search --search all --policy lowest
	assert_success
	assert_line --regexp '^lowest +[0-9]+ '
	assert_line --regexp '^lowest/padded +[0-9]+ '
	run "$KVALAB" scenario aligned-search --sim
	assert_success
	# No module loaded on this host: scenario says so and runs on the sim.
	unset KVALAB_DEBUGFS
	if [[ ! -e /sys/module/kvalab ]]; then
		run "$KVALAB" scenario lazy-purge --ops 2000
		assert_success
		assert_output --partial 'running on the sim'
	fi
}

@test "sim --svg and --html: fragmentation over the ops, one series per run" {
	"$KVALAB" sim "$DATA/capture-7.3.trace" --policy lowest,next-fit --samples 20 --svg f.svg --html f.html >/dev/null
	python3 -c 'import xml.etree.ElementTree as E; E.parse("f.svg")'
	[[ $(grep -o '<polyline' f.svg | wc -l) == 4 ]]
	grep -q 'next-fit' f.html
	if command -v rsvg-convert >/dev/null; then
		rsvg-convert f.svg -o f.png
		read -r ink w h < <(python3 "$BATS_TEST_DIRNAME/png_ink.py" f.png)
		((ink > 1000))
	fi
}
