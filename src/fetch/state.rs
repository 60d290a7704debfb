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
        let path = config.content_dir().join(STATE_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => match serde_json::from_str(&text) {
                Ok(state) => (state, None),
                Err(e) => (
                    State::default(),
                    Some(Diagnostic::new(
                        config.display_path(&path),
                        format!("ignored ({e}); every source is downloaded in full"),
                    )),
                ),
            },
            Err(_) => (State::default(), None),
        }
    }

    /// Drops item links older than the window, then writes the file atomically.
    pub(crate) fn save(&mut self, config: &Config, today: chrono::NaiveDate) -> Result<()> {
        let oldest = (today - chrono::Duration::days(FORGET_AFTER_DAYS))
            .format("%Y-%m-%d")
            .to_string();
        self.items.retain(|_, day| *day >= oldest);
        let json = serde_json::to_string_pretty(self).expect("state serializes") + "\n";
        crate::ingest::atomic_write(&config.content_dir().join(STATE_FILE), json.as_bytes())
    }
}
