//! Deciding, for each article of the batch, what happens to content/:
//!
//! 1. **Same article** (its id is already in content/): the file is re-rendered with its own
//!    path, date, `source` and `sources` (plus the new source, if it is another outlet);
//!    identical bytes → `unchanged`; only a new source → `duplicate`; otherwise `updated`
//!    (e.g. another `--topic`). A file is rewritten only when ingest owns it (see `store`) or
//!    with `--force`; else it is left alone (`protected`, with a warning).
//! 2. **Near-duplicate** (MinHash similarity ≥ `dedupe::THRESHOLD` with an article in
//!    content/ or earlier in the batch): not written; its source is appended to that
//!    article's `sources` (front matter only, body bytes untouched), under the same ownership
//!    rule.
//! 3. Otherwise a **new file** `content/<day>/<slug>.md`, the slug made unique within its day.
//!
//! It returns the report entries and the list of files to write; it writes nothing.

use std::path::Path;

use chrono::Utc;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::classify::{Classifier, Example};
use super::dedupe::{self, Signature};
use super::normalize::{self, Context, Normalized, When};
use super::store::{self, Existing, State, Write};
use super::tokens::Words;
use super::{IngestOptions, IngestedArticle, RawArticle, Status};
use crate::build::frontmatter::{FrontMatter, Source};
use crate::config::{Config, OTHER_TOPIC};
use crate::error::{Diagnostic, Result};

pub(crate) struct Outcome {
    pub articles: Vec<IngestedArticle>,
    pub writes: Vec<Write>,
    pub warnings: Vec<Diagnostic>,
    pub boilerplate: usize,
}

/// An article file, on disk or to be created by this batch.
struct Target {
    rel: String,
    matter: FrontMatter,
    raw_body: String,
    /// The file's current text; `None` for a file this batch creates.
    on_disk: Option<String>,
    owned: bool,
    dirty: bool,
}

impl Target {
    fn shown(&self) -> String {
        format!("content/{}", self.rel)
    }

    fn may_rewrite(&self, force: bool) -> bool {
        self.on_disk.is_none() || self.owned || force
    }
}

