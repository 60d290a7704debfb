#!/usr/bin/env python3
"""Ingest throughput: raw text dumps made from Reuters-21578 stories in the seed's layouts,
timed through `briefing ingest`.

usage: bench/ingest_dumps.py [--stories N] [--runs 3] [--out DIR] [--briefing PATH] [--corpus FILE]

Every story with a body (prose, earnings briefs and tables alike) becomes, in turn, [body, headline, headline again, bullets], [headline, body] or
[headline, bullets, body]; the first paragraph opens with the story's own Reuters dateline
("SALVADOR, Feb 26 - "); scrape boilerplate lines sit between some stories. Bullets restate
two body sentences. The corpus is read from ../shared at run time and never committed.
Wire paragraphs start at an indented line; a one-line paragraph (a table row) keeps its own
column spacing. Prints how many articles ingest finds for how many stories, then MB/s for
`ingest --dry-run` (parse, segment, normalize, classify, de-duplicate) and for a real ingest
that writes the files.
"""
import argparse, json, os, re, shutil, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CORPUS = os.path.join(os.path.dirname(REPO), "shared", "corpus", "reuters-21578", "articles.jsonl")
BOILERPLATE = ["Advertisement", "Share this article", "Follow us on X", "Subscribe to our newsletter",
               "Updated 3 hours ago"]


def paragraphs(body):
    """Wire copy's paragraphs: a new one starts at an indented line or after a blank line.
    A one-line paragraph (a table row) keeps its own spacing; longer ones are joined."""
    paras = [[]]
    for line in body.split("\n"):
        if (line[:1] in (" ", "\t") or not line.strip()) and paras[-1]:
            paras.append([])
        if line.strip():
            paras[-1].append(line)
    out = [p[0].strip() if len(p) == 1 else re.sub(r"\s+", " ", " ".join(p)).strip() for p in paras if p]
    return [p for p in out if p and not p.lower().startswith("reuter") and p.lower() != "more"]


def sentences(text):
    return [s.strip() for s in re.split(r"(?<=[a-z0-9][.!?])\s+(?=[A-Z])", text) if len(s.split()) > 5]


def dump(stories):
    lines = []
    for k, s in enumerate(stories):
        paras = paragraphs(s["body"])
        if not paras:
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


def count(a, path, made):
    """One dry run with --json: articles found against stories made."""
    site = os.path.join(a.out, "site")
    shutil.rmtree(site, ignore_errors=True)
    subprocess.run([a.briefing, "-q", "init", site], check=True)
    p = subprocess.run([a.briefing, "-q", "--root", site, "ingest", path, "--date", "2026-11-26",
                        "--dry-run", "--json"], capture_output=True, check=True)
    found = json.loads(p.stdout)
    one = [x for x in found if x["paragraphs"] == 1]
    tables = [x for x in one if x["body"].startswith(("|", "- "))]
    print(f"articles: {len(found)} found for {made} stories ({(len(found) - made) / made * 100:+.1f} %); "
          f"{len(one)} of one paragraph ({len(tables)} of them a brief's table)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stories", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default="/dev/shm/briefing-ingest-bench")
    ap.add_argument("--briefing", default=os.path.join(REPO, "target", "release", "briefing"))
    ap.add_argument("--corpus", default=CORPUS, help="Reuters-21578 articles.jsonl")
    a = ap.parse_args()
    stories = []
    for line in open(a.corpus, encoding="utf-8"):
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
    count(a, path, sum(1 for s in stories if paragraphs(s["body"])))
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
