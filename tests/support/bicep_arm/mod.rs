//! Offline checks of generated Bicep: tree-sitter-bicep syntax errors, and every `resource` body against the
//! strict ARM JSON Schema of its type@apiVersion (tests/data/arm, copied from shared/schemas/arm).
//!
//! Mirrors shared/tools/bicep-arm-check.py: a body is `{"type", "apiVersion", <body keys>}`; anything known only
//! at deploy time becomes the placeholder "[bicep-expression]", whose value errors are dropped while its
//! property name is still checked; a property `for` loop is a one-element array; `cond ? a : b` is checked
//! once with every true branch and once with every false branch; `parent:` is dropped; `existing`
//! resources are skipped; resources in loops, conditions and nested children are all checked.
#![allow(dead_code)] // each integration test binary uses a different part of this module

pub mod eval;
mod functions;
pub mod lint;
mod parse;
mod schema;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use serde_json::Value;

#[derive(Debug, Default, Clone)]
pub struct BicepReport {
    pub files_parsed: usize,
    pub resources_checked: usize,
    pub parse_errors: Vec<String>,
    pub schema_errors: Vec<String>,
    pub without_schema: Vec<String>,
}

impl BicepReport {
    pub fn is_clean(&self) -> bool {
        self.parse_errors.is_empty()
            && self.schema_errors.is_empty()
            && self.without_schema.is_empty()
    }
}

impl std::fmt::Display for BicepReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for l in self.parse_errors.iter().chain(&self.schema_errors) {
            writeln!(f, "{l}")?;
        }
        for l in &self.without_schema {
            writeln!(f, "NO SCHEMA {l}")?;
        }
        write!(
            f,
            "bicep-arm-schema: {} files, {} resources checked, {} errors, {} parse errors, {} without schema",
            self.files_parsed,
            self.resources_checked,
            self.schema_errors.len(),
            self.parse_errors.len(),
            self.without_schema.len()
        )
    }
}

fn bicep_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in rd.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !name.starts_with('.') && name != "node_modules" {
                    walk(&path, out);
                }
            } else if name.ends_with(".bicep") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    if dir.is_file() {
        out.push(dir.to_path_buf());
    } else {
        walk(dir, &mut out);
    }
    out.sort();
    out
}

/// Paths in messages are relative to the checked folder, so they read the same in any temp dir.
fn label(dir: &Path, file: &Path) -> String {
    match file.strip_prefix(dir) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        // `dir` is the file itself
        _ => file
            .file_name()
            .unwrap_or(file.as_os_str())
            .to_string_lossy()
            .into_owned(),
    }
}

/// `FILE:LINE:COL: ERROR node near `...`` for every syntax error, `MISSING` for every token tree-sitter invented.
pub fn parse_errors(file: &str, src: &str) -> Vec<String> {
    fn walk(node: tree_sitter::Node, file: &str, src: &str, out: &mut Vec<String>) {
        let pos = node.start_position();
        let at = format!("{file}:{}:{}", pos.row + 1, pos.column + 1);
        if node.is_missing() {
            out.push(format!("{at}: MISSING `{}`", node.kind()));
            return;
        }
        if node.is_error() {
            let near: String = src[node.byte_range()].chars().take(60).collect();
            let near = near.split_whitespace().collect::<Vec<_>>().join(" ");
            out.push(format!("{at}: ERROR node near `{near}`"));
            return; // the first error inside explains the rest
        }
        if node.has_error() {
            let mut cursor = node.walk();
            for child in node.children(&mut cursor) {
                walk(child, file, src, out);
            }
        }
    }
    let tree = parse::parse_tree(src);
    let mut out = Vec::new();
    walk(tree.root_node(), file, src, &mut out);
    out
}

/// The ARM bodies built for every non-`existing` resource, with the declared type and apiVersion; a resource
/// with a `?:` yields two entries (true branches, then false branches).
/// `_file` is unused: bodies carry no location, it only keeps the signature parallel to `parse_errors`.
pub fn resource_bodies(_file: &str, src: &str) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for r in parse::collect(src) {
        if r.existing {
            continue;
        }
        for b in r.bodies.iter().flatten() {
            let mut body = serde_json::Map::new();
            body.insert("type".into(), r.rtype.clone().into());
            body.insert("apiVersion".into(), r.api.clone().into());
            body.extend(b.value.as_object().cloned().unwrap_or_default());
            out.push((r.symbol.clone(), Value::Object(body)));
        }
    }
    out
}

