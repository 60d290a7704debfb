//! Loading the theme's Tera templates (from `themes/<name>/` or, for the default theme, from
//! the copy embedded in the binary) with the site's `templates/` overriding by file name, and
//! rendering one page. Errors name the template file, the page and Tera's line:column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_embed::Embed;
use tera::{Context, Tera};
use walkdir::WalkDir;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::fs;

/// The default theme, built into the binary so a site needs no `themes/` folder.
#[derive(Embed)]
#[folder = "themes/default/"]
struct DefaultTheme;

/// The templates every theme must provide.
pub const REQUIRED: &[&str] = &[
    "base.html",
    "index.html",
    "edition.html",
    "article.html",
    "topic.html",
    "topics.html",
    "archive.html",
    "search.html",
    "404.html",
];

/// Where a theme's files come from.
enum ThemeSource {
    Dir(PathBuf),
    Embedded,
}

pub struct Templates {
    tera: Tera,
    /// Template name → the file it was read from, for error messages.
    origins: BTreeMap<String, String>,
    /// A hash of every template's name, origin and text (`briefing build`'s cache key).
    fingerprint: u64,
}

impl Templates {
    pub fn load(config: &Config) -> Result<Templates> {
        let mut sources: BTreeMap<String, (String, String)> = BTreeMap::new();
        match theme_source(config)? {
            ThemeSource::Dir(dir) => {
                for (name, path) in template_files(&dir.join("templates"))? {
                    let text = fs::read_to_string(&path)?;
                    sources.insert(
                        name,
                        (config.display_path(&path).display().to_string(), text),
                    );
                }
            }
            ThemeSource::Embedded => {
                for file in DefaultTheme::iter() {
                    if let Some(name) = file.strip_prefix("templates/").filter(|n| is_template(n)) {
                        let data = DefaultTheme::get(&file).expect("listed file exists").data;
                        let text = String::from_utf8_lossy(&data).into_owned();
                        sources.insert(
                            name.to_string(),
                            (format!("(built-in default theme) templates/{name}"), text),
                        );
                    }
                }
            }
        }
        let site_dir = config.root.join("templates");
        if site_dir.is_dir() {
            for (name, path) in template_files(&site_dir)? {
                let text = fs::read_to_string(&path)?;
                sources.insert(
                    name,
                    (config.display_path(&path).display().to_string(), text),
                );
            }
        }
        for required in REQUIRED {
            if !sources.contains_key(*required) {
                return Err(Error::Theme(format!(
                    "theme `{}` has no template `{required}` (looked in themes/{}/templates/ and templates/)",
                    config.theme, config.theme
                )));
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        tera.add_raw_templates(
            sources
                .iter()
                .map(|(name, (_, text))| (name.as_str(), text.as_str())),
        )
        .map_err(|e| Error::Template {
            template: "(loading templates)".into(),
            page: "no page".into(),
            report: e.to_string(),
        })?;
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for (name, (origin, text)) in &sources {
            for part in [name, origin, text] {
                h.update(&(part.len() as u64).to_le_bytes());
                h.update(part.as_bytes());
            }
        }
        let origins = sources
            .into_iter()
            .map(|(name, (origin, _))| (name, origin))
            .collect();
        Ok(Templates {
            tera,
            origins,
            fingerprint: h.digest(),
        })
    }

    /// Changes whenever a template (or where it comes from) changes.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    pub fn has(&self, template: &str) -> bool {
        self.origins.contains_key(template)
    }

    /// The file a template was read from, as shown in messages.
    pub fn origin(&self, template: &str) -> String {
        self.origins
            .get(template)
            .cloned()
            .unwrap_or_else(|| template.to_string())
    }

    /// Renders `template` for the page at `page_path`.
    pub fn render(&self, template: &str, context: &Context, page_path: &str) -> Result<String> {
        self.tera
            .render(template, context)
            .map_err(|e| Error::Template {
                template: self.origin(template),
                page: page_path.to_string(),
                report: e.to_string(),
            })
    }
}

fn theme_source(config: &Config) -> Result<ThemeSource> {
    let dir = config.root.join("themes").join(&config.theme);
    if dir.is_dir() {
        Ok(ThemeSource::Dir(dir))
    } else if config.theme == "default" {
        Ok(ThemeSource::Embedded)
    } else {
        Err(Error::Theme(format!(
            "theme `{}` not found: no folder {} (set `theme` in briefing.toml, or use \"default\")",
            config.theme,
            config.display_path(&dir).display()
        )))
    }
}

/// Static files of the theme, as (path relative to the output root, bytes).
pub fn theme_static(config: &Config) -> Result<Vec<(String, Vec<u8>)>> {
    match theme_source(config)? {
        ThemeSource::Dir(dir) => {
            let static_dir = dir.join("static");
            if !static_dir.is_dir() {
                return Ok(Vec::new());
            }
            files_under(&static_dir)?
                .into_iter()
                .map(|(name, path)| Ok((name, fs::read(&path)?)))
                .collect()
        }
        ThemeSource::Embedded => Ok(DefaultTheme::iter()
            .filter_map(|f| {
                let name = f.strip_prefix("static/")?.to_string();
                Some((name, DefaultTheme::get(&f)?.data.into_owned()))
            })
            .collect()),
    }
}

/// Files that are templates: other files in a templates folder (a README, say) are ignored.
fn is_template(name: &str) -> bool {
    [".html", ".htm", ".xml", ".txt", ".json"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

fn template_files(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    Ok(files_under(dir)?
        .into_iter()
        .filter(|(name, _)| is_template(name))
        .collect())
}

/// Every file under `dir`, as (`/`-separated path relative to `dir`, full path), skipping
/// hidden files.
pub fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    for entry in WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !crate::ids::is_hidden(e.file_name()))
    {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::Io {
                path,
                source: e.into(),
            }
        })?;
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .expect("walkdir stays under its root");
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((name, entry.into_path()));
        }
    }
    Ok(out)
}
