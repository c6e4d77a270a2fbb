# Helpers of the race kernel's suites (tests/vm/suites-race): background loops
# that run until their STOPFILE exists, errors appended to $STRESS_ERRORS
# (stress.bash's stress_err). Load workloads and stress first.

# race_switcher STOPFILE OUT: switch the slice through every policy, purge and
# check, over and over. A switch waits for a quiescent slice; EBUSY is the
# one refusal it accepts (a workload run or a replay holds the slice).
race_switcher() {
	local stop=$1 out=$2 n=0 busy=0 p
	while [[ ! -e $stop ]]; do
		for p in best-fit next-fit instant-fit cached-hole vmlist lowest; do
			if ! ctl_res policy "$p"; then
				if [[ $RES == "error policy -16 EBUSY: "* ]]; then
					busy=$((busy + 1))
				else
					stress_err "switcher: policy $p: $RES"
				fi
			fi
			ctl_res purge || stress_err "switcher: purge: $RES"
			ctl_res check || stress_err "switcher: check: $RES"
			n=$((n + 1))
		done
	done
	echo "$n $busy" >"$out"
}

# race_recorder STOPFILE OUT: record on, a while, record off, read the trace.
race_recorder() {
	local stop=$1 out=$2 n=0
	while [[ ! -e $stop ]]; do
		ctl_res record on || stress_err "recorder: record on: $RES"
		sleep 1
		ctl_res record off || stress_err "recorder: record off: $RES"
		# Nothing recorded is ENODATA on a read, which cat reports; any
		# other failure is an error.
		if ! cat "$D/trace" >/dev/null 2>"$BATS_TEST_TMPDIR/trace.err" &&
			! grep -q 'No data available' "$BATS_TEST_TMPDIR/trace.err"; then
			stress_err "recorder: cat trace: $(cat "$BATS_TEST_TMPDIR/trace.err")"
		fi
		n=$((n + 1))
	done
	echo "$n" >"$out"
}

# race_replay_reader STOPFILE OUT: the replay's listings and the others.
race_replay_reader() {
	local stop=$1 out=$2 n=0 f
	while [[ ! -e $stop ]]; do
		for f in replay_results vmallocinfo free_areas lazy_areas stats map free_hist; do
			cat "$D/$f" >/dev/null || stress_err "replay reader: cat $f failed"
		done
		n=$((n + 1))
	done
	echo "$n" >"$out"
}

# race_verify_live FILE...: every "id byte" line's area still holds its byte.
race_verify_live() {
	local id b n=0
	while read -r id b; do
		ctl_ok verify "$id" "$b" >/dev/null || return 1
		n=$((n + 1))
	done < <(cat "$@")
	echo "$n"
}
