# The TLB check's assertions (module/tlbcheck.c), shared by tlb.bats and the
# boot suites that repeat it under other CPU setups (suites-boot/tlb-*.bats).
# Sourced by kvalab.bash.

# tlb_check_passes [PARAMS...]: load kvalab with PARAMS, run "check tlb" and
# assert its result: every CPU took part and none read the old page after
# either flush, on every try; and a stale translation was seen before each
# flush on some try (so the check can tell: without the flush it would fail).
# Up to TLB_TRIES tries (default 5): the caller's own entry can be dropped
# before the flush by something else (a context switch's CR3 write empties
# QEMU TCG's soft TLB; 7.2 once showed full_stale=0 on its first try), which
# proves nothing either way, so only "stale" is retried, never "missed".
# The last result line goes to fd 3 (bats' TAP comments) and to LINE, for
# the caller's own checks.
tlb_check_passes() {
	local line cpus try full=0 purge=0
	kvalab_load "$@"
	cpus=$(grep -c '^processor' /proc/cpuinfo)
	for ((try = 1; try <= ${TLB_TRIES:-5}; try++)); do
		line=$(ctl_ok check tlb)
		echo "# try $try: $line" >&3
		[[ $(field cpus "$line") == "$cpus" ]]
		[[ $(field full_missed "$line") == 0 ]]
		[[ $(field purge_missed "$line") == 0 ]]
		if (($(field full_stale "$line") >= 1)); then full=1; fi
		if (($(field purge_stale "$line") >= 1)); then purge=1; fi
		if ((full && purge)); then break; fi
	done
	((full == 1 && purge == 1))
	# shellcheck disable=SC2034 # read by the suites
	LINE=$line
}

# tlb_flush_expected: the flush kvalab must have chosen on this kernel: the
# export where the kernel gives it to every module (its release before 7),
# else the native way the CPU allows (cpuinfo's flags).
tlb_flush_expected() {
	local flags
	case $(uname -r) in
	6.*) echo __flush_tlb_all; return ;; # 6.1, 6.12: exported to all
	esac
	flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
	if [[ $flags != *" pge "* ]]; then
		echo cr3
	elif [[ $flags == *" invpcid "* ]]; then
		echo invpcid
	else
		echo cr4.pge
	fi
}
