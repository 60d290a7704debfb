#!/usr/bin/env python3
"""Ingest throughput: raw text dumps made from Reuters-21578 stories in the seed's layouts,
timed through `briefing ingest`.

usage: bench/ingest_dumps.py [--stories N] [--runs 3] [--out DIR] [--briefing PATH]

Each story becomes, in turn, [body, headline, headline again, bullets], [headline, body] or
[headline, bullets, body]; the first paragraph opens with the story's own Reuters dateline
("SALVADOR, Feb 26 - "); scrape boilerplate lines sit between some stories. Bullets restate
two body sentences. The corpus is read from ../shared at run time and never committed.
Prints MB/s for `ingest --dry-run` (parse, segment, normalize, classify, de-duplicate) and for
a real ingest that writes the files.
"""
import argparse, json, os, re, shutil, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CORPUS = os.path.join(os.path.dirname(REPO), "shared", "corpus", "reuters-21578", "articles.jsonl")
BOILERPLATE = ["Advertisement", "Share this article", "Follow us on X", "Subscribe to our newsletter",
               "Updated 3 hours ago"]


def paragraphs(body):
    paras = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s{3,}", body)]
    return [p for p in paras if p and not p.lower().startswith("reuter")]


def sentences(text):
    return [s.strip() for s in re.split(r"(?<=[a-z0-9][.!?])\s+(?=[A-Z])", text) if len(s.split()) > 5]


def dump(stories):
    lines = []
    for k, s in enumerate(stories):
        paras = paragraphs(s["body"])
        if len(paras) < 2:
            continue
        paras[0] = f"{s['dateline']} {paras[0]}"
        title = s["title"].title()
        bullets = ["- " + x for x in sentences(" ".join(paras[1:]))[:2]]
        layout = k % 3
        if layout == 0:
            lines += paras + [title, title] + bullets
        elif layout == 1:
            lines += [title] + paras
        else:
            lines += [title] + bullets + paras
        if k % 4 == 0:
            lines.append(BOILERPLATE[k % len(BOILERPLATE)])
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stories", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default="/dev/shm/briefing-ingest-bench")
    ap.add_argument("--briefing", default=os.path.join(REPO, "target", "release", "briefing"))
    a = ap.parse_args()
    stories = []
    for line in open(CORPUS, encoding="utf-8"):
        r = json.loads(line)
        if r.get("body") and r.get("dateline") and r.get("title"):
            stories.append(r)
        if len(stories) >= a.stories:
            break
    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, "reuters-dump.txt")
    text = dump(stories)
    open(path, "w", encoding="utf-8").write(text)
    mb = len(text.encode()) / 1e6
    print(f"dump: {len(stories)} stories, {mb:.1f} MB, {path}")
    for mode in ["--dry-run", None]:
        times = []
        for _ in range(a.runs):
            site = os.path.join(a.out, "site")
            shutil.rmtree(site, ignore_errors=True)
            subprocess.run([a.briefing, "-q", "init", site], check=True)
            cmd = [a.briefing, "-q", "--root", site, "ingest", path, "--date", "2026-11-26"]
            if mode:
                cmd.append(mode)
            t0 = time.monotonic()
            p = subprocess.run(cmd, capture_output=True)
            times.append(time.monotonic() - t0)
            if p.returncode != 0:
                sys.exit(f"ingest failed:\n{p.stderr.decode()[-2000:]}")
        t = statistics.median(times)
        written = sum(len(f) for _, _, f in os.walk(os.path.join(a.out, "site", "content")))
        print(f"ingest {mode or '(writing files)'}: median {t:.2f} s over {a.runs} runs → {mb / t:.1f} MB/s"
              + ("" if mode else f"; {written} files in content/"))


if __name__ == "__main__":
    main()
