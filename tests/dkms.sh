#!/usr/bin/env bash
# DKMS packaging, as TAP: make dkms-install (sources to /usr/src, dkms add),
# dkms build for the 6.1, 6.12 and 7.3 test kernels (--kernelsourcedir: the
# installed 6.1 headers, the others unpacked in the cache, 7.3's adapted to
# gcc-12 by scripts/kernels.sh), dkms install for 6.1 (the others are not
# installed on the host), the module's MOK signature, then a VM suite with the
# DKMS-built module on 6.1 and 7.3, then dkms remove.
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

for k in 6.1 6.12 7.3; do
	kver=$("$TOP/scripts/kernels.sh" release "$k")
	# 6.1: the installed headers; 6.12, 7.3: the ones unpacked in the cache
	# (not installed: Debian's headers depend on their image).
	kdir=$("$TOP/scripts/kernels.sh" headers "$k" 2>"$tmp/headers-$k.log")
	tap $? "headers for $kver: $kdir" "$tmp/headers-$k.log"
	# dkms 3.0.10 looks for sign-file only in /usr/lib/linux-kbuild-<x.y>/ and
	# /lib/modules/<kver>/build; it takes $sign_file from the environment as
	# from framework.conf, so name the tree's own and it signs with its MOK key.
	sign=()
	[[ -x $kdir/scripts/sign-file ]] && sign=("sign_file=$kdir/scripts/sign-file")
	env "${sign[@]}" dkms build -m kvalab -v "$VERSION" -k "$kver" \
		--kernelsourcedir "$kdir" >"$tmp/build-$k.log" 2>&1
	tap $? "dkms build for $kver --kernelsourcedir $kdir" "$tmp/build-$k.log"
	if [[ $k == 6.1 ]]; then
		dkms install -m kvalab -v "$VERSION" -k "$kver" --kernelsourcedir "$kdir" \
			--force >"$tmp/install-$k.log" 2>&1
		tap $? "dkms install for $kver" "$tmp/install-$k.log"
		ko=$(find "/lib/modules/$kver/updates/dkms" -name 'kvalab.ko*' | head -1)
		[[ -n $ko ]]
		tap $? "dkms installed /lib/modules/$kver/updates/dkms/kvalab.ko*"
	else
		# 6.12 and 7.3 are not installed on the host: no /lib/modules tree
		# of theirs to install into. The built module stays in the DKMS tree.
		ko=$(find "/var/lib/dkms/kvalab/$VERSION/$kver" -path '*/module/kvalab.ko*' | head -1)
		[[ -n $ko ]]
		tap $? "dkms built /var/lib/dkms/kvalab/$VERSION/$kver/*/module/kvalab.ko*"
	fi
	[[ -n $ko ]] || continue
	# The runner takes a plain .ko; DKMS compresses where the kernel does.
	case $ko in
	*.xz) xz -dc "$ko" >"$tmp/kvalab-$k.ko" ;;
	*.zst) zstd -qdc "$ko" >"$tmp/kvalab-$k.ko" ;;
	*) cp "$ko" "$tmp/kvalab-$k.ko" ;;
	esac
	# Signed with the DKMS MOK key (docs/secure-boot.md): signer = its CN.
	cn=$(openssl x509 -inform DER -in /var/lib/dkms/mok.pub -noout -subject \
		-nameopt multiline 2>/dev/null | sed -n 's/^ *commonName *= //p')
	signer=$(modinfo -F signer "$tmp/kvalab-$k.ko")
	[[ -n $cn && $signer == "$cn" ]]
	tap $? "the DKMS module is signed with /var/lib/dkms/mok.key (signer '$signer', key '$cn')"
	modinfo -F version "$tmp/kvalab-$k.ko" | grep -qx "$VERSION"
	tap $? "the DKMS module says version $VERSION"
	# The DKMS-built module boots on the range's ends; 6.12's is built and
	# checked above (make check's time: each boot is about 40 s).
	[[ $k == 6.12 ]] && continue
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
