#!/usr/bin/env bash
# DKMS packaging, as TAP: make dkms-install (sources to /usr/src, dkms add),
# dkms build and install for the 6.1 and 6.12 test kernels' headers, then a
# VM suite on each kernel with the DKMS-built module, then dkms remove.
set -uo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VERSION=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tap() { # tap RC DESC LOG
	n=$((n + 1))
	if [[ $1 == 0 ]]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[[ -n ${3:-} ]] && tail -30 "$3" | sed 's/^/# /'
	fi
}

make -s -C "$TOP" dkms-uninstall >/dev/null 2>&1
make -s -C "$TOP" dkms-install >"$tmp/add.log" 2>&1
tap $? "make dkms-install: sources in /usr/src/kvalab-$VERSION, dkms add" "$tmp/add.log"
dkms status -m kvalab -v "$VERSION" | grep -q added
tap $? "dkms status shows kvalab/$VERSION added"

for k in 6.1 6.12; do
	kver=$("$TOP/scripts/kernels.sh" release "$k")
	dkms build -m kvalab -v "$VERSION" -k "$kver" >"$tmp/build-$k.log" 2>&1
	tap $? "dkms build for $kver" "$tmp/build-$k.log"
	dkms install -m kvalab -v "$VERSION" -k "$kver" --force \
		>"$tmp/install-$k.log" 2>&1
	tap $? "dkms install for $kver" "$tmp/install-$k.log"
	ko=$(find "/lib/modules/$kver/updates/dkms" -name 'kvalab.ko*' | head -1)
	[[ -n $ko ]]
	tap $? "dkms installed /lib/modules/$kver/updates/dkms/kvalab.ko*"
	# The runner takes a plain .ko; DKMS compresses where the kernel does.
	case $ko in
	*.xz) xz -dc "$ko" >"$tmp/kvalab-$k.ko" ;;
	*.zst) zstd -qdc "$ko" >"$tmp/kvalab-$k.ko" ;;
	*) cp "$ko" "$tmp/kvalab-$k.ko" ;;
	esac
	modinfo -F version "$tmp/kvalab-$k.ko" | grep -qx "$VERSION"
	tap $? "the DKMS module says version $VERSION"
	"$TOP/tests/vm/run" --kernel "$k" --module "$tmp/kvalab-$k.ko" \
		"$TOP/tests/vm/dkms.bats" >"$tmp/vm-$k.log" 2>&1
	rc=$?
	sed -n 's/^\(ok\|not ok\) [0-9]* \(.*\)/# vm: \1 \2/p' "$tmp/vm-$k.log"
	tap $rc "VM suite on $k with the DKMS-built module" "$tmp/vm-$k.log"
done

dkms remove -m kvalab -v "$VERSION" --all >"$tmp/rm.log" 2>&1
tap $? "dkms remove --all" "$tmp/rm.log"
rm -rf "/usr/src/kvalab-$VERSION"
echo "1..$n"
