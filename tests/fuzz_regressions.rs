//! Every input in fuzz/corpus/<target>/ (the seed corpora) and fuzz/regressions/<target>/
//! (inputs that once crashed a fuzz target) runs through the same code as the fuzz targets,
//! so a fixed crash stays fixed under plain `cargo test`.

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.starts_with('.') {
                out.push((
                    format!("{dir}/{target}/{name}"),
                    std::fs::read(e.path()).unwrap(),
                ));
            }
        }
    }
    assert!(!out.is_empty(), "no inputs for {target}");
    out
}

fn config() -> briefing::Config {
    let toml = "title = \"Fuzz\"\nbase_url = \"https://example.org/\"\n[[topics]]\nslug = \"raw-materials\"\nname = \"Raw materials\"\nkeywords = [\"lithium\"]\n";
    briefing::Config::from_toml(
        Path::new("/fuzz"),
        Path::new("briefing.toml"),
        toml,
        Default::default(),
    )
    .unwrap()
}

#[test]
fn text_segmenter_inputs() {
    let c = config();
    for (name, bytes) in inputs("text_segmenter") {
        let r = briefing::ingest::fuzz_parse(&c, &bytes, briefing::ingest::InputFormat::Text);
        if name.starts_with("corpus/") {
            assert!(r.is_ok(), "{name}: {r:?}");
        }
    }
}

#[test]
fn table_detect_inputs() {
    let c = config();
    for (name, bytes) in inputs("table_detect") {
        let r = briefing::ingest::fuzz_dump_bodies(&c, &bytes);
        if name.starts_with("corpus/") {
            let bodies = r.unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(bodies.iter().all(|b| !b.trim().is_empty()), "{name}");
            // Every seed holds a table, and it comes out as Markdown rows or list items.
            assert!(
                bodies.iter().any(|b| b
                    .lines()
                    .any(|l| l.starts_with("| ") || l.starts_with("- "))),
                "{name}: {bodies:?}"
            );
        } else {
            let _ = r;
        }
    }
}

#[test]
fn jsonl_inputs() {
    let c = config();
    for (name, bytes) in inputs("jsonl") {
        let r = briefing::ingest::fuzz_parse(&c, &bytes, briefing::ingest::InputFormat::Jsonl);
        if name.starts_with("corpus/") {
            assert_eq!(r, Ok(1), "{name}");
        }
    }
}

#[test]
fn html_extract_inputs() {
    let c = config();
    for (name, bytes) in inputs("html_extract") {
        let r = briefing::ingest::fuzz_parse(&c, &bytes, briefing::ingest::InputFormat::Html);
        if name.starts_with("corpus/") {
            assert_eq!(r, Ok(1), "{name}");
        }
    }
}

#[test]
fn front_matter_inputs() {
    for (name, bytes) in inputs("front_matter") {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let result =
            briefing::frontmatter::split(text).map(|s| briefing::frontmatter::parse(&s).is_ok());
        if name.ends_with("yaml.md") || name.ends_with("toml.md") {
            assert_eq!(result, Ok(true), "{name}");
        }
    }
}

#[test]
fn feed_decode_inputs() {
    let c = config();
    for (name, bytes) in inputs("feed_decode") {
        let r = briefing::fetch::fuzz_decode_feed(&c, &bytes);
        if name.starts_with("corpus/feed_decode/ok-") {
            assert_eq!(r, Ok(1), "{name}");
        } else if name.starts_with("corpus/feed_decode/err-") {
            assert!(r.is_err(), "{name}: {r:?}");
        }
    }
}

#[test]
fn deploy_plan_inputs() {
    for (name, bytes) in inputs("deploy_plan") {
        let r = std::panic::catch_unwind(|| briefing::deploy::plan::fuzz_check(&bytes));
        assert!(r.is_ok(), "{name}: the plan broke a promise");
    }
}
