//! What the evaluation examples (`eval.rs`, `related_eval.rs`) share: reading the corpora in
//! `../shared/corpus`, a throw-away site, and a fixed-seed random generator.

use std::path::Path;

use serde_json::Value;

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The records of a JSON Lines corpus file, with a hint where the corpora live when missing.
pub fn read_jsonl(path: &Path) -> Result<Vec<Value>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{}: {e} (the corpus lives in ../shared/corpus)",
            path.display()
        )
    })?;
    text.lines().map(|l| Ok(serde_json::from_str(l)?)).collect()
}

/// A record's string field, or "".
pub fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or("")
}

/// A throw-away site: a `briefing.toml` with `topics` (its `[[topics]]` tables) and an empty
/// `content/`.
pub fn site(topics: &str) -> Result<tempfile::TempDir> {
    let dir = tempfile::tempdir()?;
    std::fs::write(
        dir.path().join("briefing.toml"),
        format!("title = \"eval\"\nbase_url = \"https://example.org/\"\n{topics}"),
    )?;
    std::fs::create_dir_all(dir.path().join("content"))?;
    Ok(dir)
}

/// A small fixed-seed generator (SplitMix64), so every run makes the same data.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            v.swap(i, self.below(i + 1));
        }
    }
}
