# The sim against the module (docs/sim.md, "The same as the kernel"): a
# trace replayed VA-only in the module and on `kvalab sim` with the module's
# slice, alignment and threshold must place every allocation at the same
# slice offset and give the same figures. Shared by sim.bats and the smoke
# suite. Sourced by kvalab.bash.

# sim_random_trace SEED OPS SLICE: a trace of OPS operations from bash's
# RANDOM seeded with SEED: sizes of 1..64 pages not page multiples, one in
# eight aligned (4K..2M), one in six noguard, frees of random live ids, a
# purge now and then. Live bytes (guards included) stay under 90% of SLICE,
# as a replay requires of its peak, so what fails fails for fragmentation,
# alignment or lazy areas (ENOMEM after the purge and retry).
sim_random_trace() {
	local seed=$1 ops=$2 slice=$3 i r k next=0 line pages used=0
	local -a live=() size=()
	RANDOM=$seed
	echo "kvalab-trace 1 slice_size=$slice page_size=4096 source=random-$seed"
	for ((i = 0; i < ops; i++)); do
		r=$((RANDOM % 100))
		pages=$((RANDOM % 64 + 1))
		if ((${#live[@]} == 0 || (r < 55 && (used + pages + 1) * 4096 * 10 <= slice * 9))); then
			line="a $next $((pages * 4096 - RANDOM % 4096))"
			if ((RANDOM % 8 == 0)); then line+=" align=$((4096 << (RANDOM % 10)))"; fi
			if ((RANDOM % 6 == 0)); then
				line+=" flags=noguard"
			else
				pages=$((pages + 1))
			fi
			echo "$line"
			live+=("$next")
			size[next]=$pages
			used=$((used + pages))
			next=$((next + 1))
		elif ((r < 98)); then
			k=$((RANDOM % ${#live[@]}))
			echo "f ${live[k]}"
			used=$((used - size[live[k]]))
			live[k]=${live[-1]}
			unset 'live[-1]'
		else
			echo p
		fi
	done
}

# sim_norm LISTING: the lines both must agree on: everything but the state
# and the times (ns, ns_per_op, purge_ns_*), which are each one's own.
sim_norm() {
	grep -v '^state: ' "$1" |
		sed -E 's/ (ns|ns_per_op|purge_ns_p50|purge_ns_p99|purge_ns_max)=[0-9]+//g'
}

# sim_pools: --va-pools when the loaded module has the pool lever on (the
# debug kernel's suites load it so), for the sim to run as the module does.
sim_pools() {
	if [[ $(cat /sys/module/kvalab/parameters/va_pools) == Y ]]; then echo --va-pools; fi
}

# sim_matches TRACE SEARCH [REPLAY_OPTS...]: replay TRACE in the loaded
# module under every policy with SEARCH and `log`, then on the sim with the
# module's slice size, alignment and threshold; the normalised listings
# must be equal. On a difference, the first differing placement is shown.
sim_matches() {
	local trace=$1 search=$2 dir slice align lazy pools
	shift 2
	dir=$(mktemp -d "$BATS_TEST_TMPDIR/sim.XXXXXX")
	kvalab replay "$trace" --policy all --va-only --search "$search" \
		--samples 20 --log "$dir/k.log" "$@" >/dev/null
	cp "$D/replay_results" "$dir/k.listing"
	slice=$(sed -n 's/^slice_size: //p' "$dir/k.listing")
	align=$(sed -n 's/^slice_align: //p' "$dir/k.listing")
	lazy=$(field lazy_max_pages "$(grep -m1 '^result ' "$dir/k.listing")")
	pools=$(sim_pools)
	kvalab sim "$trace" --policy all --search "$search" --samples 20 \
		--slice-size "$slice" --base-align "$align" --lazy-max "$lazy" \
		${pools:+"$pools"} --log "$dir/s.log" --listing "$dir/s.listing" >/dev/null
	if ! diff <(sim_norm "$dir/k.listing") <(sim_norm "$dir/s.listing") >"$dir/diff"; then
		echo "# sim and module differ on ${trace##*/} (search=$search):" >&3
		head -20 "$dir/diff" | sed 's/^/#   /' >&3
		echo "# first differing placement (< module, > sim):" >&3
		diff "$dir/k.log" "$dir/s.log" | head -3 | sed 's/^/#   /' >&3
		return 1
	fi
	cmp -s "$dir/k.log" "$dir/s.log"
	# Not empty: a placement per allocation op and policy.
	(($(wc -l <"$dir/s.log") == 6 * $(grep -cE '^(@[0-9]+ )?a ' "$trace")))
	echo "# ${trace##*/} search=$search: $(grep -c '^result ' "$dir/k.listing") policies, $(wc -l <"$dir/k.log") placements, enomem $(grep '^result ' "$dir/k.listing" | sed -E 's/.* enomem=([0-9]+).*/\1/' | paste -sd, -) identical" >&3
}
