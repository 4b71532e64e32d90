//! The graph cache: a prepared [`Router`] saved to a versioned binary file and reused while the
//! extract and the profile are unchanged. Other data derived from an extract (the geocoder's
//! index) is cached the same way, in the same directory, through [`load_file`] and
//! [`save_file`] with a magic and a format version of its own.
//!
//! A file is trusted only if its magic, format version, key and payload checksum all match;
//! anything else (another extract, another profile, an older format, a truncated or corrupted
//! file) is reported and the graph is rebuilt.
//!
//! A graph's payload is a sequence of [`sections`]: its arrays as they lie in memory, used in
//! place in the mapped file (nothing decoded, nothing copied), and a few small values in
//! postcard. Other derived data ([`save_file`]) is one postcard value.

mod draft;
mod sections;

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use memmap2::{Mmap, MmapOptions};
use rayon::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

use crate::error::{Error, Result};
use crate::memory;
use crate::profile::Profile;
use crate::router::Router;

pub(crate) use draft::{Draft, DraftWriter};
pub(crate) use sections::{SectionReader, SectionWriter};

/// First bytes of every cache file.
const MAGIC: &[u8; 16] = b"TOURNEE-GRAPH\0\0\0";
/// Bumped whenever the layout or the meaning of the cached data changes.
pub const FORMAT_VERSION: u32 = 6;
/// Magic, version, key, payload length, payload checksum.
const HEADER_LEN: usize = 16 + 4 + 16 + 8 + 16;

/// What identifies a cached graph: the extract's content and every profile parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheKey(u128);

impl CacheKey {
    /// The key of an extract whose [`file_digest`] is `digest`, built with a profile.
    pub fn of_digest(digest: u128, profile: &Profile) -> Self {
        let mut material = digest.to_le_bytes().to_vec();
        material.extend_from_slice(&profile.fingerprint());
        material.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        CacheKey(xxh3_128(&material))
    }

    /// The key of other data derived from an extract whose [`file_digest`] is `digest`:
    /// `purpose` names what is cached and `version` its own format version.
    pub fn derived(digest: u128, purpose: &str, version: u32) -> Self {
        let mut material = digest.to_le_bytes().to_vec();
        material.extend_from_slice(purpose.as_bytes());
        material.extend_from_slice(&version.to_le_bytes());
        CacheKey(xxh3_128(&material))
    }

    /// The key as 32 hexadecimal digits, for file names.
    pub fn hex(&self) -> String {
        format!("{:032x}", self.0)
    }

    /// The file name of this key's graph, readable by a person browsing the cache.
    pub fn file_name(&self, extract: &Path, profile: &Profile) -> String {
        let stem = extract
            .file_name()
            .and_then(|n| n.to_str())
            .map_or("extract", |n| {
                n.trim_end_matches(".pbf").trim_end_matches(".osm")
            });
        format!("{stem}.{}.{}.graph", profile.kind, self.hex())
    }
}

/// The xxh3 digest of a file's content (the same as `xxh3_128` of its bytes), read through
/// one small buffer: an extract is never held whole in memory for its key, and the
/// buffer, unlike a fresh one as large as the file, needs no page faults.
///
/// # Errors
/// The error of opening or reading the file.
pub fn file_digest(path: &Path) -> std::io::Result<u128> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Xxh3::new();
    let mut buffer = vec![0u8; 1 << 18];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => return Ok(hasher.digest128()),
            Ok(read) => hasher.update(&buffer[..read]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Why a cache file was not used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "reason", content = "detail")]
pub enum CacheMiss {
    /// No file for this key yet.
    #[error("no cached graph yet")]
    Absent,
    /// The file belongs to another format version.
    #[error("cached graph has format version {0}, this build reads {FORMAT_VERSION}")]
    OtherVersion(u32),
    /// The file was built from another extract or profile.
    #[error("cached graph was built from another extract or profile")]
    OtherKey,
    /// The file is damaged: what is wrong with it.
    #[error("cached graph is damaged ({0})")]
    Corrupt(String),
}

