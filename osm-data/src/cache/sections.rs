//! The layout of a cached graph's payload: a sequence of sections, each a little-endian `u64`
//! byte length then that many bytes, padded with zeros to a multiple of 8 bytes, so that every
//! section starts 8-byte aligned in the file (and in its page-aligned mapping). An array
//! section holds the array's values as they lie in memory (fixed width, little-endian), used in
//! place through [`Array`]; a value section holds a small value in postcard.
//!
//! Sections carry no names: a reader asks for them in the order the writer wrote them, which
//! [`super::FORMAT_VERSION`] pins.

use std::io::{self, Write};
use std::sync::Arc;

use bytemuck::{CheckedBitPattern, NoUninit};
use memmap2::Mmap;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::CacheMiss;
use crate::array::Array;

/// Alignment of every section, enough for any value an array holds (`u64`, `f64`).
const ALIGN: usize = 8;

/// Bytes of an array given value by value gathered before each write: 1 MiB.
const STREAM_CHUNK_BYTES: usize = 1 << 20;

/// Writes sections, tracking its position in the file so that it can pad them.
pub(crate) struct SectionWriter<W> {
    inner: W,
    position: usize,
}

impl<W: Write> SectionWriter<W> {
    /// A writer at byte `position` of the file (where `inner` writes next).
    pub(super) fn new(inner: W, position: usize) -> Self {
        SectionWriter { inner, position }
    }

    /// Writes an array section.
    pub(crate) fn array<T: CheckedBitPattern + NoUninit>(
        &mut self,
        array: &Array<T>,
    ) -> io::Result<()> {
        self.section(array.bytes())
    }

    /// Writes an array section of the values of a slice, as [`SectionWriter::array`] writes
    /// them from an array.
    pub(crate) fn slice<T: NoUninit>(&mut self, values: &[T]) -> io::Result<()> {
        self.section(bytemuck::cast_slice(values))
    }

    /// Writes an array section of `len` values given one by one, as [`SectionWriter::array`]
    /// writes them from an array, without holding them all.
    ///
    /// # Errors
    /// The error of writing, or [`io::ErrorKind::InvalidData`] if `values` does not yield
    /// exactly `len` values (the section's length is written first).
    pub(crate) fn array_from<T: CheckedBitPattern + NoUninit>(
        &mut self,
        len: usize,
        values: impl IntoIterator<Item = T>,
    ) -> io::Result<()> {
        self.pad()?;
        self.write(&((len * size_of::<T>()) as u64).to_le_bytes())?;
        let mut chunk = Vec::with_capacity(STREAM_CHUNK_BYTES / size_of::<T>().max(1));
        let mut written = 0;
        for value in values {
            chunk.push(value);
            if chunk.len() == chunk.capacity() {
                written += chunk.len();
                self.write(bytemuck::cast_slice(&chunk))?;
                chunk.clear();
            }
        }
        written += chunk.len();
        self.write(bytemuck::cast_slice(&chunk))?;
        if written != len {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("an array section of {len} values was given {written}"),
            ));
        }
        self.pad()
    }

    /// Writes a value section.
    pub(crate) fn value<T: Serialize>(&mut self, value: &T) -> io::Result<()> {
        let bytes = postcard::to_stdvec(value).map_err(|e| io::Error::other(e.to_string()))?;
        self.section(&bytes)
    }

    fn section(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.pad()?;
        self.write(&(bytes.len() as u64).to_le_bytes())?;
        self.write(bytes)?;
        self.pad()
    }

    fn pad(&mut self) -> io::Result<()> {
        let padding = self.position.next_multiple_of(ALIGN) - self.position;
        self.write(&[0; ALIGN][..padding])
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.inner.write_all(bytes)?;
        self.position += bytes.len();
        Ok(())
    }
}

/// Reads the sections of a mapped cache file in the order they were written.
pub(crate) struct SectionReader<'a> {
    map: &'a Arc<Mmap>,
    /// Where the next section's length lies (or its padding before it).
    position: usize,
}

impl<'a> SectionReader<'a> {
    /// A reader of the sections of `map` from byte `position`.
    pub(crate) fn new(map: &'a Arc<Mmap>, position: usize) -> Self {
        SectionReader { map, position }
    }

    /// Whether every byte of the file has been read (trailing padding aside).
    pub(super) fn at_end(&self) -> bool {
        self.position.next_multiple_of(ALIGN) >= self.map.len()
    }

    /// The next section, an array used in place.
    pub(crate) fn array<T: CheckedBitPattern + NoUninit>(&mut self) -> Result<Array<T>, CacheMiss> {
        let bytes = self.section()?;
        Array::mapped(self.map, bytes).map_err(CacheMiss::Corrupt)
    }

    /// The next section, a value decoded from postcard.
    pub(crate) fn value<T: DeserializeOwned>(&mut self) -> Result<T, CacheMiss> {
        postcard::from_bytes(self.section()?).map_err(|e| CacheMiss::Corrupt(e.to_string()))
    }

    fn section(&mut self) -> Result<&'a [u8], CacheMiss> {
        let map: &'a Mmap = self.map;
        let start = self.position.next_multiple_of(ALIGN);
        let length = start
            .checked_add(8)
            .and_then(|end| map.get(start..end))
            .map(|b| u64::from_le_bytes(std::array::from_fn(|i| b[i])))
            .ok_or_else(|| CacheMiss::Corrupt(format!("no section at byte {start}")))?;
        let data = start + 8;
        let bytes = usize::try_from(length)
            .ok()
            .and_then(|length| data.checked_add(length))
            .and_then(|end| map.get(data..end))
            .ok_or_else(|| {
                CacheMiss::Corrupt(format!(
                    "section at byte {start} says {length} bytes, past the end of the file"
                ))
            })?;
        self.position = data + bytes.len();
        Ok(bytes)
    }
}
