//! Wire copy in text dumps: earnings briefs, dividend notices and price tables between prose
//! stories, in the seed's layouts with boilerplate between them (all written for these tests).
//! Checked through `ingest --json`, the files in content/ and the built pages.

mod common;

use common::*;
use serde_json::Value;

const DUMP: &str = "\
Nordlys and Cirrus team up on edge computing
OSLO: Nordlys Telecom and Cirrus Cloud on Monday agreed a partnership to run edge computing sites for factories across Norway, the companies said.
The first ten sites would open next year, and both firms said many details were still open.
Harbourline Shipping Corp 3rd Qtr Net
BERGEN, Nov 24 - Shr 52 cts vs 40 cts
Net 6,310,000 vs 4,870,000
Revs 88.4 mln vs 91.2 mln
Nine mths
Shr 1.48 dlrs vs 1.21 dlrs
Net 17,900,000 vs 14,700,000
Advertisement
Ore prices steady at three western ports
PERTH: Iron ore prices at three export ports were little changed this week, a shipping broker said in its weekly report.
Prices were as follows, in dollars per tonne:
Port          Fines      Lump
Dampier       104.50     112.00
Esperance      98.75     107.25
Geraldton      99.10     106.80
Traders said lump premiums widened because high grade material was scarce in the region this month.
HAMAR, Nov 24 - Qtly div 18 cts vs 16 cts prior
Pay Jan 15
Record Dec 20
NOTE: Fjellkraft Energi ASA.
Fjellkraft Raises Quarterly Dividend
Fjellkraft Raises Quarterly Dividend
Share this article
Copper miner to reprocess Andean tailings
LIMA (Reuters) - A copper miner signed a deal on Tuesday to reprocess old tailings from two closed mines in the Andes, recovering metal that earlier plants left behind.
The project will recover copper and zinc from the tailings, the company said, and will also make the old dams safer.
";

fn ingest_json(root: &std::path::Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["ingest", "--json"];
    all.extend_from_slice(args);
    let out = briefing(root, &all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn by_title<'a>(articles: &'a [Value], title: &str) -> &'a Value {
    articles
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| {
            let titles: Vec<&Value> = articles.iter().map(|a| &a["title"]).collect();
            panic!("no article titled {title:?}; titles: {titles:?}")
        })
}

#[test]
fn briefs_and_tables_stay_whole_under_their_own_headline() {
    let site = site("basic");
    write(site.path(), "wire.txt", DUMP);
    let articles = ingest_json(
        site.path(),
        &[
            site.path().join("wire.txt").to_str().unwrap(),
            "--date",
            "2026-11-24",
        ],
    );
    let titles: Vec<&str> = articles
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Nordlys and Cirrus team up on edge computing",
            "Harbourline Shipping Corp 3rd Qtr Net",
            "Ore prices steady at three western ports",
            "Fjellkraft Raises Quarterly Dividend",
            "Copper miner to reprocess Andean tailings",
        ]
    );

    // The earnings brief: one table, label | this period | last period, sections in order.
    let brief = by_title(&articles, "Harbourline Shipping Corp 3rd Qtr Net");
    assert_eq!(brief["dateline"], "Bergen");
    assert_eq!(brief["paragraphs"], 1);
    assert_eq!(
        brief["body"],
        "| Item | This period | Last period |\n\
         |---|---:|---:|\n\
         | Shr | 52 cts | 40 cts |\n\
         | Net | 6,310,000 | 4,870,000 |\n\
         | Revs | 88.4 mln | 91.2 mln |\n\
         | **Nine mths** |  |  |\n\
         | Shr | 1.48 dlrs | 1.21 dlrs |\n\
         | Net | 17,900,000 | 14,700,000 |"
    );
    assert_eq!(
        brief["summary"],
        serde_json::json!([
            "Shr 52 cts vs 40 cts",
            "Net 6,310,000 vs 4,870,000",
            "Revs 88.4 mln vs 91.2 mln"
        ])
    );

    // Prose around a column table: the intro ending in ':' is a paragraph, the table sits
    // between the paragraphs, in place.
    let ore = by_title(&articles, "Ore prices steady at three western ports");
    let paragraphs: Vec<&str> = ore["body"].as_str().unwrap().split("\n\n").collect();
    assert_eq!(paragraphs.len(), 4, "{paragraphs:?}");
    assert_eq!(
        paragraphs[1],
        "Prices were as follows, in dollars per tonne:"
    );
    assert_eq!(
        paragraphs[2],
        "| Port | Fines | Lump |\n|---|---|---|\n| Dampier | 104.50 | 112.00 |\n\
         | Esperance | 98.75 | 107.25 |\n| Geraldton | 99.10 | 106.80 |"
    );
    assert!(paragraphs[3].starts_with("Traders said"));

    // A dividend notice in the [body, headline, headline] layout: rows that do not line up
    // are a list; the note under them stays with it.
    let div = by_title(&articles, "Fjellkraft Raises Quarterly Dividend");
    assert_eq!(div["dateline"], "Hamar");
    assert_eq!(
        div["body"],
        "- Qtly div 18 cts vs 16 cts prior\n- Pay Jan 15\n- Record Dec 20\n\nNOTE: Fjellkraft Energi ASA."
    );

    // The prose stories are untouched by all this.
    let copper = by_title(&articles, "Copper miner to reprocess Andean tailings");
    assert_eq!(copper["paragraphs"], 2);
    assert_eq!(copper["dateline"], "Lima");
}

