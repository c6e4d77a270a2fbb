#!/usr/bin/env bash
# make deps leaves the host alone, as TAP (the `deps` stage of make check).
#
# Snapshots the host before and after running scripts/deps.sh (twice) and fails
# if any installed package went away or changed version other than by an
# upgrade deps.sh announced (one apt needed for the new packages), any package was added
# that deps.sh did not ask for (its --list) or announce as a dependency apt adds
# with them, a kernel image, anything from bookworm-backports or a 6.12/7.x
# kernel package was added, or
# /boot (kernels, initramfs, bootloader config), /lib/modules or the apt sources
# changed. On a machine that already has every package, nothing may change at
# all. Snapshot: `dpkg-query -W -f '${Package} ${Version}'` of the installed
# packages, `ls -lR --full-time /boot`, `ls -l /lib/modules`, the apt sources'
# names and checksums.
set -uo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEPS=${KVALAB_DEPS_SCRIPT:-$TOP/scripts/deps.sh}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
tap() { # tap OK|FAIL DESC [DETAILS-FILE]
	n=$((n + 1))
	if [[ $1 == OK ]]; then
		echo "ok $n - $2"
	else
		fails=$((fails + 1))
		echo "not ok $n - $2"
		[[ -n ${3:-} && -s ${3:-} ]] && head -40 "$3" | sed 's/^/# /'
	fi
}

snapshot() { # DIR
	mkdir -p "$1"
	dpkg-query -W -f '${db:Status-Abbrev} ${Package} ${Version}\n' |
		awk '$1 == "ii" { print $2, $3 }' | LC_ALL=C sort >"$1/packages"
	ls -lR --full-time /boot >"$1/boot" 2>&1
	ls -l --full-time /lib/modules >"$1/modules" 2>&1
	find /etc/apt/sources.list /etc/apt/sources.list.d -maxdepth 1 -type f 2>/dev/null |
		LC_ALL=C sort | xargs -r sha256sum >"$1/sources"
}

# changed BEFORE AFTER OUT: installed packages whose version changed or that are gone
changed() {
	awk 'NR == FNR { after[$1] = $2; next }
	     !($1 in after) { print $1, $2, "-> removed"; next }
	     after[$1] != $2 { print $1, $2, "->", after[$1] }' "$2" "$1" >"$3"
}

# added BEFORE AFTER: "name version" of packages only in AFTER
added() {
	awk 'NR == FNR { before[$1] = 1; next } !($1 in before)' "$1" "$2"
}

snapshot "$tmp/before"
"$DEPS" >"$tmp/deps1.log" 2>&1
rc1=$?
snapshot "$tmp/after1"
"$DEPS" >"$tmp/deps2.log" 2>&1
rc2=$?
snapshot "$tmp/after2"

sed 's/^/# /' "$tmp/deps1.log" | head -20
if ((rc1 == 0)); then
	tap OK "scripts/deps.sh exits 0"
else
	tap FAIL "scripts/deps.sh exits 0 (got $rc1)" "$tmp/deps1.log"
fi

changed "$tmp/before/packages" "$tmp/after2/packages" "$tmp/changed"
# The upgrades deps.sh announced, as "name old -> new" lines: the only
# version changes allowed (apt needed them for the new packages).
sed -n 's/^deps: apt will upgrade [0-9]* installed packages the new ones need: //p' "$tmp/deps1.log" |
	sed 's/, /\n/g' | sed '/^$/d' >"$tmp/announced"
awk 'NR == FNR { ok[$0] = 1; next } !($0 in ok)' "$tmp/announced" "$tmp/changed" >"$tmp/unannounced"
grep -E '^linux-image-' "$tmp/changed" >>"$tmp/unannounced"
if [[ -s $tmp/unannounced ]]; then
	tap FAIL "no installed package upgraded, downgraded or removed beyond the upgrades deps.sh announced" "$tmp/unannounced"
else
	tap OK "no installed package upgraded, downgraded or removed beyond the $(wc -l <"$tmp/announced") upgrades deps.sh announced ($(wc -l <"$tmp/before/packages") checked)"
fi

added "$tmp/before/packages" "$tmp/after2/packages" >"$tmp/added"
{
	"$DEPS" --list 2>/dev/null
	sed -n 's/^deps: apt will add [0-9]* packages (with dependencies): //p' "$tmp/deps1.log" | tr ' ' '\n'
} | sed '/^$/d' | LC_ALL=C sort -u >"$tmp/allowed"
awk 'NR == FNR { ok[$1] = 1; next } !($1 in ok)' "$tmp/allowed" "$tmp/added" >"$tmp/unexpected"
if [[ ! -s $tmp/allowed ]]; then
	echo "scripts/deps.sh --list printed nothing" >"$tmp/unexpected"
	tap FAIL "every added package was asked for or announced by scripts/deps.sh" "$tmp/unexpected"
elif [[ -s $tmp/unexpected ]]; then
	tap FAIL "every added package was asked for or announced by scripts/deps.sh" "$tmp/unexpected"
else
	tap OK "every added package was asked for or announced by scripts/deps.sh ($(wc -l <"$tmp/added") added)"
fi

grep -E '^linux-image-' "$tmp/added" >"$tmp/images"
if [[ -s $tmp/images ]]; then
	tap FAIL "no kernel image package added" "$tmp/images"
else
	tap OK "no kernel image package added"
fi

grep -E '~bpo' "$tmp/added" >"$tmp/bpo"
if [[ -s $tmp/bpo ]]; then
	tap FAIL "nothing added from bookworm-backports" "$tmp/bpo"
else
	tap OK "nothing added from bookworm-backports"
fi

# The 6.12, 7.2 and 7.3 kernels' packages come from private apt setups in the
# cache (scripts/kernels.sh) and are unpacked there, never installed.
grep -E '^linux-(image|binary|headers|kbuild|modules|source)-(6\.12|7\.)' "$tmp/added" >"$tmp/newk"
if [[ -s $tmp/newk ]]; then
	tap FAIL "no 6.12 or 7.x kernel package installed (they are unpacked in the cache)" "$tmp/newk"
else
	tap OK "no 6.12 or 7.x kernel package installed (they are unpacked in the cache)"
fi

for what in boot:/boot modules:/lib/modules sources:"the apt sources"; do
	f=${what%%:*}
	if diff "$tmp/before/$f" "$tmp/after2/$f" >"$tmp/diff"; then
		tap OK "${what#*:} unchanged"
	else
		tap FAIL "${what#*:} unchanged" "$tmp/diff"
	fi
done

# The second run: everything present, so it must report that and change nothing.
if ((rc2 == 0)) && grep -q '^deps: all [0-9]* packages present' "$tmp/deps2.log" &&
	diff -r "$tmp/after1" "$tmp/after2" >"$tmp/diff2"; then
	tap OK "a second scripts/deps.sh finds everything present and changes nothing"
else
	cat "$tmp/deps2.log" "$tmp/diff2" >"$tmp/second" 2>/dev/null
	tap FAIL "a second scripts/deps.sh finds everything present and changes nothing (rc $rc2)" "$tmp/second"
fi

echo "1..$n"
((fails == 0))