/// Reads the graph cached under `key` in `dir`. Its arrays stay in the mapped file, which
/// lives as long as the router (or a clone of one of its arrays).
pub fn load(dir: &Path, name: &str, key: CacheKey) -> std::result::Result<Router, CacheMiss> {
    let map = Arc::new(checked_file(&dir.join(name), MAGIC, FORMAT_VERSION, key)?.0);
    let mut sections = SectionReader::new(&map, HEADER_LEN);
    let router = Router::read_sections(&mut sections)?;
    if !sections.at_end() {
        return Err(CacheMiss::Corrupt(
            "bytes left after the last section".into(),
        ));
    }
    // The checksum populated every page; a router built from the extract holds only what its
    // searches touch, and so should one loaded from its file (Malta 8 × 8's four profiles:
    // 2.99 GB of mapped pages resident after the load without this).
    memory::forget_pages(&map);
    Ok(router)
}

/// Reads a value cached at `path` by [`save_file`] with the same magic, version and key.
pub fn load_file<T: DeserializeOwned>(
    path: &Path,
    magic: &[u8; 16],
    version: u32,
    key: CacheKey,
) -> std::result::Result<T, CacheMiss> {
    let file = checked_file(path, magic, version, key)?;
    postcard::from_bytes(file.payload()).map_err(|e| CacheMiss::Corrupt(e.to_string()))
}

/// A cache file mapped into memory whose header and checksum have been checked.
struct CheckedFile(Mmap);

impl CheckedFile {
    /// The serialised value after the header.
    fn payload(&self) -> &[u8] {
        &self.0[HEADER_LEN..]
    }
}

/// Maps the file at `path` and checks its magic, version, key, length and checksum.
///
/// The file is mapped rather than read into a buffer: a graph's arrays are used where they lie
/// in the mapping, and another value is decoded once, so a copy (and the page faults of a fresh
/// buffer as large as the file) would be pure cost. The mapping is populated at once (one
/// system call instead of a page fault per 4 KiB page): the checksum reads every page anyway.
///
/// Why the whole payload is hashed on every load: a graph's arrays are indices into one another,
/// used in place; a flipped bit or a file overwritten by another program could send a search
/// out of bounds (a panic), or, worse, to wrong but plausible times. Checking every index would
/// cost more than the hash, and a length check alone misses a corrupted byte. The file is
/// written atomically (a new file renamed over the old one, see [`save_file`]), so a reader
/// never sees a half-written file, but the hash is what catches everything else, and it costs
/// a millisecond or two for Malta's 15 MB ([`payload_checksum`]: xxh3, on every core).
fn checked_file(
    path: &Path,
    magic: &[u8; 16],
    version: u32,
    key: CacheKey,
) -> std::result::Result<CheckedFile, CacheMiss> {
    let file = fs::File::open(path).map_err(|_| CacheMiss::Absent)?;
    // SAFETY: the mapping is only read, and a cache file is never changed in place once
    // written: `save_file` writes a new file under another name and renames it over the old
    // one, so a mapped file keeps its bytes while it is mapped.
    let bytes = unsafe { MmapOptions::new().populate().map(&file) }
        .map_err(|e| CacheMiss::Corrupt(format!("cannot map the file: {e}")))?;
    if bytes.len() < HEADER_LEN || &bytes[..16] != magic {
        return Err(CacheMiss::Corrupt(
            "not a Tournée cache file of this kind".into(),
        ));
    }
    let found = u32::from_le_bytes(field(&bytes, 16));
    if found != version {
        return Err(CacheMiss::OtherVersion(found));
    }
    if u128::from_le_bytes(field(&bytes, 20)) != key.0 {
        return Err(CacheMiss::OtherKey);
    }
    let length = u64::from_le_bytes(field(&bytes, 36));
    let checksum = u128::from_le_bytes(field(&bytes, 44));
    let payload = &bytes[HEADER_LEN..];
    if payload.len() as u64 != length {
        return Err(CacheMiss::Corrupt(format!(
            "payload is {} bytes, header says {length}",
            payload.len()
        )));
    }
    if payload_checksum(payload) != checksum {
        return Err(CacheMiss::Corrupt("checksum mismatch".into()));
    }
    Ok(CheckedFile(bytes))
}

/// Bytes of payload hashed apart, so that a load checks them on every core.
const CHECKSUM_BLOCK: usize = 1 << 20;

/// The checksum of a payload: the xxh3 of the xxh3 of each [`CHECKSUM_BLOCK`] bytes, the
/// blocks hashed on every core (the single-stream hash of Malta's 15 MB was a few percent of a
/// whole `tournee matrix` process).
fn payload_checksum(payload: &[u8]) -> u128 {
    let digests: Vec<u8> = payload
        .par_chunks(CHECKSUM_BLOCK)
        .map(|block| xxh3_128(block).to_le_bytes())
        .collect::<Vec<_>>()
        .concat();
    xxh3_128(&digests)
}

