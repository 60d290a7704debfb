//! Crash safety of the output folder: the swap leaves no moment without a `public/`, a second
//! build of the same output is refused while one runs, and builds killed at any moment leave
//! nothing beside `public/` once the next build has run.

mod common;

use common::*;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

/// Names beside the output that a build writes while it runs.
fn litter(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.tmp-") || n.starts_with(".briefing-old-"))
        .collect()
}

#[test]
fn the_output_folder_is_never_missing_while_100_builds_replace_it() {
    let site = site("basic");
    let root = site.path().to_path_buf();
    ok(&root, &["build"]);
    let index = root.join("public/index.html");
    let stop = Arc::new(AtomicBool::new(false));
    let (looks, misses) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let reader = {
        let (stop, looks, misses) = (stop.clone(), looks.clone(), misses.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                // What a static server does for `/`: open public/index.html and read it.
                match std::fs::read(&index) {
                    Ok(bytes) if !bytes.is_empty() => {}
                    _ => {
                        misses.fetch_add(1, Ordering::Relaxed);
                    }
                }
                looks.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    for _ in 0..100 {
        ok(&root, &["-q", "build"]);
    }
    stop.store(true, Ordering::Relaxed);
    reader.join().unwrap();
    assert!(
        looks.load(Ordering::Relaxed) > 1000,
        "the reader looked only {} times",
        looks.load(Ordering::Relaxed)
    );
    assert_eq!(
        misses.load(Ordering::Relaxed),
        0,
        "public/index.html was missing or empty during a swap"
    );
    assert!(litter(&root).is_empty(), "{:?}", litter(&root));
}

#[test]
fn a_second_build_of_the_same_output_is_refused_while_one_runs() {
    let site = site("basic");
    let root = site.path();
    ok(root, &["build"]);
    let before = tree(&root.join("public"));
    // A running build holds this lock: the folder that holds public/.
    let held = std::fs::File::open(root).unwrap();
    held.lock().unwrap();
    write(
        root,
        "content/2026-11-26/late.md",
        "---\ntitle: Late\ndate: 2026-11-26\n---\nText.\n",
    );
    let err = fails(root, &["build"]);
    assert!(
        err.contains("public: another briefing build is writing this output folder right now; nothing was written"),
        "{err}"
    );
    assert_eq!(before, tree(&root.join("public")), "public/ changed");
    held.unlock().unwrap();
    ok(root, &["build"]);
    assert!(root.join("public/2026/11/26/late/index.html").is_file());
}

#[cfg(unix)]
#[test]
fn builds_killed_at_20_moments_leave_nothing_beside_public_after_the_next_build() {
    let site = site("basic");
    let root = site.path();
    many_articles(root, 600);
    let started = Instant::now();
    ok(root, &["-q", "build"]);
    let full = started.elapsed();
    let expected = tree(&root.join("public"));
    // Kill moments spread over the whole build, from a fixed-seed generator so a failure
    // can be replayed.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut leftovers_seen = 0;
    for round in 0..20 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = full.mul_f64((seed % 1000) as f64 / 1000.0 * 1.1);
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("briefing"))
            .args(["--root", root.to_str().unwrap(), "-q", "build"])
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        leftovers_seen += litter(root).len();
        // Whatever the moment, public/ is a whole site (old and new are the same here).
        assert_eq!(
            expected,
            tree(&root.join("public")),
            "round {round}: killed after {delay:?}, public/ is not whole"
        );
    }
    ok(root, &["-q", "build"]);
    assert!(
        litter(root).is_empty(),
        "left beside public/: {:?}",
        litter(root)
    );
    assert_eq!(expected, tree(&root.join("public")));
    // The kills did land mid-build at least once (otherwise the test proved nothing).
    assert!(leftovers_seen > 0, "no kill interrupted a build: {full:?}");
}
