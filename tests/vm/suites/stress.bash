# Stress helpers (bats_load_library kvalab and load workloads first). Every loop runs until
# its STOPFILE exists. Unexpected results are appended to $STRESS_ERRORS.

: "${STRESS_ERRORS:=/tmp/stress.errors}"

stress_err() {
	echo "$*" >>"$STRESS_ERRORS"
}

# stress_writer NAME STOPFILE OUT: allocate, fill, verify, refill, free and
# free_atomic its own areas on one descriptor, remembering id -> byte; at
# most MAX live areas. Writes "id byte" for every live area to OUT at the
# end. The only error it accepts is ENOMEM on alloc (the slice is shared).
stress_writer() {
	local name=$1 stop=$2 out=$3 id b k ops=0 enomem=0
	local -A live=()
	local -a ids
	local max=24
	while [[ ! -e $stop ]]; do
		ops=$((ops + 1))
		k=$((RANDOM % 10))
		ids=("${!live[@]}")
		if ((${#ids[@]} >= max)); then
			k=7
		elif ((${#ids[@]} == 0)); then
			k=0
		fi
		id=${ids[RANDOM % (${#ids[@]} > 0 ? ${#ids[@]} : 1)]:-}
		case $k in
		0 | 1 | 2 | 3)
			b=$((RANDOM % 256))
			if ! ctl_res alloc $((RANDOM % 32 + 1))K; then
				if [[ $RES == "error alloc -12 ENOMEM: "* ]]; then
					enomem=$((enomem + 1))
				else
					stress_err "$name: alloc: $RES"
				fi
				continue
			fi
			res_id
			id=$ID
			ctl_res fill "$id" "$b" || stress_err "$name: fill $id $b: $RES"
			live[$id]=$b
			;;
		4 | 5)
			ctl_res verify "$id" "${live[$id]}" || stress_err "$name: verify $id ${live[$id]}: $RES"
			;;
		6)
			b=$((RANDOM % 256))
			ctl_res fill "$id" "$b" || stress_err "$name: fill $id $b: $RES"
			live[$id]=$b
			;;
		7 | 8)
			ctl_res verify "$id" "${live[$id]}" || stress_err "$name: verify $id ${live[$id]}: $RES"
			ctl_res free "$id" || stress_err "$name: free $id: $RES"
			unset "live[$id]"
			;;
		9)
			ctl_res free_atomic "$id" || stress_err "$name: free_atomic $id: $RES"
			unset "live[$id]"
			;;
		esac
	done
	for id in "${!live[@]}"; do
		echo "$id ${live[$id]}"
	done >"$out"
	echo "$name: $ops ops, $enomem ENOMEM, ${#live[@]} live" >"$out.summary"
}

# stress_reader STOPFILE OUT: read every listing, raw and through the CLI.
stress_reader() {
	local stop=$1 out=$2 n=0 f
	while [[ ! -e $stop ]]; do
		for f in vmallocinfo free_areas stats map results; do
			cat "$D/$f" >/dev/null || stress_err "reader: cat $f failed"
		done
		kvalab list >/dev/null || stress_err "reader: kvalab list failed"
		kvalab stats --json >/dev/null || stress_err "reader: kvalab stats --json failed"
		kvalab map >/dev/null || stress_err "reader: kvalab map failed"
		# A fresh descriptor on control reads the latest result of anyone.
		cat "$D/control" >/dev/null || stress_err "reader: cat control failed"
		n=$((n + 1))
	done
	echo "$n" >"$out"
}

# stress_runner STOPFILE OUT [PAUSE [RUN ARGS...]]: workload runs back to
# back (PAUSE seconds apart, default 0) with RUN ARGS (default: the cases
# but pcpu and the kvfree_rcu ones, 50 loops, 1 repeat, 2 threads on the
# default backends); each must end done. A run refused because a command
# holds the slice for its own length (a policy switch or a reset: EBUSY
# "...; try again") is retried; any other refusal is an error. Writes the number of
# runs to OUT and the number of such retries to OUT.busy.
stress_runner() {
	local stop=$1 out=$2 pause=${3:-0} n=0 busy=0 res s
	shift 2
	(($#)) && shift
	(($#)) || set -- mask=0x47f loops=50 repeat=1 threads=2
	while [[ ! -e $stop ]]; do
		if ! res=$(ctl run "$@"); then
			# The module words every one-command holder "...; try again"
			# (module/placement.c's holder table).
			if [[ $res == "error run -16 EBUSY: "*"; try again" ]]; then
				busy=$((busy + 1))
				continue
			fi
			stress_err "runner: run $*: $res"
			break
		fi
		s=$(wait_run_end 300) || true
		if [[ $s != "done" ]]; then
			stress_err "runner: run $* ended $s: $(grep -E '^(state|case=.*status=(fail|xpass))' "$D/results" | tr '\n' ';')"
			break
		fi
		n=$((n + 1))
		sleep "$pause"
	done
	echo "$n" >"$out"
	echo "$busy" >"$out.busy"
}

# meminfo_brief: the /proc/meminfo fields that explain a MemFree change.
meminfo_brief() {
	awk '$1 ~ /^(MemFree|Cached|Shmem|Slab|SUnreclaim|KernelStack|PageTables|VmallocUsed|Percpu):$/ { printf "%s%s ", $1, $2 }' /proc/meminfo
}
