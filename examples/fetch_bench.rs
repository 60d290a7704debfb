//! Benchmark of `briefing fetch`: a local origin on 127.0.0.1 serves N feeds of M items each
//! (every feed with an ETag); a fresh site lists them as `[[sources]]`; the release binary
//! fetches them twice — the first run downloads and ingests everything, the second must be
//! all `304 Not Modified` and write nothing. Prints wall time, requests, bytes and articles
//! for both runs as a Markdown table (BENCHMARKS.md).
//!
//! ```sh
//! cargo build --release
//! cargo run --release --example fetch_bench -- [--sources 200] [--items 20] [--bin target/release/briefing]
//! ```
//!
//! All sources share one host (127.0.0.1), so the run sets `[fetch] delay = 0` and
//! `per_host = concurrency = 8`: with the default 1 s delay per host the figure would only
//! measure the delay (200 requests ≥ 200 s).

#[path = "../tests/origin/mod.rs"]
mod origin;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use origin::{Origin, Reply};

const WORDS: &[&str] = &[
    "harbour",
    "council",
    "smelter",
    "tariff",
    "pipeline",
    "turbine",
    "railway",
    "warehouse",
    "copper",
    "nickel",
    "lithium",
    "cobalt",
    "graphite",
    "bauxite",
    "refinery",
    "quarry",
    "chipmaker",
    "foundry",
    "software",
    "datacentre",
    "satellite",
    "antenna",
    "battery",
    "charger",
    "ferry",
    "airport",
    "runway",
    "bridge",
    "tunnel",
    "reservoir",
    "drought",
    "harvest",
    "orchard",
    "vineyard",
    "fishery",
    "trawler",
    "insurer",
    "lender",
    "auditor",
    "regulator",
    "minister",
    "mayor",
    "union",
    "strike",
    "contract",
    "merger",
    "licence",
    "permit",
    "subsidy",
    "budget",
    "deficit",
    "surplus",
    "export",
    "import",
    "freight",
    "shipment",
    "container",
    "crane",
    "dock",
    "canal",
    "lock",
    "barge",
    "convoy",
    "depot",
    "factory",
    "assembly",
    "robot",
    "sensor",
    "laser",
    "furnace",
    "kiln",
    "cement",
    "steel",
    "alloy",
    "magnet",
    "rare",
    "earth",
    "mine",
    "shaft",
    "tailings",
    "water",
    "brine",
    "solar",
    "wind",
    "hydro",
    "nuclear",
    "grid",
    "substation",
    "cable",
    "fibre",
    "spectrum",
    "auction",
    "tender",
    "bid",
    "award",
    "partner",
    "venture",
    "stake",
    "shares",
    "bond",
    "yield",
    "inflation",
    "wages",
    "hiring",
    "layoffs",
    "pension",
    "clinic",
    "hospital",
    "school",
    "campus",
    "library",
    "museum",
    "festival",
    "stadium",
    "tram",
    "bus",
    "metro",
    "cycle",
    "lane",
    "parking",
    "housing",
    "tenant",
    "landlord",
    "rent",
    "mortgage",
    "planning",
    "zoning",
    "heritage",
    "flood",
    "storm",
    "wildfire",
    "heatwave",
    "frost",
    "glacier",
    "river",
    "delta",
    "coast",
    "island",
    "valley",
    "plateau",
    "desert",
    "forest",
];

/// A small deterministic generator (xorshift64*), so every run serves the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn word(&mut self) -> &'static str {
        WORDS[(self.next() % WORDS.len() as u64) as usize]
    }
    fn sentence(&mut self, n: usize) -> String {
        let words: Vec<&str> = (0..n).map(|_| self.word()).collect();
        let mut s = words.join(" ");
        s[..1].make_ascii_uppercase();
        s + "."
    }
}

