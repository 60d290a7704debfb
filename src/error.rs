//! Error types of the library. An error knows *where* it happened (file, line, column) as data,
//! so that the binary can print `path:line:col: message` and tests can match on it.
//! This module does not print anything.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in one input file, with a 1-based line and column counted from the top of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    pub fn at(
        path: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// Everything that can stop a build, check or ingest.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more input files are wrong; all of them are reported together.
    #[error("{}", join_lines(.0))]
    Input(Vec<Diagnostic>),
    /// A template failed to parse or render. `report` is Tera's own located report.
    #[error("template error in `{template}` while rendering {page}:\n{report}")]
    Template {
        template: String,
        page: String,
        report: String,
    },
    /// The theme's templates could not be loaded.
    #[error("{0}")]
    Theme(String),
    /// A file-system operation failed; the path says where.
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The request itself cannot be carried out (bad option, refused output directory, …).
    #[error("{0}")]
    Usage(String),
}

fn join_lines(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn input(diag: Diagnostic) -> Self {
        Error::Input(vec![diag])
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
