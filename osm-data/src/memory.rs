//! Handing freed memory back to the system between the stages of an import, and mapped
//! pages out of the resident set once read.

use memmap2::{Advice, Mmap};

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

/// Takes the pages of `map` out of the process's resident set: they stay in the page cache,
/// and a later read maps them again. Only a hint: nothing is lost if it fails.
pub(crate) fn forget_pages(map: &Mmap) {
    let _ = map.advise(Advice::DontNeed);
}