/// A writer that counts what goes through it and computes its [`payload_checksum`] on the way.
pub(crate) struct Hashing<W> {
    inner: W,
    /// The current block's hash so far.
    block: Xxh3,
    /// The digests of the blocks before it.
    digests: Vec<u8>,
    length: u64,
}

impl<W> Hashing<W> {
    fn new(inner: W) -> Self {
        Hashing {
            inner,
            block: Xxh3::new(),
            digests: Vec::new(),
            length: 0,
        }
    }

    /// The [`payload_checksum`] of what was written.
    fn checksum(&self) -> u128 {
        let mut digests = self.digests.clone();
        if !self.length.is_multiple_of(CHECKSUM_BLOCK as u64) {
            digests.extend_from_slice(&self.block.digest128().to_le_bytes());
        }
        xxh3_128(&digests)
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(bytes)?;
        let mut rest = &bytes[..written];
        while !rest.is_empty() {
            let in_block = (self.length % CHECKSUM_BLOCK as u64) as usize;
            let (now, later) = rest.split_at(rest.len().min(CHECKSUM_BLOCK - in_block));
            self.block.update(now);
            self.length += now.len() as u64;
            if self.length.is_multiple_of(CHECKSUM_BLOCK as u64) {
                self.digests
                    .extend_from_slice(&self.block.digest128().to_le_bytes());
                self.block.reset();
            }
            rest = later;
        }
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// `N` header bytes from `at` (the caller has checked the header length).
fn field<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
    std::array::from_fn(|i| bytes[at + i])
}

/// A draft of the graph cache file `name` in `dir`, to be filled part by part (see
/// [`Router::prepare`]).
///
/// # Errors
/// The error of creating the directory or the file.
pub(crate) fn graph_draft(dir: &Path, name: &str, key: CacheKey) -> std::io::Result<Draft> {
    Draft::named(dir, name, MAGIC, FORMAT_VERSION, key)
}

/// A draft of a graph file that no one else sees, deleted once the router built from it is
/// dropped: where an import without a cache keeps what it does not need in memory.
///
/// # Errors
/// The error of creating the file.
pub(crate) fn temporary_graph_draft(key: CacheKey) -> std::io::Result<Draft> {
    Draft::temporary(MAGIC, FORMAT_VERSION, key)
}

/// Writes `value` as `name` in `dir` (created if needed) with a header of `magic`, `version`
/// and `key`, atomically: a reader never sees a half-written file.
///
/// # Errors
/// [`Error::CacheWrite`] when the directory or the file cannot be written.
pub fn save_file<T: Serialize>(
    dir: &Path,
    name: &str,
    magic: &[u8; 16],
    version: u32,
    key: CacheKey,
    value: &T,
) -> Result<PathBuf> {
    write_atomically(dir, name, magic, version, key, |draft| {
        postcard::to_io(value, draft.payload())
            .map(drop)
            .map_err(|e| std::io::Error::other(e.to_string()))
    })
}

/// Writes a cache file of `magic`, `version` and `key` whose payload `write_payload` writes,
/// under another name first, then renamed to `name` in `dir`. The payload goes straight to
/// the file, hashed on the way, instead of being built in memory first: at region scale that
/// copy would be as large as the graph itself.
fn write_atomically(
    dir: &Path,
    name: &str,
    magic: &[u8; 16],
    version: u32,
    key: CacheKey,
    write_payload: impl FnOnce(&mut Draft) -> std::io::Result<()>,
) -> Result<PathBuf> {
    let path = dir.join(name);
    let write_error = |source| Error::CacheWrite {
        path: path.clone(),
        source,
    };
    let mut draft = Draft::named(dir, name, magic, version, key).map_err(write_error)?;
    if let Err(error) = write_payload(&mut draft) {
        draft.abandon();
        return Err(write_error(error));
    }
    draft.finish().map_err(write_error)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::{file_digest, xxh3_128};

    /// The digest read through a buffer is the hash of the whole content, across several
    /// buffers and a partial last one, so keys computed either way are the same.
    #[test]
    fn a_file_digest_is_the_hash_of_its_bytes() {
        let bytes: Vec<u8> = (0..(3 << 18) + 12_345u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), &bytes).unwrap();
        assert_eq!(file_digest(file.path()).unwrap(), xxh3_128(&bytes));
    }
}
