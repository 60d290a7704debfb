#!/usr/bin/env python3
"""HTML ingest throughput: pages per second of `briefing ingest --format html --dry-run` on the
article-extraction benchmark's pages (../shared/corpus/article-extraction-benchmark/html, read
at run time, never copied into the repository), all pages in one invocation, in a scratch
site made by `briefing init`. Several binaries can be compared in the same run; they are
alternated (A B A B …) after one unmeasured warm-up each, and the median is reported.

  python3 bench/ingest_html.py BIN [BIN ...] [--runs 5] [--dir DIR]
"""
import argparse, gzip, os, resource, shutil, statistics, subprocess, sys, tempfile, time


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("binaries", nargs="+")
    ap.add_argument("--runs", type=int, default=5)
    repo = os.path.dirname(here)
    ap.add_argument("--dir", default=os.path.join(os.path.dirname(repo), "shared", "corpus", "article-extraction-benchmark"))
    a = ap.parse_args()
    scratch = tempfile.mkdtemp(prefix="ingest-html-")
    pages = []
    for name in sorted(os.listdir(os.path.join(a.dir, "html"))):
        out = os.path.join(scratch, name.split(".")[0][:16] + ".html")
        with gzip.open(os.path.join(a.dir, "html", name), "rb") as src, open(out, "wb") as dst:
            dst.write(src.read())
        pages.append(out)
    size = sum(os.path.getsize(p) for p in pages)
    subprocess.run([a.binaries[0], "init", scratch + "/site"], check=True, capture_output=True)
    times = {b: [] for b in a.binaries}
    for run in range(a.runs + 1):
        for b in a.binaries:
            t0 = time.perf_counter()
            r = subprocess.run([b, "-q", "--root", scratch + "/site", "ingest", "--format", "html", "--dry-run", *pages],
                               capture_output=True, text=True)
            wall = time.perf_counter() - t0
            if r.returncode != 0:
                sys.exit(f"{b} failed: {r.stderr[:400]}")
            if run > 0:
                times[b].append(wall)
    print(f"{len(pages)} pages, {size / 1e6:.1f} MB of HTML, {a.runs} runs, load average {os.getloadavg()[0]:.1f}")
    for b in a.binaries:
        med = statistics.median(times[b])
        print(f"{b}: median {med:.3f} s, {len(pages) / med:.1f} pages/s, {size / 1e6 / med:.1f} MB/s")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
