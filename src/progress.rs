//! Progress of a long step, for the binary's progress bar.

/// Told how far a long step has come (pages rendered by a build, articles analysed by an
/// ingest, sources fetched, files uploaded by a deploy), so that the binary can draw a
/// progress bar. The library itself never prints.
pub trait Progress: Sync {
    /// The step starts: `total` items.
    fn start(&self, _total: usize) {}
    /// One more item is done.
    fn advance(&self) {}
}

/// No progress reporting.
impl Progress for () {}
