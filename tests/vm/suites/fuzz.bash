# Control-file fuzzer helpers (bats_load_library kvalab first).
#
# fuzz_gen SEED COUNT WRITERS: print COUNT fuzz lines for printf '%b', one per
# line: every byte that is not plain printable ASCII is written as a \xHH
# escape, and each line carries its own terminator (usually \n, sometimes
# none, \r\n or \n\n). Kinds: valid commands (allocs, frees of ids that are
# likely to exist, fill/verify, purge, check, rare reset, tiny runs and
# stops), random grammar tokens, mutated valid commands, huge and negative
# numbers, size+align overflows, binary bytes, lines of 257..700 bytes, and
# several commands on one line (bash's printf flushes its line-buffered
# stdout at every newline, so each of them is a write() of its own).
#
# Safety valve: a line whose first token is "run" that is not one of the tiny
# valid runs gets " threads=65" appended (above the maximum of 64, or given
# twice: rejected either way), so the fuzzer never starts a long run.

FUZZ_AWK='
function r(n) { return int(rand() * n) }
function pick(s,   a, n) { n = split(s, a, " "); return a[r(n) + 1] }
function num(   k) {
	k = r(10)
	if (k < 4) return r(300) + 1
	if (k < 6) return sprintf("0x%x", r(65536))
	if (k < 7) return pick("0 1 4096 65535 4294967295 4294967296 18446744073709551615 18446744073709551616 99999999999999999999999 0xffffffffffffffff 0x10000000000000000 0xfffffffffffff000 0x8000000000000000 -1 -4096 +5 00 0x 0x0 1e3 12.5")
	if (k < 8) return (r(4096) + 1) pick("K k M m G g T KK")
	return r(64) + 1 pick("K K K M")
}
function size(   k) {
	k = r(10)
	if (k < 6) return (r(64) + 1) "K"
	if (k < 8) return (r(512) + 1) * 4096
	if (k < 9) return (r(4) + 1) "M"
	return num()
}
function align() { return pick("4K 8K 16K 64K 1M 2M 4096 65536 3000 0 1 2 4 8 0x1000 0x8000000000000000 4G") }
function id() { return r(idmax) + 1 }
function byte() { return pick("0 1 90 0x5a 255 0xff 0x00 7 128 256 -1 0x100 1000 a5 0x") }
function valid(   k, s) {
	k = r(1000)
	if (k < 350) {
		s = "alloc " size()
		if (r(4) == 0) s = s " align=" align()
		if (r(5) == 0) s = s " noguard"
		return s
	}
	if (k < 550) return "free " id()
	if (k < 600) return "free_atomic " id()
	if (k < 750) return "fill " id() " " byte()
	if (k < 900) return "verify " id() " " byte()
	if (k < 940) return "purge"
	if (k < 975) return "check"
	if (k < 980) return "reset"
	if (k < 982) { tinyrun = 1; return "run fix_size_alloc_test loops=20 repeat=1 threads=1" }
	if (k < 990) return "stop"
	return pick("free 0x" sprintf("%x", r(2147483647)) " fill 0xffffc90000000000 1 verify 0xffffffffffffffff 0")
}
function token() {
	return pick("alloc free free_atomic fill verify purge reset check run stop noguard align= align=4K align=3000 mask= mask=0x47f mask=0x80 mask=0xffffffff threads= threads=0 threads=2 threads=64 threads=65 loops= loops=1 loops=0 repeat= repeat=1 repeat=257 pages= pages=65537 sequential= sequential=1 sequential=2 backend= backend=kvalab backend=vmalloc backend=kvalab,vmalloc backend=foo backend=kvalab,kvalab fix_size_alloc_test align_shift_alloc_test vm_map_ram_test pcpu_alloc_test = == ,, 0x -- ALLOC Free") 
}
function tokens(   n, i, s) {
	n = r(6) + 1
	s = ""
	for (i = 0; i < n; i++) {
		if (i) s = s (r(3) ? " " : "\t")
		s = s (r(3) ? token() : num())
	}
	return s
}
function esc(c,   k) {
	# one random byte as an escape, never a newline (that would end a line
	# early) nor a backslash; tab and space are written as themselves
	k = r(256)
	if (k == 10) k = 0
	if (k == 9 || k == 32) return k == 9 ? "\t" : " "
	if (k >= 33 && k < 127 && k != 92) return sprintf("%c", k)
	return sprintf("\\x%02x", k)
}
function mutate(s,   n, i, p, k, out) {
	n = r(3) + 1
	for (i = 0; i < n; i++) {
		p = r(length(s) + 1)
		k = r(7)
		if (k == 0) s = substr(s, 1, p) substr(s, p + 2)			# delete
		else if (k == 1) s = substr(s, 1, p) pick("0 9 x K M = , a - _") substr(s, p + 1)
		else if (k == 2) s = substr(s, 1, p) esc() substr(s, p + 2)	# replace
		else if (k == 3) s = substr(s, 1, p)				# truncate
		else if (k == 4) s = s " " s					# duplicate
		else if (k == 5) s = toupper(substr(s, 1, 1)) substr(s, 2)
		else s = substr(s, 1, p) (r(3) ? " " : "\t") substr(s, p + 1)
	}
	return s
}
function binary(   n, i, s, v) {
	n = r(40) + 1
	s = ""
	for (i = 0; i < n; i++) {
		v = (r(255) + 11) % 256
		s = s sprintf("\\x%02x", v == 10 ? 0 : v)
	}
	return s
}
function longline(   n, s) {
	n = 257 + r(440)
	s = "alloc " sprintf("%0" (n - 6) "d", 4)
	if (r(2)) { s = valid(); while (length(s) < n) s = s " noguard" }
	return substr(s, 1, n)
}
function overflow() {
	return pick("alloc 0xffffffffffffffff alloc 0xfffffffffffff000 alloc 17179869184G alloc 18446744073709551615K") \
		(r(2) ? " align=" pick("0x8000000000000000 0x4000000000000000 1G 4096") : "")
}
function firsttok(s,   a) { split(s, a, /[ \t]+/); return a[1] == "" ? a[2] : a[1] }
BEGIN {
	srand(seed)
	for (line = 0; line < count; line++) {
		idmax = int(line * writers / 8) + 20
		tinyrun = 0
		k = r(100)
		if (k < 35) s = valid()
		else if (k < 55) s = tokens()
		else if (k < 75) { s = mutate(valid()); tinyrun = 0 }
		else if (k < 80) s = pick("alloc free fill verify free_atomic") " " num() (r(2) ? " " num() : "")
		else if (k < 85) s = overflow()
		else if (k < 90) s = r(2) ? binary() : valid() binary()
		else if (k < 94) s = longline()
		else if (k < 97) s = valid() "\\n" valid()
		else s = pick("\\x00 \\x00alloc\\x204K \\x7f \\xff\\xfe \\r \\x01check \\x1b[0m") (r(2) ? "" : valid())
		if (k >= 35) tinyrun = 0
		if (!tinyrun && firsttok(s) == "run") s = s " threads=65"
		k = r(20)
		if (k < 16) s = s "\\n"
		else if (k == 16) s = s "\\r\\n"
		else if (k == 17) s = s "\\n\\n"
		print s
	}
}'

