//! Ingest quality on real news: `cargo run --release --example eval [-- CORPUS_DIR]`.
//!
//! Reads Reuters-21578 and BBC News from `../shared/corpus` (or the folder given) at run time
//! (their research-only licences forbid committing them), runs them through the real ingest
//! path (`briefing::ingest` on JSON Lines files and text dumps in throw-away sites, dry runs),
//! prints a table and writes it to `docs/quality.md`. Five measures:
//!
//! 1. **Datelines** (Reuters): the story's own dateline put back in front of its body, as a
//!    wire story reads; right when the place is found and the first paragraph is otherwise
//!    unchanged.
//! 2. **Topics** (BBC, exact duplicates dropped): 5-fold cross-validation, training folds
//!    placed in content/ with their topic, the held-out fold ingested; and keywords only.
//! 3. **De-duplication** (Reuters): the corpus's exact duplicate bodies, near-duplicates made
//!    here and as many distinct stories on the same topics; precision/recall/F1 of
//!    `duplicate_of`.
//! 4. **Dumps** (Reuters): multi-article text dumps in the seed's three layouts, with dateline
//!    styles and boilerplate lines; share of articles that come out entirely right.
//! 5. **Article extraction** (the article-extraction benchmark's development half, 91 real
//!    pages with ground-truth bodies, MIT licence): the benchmark's metric (word 4-gram
//!    shingles, precision and recall averaged over pages) on what HTML ingest keeps as the
//!    body, beside dom_smoothie alone and the chrome cut alone; per-fold figures and the worst
//!    pages.
//! 6. **Wire dumps** (Reuters): every story, tables and earnings briefs included, in the same
//!    layouts; articles found against stories, and stories whole under their own title.
//!
//! This is a benchmark, not a test: it asserts nothing and exits 0 whatever the figures.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use briefing::ingest::{ExtractionStage, IngestedArticle, InputFormat, Status, extract_stage};
use briefing::{BuildOptions, Config, IngestOptions};
use serde_json::{Value, json};

mod common;
use common::{Result, Rng, read_jsonl, s};

const TOPICS: [&str; 5] = ["business", "entertainment", "politics", "sport", "tech"];

/// Keywords chosen for the five BBC topics (a site owner's first guess, before any archive).
const KEYWORDS: [(&str, &str); 5] = [
    (
        "business",
        r#"["economy", "economic", "company", "firm", "shares", "profit", "market", "bank", "sales", "growth", "investors", "prices", "oil", "interest rates", "inflation", "deal", "chief executive", "stock"]"#,
    ),
    (
        "entertainment",
        r#"["film", "music", "band", "album", "singer", "actor", "actress", "star", "show", "box office", "festival", "award", "oscar", "movie", "tv", "comedy", "chart", "director"]"#,
    ),
    (
        "politics",
        r#"["government", "minister", "election", "labour", "tory", "conservative", "party", "mp", "parliament", "prime minister", "blair", "brown", "howard", "lib dem", "vote", "campaign", "commons", "lords"]"#,
    ),
    (
        "sport",
        r#"["match", "game", "coach", "team", "player", "cup", "league", "win", "champion", "injury", "season", "football", "rugby", "tennis", "cricket", "olympic", "club", "final"]"#,
    ),
    (
        "tech",
        r#"["technology", "software", "computer", "internet", "online", "mobile", "phone", "digital", "users", "website", "broadband", "microsoft", "apple", "google", "games", "virus", "net", "gadget"]"#,
    ),
];

/// What the figures do not say by themselves (reviewed when the committed run was made).
const NOTES: &str = "## Notes\n\n\
- **Dumps: 100% is not met.** The articles still wrong come from wire copy that no page \
  scrape would hold: a dateline preceded by `****`, and a freight table of short \
  slash-separated lines. The filter that keeps such stories out (prose paragraphs only) lets \
  these few through; no rule was bent to pass them.\n\
- **Datelines**: what remains is mostly the corpus's own slips (`Narch 2`, `Feb 26-` with no \
  space, a dateline field that holds the start of the body) and first paragraphs that are \
  table rows.\n\
- **Topics**: the margin over 97% is small. Some held-out BBC articles are near-duplicates of a \
  training article and take its topic, as ingest does for any duplicate; the accuracy without \
  them is given too. With a large archive the keywords barely count (they fade as a topic's \
  archive grows), which is why both learned rows agree.\n\
- **De-duplication**: several false positives are the same event told twice by the wire under \
  other titles, which the labels call distinct; the misses are short templated notices \
  (dividends, prices) matched to another company's notice of the same wording. A wrong \
  target counts as a false positive and a false negative.\n\
- **Article extraction, the extractor chosen by measurement**: rs-trafilatura 0.2.2 (the \
  crates.io port of trafilatura, the benchmark's best open extractor) was run alone on the same \
  91 pages in a scratch crate: F1 0.962 (P 0.934, R 0.992) with its defaults, 0.953 (P 0.936, \
  R 0.971) with `favor_precision`, below the published 0.974 and below the chrome cut + \
  Readability + line cleaning kept here, and it would add a second HTML stack to the binary \
  (html5ever 0.36, selectors 0.33, dom_query 0.24 beside the 0.40/0.41/0.29 already used). \
  So ingest uses dom_smoothie with our own cleaning, and a chooser only for fallbacks: \
  Readability on the whole page when the cut page holds no article-like block, then every \
  paragraph. The rules are structural and lexical (tags, roles, class/id words, link \
  density, the wording of short lines); none names a site or a page, and the folds above \
  show the spread (one fold holds three of the five worst pages).\n\
- **The five worst pages**: the autoracing.com.br calendar keeps a Portuguese comment-policy \
  notice and misses part of the calendar the ground truth counts; the nj.com story loses its \
  embedded tweets, which the ground truth counts as body (recall 0.70); the two \
  jeongdongtheater.com reviews keep the staff list and ticket prices below the review; the \
  Russian diet page keeps its \"add a review\" and \"most popular diets\" prompts — the line \
  rules know English labels and a few German, French and Spanish ones.\n\
- **Datelines cost a little recall**: the ground truth keeps \"WASHINGTON (AP) —\" in the body; \
  ingest moves it to `dateline`, as the content format wants.\n\
- **Wire dumps: table stories reach 95%, not 98%.** The stories still not whole are mostly the corpus's own slips (a dateline \
  after `****`, `FEb 26`, `Va. Feb 26` without its comma, a stray letter before the \
  dateline: the story's body is then not seen to start), long market reports made of several \
  tables under capitalised section lines (rainfall by town, barge quotes), and prose lines \
  that read as headlines inside a story (a short question, numbered points `2) …`). Table \
  rules are about the shape of lines only (comparison rows, column gaps, dotted leaders, a \
  figure and its earlier value in brackets, short figure lines next to rows); no story or \
  source is special-cased. Most articles beyond the story count are the items of the wire's \
  news-highlights digests: each item is a paragraph with a dateline of its own (`BEIRUT - …`), \
  which ingest reads as a story of its own, as the dump rules say.\n";

