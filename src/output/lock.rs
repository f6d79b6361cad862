//! The render lock: `.aoaigen.lock` in each directory a render writes, held (an OS file lock, released
//! by the OS if the process dies) from before the first read of the tree until the switch is complete.
//! Concurrent renders into one directory therefore run one after the other.
//!
//! std's `File::lock` (stable since Rust 1.89) is the OS lock (`flock` on Unix, `LockFileEx` on Windows),
//! so no crate is needed. The file is removed when the render ends, while still locked; a render that
//! was waiting on the removed file notices (its lock is on a file no longer at the path) and locks again.

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

use super::fsx::Steps;

pub const LOCK_FILE: &str = ".aoaigen.lock";

/// A held lock; dropping it removes the lock file and unlocks.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    _file: File,
}

/// Locks `dir` (which exists), calling `waiting` once if another render holds the lock.
pub fn acquire(dir: &Path, steps: &mut Steps, waiting: &dyn Fn(&Path)) -> io::Result<Lock> {
    let path = dir.join(LOCK_FILE);
    let mut told = false;
    loop {
        steps.step(&path)?;
        let file = open(&path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                if !told {
                    waiting(&path);
                    told = true;
                }
                file.lock()?;
            }
            Err(TryLockError::Error(e)) => return Err(e),
        }
        if still_at(&file, &path)? {
            return Ok(Lock { path, _file: file });
        }
    }
}

fn open(path: &Path) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NOFOLLOW).mode(0o644);
    }
    o.open(path).map_err(|e| {
        if super::fsx::Kind::of(path).ok() == Some(super::fsx::Kind::Symlink) {
            io::Error::other(format!(
                "{} is a symlink; aoaigen never writes through symlinks",
                path.display()
            ))
        } else {
            io::Error::new(e.kind(), format!("{}: {e}", path.display()))
        }
    })
}

/// Whether the locked file is still the one at `path` (the previous holder removes it when done).
#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> io::Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let held = file.metadata()?;
    Ok(match std::fs::symlink_metadata(path) {
        Ok(now) => now.dev() == held.dev() && now.ino() == held.ino(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(e),
    })
}

/// Windows does not let the holder remove an open file, so the file stays and is always the same one.
#[cfg(not(unix))]
fn still_at(_: &File, _: &Path) -> io::Result<bool> {
    Ok(true)
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked, so nobody can lock the old file and believe they hold the lock.
        #[cfg(unix)]
        let _ = std::fs::remove_file(&self.path);
    }
}
