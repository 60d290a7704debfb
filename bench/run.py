#!/usr/bin/env python3
"""Full-build benchmark: briefing against Hugo on the same generated corpus, same run.

usage: bench/run.py [-n 1000 10000 ...] [--runs 5] [--big-runs 1] [--base DIR] [--briefing PATH]
                    [--hugo PATH] [--hugo-max 100000] [--floor PATH] [--json OUT]

For each N it makes (once) the deterministic corpus with ../shared/bench/gen_corpus.py (our
"neutral" layout and Hugo's, same articles), a briefing site over it (`briefing init`, the
corpus's six topics), then times full clean builds, alternating briefing and Hugo (and the
floor program when given), one unmeasured warm-up each. Per run: wall time, user+sys CPU and
peak RSS of the process (wait4). Prints a Markdown table with medians and the per-pair
briefing/Hugo ratios, and the pages each tool wrote.

Above --hugo-max articles (default 100,000: Hugo needs 4.4 GiB there and cannot build a million
on this machine) Hugo is not run and its corpus not written; its row is then Hugo's figures at
the largest N it ran, scaled by the number of articles, and says so ("extrapolated"). Sizes of
100,000 articles and more are timed --big-runs times (default 1) instead of --runs, without
a warm-up (the corpus was just read or written, and a build takes minutes). A million
articles take ~6 GB of Markdown and ~13 GB of output: give a --base on disk, not tmpfs.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(REPO), "shared", "bench")
TOPICS = ["gulf", "region", "world", "business", "technology", "sport"]


def sh(cmd, **kw):
    subprocess.run(cmd, check=True, **kw)


def corpus(base, n, tools="neutral,hugo"):
    root = os.path.join(base, f"n{n}")
    if not all(os.path.isdir(os.path.join(root, t)) for t in tools.split(",")):
        sh([sys.executable, os.path.join(SHARED, "gen_corpus.py"), "-n", str(n), "--out", root,
            "--tools", tools])
    site = os.path.join(root, "briefing")
    if not os.path.isdir(site):
        sh([BRIEFING, "-q", "init", site])
        shutil.rmtree(os.path.join(site, "content"))
        shutil.copytree(os.path.join(root, "neutral", "content"), os.path.join(site, "content"))
        write_config(site)
    return root


def write_config(site):
    lines = ['title = "Benchmark briefing"', 'base_url = "https://example.org/"', 'timezone = "UTC"',
             "paginate_by = 10000000"]
    for slug in TOPICS:
        lines += ["", "[[topics]]", f'slug = "{slug}"', f'name = "{slug.title()}"']
    open(os.path.join(site, "briefing.toml"), "w").write("\n".join(lines) + "\n")


def away(path, trash):
    """Moves a previous output aside (O(1)); deleted after the runs, untimed."""
    if os.path.exists(path):
        os.makedirs(trash, exist_ok=True)
        os.rename(path, os.path.join(trash, f"{os.path.basename(path)}.{time.monotonic_ns()}"))


def run(cmd, cwd):
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    err = p.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd} failed in {cwd}:\n{err}")
    return dict(wall=wall, cpu=ru.ru_utime + ru.ru_stime, peak=ru.ru_maxrss / 1024.0)


def count_pages(out):
    pages = files = 0
    for _root, _dirs, names in os.walk(out):
        files += len(names)
        pages += sum(1 for f in names if f.endswith(".html"))
    return pages, files


def tools_for(root, args):
    trash = root + ".trash"
    tools = {
        "briefing": (lambda: (away(os.path.join(root, "briefing", "public"), trash),
                              run([BRIEFING, "-q", "build"], os.path.join(root, "briefing")))[1],
                     os.path.join(root, "briefing", "public")),
    }
    if args.hugo:
        tools["hugo"] = (lambda: (away(os.path.join(root, "hugo", "public"), trash),
                                  run([args.hugo, "--quiet"], os.path.join(root, "hugo")))[1],
                         os.path.join(root, "hugo", "public"))
    if args.floor:
        tools["floor"] = (lambda: (away(os.path.join(root, "floor-out"), trash),
                                   run([args.floor, os.path.join(root, "neutral", "content"),
                                        os.path.join(root, "floor-out"), "rayon"], root))[1],
                          os.path.join(root, "floor-out"))
    return tools, trash


def bench(root, args, runs, warm_up=True):
    tools, trash = tools_for(root, args)
    if warm_up:
        for fn, _ in tools.values():
            fn()
        shutil.rmtree(trash, ignore_errors=True)
    res = {k: [] for k in tools}
    for _ in range(runs):
        for k, (fn, _) in tools.items():
            res[k].append(fn())
            shutil.rmtree(trash, ignore_errors=True)  # untimed, keeps tmpfs from filling up
    counts = {k: count_pages(out) for k, (_, out) in tools.items()}
    return res, counts


def med(rs, key):
    return statistics.median(r[key] for r in rs)


def main():
    global BRIEFING
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--base", default="/dev/shm/briefing-bench")
    ap.add_argument("--briefing", default=os.path.join(REPO, "target", "release", "briefing"))
    ap.add_argument("--hugo", default=shutil.which("hugo") or "/tmp/peers/bin/hugo")
    ap.add_argument("--hugo-max", type=int, default=100000, help="largest N Hugo is run at")
    ap.add_argument("--big-runs", type=int, default=1, help="runs at N >= 100,000")
    ap.add_argument("--floor", default=None)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    BRIEFING = args.briefing
    if args.hugo and not os.path.exists(args.hugo):
        args.hugo = None
    out = {}
    print("| N | tool | median wall s | median user+sys s | median peak MiB | HTML pages | files | wall ratio vs Hugo (per pair, median) | RSS ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    hugo = args.hugo
    hugo_at = None  # (N, runs) of the largest N Hugo ran at
    for n in sorted(args.n):
        args.hugo = hugo if n <= args.hugo_max else None
        root = corpus(args.base, n, "neutral,hugo" if args.hugo else "neutral")
        big = n >= 100000
        res, counts = bench(root, args, args.big_runs if big else args.runs, warm_up=not big)
        out[n] = dict(runs=res, counts=counts)
        if "hugo" in res:
            hugo_at = (n, res["hugo"])
        for k, rs in res.items():
            ratio = rss = "–"
            if "hugo" in res and k != "hugo":
                ratio = "%.2f" % statistics.median(a["wall"] / b["wall"] for a, b in zip(rs, res["hugo"]))
                rss = "%.2f" % (med(rs, "peak") / med(res["hugo"], "peak"))
            elif hugo_at and k == "briefing":
                scale = n / hugo_at[0]
                ratio = "%.2f (extrapolated)" % (med(rs, "wall") / (scale * med(hugo_at[1], "wall")))
                rss = "%.2f (extrapolated)" % (med(rs, "peak") / (scale * med(hugo_at[1], "peak")))
            print(f"| {n} | {k} | {med(rs, 'wall'):.3f} | {med(rs, 'cpu'):.3f} | {med(rs, 'peak'):.0f} | "
                  f"{counts[k][0]} | {counts[k][1]} | {ratio} | {rss} |", flush=True)
        if "hugo" not in res and hugo_at:
            scale = n / hugo_at[0]
            print(f"| {n} | hugo, extrapolated: its N = {hugo_at[0]} figures × {scale:g} (not run) | "
                  f"{scale * med(hugo_at[1], 'wall'):.3f} | {scale * med(hugo_at[1], 'cpu'):.3f} | "
                  f"{scale * med(hugo_at[1], 'peak'):.0f} | | | | |", flush=True)
        b = res["briefing"]
        print(f"|   | briefing per article | {1e3 * med(b, 'wall') / n:.3f} ms | {1e3 * med(b, 'cpu') / n:.3f} ms | "
              f"{1024 * med(b, 'peak') / n:.1f} KiB | | | | |", flush=True)
    if args.json:
        json.dump(out, open(args.json, "w"), indent=1)


if __name__ == "__main__":
    main()
