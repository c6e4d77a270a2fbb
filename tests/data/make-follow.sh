#!/bin/bash
# Makes the shipped follow captures of a kernel (README.md beside this file):
#   tests/vm/run --kernel 6.12|7.3 --script tests/data/make-follow.sh --results DIR
# kvalab follow runs live for 20 s beside a generated vmalloc load and saves
# what it read: follow-S.trace (the events, with its markers and header) and
# follow-S.vmallocinfo (its starting snapshot), S the kernel's series.
R=${KVALAB_RESULTS:-/results}
S=$(uname -r | cut -d. -f1,2)
mkdir -p "$R"
# The load: module loads (the module's memory and its slice are vmalloc and
# vmap areas), the vmalloc backend's cases (the kernel's own vmalloc() and
# vfree() from two threads), and thread stacks (vmalloc'ed per fork).
( sleep 2
  for i in 1 2 3; do insmod /kvalab/kvalab.ko slice_size=4M; rmmod kvalab; done
  insmod /kvalab/kvalab.ko slice_size=4M
  kvalab run fix_size_alloc_test random_size_alloc_test long_busy_list_alloc_test \
	--loops 30 --repeat 1 --threads 2 --backend vmalloc --no-progress >/dev/null 2>&1
  rmmod kvalab
  for i in $(seq 40); do sleep 0.05 & done; wait
  for i in 1 2; do insmod /kvalab/kvalab.ko slice_size=8M; rmmod kvalab; done
) &
kvalab follow --seconds 20 --interval 5 --save-trace "$R/follow-$S.trace" \
	--save-layout "$R/follow-$S.vmallocinfo" --json "$R/follow-$S.json" \
	--svg "$R/follow-$S.svg" 2>&1 | tee "$R/follow-$S.out"
echo "follow rc=${PIPESTATUS[0]}"
wait
ls /sys/kernel/tracing/instances/
