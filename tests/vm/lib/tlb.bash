# The TLB check's assertions (module/tlbcheck.c), shared by tlb.bats and the
# boot suites that repeat it under other CPU setups (suites-boot/tlb-*.bats).
# Sourced by kvalab.bash.

# tlb_check_passes [PARAMS...]: load kvalab with PARAMS, run "check tlb" and
# assert its result: every CPU took part, a stale translation was seen before
# each flush (so the check can tell: without the flush it would fail), none
# after. The result line goes to fd 3 (bats' TAP comments) and to LINE, for
# the caller's own checks.
tlb_check_passes() {
	local line cpus
	kvalab_load "$@"
	line=$(ctl_ok check tlb)
	echo "# $line" >&3
	cpus=$(grep -c '^processor' /proc/cpuinfo)
	[[ $(field cpus "$line") == "$cpus" ]]
	[[ $(field full_missed "$line") == 0 ]]
	[[ $(field purge_missed "$line") == 0 ]]
	# The check's own caller stays on its CPU, so at least its entry is stale.
	(($(field full_stale "$line") >= 1))
	(($(field purge_stale "$line") >= 1))
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