pub(crate) fn run(
    config: &Config,
    options: &IngestOptions,
    found: Vec<(String, RawArticle)>,
    progress: &dyn crate::progress::Progress,
) -> Result<Outcome> {
    let (archive, mut warnings) = store::load_archive(config);
    let (state, state_warning) = State::load(config);
    warnings.extend(state_warning);
    let classifier = Classifier::new(config, &examples(config, &archive));
    let mut targets = Targets::default();
    // The archive's signatures are worked out in parallel, then indexed in order.
    let archived: Vec<(Target, Signature)> = archive
        .into_par_iter()
        .map(|e| target_of(e, &state))
        .collect();
    for (t, signature) in archived {
        targets.push(t, Some(&signature));
    }
    let today = config
        .timezone
        .localize(&Utc::now().fixed_offset())
        .date_naive();
    let ctx = Context {
        date: options.date,
        today,
        timezone: &config.timezone,
        source_name: options.source_name.as_deref(),
        source_url: options.source_url.as_deref(),
    };
    let content_dir = config.content_dir();
    // Everything about one article that does not depend on the others runs in parallel;
    // `collect` keeps the batch order, and the decisions below stay sequential.
    progress.start(found.len());
    let archive_index = &targets.signatures;
    let prepared: Vec<Prepared> = found
        .into_par_iter()
        .map(|(source, raw)| {
            let p = prepare(source, raw, &ctx, &classifier, archive_index, options);
            progress.advance();
            p
        })
        .collect();
    // Near-duplicates within the batch, for every article against every earlier one; which
    // of those earlier ones became files is known only as the decisions are made, in order.
    let near_in_batch = dedupe::earlier_near_duplicates(
        &prepared
            .iter()
            .map(|p| p.signature.as_ref())
            .collect::<Vec<_>>(),
    );
    // Batch article → the target it was written as, if it was.
    let mut written: Vec<Option<usize>> = vec![None; prepared.len()];
    let mut articles = Vec::with_capacity(prepared.len());
    targets.reserve(prepared.len());
    let mut boilerplate = 0;
    for (k, p) in prepared.into_iter().enumerate() {
        let Prepared {
            origin,
            n,
            body,
            topic,
            score,
            topic_given,
            in_archive,
            ..
        } = p;
        boilerplate += n.boilerplate;
        if n.paragraphs.is_empty() || n.title.is_empty() {
            warnings.push(Diagnostic::new(
                &origin,
                "skipped: the article has no title or no text",
            ));
            continue;
        }
        let how = How {
            topic: &topic,
            topic_given,
            force: options.force,
            origin: &origin,
            dir: &content_dir,
        };
        // The most similar file, archive or batch, the lowest target among equals (as
        // `dedupe::Index::best` chooses).
        let near = in_archive
            .into_iter()
            .chain(
                near_in_batch[k]
                    .iter()
                    .filter_map(|&(j, similarity)| Some((written[j]?, similarity))),
            )
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let decided = decide(&mut targets, &n, &body, near, &how, &mut warnings);
        if decided.status == Status::Written {
            written[k] = Some(decided.target);
        }
        let t = &targets.list[decided.target];
        articles.push(IngestedArticle {
            path: t.shown(),
            date: t
                .matter
                .date
                .as_ref()
                .map(|d| d.as_text())
                .unwrap_or_default(),
            topic: if decided.status == Status::Written {
                topic
            } else {
                t.matter.topic.clone().unwrap_or(OTHER_TOPIC.into())
            },
            topic_score: score,
            paragraphs: n.paragraphs.len(),
            duplicate_of: (decided.status != Status::Written && decided.status != Status::Updated)
                .then(|| t.shown()),
            id: n.id,
            title: n.title,
            dateline: n.dateline,
            summary: n.summary,
            summary_source: n.summary_source,
            quotes: n.quotes,
            entities: n.entities,
            body,
            author: n.authors,
            image: n.image,
            extractor: n.extractor.map(str::to_string),
            status: decided.status,
            origin,
        });
    }
    // A dry run writes nothing: its files are not rendered.
    let writes = if options.dry_run {
        Vec::new()
    } else {
        render_writes(&targets)
    };
    super::drop_on_pool(targets);
    Ok(Outcome {
        articles,
        writes,
        warnings,
        boilerplate,
    })
}

/// The files that change: every target touched by the batch whose text is not already the
/// file's.
fn render_writes(targets: &Targets) -> Vec<Write> {
    targets
        .list
        .par_iter()
        .filter(|t| t.dirty)
        .filter_map(|t| {
            let text = store::render(&t.matter, &t.raw_body);
            (t.on_disk.as_deref() != Some(text.as_str())).then(|| Write {
                rel: t.rel.clone(),
                text,
            })
        })
        .collect()
}

/// One article of the batch after the work that needs no other article.
struct Prepared {
    origin: String,
    n: Normalized,
    body: String,
    topic: String,
    score: f64,
    topic_given: bool,
    /// `None` for an article that is skipped.
    signature: Option<Signature>,
    /// The most similar article of content/ at or above the near-duplicate threshold, and
    /// the similarity.
    in_archive: Option<(usize, f64)>,
}

