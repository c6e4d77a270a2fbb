# Allocator helpers for guest bats files: sourced by kvalab.bash, so
# `bats_load_library kvalab` brings them.
# D: the module's debugfs directory.

D=/sys/kernel/debug/kvalab

# ctl_res CMD...: one command on a descriptor of its own, its result read back
# on that descriptor (race-free) into RES; the write's status as return code.
# Builtins only, so tight background loops can call it without forking.
ctl_res() {
	local fd rc=0
	exec {fd}<>"$D/control"
	printf '%s\n' "$*" >&"$fd" 2>/dev/null || rc=1
	IFS= read -r RES <&"$fd" || RES=
	exec {fd}>&-
	return "$rc"
}

# ctl CMD...: ctl_res, with the result line on stdout.
ctl() {
	local rc=0
	ctl_res "$@" || rc=$?
	echo "$RES"
	return "$rc"
}

# res_id: set ID to the id of the "ok alloc id=N ..." line in RES (no fork).
res_id() {
	ID=${RES#ok alloc id=}
	ID=${ID%% *}
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

# wait_until SEC CMD...: run CMD every 0.1 s until it succeeds; fail after
# SEC seconds.
wait_until() {
	local limit=$(($1 * 10)) i
	shift
	for ((i = 0; i < limit; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# stat_is NAME VALUE: stats shows NAME: VALUE.
stat_is() {
	[[ $(stat_val "$1") == "$2" ]]
}

# wait_stat NAME VALUE [SEC]: wait (default 5 s) until stats shows NAME: VALUE
# (deferred frees and purges finish in a work item, after the command returns).
wait_stat() {
	wait_until "${3:-5}" stat_is "$1" "$2"
}

# free_purge ID: free an area and purge at once, so its VA merges now.
free_purge() {
	ctl_ok free "$1" >/dev/null
	ctl_ok purge >/dev/null
}

# hex N: N as 0x-hex (kernel addresses are negative in bash arithmetic).
hex() { printf '0x%x' "$1"; }

# align_up N ALIGN: N rounded up to ALIGN, a power of two.
align_up() { echo $((($1 + $2 - 1) & ~($2 - 1))); }

check_ok() {
	ctl_ok check >/dev/null
}

# State a rejected command must leave alone.
snapshot() {
	cat "$D/vmallocinfo" "$D/free_areas"
	grep -E '^(nr_busy|nr_free|nr_lazy|used_bytes|free_bytes|lazy_pages|pages_allocated|pages_freed):' "$D/stats"
}
