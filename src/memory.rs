//! Giving freed memory back to the system. The C allocator of GNU/Linux keeps memory a process
//! has freed for its next allocations, and hands back to the system only what lies at the top
//! of its heaps: many small blocks freed in the middle (the story analysis's term counts, a
//! batch at a time) stay counted in the process's memory while later stages allocate anew,
//! so the peak is their sum. A build calls [`release_freed`] after such a stage. Also: how the
//! memory budgets of a build are read ([`budget`]).

/// Returns the pages of memory that are wholly free to the system (`malloc_trim`). Elsewhere
/// (other allocators) nothing.
pub(crate) fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only reads and updates the allocator's own state, under its locks.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// A memory budget in bytes: environment variable `var` in mebibytes, or `default` bytes when
/// it is not set (or not a number).
pub(crate) fn budget(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .map_or(default, |mb| mb << 20)
}

/// With `BRIEFING_MEMORY_TRACE` set (a measuring aid: README "Development"), prints the
/// process's resident memory and its peak so far after a build's stage `stage`, from
/// `/proc/self/status` (GNU/Linux; elsewhere nothing).
pub(crate) fn trace(stage: &str) {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*ON.get_or_init(|| std::env::var_os("BRIEFING_MEMORY_TRACE").is_some()) {
        return;
    }
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return;
    };
    let mib = |field: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    eprintln!(
        "memory after {stage}: {} MiB resident, peak {} MiB",
        mib("VmRSS:"),
        mib("VmHWM:")
    );
}
