#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Native tests of the latency, fragmentation-over-time and HTML report
# outputs of the kvalab CLI, from fixture results (fixtures/results-latency:
# the three-backend run of results-policies plus its timing:, latency and
# frag lines) and a fake debugfs. The HTML report is rendered headless by
# chromium when it is installed (scripts/deps.sh installs it).
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
LAT=$FIXTURES/results-latency
INK=$BATS_TEST_DIRNAME/png_ink.py

setup_file() {
	if [ -z "${KVALAB_NO_BUILD:-}" ]; then
		make -s -C "$TOP/userspace-tools" >&2
	fi
	[ -x "$KVALAB" ]
}

setup() {
	DFS=$BATS_TEST_TMPDIR/debugfs
	cp -r "$FIXTURES/debugfs" "$DFS"
	: > "$DFS/control"
	export KVALAB_DEBUGFS=$DFS
	cd "$BATS_TEST_TMPDIR"
}

# The chromium of scripts/deps.sh, headless, with nothing that talks to the
# network; $1 the page, the rest chromium's output options.
chromium_run() {
	local page=$1
	shift
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --disable-extensions \
		--user-data-dir="$(mktemp -d "$BATS_TEST_TMPDIR/chr.XXXX")" \
		"$@" "file://$page"
}

@test "report --latency prints ordered percentiles for every backend, purges for kvalab ones" {
	run "$KVALAB" report --from-results "$LAT" --latency
	assert_success
	assert_line --regexp '^fix_size_alloc_test +vmalloc +1023 +2047 +4095 +5115 +511 +1023 +2047 +3069 +- +- +- +- +-$'
	assert_line --regexp '^ +kvalab:lowest +2047 +4095 +8191 +10235 +1023 +2047 +4095 +6141 +3 +65535 +120000 +120000 +200$'
	assert_line --regexp '^fix_align_alloc_test +kvalab:lowest +4095 +8000 +8000 +8000 '
	assert_line "per-op timing on; one local_clock() read cost 38 ns when the run started"
	# Without --latency the table is the one report always printed.
	run "$KVALAB" report --from-results "$LAT"
	refute_output --partial "latency per operation"
}

@test "report --latency says so when the results have no latency lines" {
	run "$KVALAB" report --from-results "$FIXTURES/results-policies" --latency
	assert_success
	assert_line "no latency lines in these results"
}

@test "results lines: unordered percentiles, bad frag values and out-of-order samples are refused" {
	sed 's/op=alloc n=100 p50_ns=1023 p99_ns=2047/op=alloc n=100 p50_ns=4000 p99_ns=2047/' "$LAT" > a
	run -1 "$KVALAB" report --from-results a
	assert_output --regexp "^kvalab: report: a: line [0-9]+: p50_ns..max_ns not in increasing order$"
	sed 's/ext_frag=0\.[0-9]*/ext_frag=2.5/' "$LAT" > b
	run -1 "$KVALAB" report --from-results b
	assert_output --regexp "^kvalab: report: b: line [0-9]+: bad value in frag line$"
	awk '/^frag .* op=2 /{ sub(/op=2 /, "op=1 ") } { print }' "$LAT" > c
	run -1 "$KVALAB" report --from-results c
	assert_output --regexp "frag op=1 not after op=1$"
	sed 's/op=free n=100/op=realloc n=100/' "$LAT" > d
	run -1 "$KVALAB" report --from-results d
	assert_output --partial "unknown latency op 'realloc'"
}

@test "JSON keeps latency, purges, frag samples and timing, and reads back the same" {
	run "$KVALAB" report --from-results "$LAT" --json l.json
	assert_success
	python3 - l.json <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["timing"] == {"latency": 1, "clock_ns": 38, "frag_every": 1, "frag_samples": 100}
	c = {x["name"]: x for x in d["cases"]}
	be = c["fix_size_alloc_test"]["backends"]
	assert "purge" not in be["vmalloc"]["latency"]
	assert be["vmalloc"]["latency"]["alloc"] == {"n": 100, "p50_ns": 1023, "p99_ns": 2047, "p999_ns": 4095, "max_ns": 5115}
	low = be["kvalab:lowest"]
	assert low["latency"]["purge"]["n"] == 3
	assert low["latency"]["purge_pages"]["max"] == 200
	assert "frag" not in be["vmalloc"]
	assert len(low["frag"]) == 50
	ops = [s["op"] for s in low["frag"]]
	assert ops == list(range(1, 51)), ops
	for b in be.values():
	    for l in b.get("latency", {}).values():
	        k = [x for x in l if x != "n"]
	        v = [l[x] for x in k]
	        assert v == sorted(v), l
	for s in low["frag"]:
	    assert 0 <= s["ext_frag"] <= 1 and 0 <= s["frag_rss"] <= 1
	    assert s["largest_free"] <= s["free_bytes"]
	EOF
	run "$KVALAB" report l.json --json m.json --latency
	assert_success
	cmp l.json m.json
	assert_line --regexp '^ +kvalab:best-fit +2047 +4095 +8191 +10235 '
}

@test "--frag-svg: two panels per case, one line per kvalab backend, one point per sample" {
	run "$KVALAB" report --from-results "$LAT" --frag-svg f.svg
	assert_success
	xmllint --noout f.svg
	# 2 cases with samples x 2 panels x 2 kvalab backends.
	[ "$(grep -c '<polyline' f.svg)" -eq 8 ]
	run python3 -c '
import re, sys
for m in re.finditer(r"<polyline[^>]*points=\"([^\"]*)\"", open(sys.argv[1]).read()):
    pts = m.group(1).split()
    assert len(pts) == 50, len(pts)
    xs = [float(p.split(",")[0]) for p in pts]
    assert xs == sorted(xs)
print("ok")' f.svg
	assert_output ok
	grep -q 'ext_frag = 1 - largest_free / free_bytes' f.svg
	grep -q 'kvalab:best-fit' f.svg
	run ! grep -q '>vmalloc<' f.svg
	rsvg-convert f.svg -o f.png
	read -r ink w h < <(python3 "$INK" f.png)
	[ "$w" -eq 900 ]
	[ "$ink" -gt 5000 ]
}

