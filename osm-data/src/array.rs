//! Read-only arrays of a prepared graph: owned by a fresh build, or lying in place in the mapped
//! cache file, so that loading a cached graph neither decodes nor copies its arrays.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use bytemuck::{CheckedBitPattern, NoUninit};
use memmap2::Mmap;

/// A read-only array: a vector, or a checked slice of a mapped cache file kept alive with it.
/// Either way it is read through one pointer and length, without a branch on which it is (the
/// hierarchy's searches index these arrays in their innermost loops).
pub(crate) struct Array<T: 'static> {
    /// The first value, inside `owner`'s vector or mapping.
    start: *const T,
    len: usize,
    owner: Owner<T>,
}

/// What keeps an [`Array`]'s values alive.
enum Owner<T: 'static> {
    /// A vector, never changed once it is an array (its heap buffer does not move with it).
    Vec(Vec<T>),
    /// A mapping, read-only and never written in place (see `cache::checked_file`).
    Map(Arc<Mmap>),
}

// SAFETY: an array is an immutable view of values that it owns or keeps alive (a vector, or a
// read-only mapping); it is shared between threads exactly as a `&[T]` would be.
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
        Ok(Array {
            start: values.as_ptr(),
            len: values.len(),
            owner: Owner::Map(Arc::clone(map)),
        })
    }

    /// The array's bytes, as written to a cache file.
    pub(crate) fn bytes(&self) -> &[u8] {
        bytemuck::cast_slice(self)
    }
}

impl<T: 'static> Array<T> {
    /// Takes the pages of the mapping the array lies in (all of it, not only the array's
    /// part) out of the resident set; nothing for an array in a vector.
    pub(crate) fn forget_mapped_pages(&self) {
        if let Owner::Map(map) = &self.owner {
            crate::memory::forget_pages(map);
        }
    }
}

impl<T> Deref for Array<T> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        // SAFETY: `start` and `len` were taken from a valid `&[T]` into `owner`'s vector or
        // mapping, which the array keeps alive and unchanged.
        unsafe { std::slice::from_raw_parts(self.start, self.len) }
    }
}

impl<T> From<Vec<T>> for Array<T> {
    fn from(values: Vec<T>) -> Self {
        Array {
            start: values.as_ptr(),
            len: values.len(),
            owner: Owner::Vec(values),
        }
    }
}

impl<T> Default for Array<T> {
    fn default() -> Self {
        Array::from(Vec::new())
    }
}

impl<T: Clone> Clone for Array<T> {
    fn clone(&self) -> Self {
        match &self.owner {
            Owner::Vec(values) => Array::from(values.clone()),
            Owner::Map(map) => Array {
                start: self.start,
                len: self.len,
                owner: Owner::Map(Arc::clone(map)),
            },
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Array<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}
