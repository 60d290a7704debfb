#!/usr/bin/env python3
"""Preview rebuild latency of `briefing serve` on a generated corpus (stdlib only).

usage: bench/serve_rebuild.py [-n 10000] [--edits 7] [--work /tmp/briefing-bench]
                              [--binary target/release/briefing] [--gen ../shared/bench/gen_corpus.py]

1. Generates the corpus with the shared gen_corpus.py ("neutral" layout, which follows our
   content contract) unless WORK/nN/neutral exists, and makes a site of it: a briefing.toml
   with the corpus's six topics (written here; the loader is not adapted to the corpus).
2. Times one `briefing build -v` of the site (stage timings from the binary).
3. Starts `briefing serve --port 0`, then per edit: GETs an article of the newest day, rewrites
   its title and appends a paragraph, and polls (every 5 ms) until the article, its edition
   page and the home page show the change. Latency = file written -> first response with the
   change; it includes the watcher's 50 ms debounce. The server's own "built ... in X ms"
   line for the rebuild is reported next to it.
Set TMPDIR to move the preview build (e.g. TMPDIR=/dev/shm for tmpfs). Run from the repository
root after `cargo build --release`.
"""
import argparse, os, re, shutil, signal, statistics, subprocess, sys, threading, time, urllib.error, urllib.request

TOPICS = ["gulf", "region", "world", "business", "technology", "sport"]


def config():
    out = ['title = "Benchmark Briefing"', 'base_url = "https://example.org/"', 'timezone = "UTC"', ""]
    for slug in TOPICS:
        out += ["[[topics]]", f'slug = "{slug}"', f'name = "{slug.title()}"', ""]
    return "\n".join(out)


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.read().decode("utf-8", "replace")
    except Exception:
        return None


def wait_for(url, needle, timeout):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        body = get(url)
        if body is not None and needle in body:
            return time.monotonic()
        time.sleep(0.005)
    return None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(repo, "target"))
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=7)
    ap.add_argument("--work", default="/tmp/briefing-bench")
    ap.add_argument("--binary", default=os.path.join(target, "release", "briefing"))
    ap.add_argument("--gen", default=os.path.join(repo, "..", "shared", "bench", "gen_corpus.py"))
    a = ap.parse_args()

    corpus = os.path.join(a.work, f"n{a.n}")
    if not os.path.isdir(os.path.join(corpus, "neutral", "content")):
        subprocess.run([sys.executable, a.gen, "-n", str(a.n), "--out", corpus, "--tools", "neutral", "--no-templates"], check=True)
    site = os.path.join(corpus, "briefing-site")
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(os.path.join(corpus, "neutral", "content"), os.path.join(site, "content"))
    with open(os.path.join(site, "briefing.toml"), "w") as f:
        f.write(config())

    t0 = time.monotonic()
    build = subprocess.run([a.binary, "--root", site, "-v", "build"], capture_output=True, text=True)
    if build.returncode != 0:
        sys.exit("build failed:\n" + build.stderr)
    print(f"full `briefing build` of {a.n} articles: {time.monotonic() - t0:.2f} s wall")
    print(build.stderr.rstrip())

    log = []
    srv = subprocess.Popen([a.binary, "--root", site, "-v", "serve", "--port", "0"], stderr=subprocess.PIPE, text=True, start_new_session=True)
    threading.Thread(target=lambda: [log.append(line.rstrip()) for line in srv.stderr], daemon=True).start()
    try:
        t0 = time.monotonic()
        while not any(" at http://" in line for line in log):
            if srv.poll() is not None or time.monotonic() - t0 > 600:
                sys.exit("server did not come up:\n" + "\n".join(log))
            time.sleep(0.01)
        base = re.search(r"(http://\S+?)/? ", next(line for line in log if " at http://" in line)).group(1)
        print(f"serve: first page servable after {time.monotonic() - t0:.2f} s ({next(l for l in log if l.startswith('built '))})")
        content = os.path.join(site, "content")
        day = sorted(os.listdir(content))[-1]
        arts = sorted(os.listdir(os.path.join(content, day)))
        y, m, d = day.split("-")
        day_url = f"{base}/{y}/{m}/{d}/"
        rows = []
        for i in range(a.edits):
            fn = arts[i % len(arts)]
            url = f"{day_url}{fn[:-3]}/"
            get(url)
            path = os.path.join(content, day, fn)
            src = open(path, encoding="utf-8").read()
            marker = f"Editmarker{os.getpid()}x{i}"
            new = src.replace('title: "', f'title: "{marker} ', 1) + f"\n{marker} paragraph.\n"
            seen = len(log)
            tw = time.monotonic()
            with open(path, "w", encoding="utf-8") as f:
                f.write(new)
            ta = wait_for(url, marker, 120)
            td = wait_for(day_url, marker, 30)
            th = wait_for(base + "/", marker, 30)
            t1 = time.monotonic()
            while not any(line.startswith(("built ", "build failed")) for line in log[seen:]) and time.monotonic() - t1 < 300:
                time.sleep(0.01)
            built = next((line for line in log[seen:] if line.startswith("built ")), "?")
            server_ms = re.search(r"in (\d+) ms", built)
            stages = ", ".join(" ".join(line.split()) for line in log[seen:] if line.startswith("  "))
            row = [x - tw if x else float("nan") for x in (ta, td, th)] + [int(server_ms.group(1)) / 1000 if server_ms else float("nan")]
            rows.append(row)
            print("edit %d: article %.3f s, edition %.3f s, home %.3f s; server rebuild %.3f s (%s)" % (i, *row, stages))
            time.sleep(1.0)
        med = [statistics.median(col) for col in zip(*rows)]
        print("median of %d edits: article %.3f s, edition %.3f s, home %.3f s; server rebuild %.3f s" % (len(rows), *med))
    finally:
        os.killpg(srv.pid, signal.SIGTERM)
        try:
            srv.wait(300)
        except subprocess.TimeoutExpired:
            os.killpg(srv.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