/// Every non-`existing` resource declaration under `dir`: (full type, symbolic name), nested ones as `parent::child`.
pub fn bicep_resource_kinds(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for file in bicep_files(dir) {
        let Ok(src) = std::fs::read_to_string(&file) else {
            continue;
        };
        for r in parse::collect(&src) {
            if !r.existing {
                out.push((r.rtype, r.symbol));
            }
        }
    }
    out
}

fn check_resource(
    file: &str,
    r: &parse::Resource,
    entry: &schema::Entry,
    errors: &mut Vec<String>,
) {
    let label = format!("{}@{} ({})", r.rtype, r.api, r.symbol);
    let mut report = |line: usize, pointer: &str, msg: &str| {
        let pointer = if pointer.is_empty() { "/" } else { pointer };
        errors.push(format!("{file}:{line}: {label} {pointer}: {msg}"));
    };
    for (line, key) in &r.read_only {
        report(
            *line,
            &format!("/{key}"),
            &format!("'{key}' is read-only in a Bicep resource body"),
        );
    }
    let bodies = match &r.bodies {
        Ok(b) => b,
        Err(msg) => return report(r.line, "/", msg),
    };
    let compiled = schema::compiled(entry);
    let mut seen: Vec<schema::Leaf> = Vec::new();
    for built in bodies {
        let mut body = serde_json::Map::new();
        body.insert("type".into(), entry.rtype.clone().into());
        body.insert("apiVersion".into(), entry.api.clone().into());
        body.extend(built.value.as_object().cloned().unwrap_or_default());
        let body = Value::Object(body);
        let checker = schema::Checker {
            schema: &compiled.schema,
            built,
        };
        for top in compiled.validator.iter_errors(&body) {
            for leaf in checker.leaves(&top) {
                if !seen.contains(&leaf) {
                    report(
                        checker.line_for(&leaf.pointer, r.line),
                        &leaf.pointer,
                        &leaf.message,
                    );
                    seen.push(leaf);
                }
            }
        }
    }
}

fn check_file(rep: &mut BicepReport, file: &str, src: &str) {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    rep.files_parsed += 1;
    let errs = parse_errors(file, src);
    if !errs.is_empty() {
        rep.parse_errors.extend(errs);
        return;
    }
    let index = schema::index();
    for r in parse::collect(src) {
        if r.existing {
            continue;
        }
        let Some(entry) = index.lookup(&r.rtype, &r.api) else {
            let hint = match index.versions.get(&r.rtype.to_lowercase()) {
                Some(v) => format!("schemas exist for {}", v.join(", ")),
                None => "no schema for this type".into(),
            };
            let (t, a, s) = (&r.rtype, &r.api, &r.symbol);
            rep.without_schema
                .push(format!("{file}:{}: {t}@{a} ({s}); {hint}", r.line));
            continue;
        };
        rep.resources_checked += 1;
        check_resource(file, &r, entry, &mut rep.schema_errors);
    }
}

/// The same checks as [`check_bicep_dir`] on one source text, for inline test cases.
pub fn check_bicep_source(file: &str, src: &str) -> BicepReport {
    let mut rep = BicepReport::default();
    check_file(&mut rep, file, src);
    rep
}

/// Parses every `*.bicep` under `dir` (sorted, hidden folders skipped) and checks each resource body.
/// A file with a syntax error is reported in `parse_errors` and not checked further.
pub fn check_bicep_dir(dir: &Path) -> BicepReport {
    let mut rep = BicepReport::default();
    for path in bicep_files(dir) {
        let file = label(dir, &path);
        match std::fs::read_to_string(&path) {
            Ok(src) => check_file(&mut rep, &file, &src),
            Err(e) => rep.parse_errors.push(format!("{file}: cannot read: {e}")),
        }
    }
    rep
}
