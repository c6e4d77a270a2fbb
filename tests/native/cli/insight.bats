#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Native tests of the pictures of the slice: kvalab tree, explain and
# map --svg, against fixture listings captured from a 6.1 VM run
# (fixtures/insight/: debugfs/ is a 4M slice with 20 busy areas, 19 free and
# 2 lazy; debugfs-lazy/ two 64K areas with guard pages, one freed lazily).
# Every SVG must be well-formed XML and render (rsvg-convert) to a PNG that
# is not blank; the drawings are checked against the listings' numbers.

bats_require_minimum_version 1.5.0
export BATS_LIB_PATH=${BATS_LIB_PATH:-/usr/lib/bats}
bats_load_library bats-support
bats_load_library bats-assert

TOP=$(cd "$BATS_TEST_DIRNAME/../../.." && pwd)
FIX=$BATS_TEST_DIRNAME/fixtures/insight
KVALAB=${KVALAB:-$TOP/userspace-tools/kvalab}

setup_file() {
	if [ -z "${KVALAB_NO_BUILD:-}" ]; then
		make -s -C "$TOP/userspace-tools" >&2
	fi
	[ -x "$KVALAB" ]
}

setup() {
	DFS=$BATS_TEST_TMPDIR/debugfs
	cp -r "$FIX/debugfs" "$DFS"
	: > "$DFS/control"
	export KVALAB_DEBUGFS=$DFS
	OUT=$BATS_TEST_TMPDIR
}

# rendered SVG MIN: well-formed, renders, and at least MIN non-white pixels.
rendered() {
	local svg=$1 min=$2 w h n
	xmllint --noout "$svg"
	python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$svg"
	rsvg-convert "$svg" -o "$svg.png"
	read -r n w h < <(python3 "$BATS_TEST_DIRNAME/png_ink.py" "$svg.png")
	echo "# $svg: ${w}x$h, $n non-white pixels" >&3
	((w > 100 && h > 100 && n >= min))
}

# --- tree ----------------------------------------------------------------------

@test "tree: every node of the listing, indented, with its side and figures" {
	run "$KVALAB" tree
	assert_success
	# 19 nodes, the deepest at depth 5: all shown at the default depth 6.
	assert_line --index 0 "[+0x3a000, +0x3d000) black size=12K max=3456K"
	assert_line --index 1 "    L [+0x1c000, +0x1e000) red size=8K max=28K"
	assert_line "                    L [+0x84000, +0x8b000) red size=28K max=28K"
	assert_line "# 19 nodes listed of 19 (the module cut 0); 0 below --depth 6 not shown"
	[ "$(grep -c '^ *[LR]* *\[+0x' <<<"$output")" -eq 19 ]
}

@test "tree --depth: deeper nodes left out, counted, and their parents marked" {
	run "$KVALAB" tree --depth 5
	assert_success
	assert_line "                R [+0x8c000, +0x8e000) black size=8K max=3456K ..."
	assert_line "# 19 nodes listed of 19 (the module cut 0); 2 below --depth 5 not shown"
	run "$KVALAB" tree --depth 1
	assert_line --index 0 "[+0x3a000, +0x3d000) black size=12K max=3456K ..."
	assert_line "# 19 nodes listed of 19 (the module cut 0); 18 below --depth 1 not shown"
}

@test "tree: bad options and malformed listings are refused" {
	run -2 "$KVALAB" tree --depth 0
	assert_output --partial "--depth '0': expected 1 to 64"
	run -2 "$KVALAB" tree --depth x
	run -2 "$KVALAB" tree extra
	assert_output --partial "unexpected argument 'extra'"
	# A node whose depth skips a level.
	sed -i '3s/^depth=1/depth=3/' "$DFS/free_tree"
	run -1 "$KVALAB" tree
	assert_output --partial "line 3: depth 3 does not follow the pre-order"
	cp "$FIX/debugfs/free_tree" "$DFS/free_tree"
	sed -i '2s/size=12288/size=4096/' "$DFS/free_tree"
	run -1 "$KVALAB" tree
	assert_output --partial "line 2: inconsistent range, size or subtree_max_size"
	echo "hello" > "$DFS/free_tree"
	run -1 "$KVALAB" tree
	assert_output --partial "line 1: not a free_tree node line: 'hello'"
}

