#!/usr/bin/env bats
# Fault injection (debug kernel only: Debian's kernels have no
# FAULT_INJECTION): fail_page_alloc and failslab at 10%, task-filtered onto
# one stress process that only issues control writes and reads, so that the
# failures land in kvalab's own allocations.

bats_require_minimum_version 1.5.0
bats_load_library kvalab

FI=/sys/kernel/debug

setup() {
	lean_trace # bats' per-command trap, cheaper (kvalab.bash)
	[[ -d $FI/fail_page_alloc && -d $FI/failslab ]] ||
		skip "no fault injection in this kernel (runs on the debug kernel)"
	for f in fail_page_alloc failslab; do
		echo 10 >"$FI/$f/probability"
		echo 1 >"$FI/$f/interval"
		echo -1 >"$FI/$f/times"
		echo 0 >"$FI/$f/verbose"
		echo 0 >"$FI/$f/space"
		echo Y >"$FI/$f/task-filter"
		echo N >"$FI/$f/ignore-gfp-wait"
	done
	echo N >"$FI/fail_page_alloc/ignore-gfp-highmem"
}

teardown() {
	for f in fail_page_alloc failslab; do
		[[ -d $FI/$f ]] && echo 0 >"$FI/$f/probability"
	done
	kvalab_unload || true
}

# stress N FAIL: N alloc/fill/verify/free steps from this one process, with
# make-it-fail set to FAIL; only builtins, so no fork and no other kernel
# allocation is in the way. Prints "enomem=<count> other=<count> ok=<count>".
stress() {
	local n=$1 fd i res id enomem=0 other=0 ok=0 live=() first=
	exec {fd}<>"$D/control"
	# Opening a file (even /dev/null for one command) allocates and can
	# fail too: the only redirections below are dups of open descriptors.
	exec 2>/dev/null
	echo "$2" >/proc/self/make-it-fail
	for ((i = 0; i < n; i++)); do
		if ((${#live[@]} > 8 || (i % 3 == 2 && ${#live[@]}))); then
			id=${live[0]}
			live=("${live[@]:1}")
			printf 'verify %s %d\n' "$id" $((id % 256)) >&"$fd"
			read -r res <&"$fd"
			[[ $res == ok* ]] || other=$((other + 1))
			printf 'free %s\n' "$id" >&"$fd"
			read -r res <&"$fd"
			[[ $res == ok* ]] || other=$((other + 1))
			continue
		fi
		printf 'alloc %dK\n' $(((i % 16 + 1) * 8)) >&"$fd"
		read -r res <&"$fd"
		case $res in
		"ok alloc "*)
			ok=$((ok + 1))
			id=${res#ok alloc id=}
			id=${id%% *}
			live+=("$id")
			printf 'fill %s %d\n' "$id" $((id % 256)) >&"$fd"
			read -r res <&"$fd"
			[[ $res == ok* ]] || other=$((other + 1))
			;;
		"error alloc -12 ENOMEM: "*) enomem=$((enomem + 1)) ;;
		*)
			other=$((other + 1))
			first=${first:-$res}
			;;
		esac
	done
	echo 0 >/proc/self/make-it-fail
	exec {fd}>&-
	echo "enomem=$enomem other=$other ok=$ok first_other=${first// /_}"
}

@test "10% page and slab failures: ENOMEM, counted, checker passes, no leak" {
	echo 3 >/proc/sys/vm/drop_caches
	before=$(free_kb)
	kvalab_load slice_size=16M lazy_max_pages=64
	# A first pass without failures grows bash's heap, so that the failing
	# pass needs no new user pages (their faults would be injected too).
	out=$( (stress 600 0; ctl_ok reset >/dev/null; stress 600 1) 3>&-)
	out=${out##*$'\n'}
	echo "# $out" >&3
	enomem=$(field enomem "$out")
	[[ $(field other "$out") == 0 ]]
	# Failures really happened, and each one was an ENOMEM seen by the caller
	# and counted once in alloc_failures.
	((enomem > 0))
	[[ $(stat_val alloc_failures) == "$enomem" ]]
	# pages_allocated - pages_freed == pages of live areas is part of check.
	check_ok
	live=$(($(stat_val pages_allocated) - $(stat_val pages_freed)))
	echo "# live pages $live, alloc_failures $enomem" >&3
	# Every live area still holds what was written to it.
	while read -r line; do
		# Busy areas only, not "unpurged vm_area" lines.
		[[ $line =~ \ id=[0-9]+$ ]] || continue
		id=${line##* id=}
		ctl_ok verify "$id" $((id % 256)) >/dev/null
	done <"$D/vmallocinfo"
	ctl_ok reset >/dev/null
	check_ok
	[[ $(stat_val pages_allocated) == "$(stat_val pages_freed)" ]]
	kvalab_unload
	echo 3 >/proc/sys/vm/drop_caches
	after=$(free_kb)
	echo "# MemFree before $before kB, after $after kB" >&3
	((after * 100 >= before * 99))
}
