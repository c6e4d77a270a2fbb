#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Native tests of the sim's pictures (userspace-tools/simsvg.c) through
# kvalab sim: --from-listing draws a saved listing (frag SVG, HTML page),
# --sweep --svg a heatmap.
# The listings (fixtures/sim/) are replay_results text: two-policies (lowest
# and best-fit, 20 samples each), same-policy (lowest with search=exact and
# search=padded, then best-fit: 20 samples each), no-samples (result lines
# only) and odd (malformed lines, markup and invalid UTF-8 in the names).
# Every SVG must be well-formed XML and render (rsvg-convert) to a PNG with
# ink, each series in its colour.
#
# Run: bats --tap tests/native/cli

bats_require_minimum_version 1.5.0
export BATS_LIB_PATH=${BATS_LIB_PATH:-/usr/lib/bats}
bats_load_library bats-support
bats_load_library bats-assert

TOP=$(cd "$BATS_TEST_DIRNAME/../../.." && pwd)
FIX=$BATS_TEST_DIRNAME/fixtures/sim
KVALAB=${KVALAB:-$TOP/userspace-tools/kvalab}
INK=$BATS_TEST_DIRNAME/png_ink.py

# The first colours of the palette (Tableau 10), in series order.
BLUE=4e79a7
ORANGE=f28e2b
GREEN=59a14f
RED=e15759

setup_file() {
	if [ -z "${KVALAB_NO_BUILD:-}" ]; then
		make -s -C "$TOP/userspace-tools" >&2
	fi
	[ -x "$KVALAB" ]
}

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# rendered SVG MIN: well-formed, renders, and at least MIN non-white pixels.
rendered() {
	local svg=$1 min=$2 w h n
	xmllint --noout "$svg"
	python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$svg"
	rsvg-convert "$svg" -o "$svg.png"
	read -r n w h < <(python3 "$INK" "$svg.png")
	echo "# $svg: ${w}x$h, $n non-white pixels" >&3
	((w > 100 && h > 100 && n >= min))
}

# colour PNG RRGGBB MIN: at least MIN pixels of that colour. A legend
# swatch is 144 pixels: more than that is the series' line or cell.
colour() {
	local m
	read -r _ _ _ m < <(python3 "$INK" "$1" "$2")
	echo "# $1: $m pixels of #$2" >&3
	((m >= $3))
}

# points SVG N: every polyline has N points (any number if N is 0), with
# x not decreasing, and all inside the picture.
points() {
	python3 - "$1" "$2" <<-'EOF'
	import sys, xml.etree.ElementTree as E
	svg = E.parse(sys.argv[1]).getroot()
	want = int(sys.argv[2])
	w, h = float(svg.get("width")), float(svg.get("height"))
	lines = svg.findall("{http://www.w3.org/2000/svg}polyline")
	assert lines
	for l in lines:
	    pts = [tuple(map(float, p.split(","))) for p in l.get("points").split()]
	    assert not want or len(pts) == want, (len(pts), want)
	    xs = [x for x, _ in pts]
	    assert xs == sorted(xs), xs
	    assert all(0 <= x <= w and 0 <= y <= h for x, y in pts), pts
	EOF
}

# --- frag ----------------------------------------------------------------------

@test "frag: two panels, one line per result, its samples in order, each in its colour" {
	run "$KVALAB" sim --from-listing "$FIX/two-policies" --svg f.svg
	assert_success
	rendered f.svg 10000
	# 2 results x 2 panels.
	[ "$(grep -c '<polyline' f.svg)" -eq 4 ]
	points f.svg 20
	grep -q 'ext_frag = 1 - largest_free / free_bytes' f.svg
	grep -q 'largest free area (bytes)' f.svg
	grep -q '>lowest</text>' f.svg
	grep -q '>best-fit</text>' f.svg
	# Axes with numbers: ops 0..2000, ext_frag 0..1, largest_free in M.
	grep -q '>2000</text>' f.svg
	grep -q '>1.0</text>' f.svg
	grep -q '>4M</text>' f.svg
	colour f.svg.png "$BLUE" 400
	colour f.svg.png "$ORANGE" 400
	read -r _ _ _ m < <(python3 "$INK" f.svg.png "$GREEN")
	((m == 0))
}

@test "frag: a policy listed twice is labelled policy/search, the others by policy" {
	run "$KVALAB" sim --from-listing "$FIX/same-policy" --svg s.svg
	assert_success
	rendered s.svg 10000
	[ "$(grep -c '<polyline' s.svg)" -eq 6 ]
	points s.svg 20
	grep -q '>lowest/exact</text>' s.svg
	grep -q '>lowest/padded</text>' s.svg
	grep -q '>best-fit</text>' s.svg
	run ! grep -q 'best-fit/' s.svg
	run ! grep -q '>lowest</text>' s.svg
	colour s.svg.png "$BLUE" 400
	colour s.svg.png "$ORANGE" 400
	colour s.svg.png "$GREEN" 400
}

