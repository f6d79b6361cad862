//! Writing output (pipeline stage 6): `RenderedProject` -> files on disk, or a diff against them.
//!
//! Input: a rendered project, the output directory, the spec's name and text. Output: the directory updated
//! atomically (temp files renamed into place, rolled back on failure), stale generated files pruned, files
//! aoaigen did not generate untouched; or, for `--check`, the list of differences and a unified diff.

pub mod manifest;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use manifest::{MANIFEST_FILE, Manifest, sha256};

use crate::render::RenderedProject;

/// Why output was not written. Nothing in the directory changed when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Io(String),
}

#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Overwrite generated files edited by hand and files aoaigen did not generate.
    pub force: bool,
    /// Test hook: fail after this many renames, to prove the rollback.
    #[doc(hidden)]
    pub fail_after_renames: Option<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteSummary {
    pub written: usize,
    pub unchanged: usize,
    pub removed: Vec<String>,
}

/// Writes `project` into `dir` with its manifest.
pub fn write(
    dir: &Path,
    project: &RenderedProject,
    spec_name: &str,
    spec_text: &str,
    target: &str,
    opts: &WriteOptions,
) -> Result<WriteSummary, OutputError> {
    let previous = Manifest::read(dir).map_err(OutputError::Refused)?;
    let prev_files = previous
        .as_ref()
        .map(|m| m.files.clone())
        .unwrap_or_default();
    check_ownership(dir, project, &prev_files, opts.force)?;

    let manifest = Manifest::new(spec_name, spec_text, target, &project.files);
    let mut files: BTreeMap<String, Vec<u8>> = project.files.clone();
    files.insert(MANIFEST_FILE.to_string(), manifest.to_bytes());
    let stale: Vec<String> = prev_files
        .keys()
        .filter(|p| !project.files.contains_key(*p))
        .cloned()
        .collect();

    let mut summary = WriteSummary::default();
    let mut changed: Vec<(PathBuf, &[u8])> = Vec::new();
    for (rel, bytes) in &files {
        let path = dir.join(rel);
        if fs::read(&path).is_ok_and(|old| old == *bytes) {
            summary.unchanged += 1;
        } else {
            changed.push((path, bytes));
        }
    }
    let mut tx = Transaction::default();
    if let Err(e) = tx
        .stage(&changed)
        .and_then(|()| tx.commit(opts.fail_after_renames))
    {
        tx.rollback();
        return Err(e);
    }
    summary.written = changed.len();
    tx.finish();
    for rel in stale {
        let path = dir.join(&rel);
        if path.is_file() && fs::remove_file(&path).is_ok() {
            remove_empty_parents(dir, &path);
            summary.removed.push(rel);
        }
    }
    Ok(summary)
}

/// Refuses to overwrite a generated file edited by hand, or a file aoaigen did not generate.
fn check_ownership(
    dir: &Path,
    project: &RenderedProject,
    prev: &BTreeMap<String, String>,
    force: bool,
) -> Result<(), OutputError> {
    if force {
        return Ok(());
    }
    let mut edited = Vec::new();
    let mut foreign = Vec::new();
    for (rel, hash) in prev {
        if let Ok(bytes) = fs::read(dir.join(rel))
            && &sha256(&bytes) != hash
        {
            edited.push(rel.clone());
        }
    }
    for rel in project.files.keys() {
        if !prev.contains_key(rel) && dir.join(rel).exists() {
            foreign.push(rel.clone());
        }
    }
    let mut msg = String::new();
    if !edited.is_empty() {
        msg.push_str(&format!(
            "generated files were edited by hand since the last render: {}\n",
            edited.join(", ")
        ));
    }
    if !foreign.is_empty() {
        msg.push_str(&format!(
            "files that aoaigen did not generate are in the way: {}\n",
            foreign.join(", ")
        ));
    }
    if msg.is_empty() {
        return Ok(());
    }
    msg.push_str(&format!("nothing was written to {}; move the changes into the spec, or re-run with --force to overwrite", dir.display()));
    Err(OutputError::Refused(msg))
}

/// Temp files renamed into place, with the previous versions kept until the whole set is in.
#[derive(Default)]
struct Transaction {
    /// (temp file, final path)
    staged: Vec<(PathBuf, PathBuf)>,
    /// (final path, backup of the previous version or None when there was none)
    done: Vec<(PathBuf, Option<PathBuf>)>,
    created_dirs: Vec<PathBuf>,
}

