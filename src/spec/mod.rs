//! Spec loading and validation (pipeline stages 1 and 2).
//!
//! Input: a spec file path. Output: a `Validated` spec (`RawSpec` plus the span map that locates every value)
//! or the located diagnostics that explain why it is not valid. The JSON Schema runs first and reports every
//! structural problem at once; semantic checks (`check`) run only on a structurally valid spec.

pub mod check;
mod check_traffic;
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
    /// Spec paths cut away because they broke the schema: the rest was checked without them, so that one
    /// run reports every error. Never rendered when non-empty (those errors stand).
    pub cut: Vec<String>,
}

impl Validated {
    /// Whether a later finding concerns a part that was cut away (or contains it), and would mislead.
    pub fn touches_cut(&self, d: &Diagnostic) -> bool {
        self.cut.iter().any(|c| related(&d.path, c))
    }
}

/// A model's catalog findings depend on all of its fields (a bad `version` changes which version is
/// checked), so a cut inside `models[i]` silences findings about the whole model.
fn widen(path: &str) -> String {
    match path.strip_prefix("models[").and_then(|rest| rest.find(']')) {
        Some(end) => path[..end + "models[".len() + 1].to_string(),
        None => path.to_string(),
    }
}

/// `a` and `b` name the same value, or one contains the other (`models[0]` and `models[0].sku`).
fn related(a: &str, b: &str) -> bool {
    let within = |inner: &str, outer: &str| {
        inner == outer
            || (inner.starts_with(outer)
                && matches!(inner.as_bytes().get(outer.len()), Some(b'.' | b'[')))
    };
    a.is_empty() || b.is_empty() || within(a, b) || within(b, a)
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
    let mut value = loaded.value;
    let mut cut = Vec::new();
    if !diags.is_empty() {
        // Check the rest too: cut what broke the schema and go on if what remains is well-formed.
        let Some(points) = schema::cut_points(&value) else {
            return (None, diags);
        };
        for (p, _) in &points {
            remove_at(&mut value, p);
        }
        if !schema::check(&value, &loaded.spans).is_empty() {
            return (None, diags);
        }
        cut = points
            .iter()
            .map(|(p, unknown_key)| {
                if *unknown_key {
                    yaml::format_path(p)
                } else {
                    widen(&yaml::format_path(p))
                }
            })
            .collect();
    }
    let spec: RawSpec = match serde_json::from_value(value) {
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
        cut,
    };
    diags.extend(
        check::check(&validated)
            .into_iter()
            .filter(|d| !validated.touches_cut(d)),
    );
    (Some(validated), diags)
}

/// Removes the object member at `pointer` (cut points are always object members).
fn remove_at(doc: &mut serde_json::Value, pointer: &str) {
    let Some((parent, key)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = key.replace("~1", "/").replace("~0", "~");
    let target = if parent.is_empty() {
        Some(doc)
    } else {
        doc.pointer_mut(parent)
    };
    if let Some(serde_json::Value::Object(map)) = target {
        map.shift_remove(&key);
    }
}

#[cfg(test)]
mod tests {
    use super::related;

    #[test]
    fn cuts_in_a_model_cover_the_model() {
        assert_eq!(super::widen("models[12].version"), "models[12]");
        assert_eq!(super::widen("gateway.waf.mode"), "gateway.waf.mode");
    }

    #[test]
    fn related_paths() {
        assert!(related("models[0]", "models[0].sku"));
        assert!(related("models[0].sku", "models[0]"));
        assert!(related("gateway", "gateway"));
        assert!(!related("models[0].model", "models[0].sku"));
        assert!(!related("models[1]", "models[10]"));
        assert!(!related("gateway.waf", "gateway.waff"));
    }
}
