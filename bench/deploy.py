#!/usr/bin/env python3
"""Deploy benchmark: `briefing deploy` of a generated N-article site to a local Garage.

usage: bench/deploy.py [-n 10000] [--base DIR] [--briefing PATH] [--garage PATH] [--jobs 16]

Makes (once) the deterministic corpus with ../shared/bench/gen_corpus.py and a briefing site
over it (as bench/run.py does), builds it, starts a single-node Garage on 127.0.0.1 with its
data under --base (random ports, layout applied, one key and bucket, website access on),
then times three deploys with --json: the first (empty bucket), a no-change deploy, and a
deploy after one article's body changed (rebuilt first; the build is not timed). Prints a
Markdown table: objects listed, metadata asked (HEAD), requests by kind, bytes sent, wall.
Garage is stopped at the end.
"""
import argparse, json, os, shutil, socket, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(REPO), "shared", "bench")
sys.path.insert(0, HERE)
import run as build_bench  # noqa: E402  (write_config: the same site config as the build benchmark)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def site(base, n, briefing):
    root = os.path.join(base, f"n{n}")
    if not os.path.isdir(os.path.join(root, "neutral")):
        subprocess.run([sys.executable, os.path.join(SHARED, "gen_corpus.py"), "-n", str(n),
                        "--out", root, "--tools", "neutral"], check=True)
    path = os.path.join(root, "deploy-site")
    if os.path.isdir(path):
        shutil.rmtree(path)
    subprocess.run([briefing, "-q", "init", path], check=True)
    shutil.rmtree(os.path.join(path, "content"))
    shutil.copytree(os.path.join(root, "neutral", "content"), os.path.join(path, "content"))
    build_bench.write_config(path)
    return path


class Garage:
    def __init__(self, binary, base):
        self.binary = binary
        self.dir = tempfile.mkdtemp(prefix="garage-", dir=base)
        self.s3 = free_port()
        rpc, web, admin = free_port(), free_port(), free_port()
        self.config = os.path.join(self.dir, "garage.toml")
        open(self.config, "w").write(f'''metadata_dir = "{self.dir}/meta"
data_dir = "{self.dir}/data"
db_engine = "sqlite"
replication_factor = 1
rpc_bind_addr = "127.0.0.1:{rpc}"
rpc_public_addr = "127.0.0.1:{rpc}"
rpc_secret = "{os.urandom(32).hex()}"
[s3_api]
s3_region = "garage"
api_bind_addr = "127.0.0.1:{self.s3}"
root_domain = ".s3.garage.localhost"
[s3_web]
bind_addr = "127.0.0.1:{web}"
root_domain = ".web.garage.localhost"
index = "index.html"
[admin]
api_bind_addr = "127.0.0.1:{admin}"
''')
        log = open(os.path.join(self.dir, "garage.log"), "w")
        self.proc = subprocess.Popen([binary, "-c", self.config, "server"], stdout=log,
                                     stderr=log, env=dict(os.environ, RUST_LOG="warn"))
        try:
            self.set_up(log.name)
        except BaseException:
            self.stop()
            raise

    def set_up(self, log_name):
        deadline = time.monotonic() + 60
        while True:
            # `node id` reads the key on disk; `status` needs the server up.
            if "HEALTHY NODES" in self.cli("status", check=False):
                node = self.cli("node", "id", "-q").split("@")[0].strip()
                break
            if time.monotonic() > deadline:
                raise SystemExit("garage did not start; see " + log_name)
            time.sleep(0.2)
        self.cli("layout", "assign", "-z", "dc1", "-c", "10G", node)
        self.cli("layout", "apply", "--version", "1")
        out = self.cli("key", "create", "bench")
        field = lambda label: next(l.split(":", 1)[1].strip() for l in out.splitlines()
                                   if l.strip().startswith(label))
        self.key, self.secret = field("Key ID"), field("Secret key")
        self.cli("bucket", "create", "bench")
        self.cli("bucket", "allow", "--read", "--write", "--owner", "bench", "--key", self.key)
        self.cli("bucket", "website", "--allow", "bench")

    def cli(self, *args, check=True):
        p = subprocess.run([self.binary, "-c", self.config, *args], capture_output=True,
                           text=True, env=dict(os.environ, RUST_LOG="warn"))
        if check and p.returncode != 0:
            raise SystemExit(f"garage {args}: {p.stdout}{p.stderr}")
        return p.stdout + p.stderr

    def stop(self):
        self.proc.kill()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def deploy(briefing, site_dir, garage, jobs):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=garage.key, AWS_SECRET_ACCESS_KEY=garage.secret)
    t0 = time.monotonic()
    p = subprocess.run([briefing, "--root", site_dir, "deploy", "--json", "--jobs", str(jobs)],
                       capture_output=True, text=True, env=env)
    wall = time.monotonic() - t0
    if p.returncode != 0:
        raise SystemExit(p.stderr)
    return json.loads(p.stdout), wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=10000)
    ap.add_argument("--base", default="/dev/shm/briefing-bench")
    ap.add_argument("--briefing", default=os.path.join(REPO, "target", "release", "briefing"))
    ap.add_argument("--garage", default=shutil.which("garage")
                    or os.path.expanduser("~/.cargo/bin/garage"))
    ap.add_argument("--jobs", type=int, default=16)
    a = ap.parse_args()
    build_bench.BRIEFING = a.briefing
    os.makedirs(a.base, exist_ok=True)
    site_dir = site(a.base, a.n, a.briefing)
    subprocess.run([a.briefing, "-q", "--root", site_dir, "build"], check=True)
    garage = Garage(a.garage, a.base)
    try:
        open(os.path.join(site_dir, "briefing.toml"), "a").write(
            f'\n[[deploy]]\nname = "garage"\nurl = "s3://bench"\n'
            f'endpoint = "http://127.0.0.1:{garage.s3}"\nregion = "garage"\n'
            f'force_path_style = true\ngzip = true\n')
        rows = [("first deploy (empty bucket)",) + deploy(a.briefing, site_dir, garage, a.jobs)]
        rows.append(("no-change deploy",) + deploy(a.briefing, site_dir, garage, a.jobs))
        content = os.path.join(site_dir, "content")
        day = sorted(os.listdir(content))[-1]
        article = os.path.join(content, day, sorted(os.listdir(os.path.join(content, day)))[0])
        with open(article, "a") as f:
            f.write("\nA correction added to this story after publication.\n")
        subprocess.run([a.briefing, "-q", "--root", site_dir, "build"], check=True)
        rows.append((f"one article changed ({day}/{os.path.basename(article)})",)
                    + deploy(a.briefing, site_dir, garage, a.jobs))
    finally:
        garage.stop()
    print(f"N={a.n}, {rows[0][1]['local_files']} files in public/, --jobs {a.jobs}, gzip on\n")
    print("| deploy | remote objects listed | HEAD | LIST | GET | PUT | DELETE | uploaded files | bytes sent | deleted | wall s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, r, wall in rows:
        q = r["requests"]
        print(f"| {name} | {r['remote_objects']} | {q['head']} | {q['list']} | {q['get']} | {q['put']} "
              f"| {q['delete']} | {len(r['uploads'])} | {r['bytes']:,} | {len(r['deletes'])} | {wall:.2f} |")
    print("\nfiles uploaded by the one-article change:")
    for u in rows[2][1]["uploads"]:
        print(f"  {u['tier']:<13} {u['path']}")


if __name__ == "__main__":
    main()
