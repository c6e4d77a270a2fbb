#!/bin/bash
# make soak's guest side (scripts/soak.sh runs it with tests/vm/run --script
# on the debug kernel): mixed traffic for SOAK_SECONDS, in cycles of
# SOAK_CYCLE seconds. Each cycle loads kvalab under the next policy (the
# levers on in odd cycles), then
#   mixed    3 writers (alloc, fill, verify, free, free_atomic, explain,
#            purge, check and malformed lines, each on its own areas), a
#            reader of every listing and of the CLI, workload runs on
#            kvalab:POLICY, vmalloc and floor (some stopped half way), a
#            switcher (policy, check tlb) and a recorder (record on/off);
#   replay   the writers' areas verified and freed, the slice reset, the
#            cycle's own recording (or the shipped one) replayed under every
#            policy, one more replay stopped half way, the trace cleared;
#   unload   even cycles free everything first and require pages_allocated
#            = pages_freed; odd cycles unload with areas live.
# A progress line every SOAK_PROGRESS seconds; at the end ops per kind,
# errors by errno, failures, pages allocated and freed, MemFree before and
# after. Exit status 1 on any failure: a wrong byte, a broken invariant, a
# refusal a command must not give, a run or replay that did not finish.
set -u
: "${SOAK_SECONDS:=3600}" "${SOAK_CYCLE:=300}" "${SOAK_PROGRESS:=60}"
KO=${KVALAB_KO:-/kvalab/kvalab.ko}
# The control-file helpers (ctl_res, stat_val, wait_until, wait_run_end,
# free_kb).
# shellcheck source=../lib/allocator.bash
source /usr/lib/bats/kvalab/allocator.bash
W=/tmp/soak
rm -rf "$W"
mkdir -p "$W"
POLICIES=(lowest vmlist cached-hole next-fit best-fit instant-fit)

# fail WHAT: a failure, counted and printed at once.
fail() {
	echo "$*" >>"$W/failures"
	echo "# soak FAILURE: $*"
}

