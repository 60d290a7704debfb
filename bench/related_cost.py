#!/usr/bin/env python3
"""What story following (src/build/story: related coverage, threads, entity pages) costs a
full build.

usage: bench/related_cost.py --no-story [-n 10000] [--runs 7] [--base DIR] [--shared DIR]
       bench/related_cost.py BASE_BINARY RELATED_BINARY [-n 10000] [--runs 7] [--base DIR]
                             [--shared ../shared/bench]

With `--no-story` it builds this tree twice (`cargo build --release --features no-story`, the
same code with `story::analyse` giving an empty `Story`: no analysis, no related lists, threads
or entity pages; then `cargo build --release`) and compares the two binaries: what the
analysis and its lists cost today's build. With two binaries it compares those, e.g. briefing
before story following (built from `e59b35e`) and briefing with it.

Builds the same generated corpus (bench/run.py's: ../shared/bench/gen_corpus.py, a site made
with `briefing init`) with both binaries, alternating A B A B … after one unmeasured warm-up
each. Prints the load average before and after, the medians of wall, user+sys CPU and peak
RSS, and the median (and range) of the per-pair ratios RELATED / BASE of CPU and wall. Output
on tmpfs, previous output moved aside untimed.
"""
import argparse, os, shutil, statistics, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as harness  # noqa: E402


def cargo_binary(features, dest):
    """`cargo build --release` of this tree (with `features`), the binary copied to `dest`."""
    cmd = ["cargo", "build", "--release", "--quiet", "--bin", "briefing"]
    if features:
        cmd += ["--features", features]
    harness.sh(cmd, cwd=harness.REPO)
    shutil.copy2(os.path.join(harness.REPO, "target", "release", "briefing"), dest)
    return dest


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base_binary", nargs="?")
    ap.add_argument("related_binary", nargs="?")
    ap.add_argument("--no-story", action="store_true",
                    help="build this tree with and without the analysis and compare the two")
    ap.add_argument("-n", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--base", default="/dev/shm/briefing-bench")
    ap.add_argument("--shared", default=harness.SHARED, help="../shared/bench (the generator)")
    args = ap.parse_args()
    given = [b for b in (args.base_binary, args.related_binary) if b]
    if len(given) != (0 if args.no_story else 2):
        ap.error("give either --no-story or BASE_BINARY RELATED_BINARY")
    os.makedirs(args.base, exist_ok=True)
    if args.no_story:
        base_binary = cargo_binary("no-story", os.path.join(args.base, "briefing-no-story"))
        related_binary = cargo_binary(None, os.path.join(args.base, "briefing-story"))
        names = ("without the analysis", "with it")
    else:
        base_binary, related_binary = args.base_binary, args.related_binary
        names = ("base", "related")
    harness.SHARED = args.shared
    harness.BRIEFING = related_binary  # `briefing init` for the corpus site
    root = harness.corpus(args.base, args.n)
    site = os.path.join(root, "briefing")
    trash = root + ".trash"

    def build(binary):
        harness.away(os.path.join(site, "public"), trash)
        r = harness.run([binary, "-q", "build"], site)
        shutil.rmtree(trash, ignore_errors=True)
        return r

    tools = {"base": base_binary, "related": related_binary}
    load = [os.getloadavg()]
    for b in tools.values():
        build(b)  # warm-up
    res = {k: [] for k in tools}
    for _ in range(args.runs):
        for k, b in tools.items():
            res[k].append(build(b))
    load.append(os.getloadavg())
    print(f"load average (1, 5, 15 min) before: {load[0]}, after: {load[1]}")
    print("| N | binary | median wall s | median user+sys s | median peak MiB |")
    print("|---|---|---|---|---|")
    for name, (k, rs) in zip(names, res.items()):
        print(f"| {args.n} | {name} | {harness.med(rs, 'wall'):.3f} | "
              f"{harness.med(rs, 'cpu'):.3f} | {harness.med(rs, 'peak'):.0f} |")
    for key in ("cpu", "wall"):
        ratios = [a[key] / b[key] for a, b in zip(res["related"], res["base"])]
        print(f"{names[1]} / {names[0]}, {key}: median of {len(ratios)} per-pair ratios "
              f"{statistics.median(ratios):.3f} (min {min(ratios):.3f}, max {max(ratios):.3f})")


if __name__ == "__main__":
    main()
