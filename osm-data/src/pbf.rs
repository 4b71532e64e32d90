//! The PBF container: reading blobs, telling "not PBF" from "corrupt", decoding blocks on every
//! core.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use osmpbf::{BlobDecode, BlobReader, PrimitiveBlock};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::geo::BoundingBox;
use crate::progress::{Progress, Stage};

/// PBF features this reader understands; a file requiring anything else is refused.
const SUPPORTED_FEATURES: [&str; 2] = ["OsmSchema-V0.6", "DenseNodes"];

/// What the file header says.
#[derive(Clone, Debug, Default)]
pub struct PbfHeader {
    /// The extract's declared area, if any (nodes may lie outside it).
    pub bbox: Option<BoundingBox>,
}

/// Reads every blob of `path`, then decodes the data blocks in parallel with `decode`, keeping
/// the file order of the results.
///
/// # Errors
/// [`Error::Io`] when the file cannot be opened, [`Error::NotPbf`] when its first blob cannot be
/// read, [`Error::CorruptPbf`] when a later blob or a block fails, [`Error::EmptyExtract`] when
/// there is no data block, [`Error::UnsupportedFeature`] for history files and the like.
pub fn decode_blocks<T: Send>(
    path: &Path,
    progress: &dyn Progress,
    decode: impl Fn(&PrimitiveBlock) -> T + Sync,
) -> Result<(PbfHeader, Vec<T>)> {
    let (header, blocks) = decode_selected(path, progress, |_| true, decode)?;
    Ok((header, blocks.into_iter().map(|(_, block)| block).collect()))
}

/// As [`decode_blocks`], but decompresses only the blobs `select` accepts (by position in the
/// file, the header blob being 0), and returns each data block's result with that position, so
/// that a second pass over the same file can skip the blobs it does not need. The header is read
/// only if blob 0 is selected.
///
/// # Errors
/// As [`decode_blocks`]; [`Error::EmptyExtract`] when no selected blob is a data block.
pub fn decode_selected<T: Send>(
    path: &Path,
    progress: &dyn Progress,
    select: impl Fn(usize) -> bool + Sync,
    decode: impl Fn(&PrimitiveBlock) -> T + Sync,
) -> Result<(PbfHeader, Vec<(usize, T)>)> {
    let io_error = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(io_error)?;
    let total_bytes = file.metadata().map_err(io_error)?.len();
    progress.start(Stage::Decoding, total_bytes);
    let reader = BlobReader::new(BufReader::new(CountingReader {
        inner: file,
        progress,
    }));
    // Blobs are read on one thread and decoded on every core as they arrive; results carry
    // their index and are put back in file order afterwards.
    let mut decoded: Vec<(usize, Result<Decoded<T>>)> = reader
        .enumerate()
        .par_bridge()
        .map(|(index, blob)| {
            let blob = blob.map_err(|e| match index {
                0 => not_pbf(path, &e),
                _ => corrupt(path, index, &e),
            });
            let result = blob.and_then(|blob| match select(index).then(|| blob.decode()) {
                None => Ok(Decoded::Skipped),
                Some(Ok(BlobDecode::OsmData(block))) => Ok(Decoded::Data(decode(&block))),
                Some(Ok(BlobDecode::OsmHeader(header))) => Ok(Decoded::Header(header)),
                Some(Ok(BlobDecode::Unknown(_))) => Ok(Decoded::Skipped),
                Some(Err(e)) => Err(corrupt(path, index, &e)),
            });
            (index, result)
        })
        .collect();
    decoded.sort_unstable_by_key(|(index, _)| *index);
    let mut header = PbfHeader::default();
    let mut blocks = Vec::with_capacity(decoded.len());
    for (index, result) in decoded {
        match result? {
            Decoded::Data(block) => blocks.push((index, block)),
            Decoded::Header(head) if index == 0 => header = read_header(path, &head)?,
            Decoded::Header(_) | Decoded::Skipped => {}
        }
    }
    if blocks.is_empty() {
        return Err(Error::EmptyExtract {
            path: path.to_owned(),
        });
    }
    Ok((header, blocks))
}

/// What one blob turned out to hold.
enum Decoded<T> {
    Data(T),
    Header(Box<osmpbf::HeaderBlock>),
    Skipped,
}

/// Reports the bytes read from the file as progress.
struct CountingReader<'a> {
    inner: File,
    progress: &'a dyn Progress,
}

impl Read for CountingReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}

/// Checks that every feature the header requires is supported and reads the declared area.
fn read_header(path: &Path, head: &osmpbf::HeaderBlock) -> Result<PbfHeader> {
    if let Some(feature) = head
        .required_features()
        .iter()
        .find(|f| !SUPPORTED_FEATURES.contains(&f.as_str()))
    {
        return Err(Error::UnsupportedFeature {
            path: path.to_owned(),
            feature: feature.clone(),
        });
    }
    Ok(PbfHeader {
        bbox: head.bbox().map(|b| BoundingBox {
            min_lat: b.bottom,
            min_lon: b.left,
            max_lat: b.top,
            max_lon: b.right,
        }),
    })
}

fn not_pbf(path: &Path, e: &osmpbf::Error) -> Error {
    Error::NotPbf {
        path: path.to_owned(),
        reason: e.to_string(),
    }
}

fn corrupt(path: &Path, block: usize, e: &osmpbf::Error) -> Error {
    Error::CorruptPbf {
        path: path.to_owned(),
        block,
        reason: e.to_string(),
    }
}
