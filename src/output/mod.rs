//! Writing output (pipeline stage 6): rendered projects -> files on disk, or a comparison with them.
//!
//! Input: the output root, one `Tree` per target (the root itself for one target, `terraform/` and
//! `bicep/` below it for `--target all`), options. Output: the trees on disk, switched over all at once
//! (`journal`), or, for `--check`, every difference (`check`).
//!
//! The output directory is the trust boundary: it may come from a repository nobody reviewed. The
//! manifest and journal in it are verified data, symlinks in it are refused and never followed, and
//! nothing outside it is read, written or deleted. A render holds a lock (`lock`), finishes or discards
//! what an interrupted render left, verifies ownership, stages every new file, and commits.

pub mod check;
pub mod fsx;
pub mod journal;
pub mod keep;
pub mod lock;
pub mod manifest;

use std::collections::BTreeMap;
use std::path::Path;

use fsx::{Kind, Steps};
use journal::{Journal, TreeSwitch};
use manifest::{MANIFEST_FILE, Manifest, Previous, is_generated_path, sha256};

pub use check::{Difference, check};
pub use fsx::Fault;

use crate::render::RenderedProject;

/// Why output was not written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Nothing was changed: hand edits, files in the way, symlinks, a corrupt manifest.
    #[error("{0}")]
    Refused(String),
    /// The filesystem failed (full disk, permissions). The message says whether the tree is unchanged or
    /// the next render finishes the switch.
    #[error("{0}")]
    Io(String),
}

/// One target's project and where it goes below the output root.
#[derive(Debug, Clone)]
pub struct Tree<'a> {
    /// `""` for the root itself, or `terraform` / `bicep` (see `journal::TREE_DIRS`).
    pub dir: &'static str,
    pub project: &'a RenderedProject,
    pub manifest: Manifest,
}

impl Tree<'_> {
    /// Every file of the tree, the manifest included.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        let mut files = self.project.files.clone();
        files.insert(MANIFEST_FILE.to_string(), self.manifest.to_bytes());
        files
    }
}

#[derive(Clone)]
pub struct WriteOptions {
    /// Overwrite generated files edited by hand and files aoaigen did not generate (never directories or
    /// symlinks), and replace a corrupt manifest.
    pub force: bool,
    /// Test hook (`AOAIGEN_TEST_FAULT`): stop at one filesystem step.
    pub fault: Option<Fault>,
    /// Told when another render holds the lock and this one waits.
    pub waiting: fn(&Path),
}