impl Transaction {
    fn stage(&mut self, files: &[(PathBuf, &[u8])]) -> Result<(), OutputError> {
        for (path, bytes) in files {
            let parent = path.parent().unwrap_or(Path::new("."));
            if !parent.exists() {
                let mut missing = parent.to_path_buf();
                let mut chain = vec![];
                while !missing.exists() {
                    chain.push(missing.clone());
                    if !missing.pop() {
                        break;
                    }
                }
                fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
                self.created_dirs.extend(chain);
            }
            let tmp = sibling(path, "tmp");
            fs::write(&tmp, bytes).map_err(|e| io(&tmp, e))?;
            #[cfg(unix)]
            if path.extension().is_some_and(|e| e == "sh") {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(&tmp, fs::Permissions::from_mode(0o755))
                    .map_err(|e| io(&tmp, e))?;
            }
            self.staged.push((tmp, path.clone()));
        }
        Ok(())
    }

    fn commit(&mut self, fail_after: Option<usize>) -> Result<(), OutputError> {
        for (i, (tmp, path)) in self.staged.iter().enumerate() {
            if fail_after == Some(i) {
                return Err(OutputError::Io(format!(
                    "injected failure before writing {}",
                    path.display()
                )));
            }
            let backup = if path.exists() {
                let b = sibling(path, "bak");
                fs::rename(path, &b).map_err(|e| io(path, e))?;
                Some(b)
            } else {
                None
            };
            self.done.push((path.clone(), backup));
            fs::rename(tmp, path).map_err(|e| io(path, e))?;
        }
        Ok(())
    }

    fn rollback(&mut self) {
        for (path, backup) in self.done.drain(..).rev() {
            let _ = fs::remove_file(&path);
            if let Some(b) = backup {
                let _ = fs::rename(&b, &path);
            }
        }
        for (tmp, _) in self.staged.drain(..) {
            let _ = fs::remove_file(tmp);
        }
        for d in self.created_dirs.drain(..) {
            let _ = fs::remove_dir(d);
        }
    }

    fn finish(&mut self) {
        for (_, backup) in self.done.drain(..) {
            if let Some(b) = backup {
                let _ = fs::remove_file(b);
            }
        }
    }
}

fn sibling(path: &Path, what: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.aoaigen-{what}"))
}

fn io(path: &Path, e: std::io::Error) -> OutputError {
    OutputError::Io(format!("cannot write {}: {e}", path.display()))
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// One way the directory differs from what would be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    Changed(String),
    Missing(String),
    /// Listed in the manifest as generated, but no longer generated.
    Extra(String),
}

/// Compares `project` with `dir` without writing anything: differences and a unified diff.
pub fn check(
    dir: &Path,
    project: &RenderedProject,
    spec_name: &str,
    spec_text: &str,
    target: &str,
) -> (Vec<Difference>, String) {
    let manifest = Manifest::new(spec_name, spec_text, target, &project.files);
    let mut files = project.files.clone();
    files.insert(MANIFEST_FILE.to_string(), manifest.to_bytes());
    let mut diffs = Vec::new();
    let mut text = String::new();
    for (rel, bytes) in &files {
        let path = dir.join(rel);
        match fs::read(&path) {
            Ok(old) if old == *bytes => {}
            Ok(old) => {
                diffs.push(Difference::Changed(rel.clone()));
                text.push_str(&unified(&shown(dir, rel), &old, bytes));
            }
            Err(_) => {
                diffs.push(Difference::Missing(rel.clone()));
                text.push_str(&unified(&shown(dir, rel), b"", bytes));
            }
        }
    }
    if let Ok(Some(prev)) = Manifest::read(dir) {
        for rel in prev
            .files
            .keys()
            .filter(|p| !project.files.contains_key(*p))
        {
            if dir.join(rel).exists() {
                diffs.push(Difference::Extra(rel.clone()));
                text.push_str(&format!(
                    "--- a/{}\n+++ /dev/null (no longer generated)\n",
                    shown(dir, rel)
                ));
            }
        }
    }
    (diffs, text)
}

/// A generated file's path as the diff names it: under the output directory, so two projects (`--target
/// all`) cannot be confused.
fn shown(dir: &Path, rel: &str) -> String {
    format!("{}/{rel}", dir.display().to_string().trim_end_matches('/'))
}

fn unified(rel: &str, old: &[u8], new: &[u8]) -> String {
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    similar::TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{rel}"), &format!("b/{rel}"))
        .to_string()
}
