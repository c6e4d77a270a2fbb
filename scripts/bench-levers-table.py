#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Table of scripts/bench-levers.sh's results: for each kernel and
init_on_alloc setting, each lever configuration and case, the median over
rounds of kvalab ns/op / vmalloc ns/op (min-max over rounds), and the
kvalab and vmalloc medians themselves. Also writes levers.json."""
import glob
import json
import os
import statistics
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def main(out):
    table = {}
    for d in sorted(glob.glob(os.path.join(out, "*-init_on_alloc=*"))):
        boot = os.path.basename(d)
        runs = {}
        for p in sorted(glob.glob(os.path.join(d, "*-*.json"))):
            cfg = os.path.basename(p).rsplit("-", 1)[0]
            try:
                doc = load(p)
            except (OSError, ValueError) as e:
                print(f"{p}: unreadable ({e})", file=sys.stderr)
                continue
            for c in doc.get("cases", []):
                be = c.get("backends", {})
                k, v = be.get("kvalab", {}), be.get("vmalloc", {})
                if k.get("status") != "pass" or v.get("status") != "pass":
                    continue
                # loop_ns: the measured loop's median ns/op (median_ns in
                # JSON written before the rename).
                kl = k.get("loop_ns", k.get("median_ns"))
                vl = v.get("loop_ns", v.get("median_ns"))
                if not kl or not vl:
                    continue
                e = runs.setdefault(cfg, {}).setdefault(
                    c["name"], {"ratio": [], "kvalab": [], "vmalloc": []})
                e["ratio"].append(kl / vl)
                e["kvalab"].append(kl)
                e["vmalloc"].append(vl)
        # Purges per 1,000 kvalab allocations, from each run's stats.
        for p in sorted(glob.glob(os.path.join(d, "*-*.stats"))):
            cfg = os.path.basename(p).rsplit("-", 1)[0]
            st = {}
            with open(p) as f:
                for line in f:
                    k, _, v = line.partition(":")
                    st[k.strip()] = v.strip()
            try:
                rate = 1000.0 * int(st["purges"]) / max(1, int(st["allocs"]))
            except (KeyError, ValueError):
                continue
            runs.setdefault(cfg, {}).setdefault("_purges", []).append(rate)
        table[boot] = runs
    if not any(table.values()):
        print("bench: no results", file=sys.stderr)
        return 1
    for boot, runs in table.items():
        print(f"\n{boot}: kvalab/vmalloc, median over rounds [min-max]"
              " (kvalab and vmalloc ns/op medians)")
        print(f"{'config':10} {'case':28} {'ratio':>6} {'spread':>13}"
              f" {'kvalab':>9} {'vmalloc':>9} rounds")
        for cfg, cases in runs.items():
            purges = cases.pop("_purges", None)
            if purges:
                print(f"{cfg:10} {'(purges per 1000 allocs)':28}"
                      f" {statistics.median(purges):6.2f}")
            for name, e in cases.items():
                r = e["ratio"]
                print(f"{cfg:10} {name:28} {statistics.median(r):6.3f}"
                      f" {min(r):6.3f}-{max(r):6.3f}"
                      f" {statistics.median(e['kvalab']):9.0f}"
                      f" {statistics.median(e['vmalloc']):9.0f} {len(r)}")
    with open(os.path.join(out, "levers.json"), "w") as f:
        json.dump(table, f, indent=1)
    print(f"\nraw: {out}/*/ and {out}/levers.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