# tally KIND: count RES (the last command's result line) for KIND in the
# caller's OPS and ERR arrays; print its errno name (empty for ok).
declare -A OPS ERR
tally() {
	OPS[$1]=$((${OPS[$1]:-0} + 1))
	ENAME=
	if [[ $RES == error* ]]; then
		ENAME=${RES#error * -*[0-9] }
		ENAME=${ENAME%%:*}
		ERR[$ENAME]=$((${ERR[$ENAME]:-0} + 1))
	fi
}

# dump_counts FILE: the arrays as "op KIND N" and "err NAME N" lines.
dump_counts() {
	local k
	{
		for k in "${!OPS[@]}"; do echo "op $k ${OPS[$k]}"; done
		for k in "${!ERR[@]}"; do echo "err $k ${ERR[$k]}"; done
	} >"$1"
}

# cmd KIND LINE...: one command, tallied. Returns 0 on ok.
cmd() {
	local kind=$1
	shift
	ctl_res "$@"
	tally "$kind"
	[[ -z $ENAME ]]
}

# expect KIND ALLOWED: the last result was ok or one of ALLOWED (errno
# names separated by spaces); anything else is a failure.
expect() {
	[[ -z $ENAME || " $2 " == *" $ENAME "* ]] || fail "$1: $RES"
}

writer() {
	local name=$1 stop=$2 id b k opt
	local -A live=()
	local -a ids
	while [[ ! -e $stop ]]; do
		ids=("${!live[@]}")
		k=$((RANDOM % 100))
		((${#ids[@]} == 0)) && k=0
		((${#ids[@]} >= 32 && k < 30)) && k=50
		id=${ids[RANDOM % (${#ids[@]} > 0 ? ${#ids[@]} : 1)]:-}
		if ((k < 30)); then
			opt=
			((RANDOM % 4)) || opt=align=64K
			if cmd alloc alloc $(((RANDOM % 64 + 1) * 1024)) ${opt:+"$opt"}; then
				res_id
				b=$((RANDOM % 256))
				cmd fill fill "$ID" "$b" || fail "$name: fill $ID: $RES"
				live[$ID]=$b
			else
				expect alloc ENOMEM
			fi
		elif ((k < 40)); then
			b=$((RANDOM % 256))
			cmd fill fill "$id" "$b" || fail "$name: fill $id: $RES"
			live[$id]=$b
		elif ((k < 55)); then
			cmd verify verify "$id" "${live[$id]}" || fail "$name: verify $id ${live[$id]}: $RES"
		elif ((k < 70)); then
			cmd free free "$id" || fail "$name: free $id: $RES"
			unset "live[$id]"
			# A second free of the same id is a double free: EALREADY.
			if ((RANDOM % 8 == 0)); then
				cmd free free "$id"
				[[ $ENAME == EALREADY ]] || fail "$name: double free $id: $RES"
			fi
		elif ((k < 78)); then
			cmd free_atomic free_atomic "$id" || fail "$name: free_atomic $id: $RES"
			unset "live[$id]"
		elif ((k < 85)); then
			cmd explain explain $(((RANDOM % 256 + 1) * 4))K
			expect explain ""
		elif ((k < 90)); then
			opt=
			((RANDOM % 4)) || opt=vmalloc
			cmd purge purge ${opt:+"$opt"} || fail "$name: purge: $RES"
		elif ((k < 95)); then
			cmd check check || fail "$name: check: $RES"
		else
			# Malformed lines: refused with their errno, nothing changed.
			case $((RANDOM % 5)) in
			0) cmd bad alloc 4Q; expect bad EINVAL ;;
			1) cmd bad allco 4K; expect bad EINVAL ;;
			2) cmd bad free 99999999; expect bad ENOENT ;;
			3) cmd bad alloc 99999999999999999999999; expect bad ERANGE ;;
			4) cmd bad verify 0 1; expect bad "ENOENT EBUSY" ;;
			esac
			[[ -n $ENAME ]] || fail "$name: a malformed line was accepted: $RES"
		fi
	done
	for id in "${!live[@]}"; do echo "$id ${live[$id]}"; done >"$W/live.$name"
	dump_counts "$W/counts.$name"
}

reader() {
	local stop=$1 f
	while [[ ! -e $stop ]]; do
		for f in vmallocinfo free_areas lazy_areas stats map free_hist free_tree results replay_results; do
			OPS[read]=$((${OPS[read]:-0} + 1))
			cat "$D/$f" >/dev/null || fail "reader: cat $f"
		done
		OPS[cli]=$((${OPS[cli]:-0} + 3))
		kvalab list >/dev/null || fail "reader: kvalab list"
		kvalab stats --json >/dev/null || fail "reader: kvalab stats --json"
		kvalab map >/dev/null || fail "reader: kvalab map"
	done
	dump_counts "$W/counts.reader"
}

runner() {
	local stop=$1 policy=$2 s n=0
	while [[ ! -e $stop ]]; do
		if ! cmd run run mask=0x47f loops=40 repeat=1 threads=2 "backend=kvalab:$policy,vmalloc,floor"; then
			expect run EBUSY
			sleep 1
			continue
		fi
		n=$((n + 1))
		if ((n % 4 == 0)); then
			sleep 2
			cmd stop stop || fail "runner: stop: $RES"
		fi
		s=$(wait_run_end 600) || true
		case $s in
		done | stopped) ;;
		*) fail "runner: run ended $s: $(grep -E '^(state|case=.*status=(fail|xpass))' "$D/results" | tr '\n' ';')" ;;
		esac
	done
	dump_counts "$W/counts.runner"
}

switcher() {
	local stop=$1 p
	while [[ ! -e $stop ]]; do
		p=${POLICIES[RANDOM % 6]}
		cmd policy policy "$p"
		expect policy EBUSY
		if ((RANDOM % 4 == 0)); then
			cmd check_tlb check tlb || fail "switcher: check tlb: $RES"
		fi
		sleep 0.5
	done
	dump_counts "$W/counts.switcher"
}

recorder() {
	local stop=$1
	while [[ ! -e $stop ]]; do
		cmd record record on || fail "recorder: record on: $RES"
		sleep 3
		cmd record record off || fail "recorder: record off: $RES"
		if cat "$D/trace" >"$W/trace.new" 2>/dev/null && [[ -s $W/trace.new ]]; then
			mv "$W/trace.new" "$W/trace"
		fi
		sleep 1
	done
	dump_counts "$W/counts.recorder"
}

# replays: the recording of this cycle, then the shipped one, under every
# policy (va_only on the second); one more stopped half way; the trace
# cleared. A recording may be refused (it can free an id allocated before
# record on, or peak above the slice): counted as replay_refused, and the
# shipped trace runs instead.
replays() {
	local t s ok
	for t in "$W/trace" /kvalab/data/record-workload.trace; do
		[[ -s $t ]] || continue
		OPS[replay_load]=$((${OPS[replay_load]:-0} + 1))
		if ! cat "$t" >"$D/replay" 2>/dev/null; then
			[[ $t == "$W/trace" ]] || fail "replay: the shipped trace was refused"
			OPS[replay_refused]=$((${OPS[replay_refused]:-0} + 1))
			continue
		fi
		ok=0
		if [[ $t == "$W/trace" ]]; then
			cmd replay replay start policy=all samples=20 && ok=1
			((ok)) || { expect replay "E2BIG EINVAL"; OPS[replay_refused]=$((${OPS[replay_refused]:-0} + 1)); }
		else
			cmd replay replay start policy=all samples=20 va_only && ok=1
			((ok)) || fail "replay start: $RES"
		fi
		((ok)) || continue
		for ((s = 0; s < 2400; s++)); do
			grep -q '^state: running$' "$D/replay_results" || break
			sleep 0.25
		done
		grep -q '^state: done$' "$D/replay_results" || fail "replay $t: $(grep '^state' "$D/replay_results")"
	done
	cmd replay replay start policy=all samples=20 || fail "replay start: $RES"
	sleep 1
	cmd replay replay stop
	expect replay EALREADY
	cmd replay replay clear || fail "replay clear: $RES"
}

cycle() {
	local c=$1 seconds=$2 policy=${POLICIES[$1 % 6]} levers='' stop=$W/stop.$1 pids=() p id b
	((c % 2)) && levers="page_alloc=bulk tlb_flush=invlpg obj_cache=Y breakdown=Y va_pools=Y"
	# shellcheck disable=SC2086 # lists of words
	insmod "$KO" ${KVALAB_PARAMS:-} $levers slice_size=64M "policy=$policy" ||
		{ fail "cycle $c: insmod"; return; }
	rm -f "$W/trace" "$W"/live.*
	for w in 1 2 3; do
		writer "w$w" "$stop" &
		pids+=($!)
	done
	reader "$stop" &
	pids+=($!)
	runner "$stop" "$policy" &
	pids+=($!)
	switcher "$stop" &
	pids+=($!)
	recorder "$stop" &
	pids+=($!)
	sleep $((seconds * 2 / 3))
	touch "$stop"
	wait "${pids[@]}"
	cat "$W"/counts.* >>"$W/totals"
	rm -f "$W"/counts.*
	# Counted here, not before the loops start: each would inherit it.
	OPS=([load]=1) ERR=()
	# Every area a writer kept holds its last byte; then the replays.
	for f in "$W"/live.*; do
		while read -r id b; do
			cmd verify verify "$id" "$b" || fail "cycle $c: verify $id $b: $RES"
			cmd free free "$id" || fail "cycle $c: free $id: $RES"
		done <"$f"
	done
	cmd reset reset || fail "cycle $c: reset: $RES"
	replays
	cmd check check || fail "cycle $c: check: $RES"
	if ((c % 2 == 0)); then
		cmd reset reset || fail "cycle $c: reset: $RES"
		wait_until 30 stat_is nr_busy 0 || fail "cycle $c: areas left after reset"
		local pa pf
		pa=$(stat_val pages_allocated) pf=$(stat_val pages_freed)
		echo "pages $pa $pf" >>"$W/pages"
		[[ $pa == "$pf" ]] || fail "cycle $c: pages_allocated $pa, pages_freed $pf after reset"
	else
		# Unload with live areas: the module frees them itself.
		for ((i = 0; i < 16; i++)); do
			cmd alloc alloc 16K || true
		done
		local pa pf
		pa=$(stat_val pages_allocated) pf=$(stat_val pages_freed)
		echo "pages $pa $pf live" >>"$W/pages"
	fi
	dump_counts "$W/counts.cycle"
	cat "$W/counts.cycle" >>"$W/totals"
	rm -f "$W"/counts.*
	OPS=() ERR=()
	rmmod kvalab || fail "cycle $c: rmmod"
	OPS[unload]=1
	dump_counts "$W/counts.unload"
	cat "$W/counts.unload" >>"$W/totals"
	rm -f "$W"/counts.*
	OPS=() ERR=()
	grep -q kvalab /proc/vmallocinfo && fail "cycle $c: kvalab areas left in /proc/vmallocinfo"
}

sum() { awk -v k="$1" '$1 == k { n[$2] += $3 } END { for (x in n) print x, n[x] }' "$W/totals" | sort; }

sync
echo 3 >/proc/sys/vm/drop_caches
mem_before=$(free_kb)
: >"$W/totals"
: >"$W/failures"
: >"$W/pages"
start=$SECONDS
c=0
(
	# progress, while the cycles run
	while sleep "$SOAK_PROGRESS"; do
		n=$(awk '$1 == "op" { n += $3 } END { print n + 0 }' "$W/totals")
		e=$(awk '$1 == "err" { n += $3 } END { print n + 0 }' "$W/totals")
		echo "# soak: $((SECONDS - start))/$SOAK_SECONDS s, ops $n (cycles done), errors $e, failures $(wc -l <"$W/failures"), MemFree $(awk '$1 == "MemFree:" { print $2 }' /proc/meminfo) kB"
	done
) &
progress=$!
while ((SECONDS - start < SOAK_SECONDS)); do
	left=$((SOAK_SECONDS - (SECONDS - start)))
	len=$SOAK_CYCLE
	((left < len)) && len=$left
	((len < 30)) && len=30
	echo "# soak: cycle $c: policy ${POLICIES[c % 6]}, levers $( ((c % 2)) && echo on || echo off), ${len} s"
	cycle "$c" "$len"
	c=$((c + 1))
done
kill "$progress" 2>/dev/null
wait "$progress" 2>/dev/null
sync
echo 3 >/proc/sys/vm/drop_caches
sleep 2
mem_after=$(free_kb)

echo "# soak: $((SECONDS - start)) s, $c cycles (load, mixed traffic, replays, unload)"
echo "# ops per kind:"
sum op | awk '{ printf "#   %-12s %d\n", $1, $2 }'
echo "# errors by errno (refusals the commands are allowed to give):"
sum err | awk '{ printf "#   %-12s %d\n", $1, $2 }'
awk '{ a += $2; f += $3 } $4 == "live" { l += $2 - $3 }
	END { printf "# pages: allocated %d, freed %d by the module before unload, %d held by live areas at unload (freed by it)\n", a, f, l }' "$W/pages"
echo "# MemFree + per-CPU lists: before $mem_before kB, after $mem_after kB ($((mem_after - mem_before)) kB)"
nf=$(wc -l <"$W/failures")
echo "# failures: $nf"
sed 's/^/#   /' "$W/failures" | head -50
if ((nf == 0 && mem_after * 100 >= mem_before * 99)); then
	echo "ok - soak: $c cycles, no failure, memory back"
	exit 0
fi
echo "not ok - soak: $nf failures, MemFree before $mem_before kB, after $mem_after kB"
exit 1