@test "--frag-svg without frag samples fails and says why" {
	run -1 "$KVALAB" report --from-results "$FIXTURES/results-policies" --frag-svg f.svg
	assert_output --partial "kvalab: report: cannot write f.svg: No data available"
}

@test "run --json carries the slice's listings; --html has every section and no network resource" {
	cp "$LAT" "$DFS/results"
	# The fixture's best-fit case failed: run exits 1 but writes its files.
	run -1 "$KVALAB" run --no-progress --json r.json --html r.html --frag-svg r.svg
	assert_output --partial "a case failed"
	python3 - r.json "$DFS" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	for name in ("map", "free_areas", "vmallocinfo"):
	    assert d["snapshot"][name] == open(sys.argv[2] + "/" + name).read(), name
	assert "free_tree" not in d["snapshot"]
	EOF
	for id in results bars latency frag state; do
		grep -q "<h2 id=\"$id\">" r.html
	done
	# Inline SVG only: no script, no external reference of any kind.
	run ! grep -Eiq '<script|<link|<img|<iframe|@import|url\(|(src|href)=' r.html
	[ "$(grep -c '<svg class="frag"' r.html)" -eq 2 ]
	[ "$(grep -c '<svg class="latency"' r.html)" -eq 3 ]
	[ "$(grep -c '<svg class="map"' r.html)" -eq 1 ]
	grep -q 'Free tree: not available in this results file.' r.html
	# The map picture has one cell per character of the listing.
	cells=$(sed 1d "$DFS/map" | tr -cd '#.z+' | wc -c)
	[ "$(sed -n '/<svg class="map"/,/<\/svg>/p' r.html | grep -c 'stroke-width="0.5"')" -eq "$cells" ]
	# report makes the same page from the JSON.
	run "$KVALAB" report r.json --html s.html
	assert_success
	cmp r.html s.html
}

@test "--html draws the module's map listing: one cell per character, offsets skipped" {
	cp "$LAT" "$DFS/results"
	cp "$FIXTURES/map-module" "$DFS/map"
	run -1 "$KVALAB" run --no-progress --html m.html
	map=$(sed -n '/<svg class="map"/,/<\/svg>/p' m.html)
	[ "$(grep -c 'stroke-width="0.5"' <<<"$map")" -eq 512 ]
	# Row 0: two busy, one mixed, five free, three lazy cells.
	[ "$(grep -c 'fill="#4e79a7" stroke' <<<"$map")" -eq 6 ]
	[ "$(grep -c 'fill="#b07aa1" stroke' <<<"$map")" -eq 1 ]
	[ "$(grep -c 'fill="#f28e2b" stroke' <<<"$map")" -eq 3 ]
	grep -q '512 cells of 32768 bytes' <<<"$map"
	# A listing in no known format is said so, not drawn.
	printf 'garbage\n' > "$DFS/map"
	run -1 "$KVALAB" run --no-progress --html g.html
	grep -q 'Map picture (the map listing is not in a known format): not available' g.html
	run ! grep -q '<svg class="map"' g.html
}

@test "--html of results without latency, frag or listings labels each missing part" {
	run "$KVALAB" report --from-results "$FIXTURES/results-policies" --html p.html
	assert_success
	grep -q 'Per-op latency: not available in this results file.' p.html
	grep -q 'Fragmentation samples: not available in this results file.' p.html
	grep -q 'Map: not available in this results file.' p.html
	grep -q 'Free areas: not available in this results file.' p.html
	run ! grep -q '<svg class="frag"' p.html
}

@test "the HTML report renders headless: not blank, no console errors, every chart in the DOM" {
	if ! command -v chromium >/dev/null; then
		skip "chromium is not installed (scripts/deps.sh installs it)"
	fi
	cp "$LAT" "$DFS/results"
	run -1 "$KVALAB" run --no-progress --json r.json
	run "$KVALAB" report r.json --html "$BATS_TEST_TMPDIR/r.html"
	assert_success
	chromium_run "$BATS_TEST_TMPDIR/r.html" --enable-logging=stderr --v=0 \
		--window-size=1200,2000 --screenshot="$BATS_TEST_TMPDIR/r.png" \
		2> chromium.log || { cat chromium.log >&3; false; }
	# Page errors reach the log as console messages; dbus noise is not ours.
	run ! grep -E 'Uncaught|CONSOLE\(|ERR_FILE_NOT_FOUND|net::ERR' chromium.log
	read -r ink w h < <(python3 "$INK" r.png)
	[ "$w" -eq 1200 ] && [ "$h" -eq 2000 ]
	# Tables, bars, charts: well over 5% of the page is ink.
	[ "$ink" -gt 120000 ]
	chromium_run "$BATS_TEST_TMPDIR/r.html" --dump-dom > dom.html 2> /dev/null
	[ "$(grep -c '<svg class="frag"' dom.html)" -eq 2 ]
	[ "$(grep -c '<svg class="latency"' dom.html)" -eq 3 ]
	grep -q '<svg class="map"' dom.html
	grep -q '<td>kvalab:best-fit</td>' dom.html
}
