//! Read-only arrays of a prepared graph: owned by a fresh build, or lying in place in the mapped
//! cache file, so that loading a cached graph neither decodes nor copies its arrays.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use bytemuck::{CheckedBitPattern, NoUninit};
use memmap2::Mmap;

/// A read-only array: a vector, or a checked slice of a mapped cache file kept alive with it.
pub(crate) struct Array<T: 'static>(Storage<T>);

enum Storage<T: 'static> {
    Owned(Vec<T>),
    /// `len` values of `T` at `start`, inside `map`'s bytes (checked by [`Array::mapped`]).
    Mapped {
        map: Arc<Mmap>,
        start: *const T,
        len: usize,
    },
}

// SAFETY: a mapped array is an immutable view of a read-only mapping that it keeps alive; it
// is shared between threads exactly as a `&[T]` would be.
unsafe impl<T: Sync> Send for Array<T> {}
// SAFETY: as above; nothing is ever written through the view.
unsafe impl<T: Sync> Sync for Array<T> {}

impl<T: CheckedBitPattern + NoUninit> Array<T> {
    /// The values stored in `bytes`, a part of `map`, used in place.
    ///
    /// # Errors
    /// A description of the problem when `bytes` is not aligned for `T`, is not a whole number
    /// of values, or holds a bit pattern that is not a valid `T` (a `bool` other than 0 or 1).
    pub(crate) fn mapped(map: &Arc<Mmap>, bytes: &[u8]) -> Result<Self, String> {
        let values: &[T] = bytemuck::checked::try_cast_slice(bytes).map_err(|e| {
            format!(
                "an array of {} bytes is not a valid array of {}: {e}",
                bytes.len(),
                std::any::type_name::<T>()
            )
        })?;
        Ok(Array(Storage::Mapped {
            map: Arc::clone(map),
            start: values.as_ptr(),
            len: values.len(),
        }))
    }

    /// The array's bytes, as written to a cache file.
    pub(crate) fn bytes(&self) -> &[u8] {
        bytemuck::cast_slice(self)
    }
}

impl<T> Deref for Array<T> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        match &self.0 {
            Storage::Owned(values) => values,
            // SAFETY: `mapped` took `start` and `len` from a valid `&[T]` into the mapping,
            // which `map` keeps alive and unchanged (read-only, never written in place: see
            // `cache::checked_file`).
            Storage::Mapped { start, len, map: _ } => unsafe {
                std::slice::from_raw_parts(*start, *len)
            },
        }
    }
}

impl<T> From<Vec<T>> for Array<T> {
    fn from(values: Vec<T>) -> Self {
        Array(Storage::Owned(values))
    }
}

impl<T> Default for Array<T> {
    fn default() -> Self {
        Array(Storage::Owned(Vec::new()))
    }
}

impl<T: Clone> Clone for Array<T> {
    fn clone(&self) -> Self {
        match &self.0 {
            Storage::Owned(values) => Array(Storage::Owned(values.clone())),
            Storage::Mapped { map, start, len } => Array(Storage::Mapped {
                map: Arc::clone(map),
                start: *start,
                len: *len,
            }),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Array<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}