fn feed(origin: &Origin, source: usize, items: usize, rng: &mut Rng) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Source {source}</title><link>{}</link><description>Benchmark feed</description>",
        origin.url(&format!("/s{source}/"))
    );
    for i in 0..items {
        let title = format!("{} {} {} {source}-{i}", rng.word(), rng.word(), rng.word());
        let paragraphs: Vec<String> = (0..3)
            .map(|_| {
                format!(
                    "&lt;p&gt;{} {}&lt;/p&gt;",
                    rng.sentence(14),
                    rng.sentence(12)
                )
            })
            .collect();
        out += &format!(
            "<item><title>{title}</title><link>{}</link><pubDate>Tue, 24 Nov 2026 {:02}:{:02}:00 GMT</pubDate><description>{}</description></item>",
            origin.url(&format!("/s{source}/{i}")),
            i % 24,
            source % 60,
            paragraphs.concat()
        );
    }
    out + "</channel></rss>"
}

struct Figures {
    wall: f64,
    requests: u64,
    bytes: u64,
    articles: usize,
    fetched: usize,
    not_modified: usize,
    failed: usize,
    files: usize,
}

fn run(bin: &Path, root: &Path) -> Figures {
    let started = Instant::now();
    let out = Command::new(bin)
        .arg("--root")
        .arg(root)
        .args(["fetch", "--json", "-q"])
        .output()
        .expect("the briefing binary runs");
    let wall = started.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "fetch failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let outcomes: Vec<&str> = json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["outcome"].as_str().unwrap())
        .collect();
    let count = |o: &str| outcomes.iter().filter(|x| **x == o).count();
    let files = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    Figures {
        wall,
        requests: json["requests"].as_u64().unwrap(),
        bytes: json["bytes"].as_u64().unwrap(),
        articles: json["articles"].as_array().unwrap().len(),
        fetched: count("fetched"),
        not_modified: count("not-modified"),
        failed: count("failed"),
        files,
    }
}

fn main() {
    let mut sources = 200;
    let mut items = 20;
    let mut bin = PathBuf::from("target/release/briefing");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().expect("a value after the option");
        match a.as_str() {
            "--sources" => sources = value().parse().expect("a number"),
            "--items" => items = value().parse().expect("a number"),
            "--bin" => bin = PathBuf::from(value()),
            other => panic!("unknown argument {other}"),
        }
    }
    let origin = Origin::start();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut served = 0;
    let mut toml = String::from(
        "title = \"Fetch benchmark\"\nbase_url = \"https://example.org/\"\ntimezone = \"UTC\"\n\n\
         [[topics]]\nslug = \"raw-materials\"\nname = \"Raw materials\"\nkeywords = [\"copper\", \"nickel\", \"lithium\"]\n\n\
         [fetch]\ndelay = 0.0\nconcurrency = 8\nper_host = 8\n\n",
    );
    for s in 0..sources {
        let body = feed(&origin, s, items, &mut rng);
        served += body.len();
        origin.route(
            &format!("/s{s}/feed.xml"),
            vec![Reply::rss(body).header("etag", &format!("\"s{s}\""))],
        );
        toml += &format!(
            "[[sources]]\nname = \"Source {s}\"\nurl = \"{}\"\nkind = \"feed\"\nmax_items = {items}\n\n",
            origin.url(&format!("/s{s}/feed.xml"))
        );
    }
    let site = tempfile::tempdir().expect("a temp dir");
    std::fs::write(site.path().join("briefing.toml"), toml).expect("config written");

    let first = run(&bin, site.path());
    let second = run(&bin, site.path());
    println!(
        "{sources} sources × {items} items, {:.1} MB of feeds served\n",
        served as f64 / 1e6
    );
    println!(
        "| run | wall s | requests | bytes received | articles ingested | fetched / 304 / failed | .md files after |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (name, f) in [
        ("first (cold)", &first),
        ("second (all conditional)", &second),
    ] {
        println!(
            "| {name} | {:.2} | {} | {} | {} | {} / {} / {} | {} |",
            f.wall, f.requests, f.bytes, f.articles, f.fetched, f.not_modified, f.failed, f.files
        );
    }
    assert_eq!(
        second.not_modified, sources,
        "the second run must be all 304"
    );
    assert_eq!(second.files, first.files, "the second run wrote nothing");
}
