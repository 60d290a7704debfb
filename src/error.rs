//! Error types of the library. An error knows *where* it happened (file, line, column) as data,
//! so that the binary can print `path:line:col: message` and tests can match on it.
//! This module does not print anything.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in one input file, with a 1-based line and column counted from the top of the file:
/// the one location type of every error and warning about input (content, config, sources).
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

    /// A problem found in a text by code that does not know its file (a parser, a reader of
    /// sources); the caller names the file with [`Diagnostic::in_file`].
    pub fn here(line: Option<usize>, column: Option<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: PathBuf::new(),
            line,
            column,
            message: message.into(),
        }
    }

    /// The same problem, in the file `path`.
    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = path.into();
        self
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
    /// The request is refused or cannot be carried out as things are (an output folder that is
    /// not ours, `init` into a non-empty folder, a file that already exists, nothing to
    /// publish, a deploy target that answers no): exit code 1, like a problem with the input.
    #[error("{0}")]
    Refused(String),
    /// A bad command-line argument that only the site can judge (an unknown `--topic`,
    /// `--source` or `--target`, an empty title): a usage error, exit code 2 like clap's own.
    #[error("{0}")]
    Usage(String),
    /// The preview server (or its runtime, watcher or build task) failed; `source` is the
    /// error it failed with, kept for callers that look into it.
    #[error("{what}: {source}")]
    Server {
        what: String,
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
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

    pub fn server(
        what: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        Error::Server {
            what: what.into(),
            source: source.into(),
        }
    }

    /// The process exit code for this error: 2 for a usage error (as for the ones clap
    /// reports), 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_error_keeps_its_source() {
        let io = std::io::Error::new(std::io::ErrorKind::AddrNotAvailable, "no such address");
        let e = Error::server("cannot listen on 192.0.2.1:0", io);
        assert_eq!(
            e.to_string(),
            "cannot listen on 192.0.2.1:0: no such address"
        );
        let source = std::error::Error::source(&e).expect("the source is kept");
        let io = source
            .downcast_ref::<std::io::Error>()
            .expect("an io::Error");
        assert_eq!(io.kind(), std::io::ErrorKind::AddrNotAvailable);
        assert_eq!(e.exit_code(), 1);
    }

    #[test]
    fn only_usage_errors_exit_with_2() {
        assert_eq!(Error::Usage("unknown topic".into()).exit_code(), 2);
        assert_eq!(Error::Refused("not empty".into()).exit_code(), 1);
        assert_eq!(Error::Input(Vec::new()).exit_code(), 1);
    }
}
