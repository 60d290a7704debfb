#!/usr/bin/env python3
"""The daily build with the build cache: one new day on a large archive (issue #16).

usage: [SHARED=../shared] bench/build_cache.py [-n 100000] [--day-size 300] [--days 3]
                            [--base DIR] [--briefing PATH] [--json OUT]

Makes (once) the corpus and site of bench/run.py for N articles (../shared/bench/gen_corpus.py,
the same six topics and config), then:

1. `briefing -v build --full`: the archive as it is, which also writes the cache;
2. per day (--days of them, each the day after the last): writes --day-size new articles
   dated that day (the generator's articles, seed 1000 + day), then times
   `briefing -v build` (with the cache, what a daily cron job runs) and
   `briefing -v build --full` of the same content, alternately.

Per run: wall time, user+sys CPU and peak RSS (wait4), the 1-minute load average before it,
and the stages that `-v` prints (ms). Prints a Markdown table and the median stages of each
kind of build. The new days are removed at the end, so the corpus stays as bench/run.py made
it.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run as base  # noqa: E402  (bench/run.py: corpus and site)

# `SHARED` names the shared folder when it is not beside the checkout (a git worktree).
if os.environ.get("SHARED"):
    base.SHARED = os.path.join(os.environ["SHARED"], "bench")
sys.path.insert(0, base.SHARED)
import gen_corpus  # noqa: E402


def load1():
    return float(open("/proc/loadavg").read().split()[0])


def timed(cmd, cwd):
    load = load1()
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    err = p.stderr.read().decode(errors="replace")
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd} failed in {cwd}:\n{err}")
    stages, cache = {}, []
    for line in err.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[-1] == "ms":
            stages[" ".join(parts[:-2])] = float(parts[-2])
        elif line.strip().startswith("cache:"):
            cache.append(line.strip())
    return dict(wall=wall, cpu=ru.ru_utime + ru.ru_stime, peak=ru.ru_maxrss / 1024.0, load=load,
                stages=stages, cache=cache)


def add_day(site, day, size, seed):
    """`size` generated articles dated `day`, in content/<day>/."""
    arts = gen_corpus.make_articles(size, seed)
    folder = os.path.join(site, "content", day.isoformat())
    for i, a in enumerate(arts):
        a["day"] = day.isoformat()
        a["date"] = "%sT%02d:%02d:00Z" % (day.isoformat(), (i * 1440 // size) // 60, (i * 1440 // size) % 60)
        gen_corpus.write(os.path.join(folder, "%s-%d.md" % (a["slug"], i)),
                         gen_corpus.fm_neutral(a) + a["body"])
    return folder


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=100000)
    ap.add_argument("--day-size", type=int, default=300)
    ap.add_argument("--days", type=int, default=3)
    ap.add_argument("--base", default="/dev/shm/briefing-bench")
    ap.add_argument("--briefing", default=os.path.join(base.REPO, "target", "release", "briefing"))
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    base.BRIEFING = args.briefing
    root = base.corpus(args.base, args.n)
    site = os.path.join(root, "briefing")
    shutil.rmtree(os.path.join(site, "public"), ignore_errors=True)
    brief = [args.briefing, "-v", "build"]
    runs = []
    first = timed(brief + ["--full"], site)
    runs.append(("first full build", first))
    import datetime as dt
    last = max(dt.date.fromisoformat(d) for d in os.listdir(os.path.join(site, "content")))
    added = []
    try:
        for k in range(args.days):
            day = last + dt.timedelta(days=k + 1)
            added.append(add_day(site, day, args.day_size, 1000 + k))
            runs.append((f"+{day} cached", timed(brief, site)))
            runs.append((f"+{day} --full", timed(brief + ["--full"], site)))
    finally:
        for folder in added:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"N = {args.n} (+{args.day_size} per day), {os.cpu_count()} CPUs")
    print("| build | wall s | user+sys s | peak MiB | load (1 min) before | cache |")
    print("|---|---|---|---|---|---|")
    for name, r in runs:
        print(f"| {name} | {r['wall']:.2f} | {r['cpu']:.2f} | {r['peak']:.0f} | {r['load']:.1f} | "
              f"{'; '.join(c.removeprefix('cache: ') for c in r['cache'])} |")
    cached = [r for n, r in runs if n.endswith("cached")]
    full = [r for n, r in runs if n.endswith("--full") and not n.startswith("first")]
    if cached and full:
        ratio = statistics.median(a["cpu"] / b["cpu"] for a, b in zip(cached, full))
        wall = statistics.median(a["wall"] / b["wall"] for a, b in zip(cached, full))
        print(f"\ncached / full, per pair, median: CPU {ratio:.1%}, wall {wall:.1%}")
        print("\n| stage | cached ms (median) | --full ms (median) |")
        print("|---|---|---|")
        for stage in cached[0]["stages"]:
            med = lambda rs: statistics.median(r["stages"].get(stage, 0.0) for r in rs)
            print(f"| {stage} | {med(cached):.0f} | {med(full):.0f} |")
    if args.json:
        json.dump(runs, open(args.json, "w"), indent=1)


if __name__ == "__main__":
    main()
