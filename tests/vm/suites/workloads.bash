# Workload and background-job helpers for the guest suites (load common first).

# untraced CMD...: run CMD without bats' DEBUG trap and errexit. Use in a
# background subshell only, ( untraced cmd ) &: the trap runs before every
# command of a function and makes a tight loop many times slower.
untraced() {
	trap - DEBUG
	set +eET
	"$@"
}

# run_state: the results file's state.
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

# wait_busy_over N [SEC]: wait until vmallocinfo lists more than N areas.
wait_busy_over() {
	local n=$1 limit=$((${2:-60} * 10)) i
	for ((i = 0; i < limit; i++)); do
		(($(wc -l <"$D/vmallocinfo") > n)) && return 0
		sleep 0.1
	done
	return 1
}
