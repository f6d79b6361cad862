//! Spec loading and validation (pipeline stages 1 and 2).
//!
//! Input: a spec file path. Output: a `Validated` spec (`RawSpec` plus the span map that locates every value)
//! or the located diagnostics that explain why it is not valid. The JSON Schema runs first and reports every
//! structural problem at once; semantic checks (`check`) run only on a structurally valid spec.

pub mod check;
pub mod model;
pub mod schema;
pub mod yaml;

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
pub use model::RawSpec;
use yaml::SpanMap;

/// The spec file as read from disk.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as the user gave it, used in messages and headers.
    pub display_name: String,
    /// The directory that relative paths in the spec (a PFX file) are resolved against.
    pub dir: PathBuf,
    /// The file's text (empty when it could not be read).
    pub text: String,
}

/// A structurally valid spec with the locations of its values.
#[derive(Debug, Clone)]
pub struct Validated {
    pub spec: RawSpec,
    pub spans: SpanMap,
    pub source: Source,
}

impl Validated {
    /// Whether the author wrote the value at `pointer` (as opposed to it coming from a default).
    pub fn given(&self, pointer: &str) -> bool {
        self.spans.contains_key(pointer)
    }
}

/// Reads the spec file; a directory, a missing or unreadable file becomes a diagnostic.
pub fn read(path: &Path) -> Result<Source, (Source, Diagnostic)> {
    let display_name = path.display().to_string();
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let empty = Source {
        display_name: display_name.clone(),
        dir: dir.clone(),
        text: String::new(),
    };
    if path.is_dir() {
        return Err((
            empty,
            Diagnostic::error(
                "not-a-file",
                "",
                format!("`{display_name}` is a directory, not a spec file"),
            )
            .with_help("pass the YAML file with --spec, e.g. --spec aoaigen.yaml"),
        ));
    }
    // Only regular files: a FIFO would block the read forever and a device such as /dev/zero never ends.
    let meta = std::fs::metadata(path);
    if let Ok(m) = &meta {
        if !m.is_file() {
            return Err((
                empty,
                Diagnostic::error(
                    "not-a-file",
                    "",
                    format!("`{display_name}` is not a regular file (a device, pipe or socket)"),
                )
                .with_help("pass the YAML file with --spec, e.g. --spec aoaigen.yaml"),
            ));
        }
        if m.len() > yaml::MAX_BYTES as u64 {
            return Err((empty, yaml::too_large(m.len())));
        }
    }
    let bytes = match read_at_most(path, yaml::MAX_BYTES as u64 + 1) {
        Ok(b) => b,
        Err(e) => {
            let help = if e.kind() == std::io::ErrorKind::NotFound {
                "create one with `aoaigen init`, or pass another file with --spec"
            } else {
                "check the file's permissions"
            };
            return Err((
                empty,
                Diagnostic::error(
                    "unreadable",
                    "",
                    format!("cannot read `{display_name}`: {e}"),
                )
                .with_help(help),
            ));
        }
    };
    match yaml::decode(&bytes) {
        Ok(text) => Ok(Source {
            display_name,
            dir,
            text: text.to_string(),
        }),
        Err(d) => {
            // Keep the valid prefix so the snippet can show where the bad byte is.
            let prefix =
                String::from_utf8_lossy(&bytes[..bytes.len().min(yaml::MAX_BYTES)]).into_owned();
            Err((
                Source {
                    text: prefix,
                    ..empty
                },
                d,
            ))
        }
    }
}

/// The file's first `limit` bytes: a file that grows while it is read cannot exhaust memory.
fn read_at_most(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Loads and validates the spec text: every structural and semantic problem, located.
pub fn validate(source: Source) -> (Option<Validated>, Vec<Diagnostic>) {
    let loaded = match yaml::load(&source.text) {
        Ok(l) => l,
        Err(d) => return (None, vec![d]),
    };
    if !loaded.value.is_object() {
        let d = yaml::error_at(
            &loaded.spans,
            "not-a-mapping",
            "",
            "the spec must be a YAML mapping with `version`, `name`, `location` and `models`",
        )
        .with_help("start from `aoaigen init`, which writes a commented starter spec");
        return (None, vec![d]);
    }
    let mut diags = schema::check(&loaded.value, &loaded.spans);
    if !diags.is_empty() {
        return (None, diags);
    }
    let spec: RawSpec = match serde_json::from_value(loaded.value) {
        Ok(s) => s,
        Err(e) => {
            // The schema is generated from the same types, so disagreement is our bug, not the user's.
            let d = Diagnostic::error(
                "internal",
                "",
                format!(
                    "the spec passed the schema but could not be read ({e}); this is a bug in aoaigen"
                ),
            );
            return (None, vec![d]);
        }
    };
    let validated = Validated {
        spec,
        spans: loaded.spans,
        source,
    };
    diags.extend(check::check(&validated));
    (Some(validated), diags)
}