@test "tree --svg and --dot: one box per drawn node, coloured, renders" {
	run "$KVALAB" tree --svg "$OUT/t.svg" --dot "$OUT/t.dot"
	assert_success
	# Node boxes are the rects with rx; 19 nodes, 5 of them red.
	[ "$(grep -c '<rect x="[0-9]*" y="[0-9]*" width="112" height="38" rx="6"' "$OUT/t.svg")" -eq 19 ]
	[ "$(grep -o 'rx="6" fill="#c62828"' "$OUT/t.svg" | wc -l)" -eq 5 ]
	[ "$(grep -c '^depth=[0-9]* red' "$DFS/free_tree")" -eq 5 ]
	grep -q '<title>\[+0x2a000, +0x30000) black size=24576 subtree_max_size=24576</title>' "$OUT/t.svg"
	rendered "$OUT/t.svg" 20000
	# DOT: 19 nodes, 18 edges, sides from the addresses.
	[ "$(grep -c '^	n[0-9]* \[label=' "$OUT/t.dot")" -eq 19 ]
	[ "$(grep -c ' -> ' "$OUT/t.dot")" -eq 18 ]
	grep -q '^	n0 -> n1 \[label="L"\];' "$OUT/t.dot"
	run "$KVALAB" tree --depth 5 --svg "$OUT/t5.svg"
	[ "$(grep -c 'height="38" rx="6"' "$OUT/t5.svg")" -eq 17 ]
	rendered "$OUT/t5.svg" 20000
}

# --- explain -------------------------------------------------------------------

@test "explain --saved: the steps with their meaning, then the choice" {
	run "$KVALAB" explain --saved
	assert_success
	assert_line --index 0 "explain size=20480 vm_size=24576 align=16384 guard=1 policy=lowest"
	assert_line --index 1 --partial "   1  node      [+0x3a000, +0x3d000) depth=0 size=12288 max=3538944"
	assert_line --index 2 "      -> left: the left subtree holds a big enough area that starts lower: go left"
	assert_line "      -> up: no area below holds it (alignment): back up"
	assert_line "      -> right: back at an ancestor: try its right subtree"
	assert_line "chosen area=[+0x2a000, +0x30000) start=+0x2a000 end=+0x30000 fit=FL"
	assert_line "      -> full fit: the free area is used whole"
	assert_line "search_steps=9 steps=9 dropped=0"
}

@test "explain --saved: a list walk (vmlist) reads as entries" {
	cp "$FIX/explain-vmlist" "$DFS/explain"
	run "$KVALAB" explain --saved
	assert_success
	assert_line --index 0 "explain size=8192 vm_size=12288 align=4096 guard=1 policy=vmlist"
	assert_line "      -> next: the hole before it is too small: the candidate moves past it"
	assert_line "      -> this: the hole before this area holds the request"
	assert_line --partial "fit=LE"
}

@test "explain --svg: the path and the chosen area marked on the tree" {
	run "$KVALAB" explain --saved --svg "$OUT/e.svg"
	assert_success
	# Visited nodes (each once, at its first step): 0x3a000, 0x1c000, 0x9000,
	# 0x14000; chosen: 0x2a000. Edges between visited nodes are highlighted.
	[ "$(grep -o 'rx="6" fill="#[0-9a-f]*" stroke="#ff9800"' "$OUT/e.svg" | wc -l)" -eq 4 ]
	[ "$(grep -o 'stroke="#00c853" stroke-width="5"' "$OUT/e.svg" | wc -l)" -eq 1 ]
	grep -q '>9: this</text>' "$OUT/e.svg"
	grep -q '>4: up</text>' "$OUT/e.svg"
	[ "$(grep -c '<line .*stroke="#ff9800"' "$OUT/e.svg")" -eq 4 ]
	rendered "$OUT/e.svg" 20000
}

@test "explain SIZE: sends the explain line; refuses bad usage" {
	run -1 "$KVALAB" explain 64K --align 16K --noguard
	# The fake control file keeps what was written: no "ok" line comes back.
	assert_output --partial "no result line read back"
	[ "$(cat "$DFS/control")" = "explain 64K align=16K noguard" ]
	run -2 "$KVALAB" explain
	assert_output --partial "missing SIZE"
	run -2 "$KVALAB" explain 4K 8K
	assert_output --partial "unexpected argument '8K'"
	run -2 "$KVALAB" explain --saved 4K
	assert_output --partial "--saved takes no SIZE"
	run -2 "$KVALAB" explain '4K noguard'
	assert_output --partial "invalid argument"
	echo "# no explain yet: write 'explain SIZE [align=N] [noguard]' to control" > "$DFS/explain"
	run -1 "$KVALAB" explain --saved
	assert_output --partial "holds no explain yet"
}

# --- map --svg -------------------------------------------------------------------

@test "map --svg: exact ranges from vmallocinfo and free_areas, legend, figures" {
	run "$KVALAB" map --svg "$OUT/m.svg"
	assert_success
	assert_output "map: $OUT/m.svg: 41 ranges (exact)"
	grep -q '>busy: 20 ranges, 316K</text>' "$OUT/m.svg"
	grep -q '>free: 19 ranges, 3748K</text>' "$OUT/m.svg"
	grep -q '>lazy (freed, awaiting purge): 2 ranges, 32K</text>' "$OUT/m.svg"
	grep -q 'ext_frag 0.0780 | frag_rss 0.0777' "$OUT/m.svg"
	grep -q 'kvalab slice: 4M (4194304 bytes)' "$OUT/m.svg"
	# free_bytes in the legend equals stats' free_bytes (3748K = 3837952).
	grep -q '^free_bytes: 3837952$' "$DFS/stats"
	rendered "$OUT/m.svg" 100000
}

@test "map --svg: a vmallocinfo with the header of older modules draws the same" {
	# vmallocinfo had a "#" header line until it took /proc/vmallocinfo's
	# exact format; the CLI still reads a listing saved with it.
	run "$KVALAB" map --svg "$OUT/new.svg"
	assert_success
	sed -i '1i # busy areas (/proc/vmallocinfo format, then id=N or workload), then lazy ones (unpurged vm_area)' "$DFS/vmallocinfo"
	run "$KVALAB" map --svg "$OUT/old.svg"
	assert_success
	assert_output "map: $OUT/old.svg: 41 ranges (exact)"
	cmp "$OUT/new.svg" "$OUT/old.svg"
}

@test "map --svg: an area with no pages (no pages=, the kernel's format) is busy VA throughout" {
	# /proc/vmallocinfo prints "pages=" only when nr_pages is not 0, and so
	# does vmallocinfo for a replay's VA-only area.
	cp -r "$FIX/debugfs-lazy" "$OUT/va"
	sed -i 's/ pages=16 vmalloc N0=16 / vmap /' "$OUT/va/vmallocinfo"
	grep -q ' \[kvalab\] vmap id=57$' "$OUT/va/vmallocinfo"
	KVALAB_DEBUGFS=$OUT/va run "$KVALAB" map --svg "$OUT/va.svg"
	assert_success
	assert_output "map: $OUT/va.svg: 3 ranges (exact)"
	grep -q '>busy: 1 ranges, 68K</text>' "$OUT/va.svg"
	grep -q '>guard page: 0 ranges, 0</text>' "$OUT/va.svg"
	grep -q '>lazy (freed, awaiting purge): 1 ranges, 68K</text>' "$OUT/va.svg"
	rendered "$OUT/va.svg" 100000
	# A malformed count is still refused.
	sed -i 's/ vmap / pages=x vmap /' "$OUT/va/vmallocinfo"
	KVALAB_DEBUGFS=$OUT/va run "$KVALAB" map --svg "$OUT/bad.svg"
	assert_failure
}

@test "map --svg: guard pages and a lazy area" {
	export KVALAB_DEBUGFS=$FIX/debugfs-lazy
	run "$KVALAB" map --svg "$OUT/g.svg"
	assert_success
	grep -q '>busy: 1 ranges, 64K</text>' "$OUT/g.svg"
	grep -q '>guard page: 1 ranges, 4K</text>' "$OUT/g.svg"
	grep -q '>lazy (freed, awaiting purge): 1 ranges, 68K</text>' "$OUT/g.svg"
	grep -q '<title>guard page \[+0x21000, +0x22000)</title>' "$OUT/g.svg"
	rendered "$OUT/g.svg" 100000
}

@test "map --svg: hidden addresses (kptr_restrict=2 zeros) fall back to the coarse map" {
	sed -i -E 's/0x[0-9a-f]{16}/0x0000000000000000/g' "$DFS/stats" "$DFS/vmallocinfo" "$DFS/free_areas"
	run "$KVALAB" map --svg "$OUT/c.svg"
	assert_success
	assert_output "map: $OUT/c.svg: 512 ranges (coarse map cells: addresses hidden)"
	grep -q 'coarse map (addresses hidden)' "$OUT/c.svg"
	rendered "$OUT/c.svg" 100000
}

@test "map --svg: pooled cells of the coarse map (va_pools=Y) are drawn in the pool's colour" {
	sed -i -E 's/0x[0-9a-f]{16}/0x0000000000000000/g' "$DFS/stats" "$DFS/vmallocinfo" "$DFS/free_areas"
	# The second line's last 48 cells pooled; the legend counts them.
	sed -i -E '3s/^(\+0x[0-9a-f]+ .{16}).{48}$/\1pppppppppppppppppppppppppppppppppppppppppppppppp/' "$DFS/map"
	grep -q 'p\{48\}$' "$DFS/map"
	run "$KVALAB" map --svg "$OUT/p.svg"
	assert_success
	grep -q '>pooled (purged, kept whole for reuse): 48 cells, 384K</text>' "$OUT/p.svg"
	rendered "$OUT/p.svg" 100000
	# 48 cells of a 512-cell map on 16 rows of 1024 px: a row and a half, in pink.
	read -r _ _ _ pink < <(python3 "$BATS_TEST_DIRNAME/png_ink.py" "$OUT/p.svg.png" e377c2)
	echo "# pooled pixels: $pink" >&3
	((pink > 1024 * 20))
	# Without them, no pixel has that colour.
	sed -i '/^+0x/s/p/./g' "$DFS/map"
	run "$KVALAB" map --svg "$OUT/n.svg"
	rendered "$OUT/n.svg" 100000
	read -r _ _ _ pink < <(python3 "$BATS_TEST_DIRNAME/png_ink.py" "$OUT/n.svg.png" e377c2)
	((pink == 0))
}

@test "map without --svg prints the module's map; bad options refused" {
	run "$KVALAB" map
	assert_success
	assert_line --index 0 "# one char = 8192 bytes; '#' busy '.' free 'z' any lazy '+' mixed"
	run -2 "$KVALAB" map --svg
	assert_output --partial "option '--svg' requires an argument"
	run -1 "$KVALAB" map --svg /nonexistent/dir/x.svg
	assert_output --partial "cannot write /nonexistent/dir/x.svg"
}

# --- stats --json and documentation ------------------------------------------------

@test "stats --json: the fixed-point figures are JSON numbers" {
	run "$KVALAB" --json stats
	assert_success
	assert_output --partial '"ext_frag":0.0780,"frag_rss":0.0777,'
	python3 -c 'import json, sys; d = json.loads(sys.argv[1]); assert d["ext_frag"] == 0.078 and d["nr_free"] == 19' "$output"
}

@test "help and man page document tree, explain and map --svg" {
	run "$KVALAB" --help
	assert_line --regexp '^  tree \[--depth N\] \[--svg OUT\] \[--dot OUT\]$'
	assert_line --regexp '^  explain SIZE '
	assert_line --regexp '^  map \[--svg OUT\]$'
	for c in tree explain map; do
		grep -Eq "^\.B $c( |$)" "$TOP/docs/kvalab.1"
		run "$KVALAB" "$c" --help
		assert_success
		assert_line --index 0 --regexp "^Usage: kvalab $c"
	done
}
