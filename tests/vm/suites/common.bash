# Allocator helpers for the guest suites (load common).
# D: the debugfs directory. ctl: one command, result on stdout, status of the
# write as return code (read back on the same descriptor, race-free).

D=/sys/kernel/debug/kvalab

ctl() {
	local fd res rc=0
	exec {fd}<>"$D/control"
	printf '%s\n' "$*" >&"$fd" 2>/dev/null || rc=1
	IFS= read -r res <&"$fd" || true
	exec {fd}>&-
	echo "$res"
	return "$rc"
}

# ctl_ok CMD: run CMD, fail the test with the result line if it fails.
ctl_ok() {
	local res
	if ! res=$(ctl "$@"); then
		echo "ctl '$*' failed: $res" >&2
		return 1
	fi
	echo "$res"
}

# field NAME LINE: value of NAME=value in LINE.
field() {
	sed -n "s/.*[ ]$1=\\([^ ]*\\).*/\\1/p" <<<" $2"
}

# alloc_id ARGS...: allocate, print the id.
alloc_id() {
	local res
	res=$(ctl_ok alloc "$@") || return 1
	field id "$res"
}

stat_val() {
	awk -F': ' -v n="$1" '$1 == n { print $2 }' "$D/stats"
}

check_ok() {
	ctl_ok check >/dev/null
}

# State a rejected command must leave alone.
snapshot() {
	cat "$D/vmallocinfo" "$D/free_areas"
	grep -E '^(nr_busy|nr_free|nr_lazy|used_bytes|free_bytes|lazy_pages|pages_allocated|pages_freed):' "$D/stats"
}
