//! A cache file while it is written: its payload streamed to disk and hashed on the way, and
//! what is written so far readable in place at any time, so that an import can write a part
//! of the router, drop it from memory and read it back from the file while it builds the next.

use std::fs::{self, File};
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use memmap2::{Mmap, MmapOptions};

use super::sections::SectionWriter;
use super::{CacheKey, HEADER_LEN, Hashing};

/// What a draft's sections are written to.
pub(crate) type DraftWriter = Hashing<BufWriter<File>>;

/// A cache file being written: the header first (its length and checksum zero until
/// [`Draft::finish`]), then the payload.
pub(crate) struct Draft {
    payload: DraftWriter,
    /// The file written, and the name it takes once finished; `None` for a temporary file,
    /// which has no name and disappears once closed and unmapped.
    names: Option<(PathBuf, PathBuf)>,
}

impl Draft {
    /// A draft of the file `name` in `dir` (created if needed), written under another name
    /// until [`Draft::finish`] renames it: a reader never sees a half-written file.
    ///
    /// # Errors
    /// The error of creating the directory or the file, or of writing the header.
    pub(crate) fn named(
        dir: &Path,
        name: &str,
        magic: &[u8; 16],
        version: u32,
        key: CacheKey,
    ) -> io::Result<Self> {
        /// Drafts started by this process, so that two drafts of one name never share a file.
        static STARTED: AtomicU64 = AtomicU64::new(0);
        fs::create_dir_all(dir)?;
        let number = STARTED.fetch_add(1, Ordering::Relaxed);
        let partial = dir.join(format!("{name}.{}.{number}.partial", std::process::id()));
        // Read as well as written: the draft is mapped while it is written.
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&partial)?;
        let names = Some((partial, dir.join(name)));
        Draft::start(file, names, magic, version, key)
    }

    /// A draft in the system's temporary directory that no one else can open and that is
    /// deleted once the process no longer holds or maps it: where an import without a cache
    /// keeps the parts of a router it does not need in memory.
    ///
    /// # Errors
    /// The error of creating the file or writing the header.
    pub(crate) fn temporary(magic: &[u8; 16], version: u32, key: CacheKey) -> io::Result<Self> {
        Draft::start(tempfile::tempfile()?, None, magic, version, key)
    }

    fn start(
        file: File,
        names: Option<(PathBuf, PathBuf)>,
        magic: &[u8; 16],
        version: u32,
        key: CacheKey,
    ) -> io::Result<Self> {
        let mut header = BufWriter::new(file);
        header.write_all(magic)?;
        header.write_all(&version.to_le_bytes())?;
        header.write_all(&key.0.to_le_bytes())?;
        // Length and checksum are known once the payload is written: zero until then.
        header.write_all(&[0; 8 + 16])?;
        Ok(Draft {
            payload: Hashing::new(header),
            names,
        })
    }

    /// An unnamed file beside the draft (in the temporary directory for a temporary draft),
    /// deleted once closed: where a preparation keeps what it is done with until it needs it
    /// again, on the cache's disk rather than in memory.
    ///
    /// # Errors
    /// The error of creating the file.
    pub(crate) fn scratch_file(&self) -> io::Result<File> {
        match self
            .names
            .as_ref()
            .and_then(|(partial, _)| partial.parent())
        {
            Some(dir) => tempfile::tempfile_in(dir),
            None => tempfile::tempfile(),
        }
    }

    /// Where the file will be, or the temporary directory, for messages.
    pub(crate) fn path(&self) -> PathBuf {
        self.names
            .as_ref()
            .map_or_else(std::env::temp_dir, |(_, path)| path.clone())
    }

    /// Where the next section starts being written (its padding included), from the start
    /// of the file: what a [`super::SectionReader`] over a [`Draft::map`] starts from to read it.
    pub(crate) fn position(&self) -> usize {
        HEADER_LEN + self.payload.length as usize
    }

    /// A writer of the next sections.
    pub(crate) fn sections(&mut self) -> SectionWriter<&mut DraftWriter> {
        let position = self.position();
        SectionWriter::new(&mut self.payload, position)
    }

    /// The payload's raw writer, for a value that is the whole payload.
    pub(super) fn payload(&mut self) -> &mut DraftWriter {
        &mut self.payload
    }

    /// Everything written so far, mapped (not read: only the pages used become resident).
    ///
    /// # Errors
    /// The error of flushing the buffered bytes or of mapping the file.
    pub(crate) fn map(&mut self) -> io::Result<Arc<Mmap>> {
        self.payload.flush()?;
        // SAFETY: the mapping is only read, and the bytes it covers are never written again:
        // the payload is only appended to, and `finish` writes the header's length and
        // checksum, bytes no section and so no array read from the mapping lies in.
        let map = unsafe { MmapOptions::new().map(self.payload.inner.get_ref())? };
        Ok(Arc::new(map))
    }

    /// Writes the header's length and checksum and, for a named draft, syncs the file and
    /// gives it its name, returned.
    ///
    /// # Errors
    /// The error of flushing, writing, syncing or renaming the file.
    pub(crate) fn finish(self) -> io::Result<Option<PathBuf>> {
        let (length, checksum) = (self.payload.length, self.payload.checksum());
        let mut file = self
            .payload
            .inner
            .into_inner()
            .map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(16 + 4 + 16))?;
        file.write_all(&length.to_le_bytes())?;
        file.write_all(&checksum.to_le_bytes())?;
        let Some((partial, path)) = self.names else {
            return Ok(None);
        };
        file.sync_all()?;
        fs::rename(&partial, &path)?;
        Ok(Some(path))
    }

    /// Gives the draft up: a named draft's file is removed (a mapping of it stays readable).
    pub(crate) fn abandon(self) {
        if let Some((partial, _)) = self.names {
            // Nothing to do if it cannot be removed: the next import writes another name.
            let _ = fs::remove_file(partial);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::Array;
    use crate::cache::{CacheKey, FORMAT_VERSION, MAGIC, SectionReader, checked_file};

    /// A draft read in place while it is still written: what a mapping shows is what was
    /// written before it, unchanged by what is appended after; finished, the file passes every
    /// check a cache file must pass, and holds the sections in order.
    #[test]
    fn a_draft_is_read_while_written_and_finishes_as_a_checked_file() {
        let dir = tempfile::tempdir().unwrap();
        let key = CacheKey::derived(7, "draft test", 1);
        let mut draft = Draft::named(dir.path(), "test.graph", MAGIC, FORMAT_VERSION, key).unwrap();
        let first: Vec<u32> = (0..100_000).collect();
        let at = draft.position();
        draft.sections().array(&Array::from(first.clone())).unwrap();
        let map = draft.map().unwrap();
        let early: Array<u32> = SectionReader::new(&map, at).array().unwrap();
        let second: Vec<u64> = (0..50_000u64).map(|i| i * i).collect();
        let at_second = draft.position();
        draft.sections().value(&"between").unwrap();
        draft
            .sections()
            .array(&Array::from(second.clone()))
            .unwrap();
        assert!(
            !dir.path().join("test.graph").exists(),
            "not visible before finish"
        );
        let path = draft.finish().unwrap().unwrap();
        assert_eq!(path, dir.path().join("test.graph"));
        assert_eq!(&early[..], &first[..]);
        let file = checked_file(&path, MAGIC, FORMAT_VERSION, key).unwrap();
        let map = std::sync::Arc::new(file.0);
        let mut sections = SectionReader::new(&map, HEADER_LEN);
        assert_eq!(&sections.array::<u32>().unwrap()[..], &first[..]);
        assert_eq!(sections.value::<String>().unwrap(), "between");
        assert_eq!(&sections.array::<u64>().unwrap()[..], &second[..]);
        assert!(sections.at_end());
        let mut from_second = SectionReader::new(&map, at_second);
        assert_eq!(from_second.value::<String>().unwrap(), "between");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "only the finished file");
    }
}
