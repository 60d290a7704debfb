//! Incremental rebuilds without a server, for profiling (`valgrind --tool=callgrind`): builds
//! SITE into OUT in full, then N times edits the newest article (one more paragraph) and runs
//! `Session::update_paths` with that file, as `briefing serve` does after a save. Prints each
//! update's stage timings.
//!
//! usage: cargo run --release --example rebuild -- SITE OUT [N]

use std::path::{Path, PathBuf};

use briefing::incremental::Session;
use briefing::{BuildOptions, Config};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [site, out, rest @ ..] = args.as_slice() else {
        return Err("usage: rebuild SITE OUT [N]".into());
    };
    let edits: usize = rest.first().map_or(Ok(1), |n| n.parse())?;
    let options = BuildOptions {
        output: Some(PathBuf::from(out)),
        base_url: Some("http://127.0.0.1:1111/".into()),
        ..Default::default()
    };
    let root = Path::new(site);
    let mut session = Session::new(Config::load(root, options)?)?;
    let first = session.update()?;
    eprintln!("full build: {} pages", first.pages);
    let newest = newest_article(&root.join("content"))?;
    let rel = newest.strip_prefix(root)?.to_path_buf();
    for i in 0..edits {
        let mut text = std::fs::read_to_string(&newest)?;
        text.push_str(&format!("\nEdit number {i}.\n"));
        std::fs::write(&newest, text)?;
        let report = session.update_paths(std::slice::from_ref(&rel))?;
        let stages: Vec<String> = report
            .timings
            .iter()
            .map(|(s, t)| format!("{s} {:.1} ms", t.as_secs_f64() * 1000.0))
            .collect();
        eprintln!("edit {i}: {:?}; {}", report.changes, stages.join(", "));
    }
    Ok(())
}

/// The last `.md` file of the last folder, by name (the newest day in a dated layout).
fn newest_article(content: &Path) -> std::io::Result<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(content)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    dirs.sort();
    let day = dirs.pop().expect("content has folders");
    let mut files: Vec<PathBuf> = std::fs::read_dir(day)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.sort();
    Ok(files.pop().expect("the newest folder has articles"))
}
