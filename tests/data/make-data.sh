#!/bin/bash
# Makes the shipped real data of a kernel (README.md beside this file):
#   tests/vm/run --kernel 6.12|7.3 --script tests/data/make-data.sh --results DIR
# Files are named by the guest kernel's series (uname -r: 6.12, 7.3).
R=${KVALAB_RESULTS:-/results}
S=$(uname -r | cut -d. -f1,2)
mkdir -p "$R"
D=/sys/kernel/debug/kvalab
echo 1 >/proc/sys/kernel/kptr_restrict
insmod /kvalab/kvalab.ko slice_size=4M || exit 1
c() { local fd; exec {fd}<>$D/control; printf '%s\n' "$*" >&$fd; read -r l <&$fd; exec {fd}>&-; echo "$l"; }
c record on; c alloc 8K; c alloc 64K align=64K; c alloc 4K noguard; c free 2; c purge; c alloc 12K; c record off
cat $D/trace > "$R/rec.trace"; cat "$R/rec.trace"
c reset
kvalab replay "$R/rec.trace" --policy all --json "$R/rec.json"; echo "rc=$?"
cat $D/replay_results | head -8
kvalab record "$R/wl.trace" -- kvalab run fix_size_alloc_test vm_map_ram_test --loops 50 --repeat 1 --threads 1 --backend kvalab --no-progress >/dev/null; echo "rc=$?"
head -5 "$R/wl.trace"; wc -l "$R/wl.trace"
time kvalab replay "$R/wl.trace" --policy all --va-only; echo "rc=$?"
rmmod kvalab
# Real traces: capture during module loads and a vmalloc workload
( sleep 1
  for i in 1 2 3; do insmod /kvalab/kvalab.ko slice_size=4M; rmmod kvalab; done
  insmod /kvalab/kvalab.ko slice_size=4M
  kvalab run fix_size_alloc_test random_size_alloc_test long_busy_list_alloc_test --loops 30 --repeat 1 --threads 2 --backend vmalloc --no-progress >/dev/null 2>&1
  rmmod kvalab
  for i in 1 2; do insmod /kvalab/kvalab.ko slice_size=8M; rmmod kvalab; done
) &
kvalab capture --seconds 15 -o "$R/capture-$S.trace" 2>&1; echo "capture rc=$?"
wait
cp /sys/kernel/tracing/trace "$R/tracefs-$S.txt"
cat /proc/vmallocinfo > "$R/vmallocinfo-$S.txt"
insmod /kvalab/kvalab.ko slice_size=64M
time kvalab replay "$R/capture-$S.trace" --policy all; echo "rc=$?"
cat $D/replay_results | grep -v sample
kvalab import vmallocinfo "$R/vmallocinfo-$S.txt" -o "$R/vmi.trace" --slice-size 64M --scale fit 2>&1; echo "import rc=$?"
time kvalab replay "$R/vmi.trace" --policy all; echo "rc=$?"
time kvalab replay "$R/vmi.trace" --policy all --va-only; echo "rc=$?"
rmmod kvalab; echo "rmmod rc=$?"
