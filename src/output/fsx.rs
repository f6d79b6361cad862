//! Filesystem steps inside the output directory that never follow a symlink, each counted so that tests
//! can stop a render at any one of them (`Steps`).
//!
//! Input: the output root (trusted: the user named it) and `/`-separated relative paths below it (checked
//! to be of generated shape before they get here). Output: what is at a path as `lstat` sees it, and the
//! mutations a render makes. Components below the root are never followed when they are symlinks; a
//! symlink on the way is an error. (This guards against what a repository can plant, not against another
//! process swapping directories during the render: that would need `openat`-style APIs throughout.)

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// A test hook: stop the render at its N-th filesystem step (`AOAIGEN_TEST_FAULT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Exit the process at once (code 86), as a kill would leave things.
    Exit(usize),
    /// Fail that step with an I/O error, as a full disk would.
    Error(usize),
}

impl Fault {
    /// `exit:N` or `error:N`.
    pub fn parse(s: &str) -> Option<Self> {
        let (kind, n) = s.split_once(':')?;
        let n = n.parse().ok()?;
        match kind {
            "exit" => Some(Self::Exit(n)),
            "error" => Some(Self::Error(n)),
            _ => None,
        }
    }
}

/// Counts the mutating steps of one render (mkdir, create, rename, unlink, rmdir).
#[derive(Debug, Default)]
pub struct Steps {
    done: usize,
    fault: Option<Fault>,
}

impl Steps {
    pub fn new(fault: Option<Fault>) -> Self {
        Self { done: 0, fault }
    }

    /// Called before each mutation of `what`.
    pub fn step(&mut self, what: &Path) -> io::Result<()> {
        self.done += 1;
        match self.fault {
            Some(Fault::Exit(n)) if n == self.done => std::process::exit(86),
            Some(Fault::Error(n)) if n == self.done => Err(io::Error::other(format!(
                "injected failure at step {n} ({})",
                what.display()
            ))),
            _ => Ok(()),
        }
    }
}

/// What is at a path, without following a symlink there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Missing,
    File,
    Dir,
    Symlink,
    Other,
}

impl Kind {
    pub fn of(path: &Path) -> io::Result<Self> {
        match fs::symlink_metadata(path) {
            Ok(m) => Ok(Self::from_type(m.file_type())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Self::Missing),
            Err(e) => Err(e),
        }
    }

    /// The kind of an `lstat` file type.
    pub fn from_type(t: fs::FileType) -> Self {
        if t.is_symlink() {
            Self::Symlink
        } else if t.is_dir() {
            Self::Dir
        } else if t.is_file() {
            Self::File
        } else {
            Self::Other
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Self::Missing => "nothing",
            Self::File => "file",
            Self::Dir => "directory",
            Self::Symlink => "symlink",
            Self::Other => "special file (device, pipe or socket)",
        }
    }
}

/// `root/rel` for a `/`-separated relative path.
pub fn join(root: &Path, rel: &str) -> PathBuf {
    rel.split('/')
        .filter(|s| !s.is_empty())
        .fold(root.to_path_buf(), |p, s| p.join(s))
}

/// The directories on the way to `root/rel`, below `root`, outermost first: `root/a`, `root/a/b` for
/// `a/b/c`.
fn parent_dirs(root: &Path, rel: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut path = root.to_path_buf();
    for part in rel.split('/').filter(|s| !s.is_empty()) {
        path.push(part);
        dirs.push(path.clone());
    }
    dirs.pop(); // `root/rel` itself
    dirs
}

/// `dir/rel` as a `/`-separated path below the root; `rel` itself for the root's own tree (`dir` empty).
pub fn join_rel(dir: &str, rel: &str) -> String {
    if dir.is_empty() {
        rel.to_string()
    } else {
        format!("{dir}/{rel}")
    }
}