impl Default for WriteOptions {
    fn default() -> Self {
        Self {
            force: false,
            fault: None,
            waiting: |_| {},
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteSummary {
    pub written: usize,
    pub unchanged: usize,
    /// Stale generated files removed, as paths below the root.
    pub removed: Vec<String>,
    /// Things worth saying that did not stop the render (ignored manifest entries, a recovery).
    pub notes: Vec<String>,
}

/// Writes every tree below `root`, all or nothing.
pub fn write(
    root: &Path,
    trees: &[Tree<'_>],
    opts: &WriteOptions,
) -> Result<WriteSummary, OutputError> {
    let mut steps = Steps::new(opts.fault);
    let untouched = |e: std::io::Error| {
        OutputError::Io(format!(
            "{e}; {} was left as it was (aoaigen cleans up on the next render)",
            root.display()
        ))
    };
    match Kind::of(root).map_err(untouched)? {
        Kind::Missing => {
            steps.step(root).map_err(untouched)?;
            std::fs::create_dir_all(root).map_err(untouched)?;
        }
        Kind::File | Kind::Other => {
            return Err(OutputError::Refused(format!(
                "{} is not a directory; pass the output directory with --out",
                root.display()
            )));
        }
        // The root itself may be a symlink: the user named it.
        Kind::Dir | Kind::Symlink => {}
    }
    let mut locks = vec![lock::acquire(root, &mut steps, &opts.waiting).map_err(untouched)?];
    for t in trees.iter().filter(|t| !t.dir.is_empty()) {
        let dir = root.join(t.dir);
        match Kind::of(&dir).map_err(untouched)? {
            Kind::Dir => {}
            Kind::Missing => {
                steps.step(&dir).map_err(untouched)?;
                std::fs::create_dir(&dir).map_err(untouched)?;
            }
            other => return Err(OutputError::Refused(in_the_way(&dir, other))),
        }
        // A render of this target alone (`--out <root>/<dir>`) takes this lock.
        locks.push(lock::acquire(&dir, &mut steps, &opts.waiting).map_err(untouched)?);
    }
    let mut summary = WriteSummary::default();
    recover(root, &mut steps, &mut summary)?;

    let mut switch = Vec::new();
    let mut staged: Vec<(String, Vec<u8>, bool)> = Vec::new();
    let mut problems = Vec::new();
    for t in trees {
        let plan = plan_tree(root, t, opts.force, &mut summary, &mut problems)?;
        summary.unchanged += plan.unchanged;
        for (rel, bytes) in plan.install {
            let exec = fsx::wants_exec(&rel);
            staged.push((fsx::join_rel(t.dir, &rel), bytes, exec));
            switch_for(&mut switch, t.dir).install.push(rel);
        }
        for (rel, hash) in plan.remove {
            switch_for(&mut switch, t.dir).remove.push((rel, hash));
        }
    }
    if !problems.is_empty() {
        let mut msg = problems.join("\n");
        msg.push_str(&format!("\nnothing was written to {}", root.display()));
        return Err(OutputError::Refused(msg));
    }
    if switch.is_empty() {
        return Ok(summary);
    }
    summary.written = staged.len();

    // Stage: nothing in the tree changes until the journal is committed.
    let stage = tempfile::Builder::new()
        .prefix(journal::STAGE_PREFIX)
        .rand_bytes(12)
        .tempdir_in(root)
        .map_err(untouched)?;
    for (rel, bytes, exec) in &staged {
        fsx::create_parents(stage.path(), rel, &mut steps)
            .and_then(|()| {
                fsx::create_file(&fsx::join(stage.path(), rel), bytes, *exec, &mut steps)
            })
            .map_err(untouched)?;
    }
    let stage_name = stage
        .path()
        .file_name()
        .expect("a temp dir has a name")
        .to_string_lossy()
        .into_owned();
    let j = Journal {
        stage: stage_name,
        trees: switch,
    };
    journal::commit(root, &j, &mut steps).map_err(untouched)?;
    // Committed: from here on, an interruption is finished by the next render, not undone.
    let _ = stage.keep();
    let removed = journal::apply(root, &j, &mut steps).map_err(|e| {
        OutputError::Io(format!(
            "{e}; the render was interrupted after it started to switch files: run it again to finish the switch (no --force needed)"
        ))
    })?;
    summary.removed.extend(removed);
    drop(locks);
    Ok(summary)
}

fn switch_for<'s>(switch: &'s mut Vec<TreeSwitch>, dir: &str) -> &'s mut TreeSwitch {
    if let Some(i) = switch.iter().position(|t| t.dir == dir) {
        return &mut switch[i];
    }
    switch.push(TreeSwitch {
        dir: dir.to_string(),
        install: Vec::new(),
        remove: Vec::new(),
    });
    switch.last_mut().expect("just pushed")
}

fn recover(root: &Path, steps: &mut Steps, summary: &mut WriteSummary) -> Result<(), OutputError> {
    match journal::recover(root, steps) {
        Ok(rec) => {
            if let Some(removed) = rec.finished {
                summary.notes.push(format!(
                    "finished the switch of an interrupted render in {}",
                    root.display()
                ));
                summary.removed.extend(removed);
            }
            if rec.discarded > 0 {
                summary.notes.push(format!(
                    "discarded the staged files of an interrupted render in {}",
                    root.display()
                ));
            }
            Ok(())
        }
        Err(journal::RecoverError::Io(e)) => Err(OutputError::Io(format!(
            "{e}; could not finish an interrupted render in {}: run it again",
            root.display()
        ))),
        Err(journal::RecoverError::Invalid(path, why)) => Err(OutputError::Refused(format!(
            "{} is not a journal aoaigen wrote ({why}); nothing was done. Delete it if no aoaigen render is running, then render again",
            path.display()
        ))),
    }
}

/// What one tree's switch does.
#[derive(Default)]
struct TreePlan {
    install: Vec<(String, Vec<u8>)>,
    remove: Vec<(String, String)>,
    unchanged: usize,
}

/// Compares a tree with the directory: what to install and remove, and every reason to refuse (pushed to
/// `problems`, so that one run reports all of them).
fn plan_tree(
    root: &Path,
    t: &Tree<'_>,
    force: bool,
    summary: &mut WriteSummary,
    problems: &mut Vec<String>,
) -> Result<TreePlan, OutputError> {
    let dir = root.join(t.dir);
    let io = |e: std::io::Error| OutputError::Io(format!("{e}; nothing was written"));
    let prev = previous_files(&dir, force, summary, problems).map_err(io)?;
    let mut plan = TreePlan::default();
    let (mut edited, mut foreign) = (Vec::new(), Vec::new());
    for (rel, bytes) in t.files() {
        debug_assert!(rel == MANIFEST_FILE || is_generated_path(&rel), "{rel}");
        if let Some((p, kind)) = fsx::blocked_parent(&dir, &rel).map_err(io)? {
            problems.push(in_the_way(&p, kind));
            continue;
        }
        let path = fsx::join(&dir, &rel);
        match Kind::of(&path).map_err(io)? {
            Kind::Missing => plan.install.push((rel, bytes)),
            Kind::File => {
                let (old, exec) = fsx::read_file(&path).map_err(io)?;
                if old == bytes && exec == fsx::wants_exec(&rel) {
                    plan.unchanged += 1;
                    continue;
                }
                if rel != MANIFEST_FILE && old != bytes {
                    match prev.get(&rel) {
                        Some(hash) if *hash != sha256(&old) => edited.push(rel.clone()),
                        None => foreign.push(rel.clone()),
                        Some(_) => {}
                    }
                }
                plan.install.push((rel, bytes));
            }
            other => problems.push(in_the_way(&path, other)),
        }
    }
    for (rel, hash) in &prev {
        if t.project.files.contains_key(rel) {
            continue;
        }
        if let Some((p, kind)) = fsx::blocked_parent(&dir, rel).map_err(io)? {
            problems.push(in_the_way(&p, kind));
            continue;
        }
        let path = fsx::join(&dir, rel);
        match Kind::of(&path).map_err(io)? {
            Kind::Missing => {}
            Kind::File => {
                let now = sha256(&fsx::read_file(&path).map_err(io)?.0);
                if now != *hash {
                    edited.push(rel.clone());
                }
                plan.remove.push((rel.clone(), now));
            }
            other => summary.notes.push(format!(
                "left {} alone: the manifest lists it as generated, but it is a {}",
                path.display(),
                other.describe()
            )),
        }
    }
    if !force {
        let shown = |v: &[String]| {
            v.iter()
                .map(|r| fsx::join(&dir, r).display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !edited.is_empty() {
            problems.push(format!(
                "generated files were edited by hand since the last render: {}; move the changes into the spec, or re-run with --force to overwrite them",
                shown(&edited)
            ));
        }
        if !foreign.is_empty() {
            problems.push(format!(
                "files that aoaigen did not generate are in the way: {}; move them, or re-run with --force to overwrite them",
                shown(&foreign)
            ));
        }
    }
    Ok(plan)
}

/// The previous manifest's usable entries; unusable ones are reported in `summary.notes`.
fn previous_files(
    dir: &Path,
    force: bool,
    summary: &mut WriteSummary,
    problems: &mut Vec<String>,
) -> std::io::Result<BTreeMap<String, String>> {
    let path = dir.join(MANIFEST_FILE);
    let prev = match Kind::of(&path)? {
        Kind::Missing => return Ok(BTreeMap::new()),
        Kind::File => Previous::parse(&fsx::read_file(&path)?.0),
        other => {
            problems.push(in_the_way(&path, other));
            return Ok(BTreeMap::new());
        }
    };
    match prev {
        Ok(prev) => {
            let (good, bad) = prev.split();
            if !bad.is_empty() {
                summary.notes.push(format!(
                    "ignored entries of {} that are not files aoaigen generates: {}",
                    path.display(),
                    bad.iter()
                        .map(|p| format!("`{}`", crate::diag::escape_line(p)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            Ok(good)
        }
        Err(e) if force => {
            summary.notes.push(format!(
                "replaced the unreadable manifest {} ({e}); files it listed were not pruned",
                path.display()
            ));
            Ok(BTreeMap::new())
        }
        Err(e) => {
            problems.push(format!(
                "{} is not a valid aoaigen manifest ({e}); re-run with --force to replace it (files it listed are then not pruned)",
                path.display()
            ));
            Ok(BTreeMap::new())
        }
    }
}

/// The message for something that is not a regular file (or directory) where aoaigen writes.
fn in_the_way(path: &Path, kind: Kind) -> String {
    match kind {
        Kind::Symlink => format!(
            "{} is a symlink; aoaigen never writes through symlinks in its output (not even with --force): replace it with the real directory or file",
            path.display()
        ),
        Kind::Dir => format!(
            "{} is a directory where aoaigen writes a file; move it away (--force never replaces directories)",
            path.display()
        ),
        Kind::File => format!(
            "{} is a file where aoaigen needs a directory; move it away (--force never replaces it)",
            path.display()
        ),
        other => format!(
            "{} is a {} where aoaigen writes; move it away (--force never replaces it)",
            path.display(),
            other.describe()
        ),
    }
}

/// `root` as a display prefix for paths below it.
pub fn shown(root: &Path, rel: &str) -> String {
    let r = root.display().to_string();
    format!("{}/{rel}", r.trim_end_matches('/'))
}
