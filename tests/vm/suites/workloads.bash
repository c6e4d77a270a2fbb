# Workload and background-job helpers for the guest suites (bats_load_library kvalab first).

# untraced CMD...: run CMD without bats' DEBUG trap and errexit. Use in a
# background subshell only, ( untraced cmd ) &: the trap runs before every
# command of a function and makes a tight loop many times slower.
untraced() {
	trap - DEBUG
	set +eET
	"$@"
}

# busy_over N: kvalab's vmallocinfo lists more than N busy areas (not
# counting its "unpurged vm_area" lines).
busy_over() {
	(($(grep -vc ' unpurged vm_area$' "$D/vmallocinfo") > $1))
}

# wait_busy_over N [SEC]: wait until vmallocinfo lists more than N areas.
wait_busy_over() {
	wait_until "${2:-60}" busy_over "$1"
}

# kernel_vmalloc_over N: /proc/vmallocinfo lists more than N areas of kvalab's
# (the vmalloc backend's, attributed to the module).
kernel_vmalloc_over() {
	(($(grep -c '\[kvalab\]' /proc/vmallocinfo) > $1))
}

# space_re BACKEND: the fields a case line has after enomem= for BACKEND, as
# a regular expression: the slice's free areas for kvalab backends, none for
# vmalloc.
space_re() {
	[[ $1 == vmalloc ]] || printf ' nr_free=[1-9][0-9]* largest_free=[1-9][0-9]*'
}

# kernel_at_least MAJOR MINOR: the running kernel, as uname -r names it
# (6.1.0-57-amd64, 6.12.95+deb12-cloud-amd64, 7.3.4+deb13-cloud-amd64), is
# MAJOR.MINOR or later. The version decides what the module was built to
# call (module/compat.h), whatever KVALAB_KERNEL says.
kernel_at_least() {
	local r maj min
	r=$(uname -r)
	maj=${r%%.*}
	r=${r#*.}
	min=${r%%[!0-9]*}
	[[ $maj =~ ^[0-9]+$ && $min =~ ^[0-9]+$ ]] || return 2
	((maj > $1 || (maj == $1 && min >= $2)))
}
