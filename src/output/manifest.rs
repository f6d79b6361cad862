//! `.aoaigen-manifest.json`: what aoaigen generated in a directory, so a re-render can prune its own stale
//! files, leave everyone else's alone, and notice hand edits.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const MANIFEST_FILE: &str = ".aoaigen-manifest.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub generator: String,
    pub version: String,
    /// The spec as named on the command line.
    pub spec: String,
    pub spec_sha256: String,
    pub target: String,
    /// Relative path -> SHA-256 of the bytes written.
    pub files: BTreeMap<String, String>,
}

impl Manifest {
    pub fn new(
        spec: &str,
        spec_text: &str,
        target: &str,
        files: &BTreeMap<String, Vec<u8>>,
    ) -> Self {
        Self {
            generator: "aoaigen".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            spec: spec.into(),
            spec_sha256: sha256(spec_text.as_bytes()),
            target: target.into(),
            files: files.iter().map(|(p, b)| (p.clone(), sha256(b))).collect(),
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut s = serde_json::to_string_pretty(self).expect("manifest serialises");
        s.push('\n');
        s.into_bytes()
    }

    /// The manifest in `dir`, `Ok(None)` when there is none.
    pub fn read(dir: &Path) -> Result<Option<Self>, String> {
        let path = dir.join(MANIFEST_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| format!("{} is not a valid aoaigen manifest ({e})", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        }
    }
}

pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
