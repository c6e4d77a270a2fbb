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

# ctl_ok CMD: run CMD (ctl_res: RES is its result line), print the result
# line; fail the test with it if it fails.
#
# These helpers fork nothing: on the debug kernel every fork and exec costs
# tens of milliseconds (KASAN, kmemleak), and the suites make thousands of
# calls.
ctl_ok() {
	if ! ctl_res "$@"; then
		echo "ctl '$*' failed: $RES" >&2
		return 1
	fi
	echo "$RES"
}

# field NAME LINE: value of the last NAME=value in LINE (nothing if none).
field() {
	local s=" $2"
	[[ $s == *" $1="* ]] || return 0
	s=${s##*" $1="}
	echo "${s%% *}"
}

# alloc_id ARGS...: allocate, print the id.
alloc_id() {
	ctl_ok alloc "$@" >/dev/null || return 1
	field id "$RES"
}

# stat_val NAME: the value of the stats line "NAME: value".
stat_val() {
	local line v
	while IFS= read -r line; do
		[[ $line == "$1: "* ]] || continue
		v=${line#"$1: "}
		echo "${v%%: *}"
	done <"$D/stats"
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

# run_state: the workload results file's state (idle, running, done, stopped,
# failed).
run_state() {
	sed -n 's/^state: //p' "$D/results"
}

# wait_run_end [SEC]: wait (default 180 s) until the state is not "running";
# print the final state. Fails if the run is still going.
wait_run_end() {
	local limit=$((${1:-180} * 4)) i s
	for ((i = 0; i < limit; i++)); do
		s=$(run_state)
		[[ $s != running ]] && break
		sleep 0.25
	done
	echo "$s"
	[[ $s != running ]]
}

# Free memory, for the suites' and the soak's before/after comparisons.
# meminfo_free_kb: MemFree from /proc/meminfo, in kB.
meminfo_free_kb() {
	awk '$1 == "MemFree:" { print $2 }' /proc/meminfo
}

# free_kb: MemFree plus the pages waiting in the per-CPU free lists
# (/proc/zoneinfo "count:"), in kB. drop_caches does not drain those lists,
# and with 2 CPUs and 1 GiB they hold up to about 10 MB that MemFree does not
# count: enough to make a 1% comparison of MemFree alone fail at random.
free_kb() {
	local pcp
	pcp=$(awk '$1 == "count:" { pcp += $2 } END { printf "%d\n", pcp * 4 }' /proc/zoneinfo)
	echo $(($(meminfo_free_kb) + pcp))
}