#[test]
fn a_brief_renders_as_a_table_and_the_site_checks_clean() {
    let site = site("basic");
    write(site.path(), "wire.txt", DUMP);
    let dump = site.path().join("wire.txt");
    ok(
        site.path(),
        &["ingest", dump.to_str().unwrap(), "--date", "2026-11-24"],
    );
    ok(site.path(), &["build"]);
    ok(site.path(), &["check"]);
    let html = read(
        site.path(),
        "public/2026/11/24/harbourline-shipping-corp-3rd-qtr-net/index.html",
    );
    assert!(html.contains("<table>"), "{html}");
    assert!(html.contains(">This period</th>"), "{html}");
    assert!(html.contains(">52 cts</td>"), "{html}");
    assert!(html.contains("<strong>Nine mths</strong>"), "{html}");
    let email = read(site.path(), "public/2026/11/24/email.html");
    assert!(email.contains("Shr 52 cts vs 40 cts"), "{email}");
}

#[test]
fn the_same_brief_from_two_sources_is_one_article() {
    let site = site("basic");
    let brief = "\
Harbourline Shipping Corp 3rd Qtr Net
BERGEN, Nov 24 - Shr 52 cts vs 40 cts
Net 6,310,000 vs 4,870,000
Revs 88.4 mln vs 91.2 mln
Nine mths
Shr 1.48 dlrs vs 1.21 dlrs
Net 17,900,000 vs 14,700,000
Revs 260.1 mln vs 248.7 mln
";
    write(site.path(), "a.txt", brief);
    write(
        site.path(),
        "b.txt",
        &brief.replace("Corp 3rd Qtr Net", "Corp Third Quarter Net"),
    );
    let a = site.path().join("a.txt");
    let b = site.path().join("b.txt");
    let first = ingest_json(
        site.path(),
        &[
            a.to_str().unwrap(),
            "--date",
            "2026-11-24",
            "--source-name",
            "Wire A",
        ],
    );
    assert_eq!(first.len(), 1);
    assert_eq!(first[0]["status"], "written");
    let second = ingest_json(
        site.path(),
        &[
            b.to_str().unwrap(),
            "--date",
            "2026-11-24",
            "--source-name",
            "Wire B",
        ],
    );
    assert_eq!(second.len(), 1);
    assert_eq!(second[0]["status"], "duplicate", "{second:?}");
    assert_eq!(
        second[0]["duplicate_of"],
        "content/2026-11-24/harbourline-shipping-corp-3rd-qtr-net.md"
    );
}
