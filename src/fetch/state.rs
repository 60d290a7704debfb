//! `content/.fetch-state.json`: what fetch remembers between runs. Per URL the validators of
//! its last good response (`ETag`, `Last-Modified`), so an unchanged feed costs one `304`;
//! per item link the day it was ingested, so an item is not fetched or ingested again.
//!
//! The file is written atomically (the same helper as ingest's files) and only after the
//! articles of the run are written: interrupted before, the next run asks again with the old
//! validators and finishes the job. A missing or unreadable file only costs full downloads.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::error::{Diagnostic, Result};

pub(crate) const STATE_FILE: &str = ".fetch-state.json";

/// Item links are forgotten this many days after they were ingested (feeds have moved on).
const FORGET_AFTER_DAYS: i64 = 90;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Validators {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

impl Validators {
    pub(crate) fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct State {
    /// Fetched URL → validators of its last response that was ingested.
    #[serde(default)]
    pub urls: BTreeMap<String, Validators>,
    /// Item link → the day (YYYY-MM-DD) it was ingested.
    #[serde(default)]
    pub items: BTreeMap<String, String>,
}

impl State {
    pub(crate) fn load(config: &Config) -> (State, Option<Diagnostic>) {
        crate::ingest::load_state_file(config, STATE_FILE, "every source is downloaded in full")
    }

    /// A source's response was ingested: its validators, and the items it brought, today.
    pub(crate) fn record(
        &mut self,
        url: String,
        validators: Validators,
        items: Vec<String>,
        today: chrono::NaiveDate,
    ) {
        if validators.is_empty() {
            self.urls.remove(&url);
        } else {
            self.urls.insert(url, validators);
        }
        let day = today.format("%Y-%m-%d").to_string();
        for link in items {
            self.items.entry(link).or_insert_with(|| day.clone());
        }
    }

    /// Forgets item links ingested before the window.
    fn prune(&mut self, today: chrono::NaiveDate) {
        let oldest = (today - chrono::Duration::days(FORGET_AFTER_DAYS))
            .format("%Y-%m-%d")
            .to_string();
        self.items.retain(|_, day| *day >= oldest);
    }

    /// Prunes, then writes the file atomically.
    pub(crate) fn save(&mut self, config: &Config, today: chrono::NaiveDate) -> Result<()> {
        self.prune(today);
        let json = serde_json::to_string_pretty(self).expect("state serializes") + "\n";
        crate::fs::write_atomic(&config.content_dir().join(STATE_FILE), json.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_items_are_forgotten_after_the_window() {
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut state = State::default();
        let v = Validators {
            etag: Some("\"x\"".into()),
            last_modified: None,
        };
        state.record(
            "https://a.example/feed".into(),
            v,
            vec!["https://a.example/1".into()],
            day("2026-08-01"),
        );
        state.record(
            "https://b.example/feed".into(),
            Validators::default(),
            vec!["https://b.example/1".into()],
            day("2026-11-20"),
        );
        assert!(state.urls.contains_key("https://a.example/feed"));
        assert!(
            !state.urls.contains_key("https://b.example/feed"),
            "no validators, no entry"
        );
        state.prune(day("2026-11-28"));
        assert_eq!(
            state.items.keys().collect::<Vec<_>>(),
            ["https://b.example/1"]
        );
    }
}
