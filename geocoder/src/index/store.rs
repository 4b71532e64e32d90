//! The index in the graph cache: saved next to the road graphs with a magic and a format
//! version of its own, keyed by the extract's content, loaded while the extract is unchanged and
//! rebuilt (and saved again) otherwise.

use std::path::Path;
use std::time::{Duration, Instant};

use osm_data::cache::{self, CacheKey};
use osm_data::import::{CachePolicy, CacheStatus};
use osm_data::progress::Progress;

use super::{Index, IndexData, build, read};
use crate::error::{Error, Result};

/// First bytes of an index file.
const MAGIC: &[u8; 16] = b"TOURNEE-GEOCODE\0";
/// Bumped whenever the layout or the meaning of the saved index changes (3: the cache's
/// checksum became one over 1 MiB blocks, `osm_data::cache`).
pub const FORMAT_VERSION: u32 = 3;

/// How an index was obtained and how long it took.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// From the cache, built and saved, or built without a cache.
    pub cache: CacheStatus,
    /// Reading the extract and building (zero when loaded).
    pub build_time: Duration,
    /// Reading the cache file and deriving the search structures (zero when built).
    pub load_time: Duration,
}

/// The index of `extract`: from the cache when it holds one for this content, else built (and
/// saved when caching).
///
/// # Errors
/// The errors of reading the extract; [`Error::Osm`] when it cannot be read to compute its
/// key. A cache file that cannot be written is reported in [`Loaded::cache`], not as an error.
pub fn load_or_build(
    extract: &Path,
    policy: &CachePolicy,
    progress: &dyn Progress,
) -> Result<(Index, Loaded)> {
    let CachePolicy::Directory(dir) = policy else {
        let started = Instant::now();
        let index = Index::build(extract, progress)?;
        let loaded = Loaded {
            cache: CacheStatus::Uncached,
            build_time: started.elapsed(),
            load_time: Duration::ZERO,
        };
        return Ok((index, loaded));
    };
    // The extract is hashed through a small buffer, never held whole: a region's is hundreds of
    // MB, and the build below reads it again anyway.
    let digest = cache::file_digest(extract).map_err(|source| {
        Error::Osm(osm_data::Error::Io {
            path: extract.to_owned(),
            source,
        })
    })?;
    let key = CacheKey::derived(digest, "geocoder", FORMAT_VERSION);
    let name = file_name(extract, key);
    let path = dir.join(&name);
    let started = Instant::now();
    let miss = match cache::load_file::<IndexData>(&path, MAGIC, FORMAT_VERSION, key) {
        Ok(data) => {
            let index = Index::new(data);
            let loaded = Loaded {
                cache: CacheStatus::Loaded { path },
                build_time: Duration::ZERO,
                load_time: started.elapsed(),
            };
            return Ok((index, loaded));
        }
        Err(miss) => miss,
    };
    let started = Instant::now();
    let data = build::build(read::read(extract, progress)?);
    let cache = match cache::save_file(dir, &name, MAGIC, FORMAT_VERSION, key, &data) {
        Ok(path) => CacheStatus::Built { miss, path },
        Err(error) => CacheStatus::NotSaved {
            miss,
            error: error.to_string(),
        },
    };
    let index = Index::new(data);
    let loaded = Loaded {
        cache,
        build_time: started.elapsed(),
        load_time: Duration::ZERO,
    };
    Ok((index, loaded))
}

/// `liechtenstein-2021.<key>.geocoder`: readable next to the graphs of the same extract.
fn file_name(extract: &Path, key: CacheKey) -> String {
    let stem = extract
        .file_name()
        .and_then(|n| n.to_str())
        .map_or("extract", |n| {
            n.trim_end_matches(".pbf").trim_end_matches(".osm")
        });
    format!("{stem}.{}.geocoder", key.hex())
}
