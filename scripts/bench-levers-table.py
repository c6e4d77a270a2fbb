#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tables of scripts/bench-levers.sh's results. Per boot (kernel and
init_on_alloc setting), configuration, thread count and case: the median
over rounds of kvalab ns/op / vmalloc ns/op and of kvalab ns/op / floor
ns/op, each with its min-max over rounds, and the three medians. Then the
summary of the default configuration: one row per case, one column pair
(kvalab/vmalloc, kvalab/floor) per boot and thread count. Also writes
levers.json with every round's figures. Then, per configuration other than
the default, what the lever does to kvalab alone: the median over rounds of
kvalab's ns/op under it / kvalab's ns/op under the default in the same round
(the two configurations run next to each other), per case, and the geometric
mean of those medians over cases per boot and thread count."""
import glob
import json
import os
import re
import statistics
import sys

RATIOS = (("vmalloc", "kv/vm"), ("floor", "kv/fl"))
NAME = re.compile(r"^(?P<cfg>.+)-t(?P<threads>\d+)-(?P<round>\d+)\.(json|stats)$")


def load(path):
    with open(path) as f:
        return json.load(f)


def spread(v):
    if not v:
        return "-"
    return f"{statistics.median(v):.3f} [{min(v):.2f}-{max(v):.2f}]"


def read_boot(d):
    """{(cfg, threads): {case: {"kv/vm": [...], "kv/fl": [...], ns...}}}"""
    runs = {}
    for p in sorted(glob.glob(os.path.join(d, "*.json"))):
        m = NAME.match(os.path.basename(p))
        if not m:
            continue
        key = (m["cfg"], int(m["threads"]))
        try:
            doc = load(p)
        except (OSError, ValueError) as e:
            print(f"{p}: unreadable ({e})", file=sys.stderr)
            continue
        for c in doc.get("cases", []):
            be = c.get("backends", {})
            # loop_ns: the measured loop's median ns/op (median_ns in JSON
            # written before issue 15's rename).
            ns = {b: be[b].get("loop_ns", be[b].get("median_ns"))
                  for b in ("kvalab", "vmalloc", "floor")
                  if be.get(b, {}).get("status") == "pass"}
            e = runs.setdefault(key, {}).setdefault(
                c["name"], {"kv/vm": [], "kv/fl": [], "kvalab": [],
                            "vmalloc": [], "floor": []})
            for b, v in ns.items():
                if v:
                    e[b].append(v)
            if ns.get("kvalab"):
                e.setdefault("_kv_round", {})[int(m["round"])] = ns["kvalab"]
            for other, label in RATIOS:
                if ns.get("kvalab") and ns.get(other):
                    e[label].append(ns["kvalab"] / ns[other])
            # The kernel's own VA management against the same floor.
            if ns.get("vmalloc") and ns.get("floor"):
                e.setdefault("vm/fl", []).append(ns["vmalloc"] / ns["floor"])
            # ns/op per phase of each round (runs with breakdown=Y).
            for b in ("kvalab", "floor"):
                bd = be.get(b, {}).get("breakdown")
                if not bd or not bd.get("ops"):
                    continue
                ph = e.setdefault("_phases", {}).setdefault(b, {})
                for k, v in bd.items():
                    if isinstance(v, dict):
                        ph.setdefault(k, []).append(v["ns"] / bd["ops"])
    # Purges per 1,000 kvalab allocations, from each run's stats.
    for p in sorted(glob.glob(os.path.join(d, "*.stats"))):
        m = NAME.match(os.path.basename(p))
        if not m:
            continue
        st = {}
        with open(p) as f:
            for line in f:
                k, _, v = line.partition(":")
                st[k.strip()] = v.strip()
        try:
            rate = 1000.0 * int(st["purges"]) / max(1, int(st["allocs"]))
        except (KeyError, ValueError):
            continue
        runs.setdefault((m["cfg"], int(m["threads"])), {}).setdefault(
            "_purges", []).append(rate)
    return runs


def med(v):
    return f"{statistics.median(v):.0f}" if v else "-"


def main(out):
    table = {}
    for d in sorted(glob.glob(os.path.join(out, "*-init_on_alloc=*"))):
        table[os.path.basename(d)] = read_boot(d)
    if not any(table.values()):
        print("bench: no results", file=sys.stderr)
        return 1
    for boot, runs in table.items():
        print(f"\n{boot}: median over rounds [min-max]; ns/op medians")
        print(f"{'config':10} {'thr':>3} {'case':28} {'kvalab/vmalloc':>20}"
              f" {'kvalab/floor':>20} {'vmalloc/floor':>20} {'kvalab':>9}"
              f" {'vmalloc':>9} {'floor':>9} rounds")
        for (cfg, threads), cases in sorted(runs.items()):
            purges = cases.get("_purges")
            if purges:
                print(f"{cfg:10} {threads:3} {'(purges per 1000 allocs)':28}"
                      f" {statistics.median(purges):20.2f}")
            for name, e in cases.items():
                if name == "_purges":
                    continue
                print(f"{cfg:10} {threads:3} {name:28}"
                      f" {spread(e['kv/vm']):>20} {spread(e['kv/fl']):>20}"
                      f" {spread(e.get('vm/fl', [])):>20}"
                      f" {med(e['kvalab']):>9} {med(e['vmalloc']):>9}"
                      f" {med(e['floor']):>9} {len(e['kvalab'])}")
    # Where the time goes: every configuration with breakdown counters.
    for boot, runs in table.items():
        for (cfg, threads), cases in sorted(runs.items()):
            rows = [(n, e["_phases"]) for n, e in cases.items()
                    if n != "_purges" and e.get("_phases")]
            if not rows:
                continue
            phases = list(next(iter(rows[0][1].values())))
            print(f"\n{boot} {cfg} {threads}T: ns/op per phase, median over"
                  " rounds (kvalab run --breakdown's phases; docs/performance.md)")
            print(f"{'case':28} {'backend':7} " +
                  " ".join(f"{p:>9}" for p in phases) + f" {'sum':>9}")
            for name, per in rows:
                for b, ph in per.items():
                    vals = [statistics.median(ph[p]) if ph.get(p) else 0
                            for p in phases]
                    print(f"{name:28} {b:7} " +
                          " ".join(f"{v:9.0f}" for v in vals) +
                          f" {sum(vals):9.0f}")
    # What each lever does to kvalab alone, against the default, same round.
    effects = []
    for boot, runs in table.items():
        for (cfg, threads), cases in sorted(runs.items()):
            base = runs.get(("default", threads))
            if cfg == "default" or not base:
                continue
            meds = []
            for name, e in cases.items():
                if name == "_purges" or name not in base:
                    continue
                a, b = e.get("_kv_round", {}), base[name].get("_kv_round", {})
                r = [a[k] / b[k] for k in sorted(a) if k in b]
                if r:
                    meds.append((name, statistics.median(r), r))
            if meds:
                effects.append((boot, cfg, threads, meds))
    if effects:
        print("\nkvalab under a configuration / kvalab under default, same"
              " round: median [min-max] over rounds; geomean over cases")
        for boot, cfg, threads, meds in effects:
            gm = statistics.geometric_mean([v for _, v, _ in meds])
            print(f"{boot} {cfg} {threads}T: geomean {gm:.3f}; " +
                  ", ".join(f"{n.replace('_alloc_test', '').replace('_test', '')}"
                            f" {spread(r)}" for n, _, r in meds))
        for cfg in sorted({c for _, c, _, _ in effects}):
            cells = [v for _, c, _, meds in effects if c == cfg
                     for _, v, _ in meds]
            print(f"all boots {cfg}: geomean {statistics.geometric_mean(cells):.3f}"
                  f" over {len(cells)} cells [{min(cells):.2f}-{max(cells):.2f}]")
    # The summary: the default configuration, every boot and thread count.
    cols = [(boot, t) for boot, runs in table.items()
            for (cfg, t) in sorted(runs) if cfg == "default"]
    if cols:
        cases = []
        for boot, t in cols:
            for name in table[boot][("default", t)]:
                if name != "_purges" and name not in cases:
                    cases.append(name)
        print("\nsummary (config default): kvalab/vmalloc | kvalab/floor |"
              " vmalloc/floor, median [min-max] over rounds")
        print("| case | " + " | ".join(f"{b} {t}T" for b, t in cols) + " |")
        print("|---|" + "---|" * len(cols))
        for name in cases:
            cells = []
            for boot, t in cols:
                e = table[boot][("default", t)].get(name)
                cells.append(f"{spread(e['kv/vm'])} \\| {spread(e['kv/fl'])}"
                             f" \\| {spread(e.get('vm/fl', []))}"
                             if e else "-")
            print(f"| {name} | " + " | ".join(cells) + " |")
    with open(os.path.join(out, "levers.json"), "w") as f:
        json.dump({boot: {f"{cfg}-t{t}": cases
                          for (cfg, t), cases in runs.items()}
                   for boot, runs in table.items()}, f, indent=1)
    print(f"\nraw: {out}/*/ and {out}/levers.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
