# Placement-policy helpers for policies.bats (bats_load_library kvalab first).
# Offsets are in pages from the slice start, computed by the tests from the
# layouts they build; the module's answers come from the result line's addr
# and are cross-checked against vmallocinfo.

PG=4096
POLICIES=(lowest vmlist cached-hole next-fit best-fit instant-fit)
POLICY_NAMES="lowest, vmlist, cached-hole, next-fit, best-fit, instant-fit"

# policy_load [PARAM=VALUE...]: load a 4M slice (1024 pages) and set S0 to
# its start (a real address: setup() sets kptr_restrict=1).
policy_load() {
	kvalab_load slice_size=4M "$@" || return 1
	S0=$(stat_val slice_start)
}

# palloc ARGS...: alloc ARGS; set ID, OFF (pages into the slice) and RES.
# Fails if the alloc fails or vmallocinfo does not show area ID at OFF.
palloc() {
	local addr line
	if ! ctl_res alloc "$@"; then
		echo "alloc $*: $RES" >&2
		return 1
	fi
	res_id
	addr=${RES##* addr=}
	addr=${addr%% *}
	OFF=$(((addr - S0) / PG))
	# The area's vmallocinfo line (read here: a grep would fork).
	while IFS= read -r line; do
		[[ $line == *" id=$ID" ]] && break
	done <"$D/vmallocinfo"
	[[ $line == *" id=$ID" ]] || line=
	if [[ ${line%%-*} != "$addr" ]]; then
		echo "alloc $*: $RES, but vmallocinfo has '$line'" >&2
		return 1
	fi
}

# place_at WANT ARGS...: alloc ARGS; fail unless it lands at page WANT.
place_at() {
	local want=$1
	shift
	palloc "$@" || return 1
	if ((OFF != want)); then
		echo "alloc $* under $(stat_val policy): page $OFF, expected page $want ($RES)" >&2
		return 1
	fi
}

# free_list: the free areas as "start:end" in pages, address order.
free_list() {
	local range start end out=()
	while read -r range _; do
		[[ $range == "#"* ]] && continue	# the header
		start=${range%-*} end=${range#*-}
		out+=("$(((start - S0) / PG)):$(((end - S0) / PG))")
	done <"$D/free_areas"
	echo "${out[*]}"
}

# free_list_is WANT: free_list equals WANT, or say what it is.
free_list_is() {
	local got
	got=$(free_list)
	[[ $got == "$1" ]] && return 0
	echo "free areas: $got, expected $1" >&2
	return 1
}

# The layout every placement test starts from, built on an empty slice with
# consecutive noguard areas (each policy places these alike: there is one
# free area, and each takes its start):
#
#   page  0   2          10  11     14  15       20  21              1024
#         | a1 |   h8     |a2|  h3  |a3|   h5    |a4|      rest       |
#
# then h8, h3 and h5 are freed and purged: holes of 8, 3 and 5 pages between
# busy single pages, and the rest of the slice free above page 21. The last
# allocation, a4, ends at page 21.
LAYOUT_SIZES=(2 8 1 3 1 5 1)
LAYOUT_FREE="2:10 11:14 15:20 21:1024"

build_layout() {
	local at=0 i
	LAYOUT_IDS=()
	for i in "${!LAYOUT_SIZES[@]}"; do
		place_at "$at" $((LAYOUT_SIZES[i] * PG)) noguard || return 1
		LAYOUT_IDS[i]=$ID
		at=$((at + LAYOUT_SIZES[i]))
	done
	for i in 1 3 5; do
		ctl_ok free "${LAYOUT_IDS[i]}" >/dev/null || return 1
	done
	ctl_ok purge >/dev/null || return 1
	free_list_is "$LAYOUT_FREE"
}

# The probe: four allocations with guard pages, of 3, 4, 5 and 3 pages
# (8K, 12K, 16K, 8K), after build_layout.
PROBE=(8K 12K 16K 8K)

# probe_expect P1 P2 P3 P4: run the probe; each must land at its page.
probe_expect() {
	local i want=("$@")
	PROBE_IDS=()
	for i in "${!PROBE[@]}"; do
		place_at "${want[i]}" "${PROBE[i]}" || return 1
		PROBE_IDS[i]=$ID
	done
}

# clean_end: checker-clean, then reset (frees and purges) leaves one free
# area spanning the slice and every backing page returned.
clean_end() {
	check_ok || return 1
	ctl_ok reset >/dev/null || return 1
	[[ $(stat_val nr_busy) == 0 && $(stat_val nr_lazy) == 0 ]] || return 1
	free_list_is "0:1024" || return 1
	[[ $(stat_val pages_allocated) == "$(stat_val pages_freed)" ]] || return 1
	check_ok
}

# policy_state: what a refused or no-op policy command must leave alone.
policy_state() {
	cat "$D/vmallocinfo" "$D/free_areas"
	grep -E '^(policy|nr_busy|nr_free|nr_lazy|used_bytes|free_bytes|lazy_pages|pages_allocated|pages_freed|allocs|frees):' "$D/stats"
}
