//! Fetches the page's third-party assets (Leaflet, pinned in `web/package-lock.json`) from the
//! npm registry into `OUT_DIR`, so the binary can embed them and serve the page offline; and
//! rebuilds the crate when a database migration is added.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-changed=web/package.json");
    println!("cargo::rerun-if-changed=web/package-lock.json");
    // `sqlx::migrate!` embeds the migrations: a new file must rebuild the crate.
    println!("cargo::rerun-if-changed=migrations");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let web = out_dir.join("web");
    if let Err(message) = install(Path::new("web"), &web) {
        panic!("cannot fetch the web page's assets: {message}");
    }
}

/// Runs `npm ci` in a copy of the manifest, unless the pinned packages are already there.
fn install(source: &Path, target: &Path) -> Result<(), String> {
    std::fs::create_dir_all(target).map_err(|e| format!("{}: {e}", target.display()))?;
    let mut unchanged = true;
    for file in ["package.json", "package-lock.json"] {
        let wanted = std::fs::read(source.join(file)).map_err(|e| format!("{file}: {e}"))?;
        let present = std::fs::read(target.join(file)).ok();
        if present.as_deref() != Some(wanted.as_slice()) {
            std::fs::write(target.join(file), &wanted).map_err(|e| format!("{file}: {e}"))?;
            unchanged = false;
        }
    }
    if unchanged && target.join("node_modules/leaflet/dist/leaflet.js").exists() {
        return Ok(());
    }
    let status = Command::new("npm")
        .args([
            "ci",
            "--omit=dev",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ])
        .current_dir(target)
        .status()
        .map_err(|e| format!("npm (Node.js) is needed to build tournee: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`npm ci` failed ({status}) in {}",
            target.display()
        ))
    }
}