fn prepare(
    source: String,
    raw: RawArticle,
    ctx: &Context<'_>,
    classifier: &Classifier,
    archive: &dedupe::Index,
    options: &IngestOptions,
) -> Prepared {
    let origin = match raw.line {
        Some(l) => format!("{source}:{l}"),
        None => source,
    };
    let default_topic = raw.default_topic.clone();
    let n = normalize::normalize(raw, ctx);
    let body = n.body();
    if n.paragraphs.is_empty() || n.title.is_empty() {
        // Skipped by the caller; nothing else to work out.
        return Prepared {
            origin,
            n,
            body,
            topic: OTHER_TOPIC.into(),
            score: 0.0,
            topic_given: false,
            signature: None,
            in_archive: None,
        };
    }
    // The words are cut once for classification and the signature.
    let words = Words::of(&n.title, &body);
    let given = options.topic.clone().or(n.topic.clone());
    let (topic, score) = match &given {
        Some(t) => (t.clone(), classifier.score_of(&words, t)),
        None => {
            let d = classifier.classify(&words);
            match default_topic {
                // The source's own topic when the classifier finds none of the site's.
                Some(t) if d.topic == OTHER_TOPIC => {
                    let score = classifier.score_of(&words, &t);
                    (t, score)
                }
                _ => (d.topic, d.score),
            }
        }
    };
    let signature = Signature::of_words(&words);
    Prepared {
        origin,
        n,
        body,
        topic,
        score,
        topic_given: given.is_some(),
        in_archive: archive.best(&signature),
        signature: Some(signature),
    }
}

fn examples<'a>(config: &Config, archive: &'a [Existing]) -> Vec<Example<'a>> {
    archive
        .iter()
        .filter_map(|e| {
            let topic = e
                .matter
                .topic
                .as_deref()
                .filter(|t| config.topic(t).is_some())?;
            Some(Example {
                topic,
                text: format!(
                    "{}\n{}",
                    e.matter.title.as_deref().unwrap_or(""),
                    e.raw_body
                ),
            })
        })
        .collect()
}

fn target_of(e: Existing, state: &State) -> (Target, Signature) {
    let signature = Signature::of(e.matter.title.as_deref().unwrap_or(""), &e.raw_body);
    let target = Target {
        owned: state.owns(&e.rel, &e.text),
        rel: e.rel,
        matter: e.matter,
        raw_body: e.raw_body,
        on_disk: Some(e.text),
        dirty: false,
    };
    (target, signature)
}

/// The article files with what finding one takes: by id, by path, by MinHash signature.
#[derive(Default)]
struct Targets {
    list: Vec<Target>,
    /// Article id → the first target with that id.
    by_id: FxHashMap<String, usize>,
    /// ASCII-lower-cased `rel` of every target (paths are unique regardless of case).
    paths: FxHashSet<String>,
    /// The signatures of content/'s articles (the batch's are compared apart, see
    /// `dedupe::earlier_near_duplicates`).
    signatures: dedupe::Index,
}

impl Targets {
    fn reserve(&mut self, more: usize) {
        self.list.reserve(more);
        self.by_id.reserve(more);
        self.paths.reserve(more);
    }

    /// Adds a target; a file of content/ comes with its signature.
    fn push(&mut self, t: Target, signature: Option<&Signature>) {
        let i = self.list.len();
        if let Some(id) = &t.matter.id {
            self.by_id.entry(id.clone()).or_insert(i);
        }
        self.paths.insert(t.rel.to_ascii_lowercase());
        if let Some(signature) = signature {
            self.signatures.insert(i, signature);
        }
        self.list.push(t);
    }
}

struct Decided {
    target: usize,
    status: Status,
}

/// The circumstances of one decision.
struct How<'a> {
    topic: &'a str,
    topic_given: bool,
    force: bool,
    origin: &'a str,
    dir: &'a Path,
}