fuzz_gen() {
	awk -v seed="$1" -v count="$2" -v writers="${3:-1}" "$FUZZ_AWK"
}

# fuzz_job SEED COUNT WRITERS FILE: generate COUNT lines into FILE, write
# them; print "LINES REJECTED GEN_SECONDS WRITE_SECONDS".
fuzz_job() {
	local t0=$EPOCHREALTIME t1 t2 out
	fuzz_gen "$1" "$2" "$3" >"$4"
	t1=$EPOCHREALTIME
	out=$(fuzz_write "$4")
	t2=$EPOCHREALTIME
	echo "$out $(awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "%.1f %.1f", b - a, c - b }')"
}

# fuzz_write FILE: write every line of FILE (fuzz_gen output) with one write
# each on one open descriptor; print "LINES REJECTED".
fuzz_write() {
	local -a lines
	local l fd n=0 bad=0
	mapfile -t lines <"$1"
	exec {fd}<>"$D/control"
	{
		for l in "${lines[@]}"; do
			printf '%b' "$l" >&"$fd" || bad=$((bad + 1))
			n=$((n + 1))
		done
	} 2>/dev/null
	exec {fd}>&-
	echo "$n $bad"
}

# valid_writer STOPFILE: alloc, fill, verify, free on one descriptor until
# STOPFILE exists; print "ALLOCS OK_VERIFIES". The fuzzers free and fill
# random ids, so a verify or free may legitimately fail here.
valid_writer() {
	local fd id n=0 ok=0 b
	while [[ ! -e $1 ]]; do
		b=$((RANDOM % 256))
		ctl_res "alloc $((RANDOM % 128 + 1))K"
		[[ $RES == "ok alloc "* ]] || continue
		exec {fd}<>"$D/control"
		n=$((n + 1))
		res_id
		id=$ID
		printf 'fill %s %d\n' "$id" "$b" >&"$fd" 2>/dev/null
		printf 'verify %s %d\n' "$id" "$b" >&"$fd" 2>/dev/null && ok=$((ok + 1))
		if ((RANDOM % 4)); then
			printf 'free %s\n' "$id" >&"$fd" 2>/dev/null
		fi
		exec {fd}>&-
	done
	echo "$n $ok"
}
