#!/usr/bin/env python3
"""What story following (src/story: related coverage, threads, entity pages) costs a full build.

usage: bench/related_cost.py BASE_BINARY RELATED_BINARY [-n 10000] [--runs 7] [--base DIR]
                             [--shared ../shared/bench]

Builds the same generated corpus (bench/run.py's: ../shared/bench/gen_corpus.py, a site made
with `briefing init`) with two briefing binaries, alternating A B A B … after one unmeasured
warm-up each: BASE is briefing before story following (built from the commit before it),
RELATED is briefing with it. Prints the medians of wall and user+sys CPU time and the median
of the per-pair ratios RELATED / BASE. Output on tmpfs, previous output moved aside untimed.
"""
import argparse, os, shutil, statistics, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as harness  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base_binary")
    ap.add_argument("related_binary")
    ap.add_argument("-n", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--base", default="/dev/shm/briefing-bench")
    ap.add_argument("--shared", default=harness.SHARED, help="../shared/bench (the generator)")
    args = ap.parse_args()
    harness.SHARED = args.shared
    harness.BRIEFING = args.related_binary  # `briefing init` for the corpus site
    root = harness.corpus(args.base, args.n)
    site = os.path.join(root, "briefing")
    trash = root + ".trash"

    def build(binary):
        harness.away(os.path.join(site, "public"), trash)
        r = harness.run([binary, "-q", "build"], site)
        shutil.rmtree(trash, ignore_errors=True)
        return r

    tools = {"base": args.base_binary, "related": args.related_binary}
    for b in tools.values():
        build(b)  # warm-up
    res = {k: [] for k in tools}
    for _ in range(args.runs):
        for k, b in tools.items():
            res[k].append(build(b))
    print(f"load average at the end: {os.getloadavg()}")
    print("| N | binary | median wall s | median user+sys s | median peak MiB |")
    print("|---|---|---|---|---|")
    for k, rs in res.items():
        print(f"| {args.n} | {k} | {harness.med(rs, 'wall'):.3f} | {harness.med(rs, 'cpu'):.3f} | "
              f"{harness.med(rs, 'peak'):.0f} |")
    for key in ("wall", "cpu"):
        ratios = [a[key] / b[key] for a, b in zip(res["related"], res["base"])]
        print(f"related / base, {key}: median of per-pair ratios {statistics.median(ratios):.3f} "
              f"(min {min(ratios):.3f}, max {max(ratios):.3f})")


if __name__ == "__main__":
    main()
