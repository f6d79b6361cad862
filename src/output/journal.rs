//! The switch from the old tree to the new one, journalled so that an interrupted render is finished by
//! the next one.
//!
//! Input: the output root, the files to install (already written to a staging directory
//! `.aoaigen-stage-<random>` in the root) and the files to remove. Output: the tree switched over.
//!
//! Order: (1) every new file is written in the staging directory (nothing in the tree has changed; an
//! interruption leaves a staging directory that the next render deletes); (2) the journal is written in the
//! staging directory and renamed to `.aoaigen-journal.json` in the root: that rename is the commit point,
//! for every target at once; (3) each staged file is renamed over its destination, then the stale files
//! are removed; (4) the staging directory, then the journal, are removed. Every step of (3) and (4) can be
//! repeated, so the next render, finding a journal, simply runs them again (roll forward).
//!
//! A journal found in the root is data from the directory, like the manifest: every path in it is checked
//! before use, and a journal that does not check out is refused rather than followed.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::fsx::{self, Kind, Steps};
use super::manifest::{MANIFEST_FILE, is_generated_path, sha256};

pub const JOURNAL_FILE: &str = ".aoaigen-journal.json";
pub const STAGE_PREFIX: &str = ".aoaigen-stage-";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    /// The staging directory's name (in the root).
    pub stage: String,
    pub trees: Vec<TreeSwitch>,
}

/// The switch of one target's directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreeSwitch {
    /// The target's directory below the root: `""` (the root itself), `terraform` or `bicep`.
    pub dir: String,
    /// Files staged as `<stage>/<dir>/<path>`, to be renamed to `<dir>/<path>`.
    pub install: Vec<String>,
    /// Stale generated files to remove, with the hash they must still have.
    pub remove: Vec<(String, String)>,
}

/// Directories a target may live in below the root.
pub const TREE_DIRS: &[&str] = &["", "terraform", "bicep"];

impl Journal {
    /// Whether every name is one a render writes; otherwise the first that is not, for a message (escaped:
    /// the journal is the directory's data).
    fn check(&self) -> Result<(), String> {
        let stage_ok = self
            .stage
            .strip_prefix(STAGE_PREFIX)
            .is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric()));
        if !stage_ok {
            return Err(format!(
                "staging directory `{}`",
                crate::diag::escape_line(&self.stage)
            ));
        }
        for t in &self.trees {
            if !TREE_DIRS.contains(&t.dir.as_str()) {
                return Err(format!("directory `{}`", crate::diag::escape_line(&t.dir)));
            }
            let paths = t.install.iter().chain(t.remove.iter().map(|(p, _)| p));
            if let Some(p) = paths.into_iter().find(|p| !ours(p)) {
                return Err(format!("path `{}`", crate::diag::escape_line(p)));
            }
        }
        Ok(())
    }

    /// What the journal's paths meet on disk. A repository can plant a journal next to symlinks as easily
    /// as anything else: its staging directory, each target directory, and every directory on the way to
    /// a staged file or its destination must be a real directory (or absent), or a rename would move a file
    /// from outside the output in, or write or delete one outside it. Returns why the journal is refused.
    fn check_on_disk(&self, root: &Path) -> io::Result<Option<String>> {
        let not_real = |p: &Path| -> io::Result<Option<Kind>> {
            Ok(match Kind::of(p)? {
                Kind::Dir | Kind::Missing => None,
                other => Some(other),
            })
        };
        let refused = |p: &Path, kind: Kind| {
            Some(format!(
                "{} is a {}; aoaigen never follows symlinks in its output",
                p.display(),
                kind.describe()
            ))
        };
        let stage = root.join(&self.stage);
        if let Some(kind) = not_real(&stage)? {
            return Ok(refused(&stage, kind));
        }
        for t in &self.trees {
            let dir = fsx::join(root, &t.dir);
            if !t.dir.is_empty()
                && let Some(kind) = not_real(&dir)?
            {
                return Ok(refused(&dir, kind));
            }
            for rel in &t.install {
                let staged = fsx::join_rel(&t.dir, rel);
                let blocked = match fsx::blocked_parent(&stage, &staged)? {
                    None => fsx::blocked_parent(&dir, rel)?,
                    some => some,
                };
                if let Some((p, kind)) = blocked {
                    return Ok(refused(&p, kind));
                }
            }
        }
        Ok(None)
    }
}

fn ours(p: &str) -> bool {
    p == MANIFEST_FILE || is_generated_path(p)
}

/// Writes the journal and renames it into place: the commit point of a render.
pub fn commit(root: &Path, journal: &Journal, steps: &mut Steps) -> io::Result<()> {
    let stage = root.join(&journal.stage);
    let tmp = stage.join("journal.json");
    let bytes = serde_json::to_vec_pretty(journal).expect("journal serialises");
    fsx::create_file(&tmp, &bytes, false, steps)?;
    fsx::rename(&tmp, &root.join(JOURNAL_FILE), steps)?;
    sync_dir(root);
    Ok(())
}

