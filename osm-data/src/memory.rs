//! Handing freed memory back to the system between the stages of an import.

/// Returns the free pages of every allocator arena to the system. glibc keeps freed blocks
/// below its mmap threshold (the decoded extract's per-block vectors, the graph build's
/// per-junction lists) in its arenas for reuse; contraction allocates other sizes, so without
/// this they would stay resident under it (about 400 MB after reading Malta 8 × 8).
pub(crate) fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only walks glibc's own arenas and has no precondition.
    unsafe {
        libc::malloc_trim(0);
    }
}
