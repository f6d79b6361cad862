//! `.aoaigen-manifest.json`: what aoaigen generated in a directory, so a re-render can prune its own stale
//! files, leave everyone else's alone, and notice hand edits.
//!
//! The manifest lives in the output directory, which a repository (a pull request) controls: it is data to
//! verify, never a list of paths to trust. Only entries of generated-file shape (`is_generated_path`) are
//! used; anything else (`../x`, `/abs`, `a\b`, hidden names) is ignored and reported.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const MANIFEST_FILE: &str = ".aoaigen-manifest.json";

/// File name extensions aoaigen generates (a manifest entry with another one is not ours).
const EXTENSIONS: &[&str] = &["tf", "bicep", "bicepparam", "md", "sh", "json", "example"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub generator: String,
    pub version: String,
    /// The spec's file name (never the path as typed: the output must not depend on it).
    pub spec: String,
    /// SHA-256 of the spec's content as aoaigen reads it (`spec_digest`): comments, layout, quoting and
    /// line endings do not change it.
    pub spec_content_sha256: String,
    pub target: String,
    /// Relative path (`/`-separated) -> SHA-256 of the bytes written.
    pub files: BTreeMap<String, String>,
}

/// What a render needs from an existing manifest: its files. Everything else is informative, so a
/// manifest from another aoaigen version still reads.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Previous {
    pub files: BTreeMap<String, String>,
}

impl Manifest {
    pub fn new(
        spec_name: &str,
        spec_digest: &str,
        target: &str,
        files: &BTreeMap<String, Vec<u8>>,
    ) -> Self {
        Self {
            generator: "aoaigen".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            spec: spec_name.into(),
            spec_content_sha256: spec_digest.into(),
            target: target.into(),
            files: files.iter().map(|(p, b)| (p.clone(), sha256(b))).collect(),
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut s = serde_json::to_string_pretty(self).expect("manifest serialises");
        s.push('\n');
        s.into_bytes()
    }
}

impl Previous {
    /// Parses a manifest's bytes; the error says what is wrong with it.
    pub fn parse(bytes: &[u8]) -> Result<Self, String> {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }

    /// The entries that can be aoaigen's, and the ones that cannot (to report).
    pub fn split(self) -> (BTreeMap<String, String>, Vec<String>) {
        let (good, bad): (BTreeMap<_, _>, BTreeMap<_, _>) = self
            .files
            .into_iter()
            .partition(|(p, h)| is_generated_path(p) && is_sha256(h));
        (good, bad.into_keys().collect())
    }
}

/// The spec's content digest: SHA-256 of the parsed spec (defaults applied) as compact JSON. Comments,
/// whitespace, quoting, key order and line endings (a CRLF checkout) do not change it; any change of
/// meaning does.
pub fn spec_digest(spec: &impl Serialize) -> String {
    sha256(&serde_json::to_vec(spec).expect("the spec serialises"))
}

/// Whether `p` has the shape of a file aoaigen generates: a normalised relative `/`-separated path of at
/// most three segments, each starting with a letter or digit and made of `[A-Za-z0-9._-]` (so no `..`, no
/// absolute path, no backslash, NUL or hidden name), ending in a generated extension.
pub fn is_generated_path(p: &str) -> bool {
    let segments: Vec<&str> = p.split('/').collect();
    let segment_ok = |s: &&str| {
        s.len() <= 100
            && s.starts_with(|c: char| c.is_ascii_alphanumeric())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    };
    (1..=3).contains(&segments.len())
        && segments.iter().all(segment_ok)
        && p.rsplit_once('.')
            .is_some_and(|(_, ext)| EXTENSIONS.contains(&ext))
}

fn is_sha256(h: &str) -> bool {
    h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit())
}

pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_paths() {
        for ok in [
            "main.tf",
            "scripts/status.sh",
            "modules/openai-account.bicep",
            "terraform.tfvars.example",
            "README.md",
        ] {
            assert!(is_generated_path(ok), "{ok}");
        }
        for bad in [
            "../victim.tf",
            "/etc/passwd.tf",
            "scripts/../../x.tf",
            "./main.tf",
            "a\\b.tf",
            "a\0.tf",
            ".hidden.tf",
            "scripts//x.sh",
            "",
            "main.exe",
            "a/b/c/d.tf",
            "C:/x.tf",
        ] {
            assert!(!is_generated_path(bad), "{bad:?}");
        }
    }

    #[test]
    fn unusable_entries_are_split_off() {
        let p = Previous::parse(
            format!(
                r#"{{"files": {{"main.tf": "{h}", "../x.tf": "{h}", "b.tf": "nothex"}}, "other": 1}}"#,
                h = "a".repeat(64)
            )
            .as_bytes(),
        )
        .unwrap();
        let (good, bad) = p.split();
        assert_eq!(good.keys().collect::<Vec<_>>(), ["main.tf"]);
        assert_eq!(bad, ["../x.tf", "b.tf"]);
    }
}