/// `near`: the most similar target at or above the near-duplicate threshold, and the
/// similarity.
fn decide(
    targets: &mut Targets,
    n: &Normalized,
    body: &str,
    near: Option<(usize, f64)>,
    how: &How<'_>,
    warnings: &mut Vec<Diagnostic>,
) -> Decided {
    let How {
        topic,
        topic_given,
        force,
        origin,
        ..
    } = *how;
    let raw_body = format!("\n{body}\n");
    if let Some(&i) = targets.by_id.get(n.id.as_str()) {
        let t = &mut targets.list[i];
        let keep_topic = if topic_given {
            Some(topic.to_string())
        } else {
            t.matter.topic.clone()
        };
        let mut matter = matter_of(n, keep_topic.as_deref().unwrap_or(OTHER_TOPIC));
        matter.date = t.matter.date.clone();
        matter.source = t.matter.source.clone().or(matter.source);
        matter.sources = t.matter.sources.clone();
        // The editor's fields are never ingest's to change.
        (matter.lead, matter.weight) = (t.matter.lead, t.matter.weight);
        let current = t
            .on_disk
            .clone()
            .unwrap_or_else(|| store::render(&t.matter, &t.raw_body));
        let same_otherwise = store::render(&matter, &raw_body) == current;
        // The same story again from another outlet: that outlet joins `sources`.
        if let Some(source) = &n.source
            && !already_listed(&matter, source)
        {
            matter.sources.push(source.clone());
        }
        let text = store::render(&matter, &raw_body);
        let status = if text == current {
            if t.on_disk.is_none() {
                Status::Duplicate
            } else {
                Status::Unchanged
            }
        } else if t.may_rewrite(force) {
            t.matter = matter;
            t.raw_body = raw_body;
            t.dirty = true;
            if same_otherwise {
                Status::Duplicate
            } else {
                Status::Updated
            }
        } else {
            warnings.push(Diagnostic::new(
                origin,
                format!(
                    "{} was edited by hand since ingest wrote it; not overwritten (use --force)",
                    t.shown()
                ),
            ));
            Status::Protected
        };
        return Decided { target: i, status };
    }
    if let Some((i, similarity)) = near {
        let t = &mut targets.list[i];
        if let Some(source) = &n.source
            && !already_listed(&t.matter, source)
        {
            if t.may_rewrite(force) {
                t.matter.sources.push(source.clone());
                t.dirty = true;
            } else {
                warnings.push(Diagnostic::new(
                    origin,
                    format!(
                        "near-duplicate of {} (similarity {similarity:.2}), which was edited by hand or not written by ingest; source `{}` not added (use --force)",
                        t.shown(),
                        source.name
                    ),
                ));
            }
        }
        return Decided {
            target: i,
            status: Status::Duplicate,
        };
    }
    let rel = unique_path(&targets.paths, n, how.dir);
    targets.push(
        Target {
            rel,
            matter: matter_of(n, topic),
            raw_body,
            on_disk: None,
            owned: false,
            dirty: true,
        },
        None,
    );
    Decided {
        target: targets.list.len() - 1,
        status: Status::Written,
    }
}

fn already_listed(m: &FrontMatter, s: &Source) -> bool {
    let same = |x: &Source| x.name == s.name && (x.url == s.url || s.url.is_none());
    m.source.as_ref().is_some_and(same) || m.sources.iter().any(same)
}

/// `<day>/<slug>.md`, with `-2`, `-3`, … when the day already has that slug.
fn unique_path(taken: &FxHashSet<String>, n: &Normalized, dir: &Path) -> String {
    (1..)
        .map(|k| {
            if k == 1 {
                n.slug.clone()
            } else {
                format!("{}-{k}", n.slug)
            }
        })
        .map(|slug| format!("{}/{slug}.md", n.day.format("%Y-%m-%d")))
        .find(|rel| !taken.contains(&rel.to_ascii_lowercase()) && !dir.join(rel).exists())
        .expect("some suffix is free")
}

fn matter_of(n: &Normalized, topic: &str) -> FrontMatter {
    let date = match n.when {
        When::Day(d) => d.format("%Y-%m-%d").to_string(),
        When::Time(t) => t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
    };
    FrontMatter {
        title: Some(n.title.clone()),
        date: Some(store::date_field(date)),
        topic: (topic != OTHER_TOPIC).then(|| topic.to_string()),
        dateline: n.dateline.clone(),
        summary: n.summary.clone(),
        summary_source: Some(n.summary_source),
        source: n.source.clone(),
        quotes: n.quotes.clone(),
        entities: n.entities.clone(),
        author: n.authors.clone(),
        image: n.image.clone(),
        id: Some(n.id.clone()),
        ..FrontMatter::default()
    }
}
