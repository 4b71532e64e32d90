//! The data shared beside the repository (`../shared/`), found in one place for every test
//! crate and benchmark, which include this file by path: where it is absent, the caller hears
//! `None` after a `skipped:` line and passes on a machine without it.

use std::path::{Path, PathBuf};

/// `relative` under the `shared/` folder beside the workspace (`osm/andorra-2021.osm.pbf`), or
/// `None` after saying `skipped: … not found` when it is absent.
pub fn shared(relative: &str) -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").exists())
        .unwrap_or(manifest);
    let path = workspace.join("../shared").join(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "skipped: {} not found (the shared data lives beside the repository)",
            path.display()
        );
        None
    }
}