fn main() -> Result<()> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("../shared/corpus"));
    let started = Instant::now();
    let reuters = read_jsonl(&corpus.join("reuters-21578/articles.jsonl"))?;
    let bbc = read_jsonl(&corpus.join("bbc-news/articles.jsonl"))?;
    let bbc_dups = std::fs::read_to_string(corpus.join("bbc-news/duplicates.tsv"))?;

    let mut md = String::new();
    let t = Instant::now();
    let datelines = datelines(&reuters)?;
    let datelines_time = t.elapsed();
    let t = Instant::now();
    let topics = topics(&bbc, &bbc_dups)?;
    let topics_time = t.elapsed();
    let t = Instant::now();
    let dedupe = dedupe(&reuters)?;
    let dedupe_time = t.elapsed();
    let t = Instant::now();
    let dumps = dumps(&reuters)?;
    let dumps_time = t.elapsed();
    let t = Instant::now();
    let extraction = extraction(&corpus.join("article-extraction-benchmark"))?;
    let extraction_time = t.elapsed();
    let t = Instant::now();
    let wire = wire_dumps(&reuters)?;
    let wire_time = t.elapsed();

    writeln!(md, "| Measure | Corpus | Result | Target | Met |")?;
    writeln!(md, "|---|---|---|---|---|")?;
    let row =
        |md: &mut String, name: &str, corpus: &str, value: f64, shown: String, target: f64| {
            let _ = writeln!(
                md,
                "| {name} | {corpus} | {shown} | ≥ {} | {} |",
                if target <= 1.0 && !name.contains("F1") {
                    format!("{:.0}%", target * 100.0)
                } else {
                    format!("{target}")
                },
                if value >= target { "yes" } else { "**no**" }
            );
        };
    row(
        &mut md,
        "Dateline found and right, first paragraph unchanged",
        "Reuters-21578",
        datelines.share(),
        datelines.shown(),
        0.98,
    );
    row(
        &mut md,
        "Topic accuracy, learned (5-fold CV)",
        "BBC News",
        topics.learned.share(),
        topics.learned.shown(),
        0.97,
    );
    let _ = writeln!(
        md,
        "| Topic accuracy, keywords only | BBC News | {} | — | — |",
        topics.keywords.shown()
    );
    row(
        &mut md,
        "De-duplication F1 of `duplicate_of`",
        "Reuters-21578",
        dedupe.f1(),
        format!(
            "{:.3} (P {:.3}, R {:.3})",
            dedupe.f1(),
            dedupe.precision(),
            dedupe.recall()
        ),
        0.95,
    );
    row(
        &mut md,
        "Dump articles entirely right",
        "Reuters-21578",
        dumps.share(),
        dumps.shown(),
        1.0,
    );
    let full = extraction.full();
    row(
        &mut md,
        "Article extraction F1 (benchmark metric)",
        "Article-extraction benchmark, 91 pages",
        full.f1,
        format!(
            "{:.3} (P {:.3}, R {:.3})",
            full.f1, full.precision, full.recall
        ),
        0.975,
    );
    row(
        &mut md,
        "Article extraction precision",
        "Article-extraction benchmark, 91 pages",
        full.precision,
        format!("{:.3}", full.precision),
        0.96,
    );
    let _ = writeln!(
        md,
        "| Wire dumps (tables included): articles found | Reuters-21578 | {} | within 1% | {} |",
        wire.found_shown(),
        if wire.found_share() <= 0.01 {
            "yes"
        } else {
            "**no**"
        }
    );
    row(
        &mut md,
        "Wire dumps: stories whole under their own title",
        "Reuters-21578",
        wire.whole.share(),
        wire.whole.shown(),
        0.98,
    );
    row(
        &mut md,
        "Wire dumps: table stories whole under their own title",
        "Reuters-21578",
        wire.tables.share(),
        wire.tables.shown(),
        0.98,
    );
    let table = md.clone();
    writeln!(md)?;
    datelines.details(&mut md, datelines_time)?;
    topics.details(&mut md, topics_time)?;
    dedupe.details(&mut md, dedupe_time)?;
    dumps.details(&mut md, dumps_time)?;
    extraction.details(&mut md, extraction_time)?;
    wire.details(&mut md, wire_time)?;

    println!("{table}");
    println!("total {:.1} s", started.elapsed().as_secs_f64());
    let doc = format!(
        "# Ingest quality\n\n\
         Measured by `cargo run --release --example eval` (examples/eval.rs) on three real corpora read \
         from `../shared/corpus` at run time: *Reuters-21578, Distribution 1.0* and the BBC News \
         dataset (D. Greene and P. Cunningham, ICML 2006), both for research use only, and the \
         development half of the public article-extraction benchmark (91 news and blog pages, \
         MIT licence). No text or excerpt of any of them is kept in this repository. Every figure \
         goes through the real ingest path (`briefing::ingest`, dry runs in throw-away sites).\n\n\
         {table}\n{}\n{NOTES}\n_Whole run: {:.0} s._\n",
        &md[table.len() + 1..],
        started.elapsed().as_secs_f64()
    );
    let out = repo.join("docs/quality.md");
    std::fs::create_dir_all(out.parent().expect("docs/ has a parent"))?;
    // The related-coverage section is written by examples/related_eval.rs: keep it.
    let old = std::fs::read_to_string(&out).unwrap_or_default();
    let doc = match old.find("<!-- related-eval:start -->") {
        Some(at) => format!("{doc}\n{}", &old[at..]),
        None => doc,
    };
    std::fs::write(&out, doc)?;
    eprintln!("wrote {}", out.display());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

/// A throw-away site with the five BBC topics; `keywords` false leaves them without keywords.
fn site(keywords: bool) -> Result<tempfile::TempDir> {
    let mut toml = String::new();
    for (slug, kw) in KEYWORDS {
        let name = slug[..1].to_uppercase() + &slug[1..];
        writeln!(toml, "\n[[topics]]\nslug = \"{slug}\"\nname = \"{name}\"")?;
        if keywords {
            writeln!(toml, "keywords = {kw}")?;
        }
    }
    common::site(&toml)
}

/// Ingests one file into `site` as a dry run and returns what ingest decided.
fn ingest(site: &Path, file: &Path, format: InputFormat) -> Result<Vec<IngestedArticle>> {
    let config = Config::load(site, BuildOptions::default())?;
    let options = IngestOptions {
        sources: vec![file.to_path_buf()],
        format,
        date: chrono::NaiveDate::from_ymd_opt(1987, 3, 1),
        dry_run: true,
        ..IngestOptions::default()
    };
    Ok(briefing::ingest(&config, &options)?.articles)
}

/// Ingests JSON Lines records; returns, per record, what ingest made of it (None if skipped).
fn ingest_records(site: &Path, records: &[Value]) -> Result<Vec<Option<IngestedArticle>>> {
    let file = site.join("batch.jsonl");
    let text: Vec<String> = records.iter().map(Value::to_string).collect();
    std::fs::write(&file, text.join("\n") + "\n")?;
    let mut by_line: HashMap<usize, IngestedArticle> = HashMap::new();
    for a in ingest(site, &file, InputFormat::Jsonl)? {
        let line = a
            .origin
            .rsplit(':')
            .next()
            .and_then(|l| l.parse().ok())
            .ok_or("origin without a line")?;
        by_line.insert(line, a);
    }
    Ok((1..=records.len()).map(|l| by_line.remove(&l)).collect())
}

/// Runs of whitespace to one space.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Wire copy's paragraphs: a new one starts at an indented line or after a blank line.
fn wire_paragraphs(body: &str) -> Vec<String> {
    let mut out: Vec<Vec<&str>> = vec![Vec::new()];
    for line in body.lines() {
        let starts = line.starts_with(' ') || line.starts_with('\t') || line.trim().is_empty();
        if starts && !out.last().is_some_and(Vec::is_empty) {
            out.push(Vec::new());
        }
        if !line.trim().is_empty() {
            out.last_mut().expect("never empty").push(line);
        }
    }
    out.iter()
        .map(|p| squash(&p.join(" ")))
        .filter(|p| !p.is_empty())
        .collect()
}

/// The Markdown backslash ingest puts before a paragraph that would read as a block marker.
fn unescape(p: &str) -> &str {
    p.strip_prefix('\\').unwrap_or(p)
}

/// The place of a Reuters dateline: `SALVADOR, Feb 26 -` → `SALVADOR`.
fn place_of(dateline: &str) -> String {
    let d = dateline.trim().trim_end_matches(['-', ' ']);
    squash(d.split(',').next().unwrap_or(d))
}