@test "frag: the title is the caller's, escaped" {
	run "$KVALAB" sim --from-listing "$FIX/two-policies" --svg t.svg --title 'churn <8M> & "more"'
	assert_success
	rendered t.svg 10000
	grep -qF '>churn &lt;8M&gt; &amp; &quot;more&quot;</text>' t.svg
}

@test "frag: a listing without sample lines fails and says so" {
	run -1 "$KVALAB" sim --from-listing "$FIX/no-samples" --svg n.svg
	[ -n "$output" ]
	assert_output --regexp '([Nn]o sample|nothing to draw|Invalid argument)'
}

@test "frag: malformed lines are skipped, names escaped, the document stays well-formed" {
	# Its results say no check=ok: exit 1, and the picture is drawn anyway.
	run -1 "$KVALAB" sim --from-listing "$FIX/odd" --svg o.svg
	rendered o.svg 5000
	points o.svg 0
	# Samples before any result (lowest), a result with markup and invalid
	# UTF-8 in its policy, a result without one ("?"), and next-fit with
	# CRLF line ends and its samples out of order.
	[ "$(grep -c '<polyline' o.svg)" -eq 8 ]
	grep -qF '>a&lt;b&amp;&quot;c&quot;??</text>' o.svg
	grep -q '>?</text>' o.svg
	grep -q '>next-fit</text>' o.svg
	grep -q '>lowest</text>' o.svg
}

# --- heatmap -------------------------------------------------------------------

@test "heatmap: one cell per value, labelled; no value hatched as '-'; green is better" {
	# A 3 x 2 sweep whose second column cannot run (a threshold above the
	# 4M slice's 1024 pages): its cells have no value.
	run -1 "$KVALAB" sim "$TOP/tests/data/record-workload.trace" \
		--sweep policy=lowest,best-fit,next-fit lazy_max=8,4096 --figure ext_frag --svg h.svg
	rendered h.svg 5000
	[ "$(grep -c '<rect class="cell' h.svg)" -eq 6 ]
	[ "$(grep -c '<rect class="cell none"' h.svg)" -eq 3 ]
	[ "$(grep -c '<text class="v"[^>]*>-</text>' h.svg)" -eq 3 ]
	for l in lowest best-fit next-fit lazy=8 lazy=4096 ext_frag; do
		grep -q ">$l[< ]" h.svg
	done
	# Lower is better: the cell of the smallest value green, of the largest
	# red (when they differ), every value a label.
	python3 - h.svg <<-'EOF'
	import re, sys
	cells = re.findall(r'<rect class="cell"[^>]*fill="#([0-9a-f]{6})"><title>[^<]*: ([0-9.e+-]+)</title>', open(sys.argv[1]).read())
	assert len(cells) == 3, cells
	vals = [float(v) for _, v in cells]
	lo, hi = min(vals), max(vals)
	for fill, v in cells:
	    if float(v) == lo and lo != hi:
	        assert fill == "59a14f", (fill, v)
	    if float(v) == hi and lo != hi:
	        assert fill == "e15759", (fill, v)
	EOF
}

# --- html ----------------------------------------------------------------------

@test "html: the listing in a <pre>, the chart inlined, no external resource" {
	run "$KVALAB" sim --from-listing "$FIX/two-policies" --html p.html --title 'two policies'
	assert_success
	# Void elements closed: the page is well-formed XML too.
	python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' p.html
	head -1 p.html | grep -q '^<!DOCTYPE html>'
	grep -q '<h1>.\+</h1>' p.html
	grep -q '<h1>two policies</h1>' p.html
	# The replay table the command printed: a row per result.
	grep -q '^<pre>policy  *ops  *ns/op' p.html
	[ "$(sed -n '/^<pre>/,/<\/pre>/p' p.html | grep -cE '^(lowest|best-fit) ')" -eq 2 ]
	[ "$(grep -c '<svg' p.html)" -eq 1 ]
	run ! grep -q '<?xml' p.html
	run ! grep -Eiq '<script|<link|<img|<iframe|@import|url\(|(src|href)=' p.html
	# The inlined chart is the frag SVG: it renders on its own.
	sed -n '/^<svg/,/^<\/svg>/p' p.html > c.svg
	rendered c.svg 10000
	[ "$(grep -c '<polyline' c.svg)" -eq 4 ]
}

@test "html: a listing without sample lines fails" {
	run -1 "$KVALAB" sim --from-listing "$FIX/no-samples" --html n.html
	[ -n "$output" ]
}