/// Runs (or re-runs) the switch a committed journal describes, then removes the staging directory and
/// the journal. Returns the stale files removed, as `dir/path`.
pub fn apply(root: &Path, journal: &Journal, steps: &mut Steps) -> io::Result<Vec<String>> {
    let stage = root.join(&journal.stage);
    let mut removed = Vec::new();
    for t in &journal.trees {
        let dir = fsx::join(root, &t.dir);
        for rel in &t.install {
            let from = fsx::join(&fsx::join(&stage, &t.dir), rel);
            if Kind::of(&from)? != Kind::File {
                continue; // installed before the interruption
            }
            fsx::create_parents(&dir, rel, steps)?;
            let to = fsx::join(&dir, rel);
            match Kind::of(&to)? {
                Kind::Missing | Kind::File => fsx::rename(&from, &to, steps)?,
                other => return Err(fsx::not_a_dir(&to, other)),
            }
        }
        for (rel, hash) in &t.remove {
            let path = fsx::join(&dir, rel);
            if fsx::blocked_parent(&dir, rel)?.is_none()
                && Kind::of(&path)? == Kind::File
                && sha256(&fsx::read_file(&path)?.0) == *hash
            {
                fsx::remove_file(&path, steps)?;
                fsx::remove_empty_parents(&dir, rel, steps)?;
                removed.push(fsx::join_rel(&t.dir, rel));
            }
        }
    }
    fsx::remove_tree(&stage, steps)?;
    fsx::remove_file(&root.join(JOURNAL_FILE), steps)?;
    Ok(removed)
}

/// What the start of a render found and did about an earlier interrupted one.
#[derive(Debug, Default)]
pub struct Recovery {
    /// A committed switch was finished (its removed files, as `dir/path`).
    pub finished: Option<Vec<String>>,
    /// Staging directories of renders interrupted before their commit point, deleted.
    pub discarded: usize,
}

/// Finishes a committed switch left by an interrupted render, and deletes uncommitted staging
/// directories. Call with the root's lock held.
pub fn recover(root: &Path, steps: &mut Steps) -> Result<Recovery, RecoverError> {
    let mut rec = Recovery::default();
    let path = root.join(JOURNAL_FILE);
    let journal = match Kind::of(&path).map_err(RecoverError::Io)? {
        Kind::Missing => None,
        Kind::File => {
            let bytes = fsx::read_file(&path).map_err(RecoverError::Io)?.0;
            let j: Journal = serde_json::from_slice(&bytes)
                .map_err(|e| RecoverError::Invalid(path.clone(), e.to_string()))?;
            j.check()
                .map_err(|e| RecoverError::Invalid(path.clone(), format!("unexpected {e}")))?;
            if let Some(why) = j.check_on_disk(root).map_err(RecoverError::Io)? {
                return Err(RecoverError::Invalid(path, why));
            }
            Some(j)
        }
        other => {
            return Err(RecoverError::Invalid(
                path,
                format!("it is a {}", other.describe()),
            ));
        }
    };
    if let Some(j) = &journal {
        rec.finished = Some(apply(root, j, steps).map_err(RecoverError::Io)?);
    }
    for stage in stages(root).map_err(RecoverError::Io)? {
        fsx::remove_tree(&stage, steps).map_err(RecoverError::Io)?;
        rec.discarded += 1;
    }
    Ok(rec)
}

/// Staging directories in the root (real directories only).
pub fn stages(root: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(root)? {
        let e = e?;
        if e.file_name().to_string_lossy().starts_with(STAGE_PREFIX)
            && Kind::of(&e.path())? == Kind::Dir
        {
            out.push(e.path());
        }
    }
    out.sort();
    Ok(out)
}

#[derive(Debug)]
pub enum RecoverError {
    Io(io::Error),
    /// A journal that is not one aoaigen wrote: refused, never followed.
    Invalid(PathBuf, String),
}

/// Makes the journal's rename durable where the platform allows (a directory fsync on Unix).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journal(stage: &str, dir: &str, path: &str) -> Journal {
        Journal {
            stage: stage.into(),
            trees: vec![TreeSwitch {
                dir: dir.into(),
                install: vec![path.into()],
                remove: vec![],
            }],
        }
    }

    #[test]
    fn journals_naming_anything_but_generated_paths_are_refused() {
        assert!(
            journal(".aoaigen-stage-abc123", "terraform", "main.tf")
                .check()
                .is_ok()
        );
        assert!(
            journal(".aoaigen-stage-abc123", "", MANIFEST_FILE)
                .check()
                .is_ok()
        );
        for (stage, dir, path) in [
            ("../x", "", "main.tf"),
            (".aoaigen-stage-", "", "main.tf"),
            (".aoaigen-stage-a/b", "", "main.tf"),
            (".aoaigen-stage-abc", "..", "main.tf"),
            (".aoaigen-stage-abc", "/tmp", "main.tf"),
            (".aoaigen-stage-abc", "", "../main.tf"),
            (".aoaigen-stage-abc", "", "/etc/x.tf"),
        ] {
            assert!(
                journal(stage, dir, path).check().is_err(),
                "{stage} {dir} {path}"
            );
        }
    }
}
