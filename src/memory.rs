//! Giving freed memory back to the system. The C allocator of GNU/Linux keeps memory a process
//! has freed for its next allocations, and hands back to the system only what lies at the top
//! of its heaps: many small blocks freed in the middle (the story analysis's term counts, a
//! batch at a time) stay counted in the process's memory while later stages allocate anew,
//! so the peak is their sum. A build calls [`release_freed`] after such a stage.

/// Returns the pages of memory that are wholly free to the system (`malloc_trim`). Elsewhere
/// (other allocators) nothing.
pub(crate) fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only reads and updates the allocator's own state, under its locks.
    unsafe {
        libc::malloc_trim(0);
    }
}