/// The first directory component of `rel` below `root` that is not a real directory (a symlink, a file),
/// as (`root/prefix`, what it is). Missing directories are fine: the render creates them.
pub fn blocked_parent(root: &Path, rel: &str) -> io::Result<Option<(PathBuf, Kind)>> {
    for path in parent_dirs(root, rel) {
        match Kind::of(&path)? {
            Kind::Dir => {}
            Kind::Missing => return Ok(None),
            other => return Ok(Some((path, other))),
        }
    }
    Ok(None)
}

/// Opens a regular file for reading without following a symlink at its last component.
pub fn open_nofollow(path: &Path) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NOFOLLOW);
    }
    o.open(path)
}

/// The bytes and executable bit of the regular file at `path` (the caller checked it is one).
pub fn read_file(path: &Path) -> io::Result<(Vec<u8>, bool)> {
    let mut f = open_nofollow(path)?;
    let exec = is_exec(&f.metadata()?);
    let mut bytes = Vec::new();
    f.read_to_end(&mut bytes)?;
    Ok((bytes, exec))
}

#[cfg(unix)]
pub fn is_exec(m: &fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    m.permissions().mode() & 0o100 != 0
}

#[cfg(not(unix))]
pub fn is_exec(_: &fs::Metadata) -> bool {
    false
}

/// Whether a generated file is executable: the helper scripts are.
pub fn wants_exec(rel: &str) -> bool {
    cfg!(unix) && rel.ends_with(".sh")
}

/// Creates `path` (which must not exist) with `bytes`; executable scripts get `rwx` before the umask.
pub fn create_file(path: &Path, bytes: &[u8], exec: bool, steps: &mut Steps) -> io::Result<()> {
    steps.step(path)?;
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(if exec { 0o777 } else { 0o666 });
    }
    #[cfg(not(unix))]
    let _ = exec;
    let mut f = o.open(path)?;
    f.write_all(bytes)?;
    // Durable before the journal commits to it (a kill needs no sync; a power loss does).
    f.sync_all()
}

/// Creates the missing directories of `rel`'s parent below `root`, refusing symlinks and files on the way.
pub fn create_parents(root: &Path, rel: &str, steps: &mut Steps) -> io::Result<()> {
    for path in parent_dirs(root, rel) {
        match Kind::of(&path)? {
            Kind::Dir => {}
            Kind::Missing => {
                steps.step(&path)?;
                fs::create_dir(&path)?;
            }
            other => return Err(not_a_dir(&path, other)),
        }
    }
    Ok(())
}

pub fn not_a_dir(path: &Path, kind: Kind) -> io::Error {
    io::Error::other(format!(
        "{} is a {} where aoaigen needs a directory; aoaigen never writes through symlinks",
        path.display(),
        kind.describe()
    ))
}

pub fn rename(from: &Path, to: &Path, steps: &mut Steps) -> io::Result<()> {
    steps.step(to)?;
    fs::rename(from, to)
}

pub fn remove_file(path: &Path, steps: &mut Steps) -> io::Result<()> {
    steps.step(path)?;
    fs::remove_file(path)
}

/// Removes a directory tree that aoaigen created (a staging directory); symlinks in it are removed, not
/// followed.
pub fn remove_tree(path: &Path, steps: &mut Steps) -> io::Result<()> {
    if Kind::of(path)? != Kind::Dir {
        return Ok(());
    }
    steps.step(path)?;
    fs::remove_dir_all(path)
}

/// Removes the empty directories between `rel`'s parent and `root` (exclusive), deepest first.
pub fn remove_empty_parents(root: &Path, rel: &str, steps: &mut Steps) -> io::Result<()> {
    for dir in parent_dirs(root, rel).into_iter().rev() {
        if Kind::of(&dir)? != Kind::Dir || fs::read_dir(&dir)?.next().is_some() {
            break;
        }
        steps.step(&dir)?;
        fs::remove_dir(&dir)?;
    }
    Ok(())
}
