//! Helpers for the writer's adversarial tests: run the binary with extra environment and stdio, and take a
//! complete picture of a directory tree (kinds, executable bits, bytes, mtimes, symlink targets) without
//! following symlinks.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::SystemTime;

use crate::common::TODAY;

/// One entry of a tree as `lstat` sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Dir,
    File { exec: bool, bytes: Vec<u8> },
    Symlink(PathBuf),
}

/// Every entry under `dir` (not `dir` itself), by `/`-separated relative path; symlinks are not followed.
pub fn tree(dir: &Path) -> BTreeMap<String, Entry> {
    tree_with_mtimes(dir)
        .into_iter()
        .map(|(k, (e, _))| (k, e))
        .collect()
}

/// `tree`, with each entry's modification time (to prove that nothing was rewritten).
pub fn tree_with_mtimes(dir: &Path) -> BTreeMap<String, (Entry, SystemTime)> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).min_depth(1).follow_links(false) {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let meta = std::fs::symlink_metadata(e.path()).unwrap();
        let entry = if meta.file_type().is_symlink() {
            Entry::Symlink(std::fs::read_link(e.path()).unwrap())
        } else if meta.is_dir() {
            Entry::Dir
        } else {
            Entry::File {
                exec: is_exec(&meta),
                bytes: std::fs::read(e.path()).unwrap(),
            }
        };
        out.insert(rel, (entry, meta.modified().unwrap()));
    }
    out
}

#[cfg(unix)]
fn is_exec(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o100 != 0
}

#[cfg(not(unix))]
fn is_exec(_: &std::fs::Metadata) -> bool {
    false
}

/// `tree_with_mtimes` without the directories' mtimes: a render that is refused still takes (and removes)
/// its lock file, which touches the directory, but changes no file.
pub fn files_with_mtimes(dir: &Path) -> BTreeMap<String, (Entry, Option<SystemTime>)> {
    tree_with_mtimes(dir)
        .into_iter()
        .map(|(k, (e, t))| {
            let t = (e != Entry::Dir).then_some(t);
            (k, (e, t))
        })
        .collect()
}

/// Copies a tree (files, directories, symlinks as symlinks) from `from` to `to`, keeping executable bits.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for (rel, entry) in tree(from) {
        let dest = to.join(&rel);
        match entry {
            Entry::Dir => std::fs::create_dir_all(&dest).unwrap(),
            Entry::File { exec, bytes } => {
                std::fs::write(&dest, bytes).unwrap();
                set_exec(&dest, exec);
            }
            #[cfg(unix)]
            Entry::Symlink(target) => std::os::unix::fs::symlink(target, &dest).unwrap(),
            #[cfg(not(unix))]
            Entry::Symlink(_) => unreachable!("no symlinks in tests off Unix"),
        }
    }
}

pub fn set_exec(path: &Path, exec: bool) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if exec { 0o755 } else { 0o644 };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    #[cfg(not(unix))]
    let _ = (path, exec);
}

/// The binary, run like a user would (no colour, fixed date), with extra environment variables.
pub fn command(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_aoaigen"));
    c.args(args)
        .current_dir(cwd)
        .env("AOAIGEN_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

pub fn run(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    command(args, cwd, env).output().unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `render --spec <spec> --target <target> --out <out> <extra>` in `cwd`.
pub fn render(cwd: &Path, spec: &str, target: &str, out: &str, extra: &[&str]) -> Output {
    render_command(cwd, spec, target, out, extra)
        .output()
        .unwrap()
}

/// The `render` command, not yet run (to add environment, redirect its stdio or spawn it).
pub fn render_command(cwd: &Path, spec: &str, target: &str, out: &str, extra: &[&str]) -> Command {
    let mut args = vec!["render", "--spec", spec, "--target", target, "--out", out];
    args.extend_from_slice(extra);
    command(&args, cwd, &[])
}

/// Asserts the exit code, showing stderr when it differs.
#[track_caller]
pub fn expect_code(o: &Output, code: i32, what: &str) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "{what}: exit {:?}\nstderr:\n{}",
        o.status.code(),
        stderr(o)
    );
}

/// A spec with Log Analytics (so `monitoring.tf` is generated) in one region.
pub const SPEC_A: &str = "version: 1\nname: hostile\nlocation: swedencentral\nmodels:\n  - model: gpt-5.1\n    regions: [swedencentral]\ndiagnostics: { log_analytics: { retention_days: 30 } }\n";

/// `SPEC_A` grown by a region and a tag, without diagnostics: files change, appear and go.
pub const SPEC_B: &str = "version: 1\nname: hostile\nlocation: swedencentral\ntags: { owner: me }\nmodels:\n  - model: gpt-5.1\n    regions: [swedencentral, francecentral]\n";

/// A temp dir holding `aoai.yaml` with `spec`.
pub fn with_spec(spec: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("aoai.yaml"), spec).unwrap();
    dir
}

/// `with_spec(spec)` rendered once with `--target <target> --out gen`.
pub fn rendered(spec: &str, target: &str) -> tempfile::TempDir {
    let dir = with_spec(spec);
    expect_code(
        &render(dir.path(), "aoai.yaml", target, "gen", &[]),
        0,
        "first render",
    );
    dir
}