#[derive(Default)]
struct Share {
    right: usize,
    total: usize,
}

impl Share {
    fn share(&self) -> f64 {
        self.right as f64 / self.total.max(1) as f64
    }
    fn shown(&self) -> String {
        format!(
            "{:.2}% ({} / {})",
            self.share() * 100.0,
            self.right,
            self.total
        )
    }
}

/// Failure examples quote the corpus, so they go to the terminal only, never into docs/.
fn examples_list(_md: &mut String, title: &str, items: &[String]) -> std::fmt::Result {
    if !items.is_empty() {
        eprintln!("{title}");
        for i in items {
            eprintln!("  - {i}");
        }
    }
    Ok(())
}

/// The first words of a text, for examples in the report without quoting the corpus at length.
fn gist(text: &str, words: usize) -> String {
    let w: Vec<&str> = text.split_whitespace().collect();
    let mut out = w[..w.len().min(words)].join(" ");
    if w.len() > words {
        out.push_str(" …");
    }
    out.replace('|', "\\|")
}

// ---------------------------------------------------------------------------------------------
// 1. Datelines

struct Datelines {
    score: Share,
    wrong_place: usize,
    no_place: usize,
    changed_text: usize,
    failures: Vec<String>,
}

impl Datelines {
    fn share(&self) -> f64 {
        self.score.share()
    }
    fn shown(&self) -> String {
        self.score.shown()
    }
    fn details(&self, md: &mut String, took: std::time::Duration) -> std::fmt::Result {
        writeln!(md, "## Datelines (Reuters-21578)\n")?;
        writeln!(
            md,
            "Every `NORM` story with a body and a dateline ({}): its dateline is put back in front \
             of the body as on the wire (`SALVADOR, Feb 26 - Showers continued…`), the record is \
             ingested as JSON Lines without a separate `dateline` field, and it counts as right \
             when ingest's dateline is the place (compared without regard to case) **and** the \
             first paragraph is the original one, whitespace aside. {:.1} s.\n",
            self.score.total,
            took.as_secs_f64()
        )?;
        writeln!(
            md,
            "Right: {}. No dateline found: {}; wrong place: {}; place right but first paragraph changed: {}.\n",
            self.score.shown(),
            self.no_place,
            self.wrong_place,
            self.changed_text
        )?;
        examples_list(md, "Some failures (expected → found):", &self.failures)
    }
}

