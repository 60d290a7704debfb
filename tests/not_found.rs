//! The 404 page works where readers meet it: opened from disk (its links and stylesheet are
//! relative to the top of the site, where 404.html lives) and sent by a host for a missing
//! address at any depth (a base element, set by a line of script to the path of `base_url`,
//! makes the same links start from the site's path; without scripts the stylesheet is still
//! found there, though the links are not).

mod common;

use std::ffi::OsStr;

use common::*;
use serde_json::Value;

#[test]
fn the_404_page_links_relative_to_the_top_of_the_site() {
    let site = site("basic");
    ok(site.path(), &["build"]);
    let public = site.path().join("public");
    let page = read(&public, "404.html");
    let mut checked = 0;
    for link in links(&page) {
        if link.starts_with('/') {
            // The base element's path (in the script) and the stylesheet for readers without
            // scripts start from the site's path; nothing else does.
            assert!(link == "/news/" || link == "/news/style.css", "{link}");
            continue;
        }
        assert!(
            !link.starts_with('/') && !link.contains("://") && !link.starts_with(".."),
            "{link}"
        );
        let target = link.split('#').next().unwrap();
        if !target.is_empty() && !target.ends_with(".xml") && !target.ends_with(".json") {
            assert!(
                public.join(target).is_file(),
                "{link} does not exist from disk"
            );
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} links checked:\n{page}");
    assert!(
        page.contains("b.href=\"/news/\""),
        "the base element takes the path of base_url:\n{page}"
    );
    assert!(
        page.contains("<noscript><link rel=\"stylesheet\" href=\"/news/style.css\"></noscript>"),
        "{page}"
    );
}

#[test]
#[ignore = "needs Chromium and playwright-core (site-audit installs them); .ci/run runs it with --ignored"]
fn the_404_page_is_styled_and_its_links_work_from_disk_and_at_any_depth_on_a_host() {
    let site = site("basic");
    ok(site.path(), &["build"]);
    let public = site.path().join("public").canonicalize().unwrap();
    let missing = [
        "/news/nope",
        "/news/2026/11/26/gone/",
        "/news/a/b/c/d/e.html",
        "/elsewhere",
    ];
    let mut args = vec![public.as_os_str(), OsStr::new("/news/")];
    args.extend(missing.map(OsStr::new));
    let stdout = run_in_chromium("not_found.cjs", args);
    let seen: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(seen["errors"], serde_json::json!([]), "no page errors");

    let disk = &seen["disk"];
    assert_eq!(disk["styled"], true, "styled from disk: {disk}");
    let on_disk = format!("file://{}/index.html", public.display());
    assert_eq!(disk["home"], on_disk.as_str(), "{disk}");
    assert!(
        disk["links"].as_array().unwrap().iter().all(|l| l
            .as_str()
            .unwrap()
            .starts_with(&format!("file://{}/", public.display()))),
        "{disk}"
    );

    let origin = seen["origin"].as_str().unwrap();
    for m in missing {
        let host = &seen["host"][m];
        assert_eq!(host["status"], 404, "{m}: {host}");
        assert_eq!(host["styled"], true, "{m}: {host}");
        assert_eq!(
            host["home"],
            format!("{origin}/news/index.html").as_str(),
            "{m}: {host}"
        );
        let links: Vec<&str> = host["links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert!(
            links.contains(&format!("{origin}/news/archive/index.html").as_str()),
            "{m}: {host}"
        );
        assert!(
            links
                .iter()
                .all(|l| l.starts_with(&format!("{origin}/news/"))),
            "{m}: {host}"
        );
        // Without scripts the page is still styled (its stylesheet link from the site's path).
        let plain = &seen["host_without_scripts"][m];
        assert_eq!(plain["styled"], true, "{m} without scripts: {plain}");
    }
}