fn datelines(reuters: &[Value]) -> Result<Datelines> {
    let stories: Vec<&Value> = reuters
        .iter()
        .filter(|r| {
            s(r, "text_type") == "NORM"
                && !s(r, "dateline").is_empty()
                && !wire_paragraphs(s(r, "body")).is_empty()
        })
        .collect();
    let mut out = Datelines {
        score: Share {
            right: 0,
            total: stories.len(),
        },
        wrong_place: 0,
        no_place: 0,
        changed_text: 0,
        failures: Vec::new(),
    };
    // Batches keep the batch-wide duplicate search small; the place and text do not depend on it.
    for chunk in stories.chunks(1000) {
        let site = site(false)?;
        let records: Vec<Value> = chunk
            .iter()
            .map(|r| {
                json!({
                    "title": s(r, "title"),
                    "body": format!("{} {}", s(r, "dateline"), s(r, "body")),
                })
            })
            .collect();
        let got = ingest_records(site.path(), &records)?;
        for (r, a) in chunk.iter().zip(got) {
            let want_place = place_of(s(r, "dateline"));
            let want_first = wire_paragraphs(s(r, "body")).remove(0);
            let (place, first) = match &a {
                Some(a) => (
                    a.dateline.clone(),
                    a.body.split("\n\n").next().unwrap_or("").to_string(),
                ),
                None => (None, String::new()),
            };
            let place_ok = place
                .as_deref()
                .is_some_and(|p| p.eq_ignore_ascii_case(&want_place));
            let text_ok = unescape(&first) == want_first;
            match (&place, place_ok, text_ok) {
                (_, true, true) => out.score.right += 1,
                (None, ..) => out.no_place += 1,
                (Some(_), false, _) => out.wrong_place += 1,
                (Some(_), true, false) => out.changed_text += 1,
            }
            if !(place_ok && text_ok) && out.failures.len() < 12 {
                out.failures.push(format!(
                    "`{}` + “{}” → {:?} + “{}”",
                    s(r, "dateline"),
                    gist(&want_first, 6),
                    place.unwrap_or_default(),
                    gist(unescape(&first), 6)
                ));
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// 2. Topics

struct Topics {
    learned: Share,
    keywords: Share,
    learned_only: Share,
    /// The learned classifier on the held-out articles not reported as duplicates.
    fresh: Share,
    /// [truth][predicted], predicted includes `other` as the last column.
    confusion: [[usize; 6]; 5],
    duplicates: usize,
    articles: usize,
}

impl Topics {
    fn details(&self, md: &mut String, took: std::time::Duration) -> std::fmt::Result {
        writeln!(md, "## Topics (BBC News)\n")?;
        writeln!(
            md,
            "{} articles after dropping the exact duplicates listed in `duplicates.tsv`. Five \
             folds, stratified by topic (every fifth article of each topic in id order). For each \
             fold, the other four are written to a site's content/ as articles with their topic, \
             and the fold is ingested (JSON Lines, dry run) into that site: the topic ingest \
             reports is compared with the label. The site's `briefing.toml` has the five topics \
             with the keywords listed in examples/eval.rs. {} held-out articles were reported as \
             near-duplicates of a training article (their reported topic is then the existing \
             article's). {:.1} s.\n",
            self.articles,
            self.duplicates,
            took.as_secs_f64()
        )?;
        writeln!(md, "| Classifier | Accuracy |\n|---|---|")?;
        writeln!(
            md,
            "| Learned from content/ + keywords (what ingest does) | {} |",
            self.learned.shown()
        )?;
        writeln!(
            md,
            "| The same, held-out articles not reported as duplicates only | {} |",
            self.fresh.shown()
        )?;
        writeln!(
            md,
            "| Learned from content/, topics without keywords | {} |",
            self.learned_only.shown()
        )?;
        writeln!(
            md,
            "| Keywords only (empty content/) | {} |\n",
            self.keywords.shown()
        )?;
        writeln!(
            md,
            "Confusion matrix of the learned classifier (rows: label, columns: ingest's topic):\n"
        )?;
        writeln!(
            md,
            "| | {} | other |\n|---|---|---|---|---|---|---|",
            TOPICS.join(" | ")
        )?;
        for (i, t) in TOPICS.iter().enumerate() {
            let cells: Vec<String> = self.confusion[i].iter().map(|n| n.to_string()).collect();
            writeln!(md, "| **{t}** | {} |", cells.join(" | "))?;
        }
        writeln!(md)
    }
}

fn topics(bbc: &[Value], duplicates: &str) -> Result<Topics> {
    let dropped: HashSet<&str> = duplicates
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once('\t'))
        .flat_map(|(_, d)| d.split([',', ' ', '\t']).filter(|x| !x.is_empty()))
        .collect();
    let mut articles: Vec<&Value> = bbc
        .iter()
        .filter(|r| !dropped.contains(s(r, "id")))
        .collect();
    articles.sort_by(|a, b| s(a, "id").cmp(s(b, "id")));
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let fold: Vec<usize> = articles
        .iter()
        .map(|r| {
            let n = seen.entry(s(r, "category")).or_default();
            *n += 1;
            (*n - 1) % 5
        })
        .collect();
    let record = |r: &Value| json!({"title": s(r, "title"), "body": s(r, "body")});
    let topic_index = |t: &str| TOPICS.iter().position(|x| *x == t).unwrap_or(5);
    let mut out = Topics {
        learned: Share { right: 0, total: 0 },
        keywords: Share { right: 0, total: 0 },
        learned_only: Share { right: 0, total: 0 },
        fresh: Share { right: 0, total: 0 },
        confusion: [[0; 6]; 5],
        duplicates: 0,
        articles: articles.len(),
    };
    for (keywords, share) in [(true, &mut out.learned), (false, &mut out.learned_only)] {
        for k in 0..5 {
            let site = site(keywords)?;
            let day = site.path().join("content/2005-01-01");
            std::fs::create_dir_all(&day)?;
            let mut test = Vec::new();
            for (r, f) in articles.iter().zip(&fold) {
                if *f == k {
                    test.push(*r);
                } else {
                    let text = format!(
                        "---\ntitle: {}\ndate: 2005-01-01\ntopic: {}\n---\n{}\n",
                        json!(s(r, "title")),
                        s(r, "category"),
                        s(r, "body")
                    );
                    std::fs::write(day.join(format!("{}.md", s(r, "id"))), text)?;
                }
            }
            let records: Vec<Value> = test.iter().map(|r| record(r)).collect();
            let got = ingest_records(site.path(), &records)?;
            for (r, a) in test.iter().zip(got) {
                let predicted = a.as_ref().map_or("other", |a| a.topic.as_str());
                share.total += 1;
                if predicted == s(r, "category") {
                    share.right += 1;
                }
                if keywords {
                    out.confusion[topic_index(s(r, "category"))][topic_index(predicted)] += 1;
                    if a.as_ref().is_some_and(|a| a.status == Status::Duplicate) {
                        out.duplicates += 1;
                    } else {
                        out.fresh.total += 1;
                        if predicted == s(r, "category") {
                            out.fresh.right += 1;
                        }
                    }
                }
            }
        }
    }
    let site = site(true)?;
    let records: Vec<Value> = articles.iter().map(|r| record(r)).collect();
    for (r, a) in articles.iter().zip(ingest_records(site.path(), &records)?) {
        out.keywords.total += 1;
        if a.is_some_and(|a| a.topic == s(r, "category")) {
            out.keywords.right += 1;
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// 3. De-duplication

#[derive(Default)]
struct Dedupe {
    tp: usize,
    fp: usize,
    fn_: usize,
    articles: usize,
    exact: usize,
    near: BTreeMap<&'static str, (usize, usize)>,
    distinct: usize,
    false_pairs: Vec<String>,
    missed: Vec<String>,
}

impl Dedupe {
    fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn details(&self, md: &mut String, took: std::time::Duration) -> std::fmt::Result {
        writeln!(md, "## De-duplication (Reuters-21578)\n")?;
        writeln!(
            md,
            "One batch of {} articles ingested together (JSON Lines, dry run, shuffled with a fixed \
             seed): the {} stories whose body is an exact copy of an earlier story's body, with \
             those earlier stories; near-duplicates made here from other stories, each with \
             another source name and one edit (below), with their originals; and {} distinct \
             stories picked from the same Reuters topics. An article should get `duplicate_of` \
             exactly when an earlier article of the batch tells the same story, and then point \
             at one of them. {:.1} s.\n",
            self.articles,
            self.exact,
            self.distinct,
            took.as_secs_f64()
        )?;
        writeln!(
            md,
            "True positives {}, false positives {}, false negatives {}: precision {:.3}, recall \
             {:.3}, F1 **{:.3}**.\n",
            self.tp,
            self.fp,
            self.fn_,
            self.precision(),
            self.recall(),
            self.f1()
        )?;
        writeln!(md, "| Near-duplicate made by | found / made |\n|---|---|")?;
        for (k, (found, made)) in &self.near {
            writeln!(md, "| {k} | {found} / {made} |")?;
        }
        writeln!(md)?;
        examples_list(md, "Some false positives:", &self.false_pairs)?;
        examples_list(md, "Some misses:", &self.missed)
    }
}

const EDITS: [&str; 4] = [
    "dropping a paragraph",
    "moving a paragraph",
    "editing title words",
    "another source only",
];

/// Replaces up to three title words with others, as another desk would retitle a story.
fn retitle(title: &str, rng: &mut Rng) -> String {
    const SWAPS: [(&str, &str); 12] = [
        ("SAYS", "REPORTS"),
        ("SEES", "EXPECTS"),
        ("RAISES", "LIFTS"),
        ("CUTS", "LOWERS"),
        ("U.S.", "US"),
        ("TO", "WILL"),
        ("IN", "AT"),
        ("FOR", "ON"),
        ("RISE", "GAIN"),
        ("RISES", "CLIMBS"),
        ("FALLS", "DROPS"),
        ("BUY", "ACQUIRE"),
    ];
    let mut words: Vec<String> = title.split_whitespace().map(str::to_string).collect();
    let mut changed = 0;
    for w in words.iter_mut() {
        if let Some((_, to)) = SWAPS.iter().find(|(from, _)| w == from) {
            *w = to.to_string();
            changed += 1;
        }
        if changed == 3 {
            break;
        }
    }
    if changed == 0 && !words.is_empty() {
        let i = rng.below(words.len());
        words.insert(i, "UPDATE -".into());
    }
    words.push("- SOURCES".into());
    words.join(" ")
}

fn dedupe(reuters: &[Value]) -> Result<Dedupe> {
    let mut rng = Rng(9);
    let usable: Vec<&Value> = reuters
        .iter()
        .filter(|r| !s(r, "body").trim().is_empty() && !s(r, "title").is_empty())
        .collect();
    let mut by_body: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in usable.iter().enumerate() {
        by_body.entry(s(r, "body")).or_default().push(i);
    }
    // (record, story key, how it was made)
    let mut batch: Vec<(Value, usize, &'static str)> = Vec::new();
    let mut used: HashSet<usize> = HashSet::new();
    let mut out = Dedupe::default();
    // Exact copies: the first story of each group of equal bodies and its copies.
    let mut groups: Vec<&Vec<usize>> = by_body.values().filter(|g| g.len() > 1).collect();
    groups.sort();
    for g in groups {
        for (k, &i) in g.iter().enumerate() {
            used.insert(i);
            let r = usable[i];
            batch.push((
                json!({"title": s(r, "title"), "body": s(r, "body"), "source": "Reuters"}),
                g[0],
                "exact copy",
            ));
            if k > 0 {
                out.exact += 1;
            }
        }
    }
    // Near-duplicates: stories of at least three paragraphs and 80 words, as a rewrite needs.
    let mut candidates: Vec<usize> = (0..usable.len())
        .filter(|i| !used.contains(i))
        .filter(|&i| {
            let b = s(usable[i], "body");
            wire_paragraphs(b).len() >= 3 && b.split_whitespace().count() >= 80
        })
        .collect();
    rng.shuffle(&mut candidates);
    let near: Vec<usize> = candidates.iter().copied().take(800).collect();
    for (k, &i) in near.iter().enumerate() {
        used.insert(i);
        let r = usable[i];
        let mut paras = wire_paragraphs(s(r, "body"));
        let mut title = s(r, "title").to_string();
        let edit = EDITS[k % EDITS.len()];
        match edit {
            "dropping a paragraph" => {
                paras.remove(1 + rng.below(paras.len() - 1));
            }
            "moving a paragraph" => {
                let from = 1 + rng.below(paras.len() - 1);
                let p = paras.remove(from);
                paras.push(p);
                if from == paras.len() - 1 {
                    paras.swap(1, from);
                }
            }
            "editing title words" => title = retitle(&title, &mut rng),
            _ => {}
        }
        batch.push((
            json!({"title": s(r, "title"), "body": s(r, "body"), "source": "Reuters"}),
            i,
            edit,
        ));
        batch.push((
            json!({"title": title, "body": paras.join("\n\n"), "source": "Wire Two"}),
            i,
            edit,
        ));
    }
    // Distinct stories on the same topics as the near-duplicated ones, as many as duplicates.
    let topics: HashSet<&str> = near
        .iter()
        .flat_map(|&i| usable[i]["topics"].as_array().into_iter().flatten())
        .filter_map(Value::as_str)
        .collect();
    let positives = out.exact + near.len();
    let mut seen_titles: HashSet<&str> = used.iter().map(|&i| s(usable[i], "title")).collect();
    for &i in &candidates[near.len()..] {
        if out.distinct >= positives {
            break;
        }
        let r = usable[i];
        let on_topic = r["topics"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .any(|t| topics.contains(t));
        // The wire re-sends stories with corrections; a repeated title is the same story.
        if on_topic && seen_titles.insert(s(r, "title")) {
            batch.push((
                json!({"title": s(r, "title"), "body": s(r, "body"), "source": "Reuters"}),
                i,
                "distinct",
            ));
            out.distinct += 1;
        }
    }
    rng.shuffle(&mut batch);
    out.articles = batch.len();
    let site = site(false)?;
    let records: Vec<Value> = batch.iter().map(|b| b.0.clone()).collect();
    let got = ingest_records(site.path(), &records)?;
    let mut key_of_path: HashMap<String, usize> = HashMap::new();
    let mut seen_keys: HashSet<usize> = HashSet::new();
    for ((record, key, how), a) in batch.iter().zip(got) {
        let a = a.ok_or("an article was skipped")?;
        let truth = seen_keys.contains(key);
        let predicted = a.duplicate_of.as_ref().map(|p| key_of_path.get(p).copied());
        if truth {
            let e = out.near.entry(how).or_default();
            e.1 += 1;
            if predicted == Some(Some(*key)) {
                e.0 += 1;
            }
        }
        match (truth, predicted) {
            (true, Some(Some(k))) if k == *key => out.tp += 1,
            (true, Some(_)) => {
                out.fp += 1;
                out.fn_ += 1;
            }
            (true, None) => {
                out.fn_ += 1;
                if out.missed.len() < 8 {
                    out.missed
                        .push(format!("{how}: “{}”", gist(s(record, "title"), 10)));
                }
            }
            (false, Some(_)) => {
                out.fp += 1;
                if out.false_pairs.len() < 8 {
                    out.false_pairs.push(format!(
                        "“{}” ({how}) taken for {}",
                        gist(s(record, "title"), 10),
                        a.duplicate_of.as_deref().unwrap_or("")
                    ));
                }
            }
            (false, None) => {}
        }
        seen_keys.insert(*key);
        if a.status == Status::Written {
            key_of_path.insert(a.path.clone(), *key);
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// 4. Multi-article dumps

const BOILERPLATE: [&str; 6] = [
    "Advertisement",
    "Share this article",
    "Follow us on X",
    "Read more: markets live",
    "Subscribe to our newsletter",
    "Updated 3 hours ago",
];

struct Dumps {
    score: Share,
    dumps: usize,
    stories: usize,
    prose: usize,
    wrong_count: usize,
    wrong: BTreeMap<&'static str, usize>,
    failures: Vec<String>,
}

impl Dumps {
    fn share(&self) -> f64 {
        self.score.share()
    }
    fn shown(&self) -> String {
        self.score.shown()
    }
    fn details(&self, md: &mut String, took: std::time::Duration) -> std::fmt::Result {
        writeln!(md, "## Multi-article dumps (Reuters-21578)\n")?;
        writeln!(
            md,
            "{} dumps of eight stories each, one paragraph per line, no separators, made from {} \
             Reuters stories of two or more paragraphs that read as prose, under a headline \
             that starts with a letter or digit (of {} stories with a dateline and two or more \
             paragraphs: wire tables, list items, one-line briefs and bodies holding a second \
             dated story cannot be laid out as a \
             page scrape; every third qualifying story is used). Layouts in turn: [body, headline, headline again, bullets], [headline, \
             body], [headline, bullets, body]; headlines title-cased; bullets are two body \
             sentences without their final period. The dateline opens the first paragraph in \
             one of four styles in turn (`PLACE, Mon DD - `, `PLACE: `, `PLACE (Reuters) - `, \
             `PLACE — `), and a boilerplate line follows every third story. An article is right \
             when its title, dateline place, paragraphs, summary (the bullets, or an extracted \
             one when there were none) and body are all as made. {:.1} s.\n",
            self.dumps,
            self.score.total,
            self.stories,
            took.as_secs_f64()
        )?;
        writeln!(
            md,
            "Right: {}. Dumps cut into the wrong number of articles: {}. Wrong fields: {}.\n",
            self.score.shown(),
            self.wrong_count,
            if self.wrong.is_empty() {
                "none".to_string()
            } else {
                self.wrong
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        )?;
        let _ = self.prose;
        examples_list(md, "Some failures:", &self.failures)
    }
}

/// `BAHIA COCOA REVIEW` → `Bahia Cocoa Review`; abbreviations with periods stay. Wire tickers
/// (`<IBM>`) are not part of a headline as a page shows it: a leading one loses its brackets
/// (`<COFAB INC> BUYS …` → `Cofab Inc Buys …`), the others go.
fn headline(title: &str) -> String {
    let mut text = title.trim().to_string();
    if text.starts_with('<')
        && let Some(end) = text.find('>')
    {
        text = format!("{}{}", &text[1..end], &text[end + 1..]);
    }
    while let (Some(a), Some(b)) = (text.find('<'), text.find('>')) {
        if b < a {
            break;
        }
        text.replace_range(a..=b, "");
    }
    text.trim_end_matches('.')
        .split_whitespace()
        .map(|w| {
            if w.contains('.') || w.len() <= 1 {
                w.to_string()
            } else {
                let mut c = w.chars();
                let first = c.next().expect("non-empty");
                first
                    .to_uppercase()
                    .chain(c.flat_map(char::to_lowercase))
                    .collect()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sentences of a paragraph, cut where a period follows a lower-case word and a capital starts
/// the next one (good enough to make bullets; ingest's own splitter is not used).
fn rough_sentences(p: &str) -> Vec<String> {
    let words: Vec<&str> = p.split_whitespace().collect();
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        cur.push(w);
        let ends = w.ends_with('.')
            && w.chars().rev().nth(1).is_some_and(char::is_lowercase)
            && w.len() > 3
            && words
                .get(i + 1)
                .and_then(|n| n.chars().next())
                .is_some_and(char::is_uppercase);
        if ends {
            out.push(cur.join(" "));
            cur.clear();
        }
    }
    if !cur.is_empty() {
        out.push(cur.join(" "));
    }
    out
}

/// A paragraph a news page would show as such: a sentence or more, not a list item.
fn reads_as_prose(p: &str) -> bool {
    let last = p.trim_end_matches(['"', ')', '\'']);
    p.split_whitespace().count() >= 6
        && last.ends_with(['.', '!', '?'])
        && !p.starts_with(['-', '*', '•'])
}

struct Made {
    title: String,
    place: String,
    paragraphs: Vec<String>,
    bullets: Vec<String>,
}

fn dumps(reuters: &[Value]) -> Result<Dumps> {
    let stories: Vec<(&Value, Vec<String>)> = reuters
        .iter()
        .filter(|r| {
            s(r, "text_type") == "NORM" && !s(r, "dateline").is_empty() && !s(r, "title").is_empty()
        })
        .map(|r| (r, wire_paragraphs(s(r, "body"))))
        .filter(|(_, p)| p.len() >= 2)
        .collect();
    let total = stories.len();
    let prose: Vec<&(&Value, Vec<String>)> = stories
        .iter()
        .filter(|(r, p)| {
            p.iter().all(|x| reads_as_prose(x))
                // A body that holds a second wire story under its own dateline is two articles.
                && !p[1..].iter().any(|x| x.starts_with(place_of(s(r, "dateline")).as_str())) && s(r, "title").starts_with(char::is_alphanumeric)
        })
        .collect();
    let mut out = Dumps {
        score: Share { right: 0, total: 0 },
        dumps: 0,
        stories: total,
        prose: prose.len(),
        wrong_count: 0,
        wrong: BTreeMap::new(),
        failures: Vec::new(),
    };
    // Every third prose story, up to 3,000: enough variety, a few seconds of ingest.
    let chosen: Vec<_> = prose.iter().step_by(3).take(3000).collect();
    let site = site(true)?;
    for (d, group) in chosen.chunks(8).enumerate() {
        let mut lines: Vec<String> = Vec::new();
        let mut made: Vec<Made> = Vec::new();
        for (k, (r, paras)) in group.iter().enumerate() {
            let n = d * 8 + k;
            let place = place_of(s(r, "dateline"));
            // The corpus's own dateline, or the place in capitals as the other styles write it.
            let caps = place.to_uppercase();
            let dateline = match n % 4 {
                0 => format!("{} ", squash(s(r, "dateline"))),
                1 => format!("{caps}: "),
                2 => format!("{caps} (Reuters) - "),
                _ => format!("{caps} — "),
            };
            let mut body = paras.clone();
            body[0] = format!("{dateline}{}", body[0]);
            let title = headline(s(r, "title"));
            let bullets: Vec<String> = paras[1..]
                .iter()
                .flat_map(|p| rough_sentences(p))
                .filter(|x| x.split_whitespace().count() >= 6)
                .take(2)
                .map(|x| x.trim_end_matches('.').to_string())
                .collect();
            let bullet_lines = bullets.iter().map(|b| format!("- {b}"));
            let given = match n % 3 {
                0 => {
                    lines.extend(body);
                    lines.push(title.clone());
                    lines.push(title.clone());
                    lines.extend(bullet_lines);
                    bullets
                }
                1 => {
                    lines.push(title.clone());
                    lines.extend(body);
                    Vec::new()
                }
                _ => {
                    lines.push(title.clone());
                    lines.extend(bullet_lines);
                    lines.extend(body);
                    bullets
                }
            };
            if n % 3 == 2 {
                lines.push(BOILERPLATE[n % BOILERPLATE.len()].to_string());
            }
            made.push(Made {
                title,
                place,
                paragraphs: paras.clone(),
                bullets: given,
            });
        }
        let file = site.path().join(format!("dump-{d}.txt"));
        std::fs::write(&file, lines.join("\n") + "\n")?;
        let got = ingest(site.path(), &file, InputFormat::Text)?;
        let before = out.score.right;
        out.dumps += 1;
        out.score.total += made.len();
        if got.len() != made.len() {
            out.wrong_count += 1;
            if out.failures.len() < 12 {
                out.failures.push(format!(
                    "dump {d}: {} articles instead of {}: {}",
                    got.len(),
                    made.len(),
                    got.iter()
                        .map(|a| format!("“{}”", gist(&a.title, 8)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            keep_failure(&file);
            continue;
        }
        for (m, a) in made.iter().zip(&got) {
            let paragraphs: Vec<&str> = a.body.split("\n\n").map(unescape).collect();
            let checks: [(&'static str, bool); 5] = [
                ("title", a.title == m.title),
                (
                    "dateline",
                    a.dateline
                        .as_deref()
                        .is_some_and(|p| p.eq_ignore_ascii_case(&m.place)),
                ),
                (
                    "paragraphs",
                    a.paragraphs == m.paragraphs.len() && paragraphs == m.paragraphs,
                ),
                (
                    "bullets",
                    if m.bullets.is_empty() {
                        a.summary_source == briefing::frontmatter::SummarySource::Extracted
                    } else {
                        a.summary == m.bullets
                    },
                ),
                (
                    "body",
                    a.body
                        .split("\n\n")
                        .map(unescape)
                        .eq(m.paragraphs.iter().map(String::as_str)),
                ),
            ];
            let bad: Vec<&str> = checks.iter().filter(|c| !c.1).map(|c| c.0).collect();
            if bad.is_empty() {
                out.score.right += 1;
            } else {
                for b in &bad {
                    *out.wrong.entry(b).or_default() += 1;
                }
                if out.failures.len() < 12 {
                    out.failures.push(format!(
                        "dump {d}, “{}”: wrong {} (got “{}”, {:?})",
                        gist(&m.title, 8),
                        bad.join(", "),
                        gist(&a.title, 8),
                        a.dateline.as_deref().unwrap_or("")
                    ));
                }
            }
        }
        if out.score.right - before < made.len() {
            keep_failure(&file);
        }
    }
    Ok(out)
}

/// With `EVAL_KEEP=DIR`, a dump with a wrong article is copied there to look at.
fn keep_failure(file: &Path) {
    if let Some(dir) = std::env::var_os("EVAL_KEEP") {
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::copy(
            file,
            Path::new(&dir).join(file.file_name().unwrap_or_default()),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Article extraction (HTML pages)

/// Published F1 on the benchmark's 91-page development half (the benchmark's own prediction
/// files, scored with the same metric), for comparison.
const PUBLISHED: [(&str, f64); 6] = [
    ("rs_trafilatura", 0.974),
    ("AutoExtract", 0.973),
    ("go-trafilatura", 0.966),
    ("trafilatura", 0.964),
    ("Readability.js", 0.948),
    ("dom_smoothie", 0.857),
];

/// Precision, recall and F1 as the benchmark computes them: averages over pages, F1 of the
/// averages.
#[derive(Clone, Copy)]
struct Prf {
    precision: f64,
    recall: f64,
    f1: f64,
}

/// One page's shingle counts, normalized: (true positives, false positives, misses).
type Counts = (f64, f64, f64);

struct Extraction {
    /// Page ids (sorted) and their URLs.
    pages: Vec<(String, String)>,
    /// Per stage: its name and each page's counts (same order as `pages`).
    stages: Vec<(&'static str, Vec<Counts>)>,
    /// How ingest found each body, counted.
    extractors: BTreeMap<String, usize>,
    failed: usize,
}

fn word_shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    static WORD: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\w+").expect("valid regex"));
    let t: Vec<&str> = WORD.find_iter(text).map(|m| m.as_str()).collect();
    let mut out = HashMap::new();
    for i in 0..t.len().saturating_sub(3).max(1) {
        let s = t[i..(i + 4).min(t.len())].to_vec();
        if !s.is_empty() {
            *out.entry(s).or_insert(0) += 1;
        }
    }
    out
}

fn page_counts(truth: &str, predicted: &str) -> Counts {
    let (a, b) = (word_shingles(truth), word_shingles(predicted));
    let tp: usize = a
        .iter()
        .filter_map(|(k, n)| b.get(k).map(|m| (*n).min(*m)))
        .sum();
    let fp = b.values().sum::<usize>() - tp;
    let fn_ = a.values().sum::<usize>() - tp;
    let s = (tp + fp + fn_) as f64;
    if s == 0.0 {
        return (0.0, 0.0, 0.0);
    }
    (tp as f64 / s, fp as f64 / s, fn_ as f64 / s)
}

fn page_precision((tp, fp, fn_): Counts) -> f64 {
    if fp == 0.0 && fn_ == 0.0 {
        1.0
    } else if tp == 0.0 && fp == 0.0 {
        0.0
    } else {
        tp / (tp + fp)
    }
}

fn page_recall((tp, fp, fn_): Counts) -> f64 {
    if fp == 0.0 && fn_ == 0.0 {
        1.0
    } else if tp == 0.0 && fn_ == 0.0 {
        0.0
    } else {
        tp / (tp + fn_)
    }
}

fn prf(rows: &[Counts]) -> Prf {
    let p: Vec<f64> = rows
        .iter()
        .filter(|c| c.0 + c.1 > 0.0)
        .map(|c| page_precision(*c))
        .collect();
    let r: Vec<f64> = rows
        .iter()
        .filter(|c| c.0 + c.2 > 0.0)
        .map(|c| page_recall(*c))
        .collect();
    let precision = p.iter().sum::<f64>() / p.len().max(1) as f64;
    let recall = r.iter().sum::<f64>() / r.len().max(1) as f64;
    Prf {
        precision,
        recall,
        f1: 2.0 * precision * recall / (precision + recall).max(f64::MIN_POSITIVE),
    }
}

/// The benchmark's conversion of a Markdown body to plain text (as its `score.py` does).
fn markdown_to_text(md: &str) -> String {
    use regex::Regex;
    use std::sync::LazyLock;
    static IMAGE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"!\[([^\]]*)\]\([^)]*\)").expect("valid regex"));
    static LINK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").expect("valid regex"));
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]+>").expect("valid regex"));
    static BLOCK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)").expect("valid regex")
    });
    static INLINE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(\*\*|__|\*|`)").expect("valid regex"));
    let t = IMAGE.replace_all(md, "$1");
    let t = LINK.replace_all(&t, "$1");
    let t = TAG.replace_all(&t, " ");
    let t = BLOCK.replace_all(&t, "");
    INLINE.replace_all(&t, "").into_owned()
}

fn gunzip(path: &Path) -> Result<String> {
    let out = std::process::Command::new("gzip")
        .arg("-dc")
        .arg(path)
        .output()
        .map_err(|e| {
            format!(
                "gzip -dc {}: {e} (gzip is needed to read the pages)",
                path.display()
            )
        })?;
    if !out.status.success() {
        return Err(format!("gzip -dc {} failed", path.display()).into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn extraction(dir: &Path) -> Result<Extraction> {
    let truth: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("ground-truth.json"))
            .map_err(|e| format!("{}: {e}", dir.join("ground-truth.json").display()))?,
    )?;
    let truth = truth
        .as_object()
        .ok_or("ground-truth.json is not an object")?;
    let mut ids: Vec<&String> = truth.keys().collect();
    ids.sort();
    let site = site(true)?;
    let stages_of = [
        (
            "dom_smoothie alone (Readability on the page)",
            ExtractionStage::Readability,
        ),
        (
            "chrome cut + Readability, no line cleaning",
            ExtractionStage::ChromeCut,
        ),
    ];
    let mut stages: Vec<(&'static str, Vec<Counts>)> =
        vec![("briefing ingest (what it keeps as the body)", Vec::new())];
    stages.extend(stages_of.iter().map(|(n, _)| (*n, Vec::new())));
    let mut extractors = BTreeMap::new();
    let mut failed = 0;
    let mut pages = Vec::new();
    for id in ids {
        let expected = s(&truth[id.as_str()], "articleBody");
        pages.push((id.clone(), s(&truth[id.as_str()], "url").to_string()));
        let html = gunzip(&dir.join("html").join(format!("{id}.html.gz")))?;
        let file = site.path().join("page.html");
        std::fs::write(&file, &html)?;
        let body = match ingest(site.path(), &file, InputFormat::Html) {
            Ok(articles) => {
                for a in &articles {
                    let e = a.extractor.clone().unwrap_or_else(|| "none".into());
                    *extractors.entry(e).or_insert(0) += 1;
                }
                articles
                    .iter()
                    .map(|a| a.body.as_str())
                    .collect::<Vec<_>>()
                    .join("\n\n")
            }
            Err(_) => {
                failed += 1;
                String::new()
            }
        };
        stages[0]
            .1
            .push(page_counts(expected, &markdown_to_text(&body)));
        for (i, (_, stage)) in stages_of.iter().enumerate() {
            let body = extract_stage(&html, *stage).unwrap_or_default();
            stages[i + 1]
                .1
                .push(page_counts(expected, &markdown_to_text(&body)));
        }
    }
    Ok(Extraction {
        pages,
        stages,
        extractors,
        failed,
    })
}

impl Extraction {
    fn full(&self) -> Prf {
        prf(&self.stages[0].1)
    }

    fn details(&self, md: &mut String, time: std::time::Duration) -> std::fmt::Result {
        writeln!(md, "## Article extraction (article-extraction benchmark)\n")?;
        writeln!(
            md,
            "The 91 pages of the benchmark's development half (news and blog articles saved \
             with JavaScript off), each ingested alone as HTML (dry run); the body ingest keeps \
             is turned into plain text as the benchmark's `score.py` does and scored with its \
             metric: word 4-gram shingles, precision and recall per page, averaged over pages, \
             F1 of the averages (`python3 ../shared/corpus/article-extraction-benchmark/score.py \
             --briefing target/release/briefing` gives the same figures). Pages that fail to \
             ingest score as empty: {}. {:.1} s.\n",
            self.failed,
            time.as_secs_f64()
        )?;
        writeln!(md, "| Extractor | F1 | Precision | Recall |")?;
        writeln!(md, "|---|---|---|---|")?;
        for (name, rows) in &self.stages {
            let m = prf(rows);
            writeln!(
                md,
                "| {name} | **{:.3}** | {:.3} | {:.3} |",
                m.f1, m.precision, m.recall
            )?;
        }
        for (name, f1) in PUBLISHED {
            writeln!(md, "| {name} (published) | {f1:.3} | | |")?;
        }
        let counts: Vec<String> = self
            .extractors
            .iter()
            .map(|(k, v)| format!("`{k}` {v}"))
            .collect();
        writeln!(
            md,
            "\nWhich way ingest found the body (the `extractor` field of `--json`): {}.\n",
            counts.join(", ")
        )?;
        // The rules have no parameter fitted to pages; five folds (every fifth page in id
        // order) show how much the figure moves between page sets.
        let folds: Vec<String> = (0..5)
            .map(|f| {
                let rows: Vec<Counts> = self.stages[0]
                    .1
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % 5 == f)
                    .map(|(_, c)| *c)
                    .collect();
                let m = prf(&rows);
                format!("{:.3} (P {:.3})", m.f1, m.precision)
            })
            .collect();
        writeln!(
            md,
            "F1 on five folds of the pages (every fifth page in id order): {}.\n",
            folds.join(", ")
        )?;
        writeln!(md, "The five worst pages (ingest's body):\n")?;
        writeln!(md, "| Page | Site | Precision | Recall |")?;
        writeln!(md, "|---|---|---|---|")?;
        let mut order: Vec<usize> = (0..self.pages.len()).collect();
        let rows = &self.stages[0].1;
        let sum = |i: usize| page_precision(rows[i]) + page_recall(rows[i]);
        order.sort_by(|a, b| sum(*a).total_cmp(&sum(*b)));
        for &i in order.iter().take(5) {
            let (id, url) = &self.pages[i];
            let host = url.split('/').nth(2).unwrap_or("");
            writeln!(
                md,
                "| `{}` | {host} | {:.3} | {:.3} |",
                &id[..16.min(id.len())],
                page_precision(rows[i]),
                page_recall(rows[i])
            )?;
        }
        writeln!(md)
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Wire dumps, tables included

/// Stories per dump: enough neighbours of every kind around each story.
const WIRE_DUMP: usize = 50;

#[derive(Default)]
struct Wire {
    stories: usize,
    found: usize,
    dumps: usize,
    whole: Share,
    tables: Share,
    untitled: usize,
    failures: Vec<String>,
}

impl Wire {
    fn found_share(&self) -> f64 {
        (self.found as f64 - self.stories as f64).abs() / self.stories.max(1) as f64
    }
    fn found_shown(&self) -> String {
        format!(
            "{} found for {} stories ({:+.2}%)",
            self.found,
            self.stories,
            (self.found as f64 - self.stories as f64) * 100.0 / self.stories.max(1) as f64
        )
    }
    fn details(&self, md: &mut String, took: std::time::Duration) -> std::fmt::Result {
        writeln!(md, "## Wire dumps, tables included (Reuters-21578)\n")?;
        writeln!(
            md,
            "Every story with a body, a dateline and a title ({}) — prose, earnings briefs, \
             dividend notices, price and registration tables alike — in {} dumps of {WIRE_DUMP} \
             stories, one wire paragraph per line (a paragraph starts at an indented line of the \
             wire copy; a one-line paragraph, such as a table row, keeps its own column spacing; \
             the wire's `Reuter` and `MORE` marker lines are left out). \
             The seed's layouts in turn: [body, headline, headline again, bullets], [headline, \
             body], [headline, bullets, body]; the story's own dateline opens its first line; \
             a boilerplate line after every third story; headlines title-cased as in section 4; \
             bullets are two body sentences. A story is **whole** when one article has its title \
             and exactly its words in order (words of the dateline line left in by the corpus's own \
             dateline slips aside): table markup (cells, the header row ingest adds, list \
             markers, escapes) and the word `vs` are set aside, since a comparison row `Shr 5 cts \
             vs 4 cts` becomes the cells `Shr | 5 cts | 4 cts`. *Table stories* are those with a \
             one-line paragraph of at most 12 words that does not end like a sentence. {:.1} s.\n",
            self.stories,
            self.dumps,
            took.as_secs_f64()
        )?;
        writeln!(md, "| Measure | Result |\n|---|---|")?;
        writeln!(md, "| Articles found | {} |", self.found_shown())?;
        writeln!(
            md,
            "| Stories whole under their own title | {} |",
            self.whole.shown()
        )?;
        writeln!(md, "| … of them table stories | {} |", self.tables.shown())?;
        writeln!(
            md,
            "| Articles under no story's title | {} |\n",
            self.untitled
        )?;
        examples_list(md, "Some stories not whole:", &self.failures)
    }
}

/// Wire paragraphs as a page scrape of wire copy shows them: joined lines, except a line that
/// stands alone (a table row), which keeps its spacing.
fn wire_lines(body: &str) -> Vec<String> {
    let mut out: Vec<Vec<&str>> = vec![Vec::new()];
    for line in body.lines() {
        let starts = line.starts_with(' ') || line.starts_with('\t') || line.trim().is_empty();
        if starts && !out.last().is_some_and(Vec::is_empty) {
            out.push(Vec::new());
        }
        if !line.trim().is_empty() {
            out.last_mut().expect("never empty").push(line);
        }
    }
    out.iter()
        .filter(|p| !p.is_empty())
        .map(|p| match p.as_slice() {
            [one] => one.trim().to_string(),
            many => squash(&many.join(" ")),
        })
        // `Reuter` and `MORE` are the wire's own markers, not the story's text.
        .filter(|p| {
            let lower = p.to_ascii_lowercase();
            !p.is_empty() && !lower.starts_with("reuter") && lower != "more"
        })
        .collect()
}

/// The words of a text for the wholeness check: Markdown table and list markup, escapes and
/// `vs` set aside.
fn body_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
            continue;
        }
        if t == "| Item | This period | Last period |" {
            continue;
        }
        let t = t.strip_prefix("- ").unwrap_or(t);
        for w in t.split_whitespace() {
            let w = w.replace(['\\', '|'], "").replace("**", "");
            if !w.is_empty() && !matches!(w.to_ascii_lowercase().as_str(), "vs" | "vs." | "versus")
            {
                out.push(w);
            }
        }
    }
    out
}

fn is_table_story(paragraphs: &[String]) -> bool {
    paragraphs.iter().any(|p| {
        let core = p.trim_end_matches(['"', ')', '\'']);
        p.split_whitespace().count() <= 12 && !core.ends_with(['.', '!', '?'])
    })
}

fn wire_dumps(reuters: &[Value]) -> Result<Wire> {
    let stories: Vec<(&Value, Vec<String>)> = reuters
        .iter()
        .filter(|r| {
            !s(r, "body").trim().is_empty()
                && !s(r, "dateline").is_empty()
                && !s(r, "title").is_empty()
        })
        .map(|r| (r, wire_lines(s(r, "body"))))
        .filter(|(_, p)| !p.is_empty())
        .collect();
    let mut out = Wire {
        stories: stories.len(),
        ..Wire::default()
    };
    let site = site(true)?;
    for (d, group) in stories.chunks(WIRE_DUMP).enumerate() {
        let mut lines: Vec<String> = Vec::new();
        let mut made: Vec<(String, Vec<String>, bool, String)> = Vec::new();
        for (k, (r, paras)) in group.iter().enumerate() {
            let n = d * WIRE_DUMP + k;
            let mut body = paras.clone();
            body[0] = format!("{} {}", squash(s(r, "dateline")), body[0]);
            let title = headline(s(r, "title"));
            let bullets = paras[1..]
                .iter()
                .flat_map(|p| rough_sentences(p))
                .filter(|x| x.split_whitespace().count() >= 6)
                .take(2)
                .map(|x| format!("- {}", x.trim_end_matches('.')));
            match n % 3 {
                0 => {
                    lines.extend(body);
                    lines.push(title.clone());
                    lines.push(title.clone());
                    lines.extend(bullets);
                }
                1 => {
                    lines.push(title.clone());
                    lines.extend(body);
                }
                _ => {
                    lines.push(title.clone());
                    lines.extend(bullets);
                    lines.extend(body);
                    lines.push(BOILERPLATE[n % BOILERPLATE.len()].to_string());
                }
            }
            made.push((
                title,
                paras.clone(),
                is_table_story(paras),
                squash(s(r, "dateline")),
            ));
        }
        let file = site.path().join(format!("wire-{d}.txt"));
        std::fs::write(&file, lines.join("\n") + "\n")?;
        let got = ingest(site.path(), &file, InputFormat::Text)?;
        out.dumps += 1;
        out.found += got.len();
        let mut by_title: HashMap<&str, Vec<&IngestedArticle>> = HashMap::new();
        for a in &got {
            by_title.entry(a.title.as_str()).or_default().push(a);
        }
        let mut all_whole = true;
        for (title, paras, table, dateline) in &made {
            // The dateline is not the body, but the corpus's own slips (`Feb 26-`, a dateline
            // field holding the body's first words) may leave some of it in: measured in
            // section 1, not held against a story here.
            let mut full: Vec<String> = dateline.split_whitespace().map(str::to_string).collect();
            let lead = full.len();
            full.extend(body_words(&paras.join("\n")));
            let whole = by_title.get(squash(title).as_str()).is_some_and(|v| {
                v.iter().any(|a| {
                    let got = body_words(&a.body);
                    got.len() <= full.len()
                        && full.len() - got.len() <= lead
                        && full[full.len() - got.len()..] == got[..]
                })
            });
            out.whole.total += 1;
            out.whole.right += usize::from(whole);
            if *table {
                out.tables.total += 1;
                out.tables.right += usize::from(whole);
            }
            if !whole {
                all_whole = false;
                if out.failures.len() < 20 {
                    out.failures
                        .push(format!("dump {d}: “{}”", gist(title, 10)));
                }
            }
        }
        out.untitled += got
            .iter()
            .filter(|a| !made.iter().any(|(t, ..)| squash(t) == a.title))
            .count();
        if !all_whole {
            keep_failure(&file);
        }
    }
    Ok(out)
}
