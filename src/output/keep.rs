//! Which entries that aoaigen did not generate `--check` accepts in an output tree: the files a user
//! lists in `.aoaigen-keep` (a `backend.tf`, say), and a Terraform project's local tool state.
//!
//! Input: the output root and its target directories. Output: a matcher over `/`-separated paths below the
//! root. `.aoaigen-keep` holds one pattern per line, relative to the directory that holds it (the root or
//! a target directory): `*` matches within one path segment, a trailing `/` matches a directory and all
//! of it, `#` starts a comment. Patterns never excuse a generated file: those are always compared.

use std::path::Path;

use super::fsx::{self, Kind};

pub const KEEP_FILE: &str = ".aoaigen-keep";

/// What `terraform init`, `plan -out tfplan` and `apply` leave in a Terraform project, and the
/// `terraform.tfvars` its README asks for: none of it changes what the configuration declares.
const TERRAFORM_STATE: &[&str] = &[
    ".terraform/",
    ".terraform.lock.hcl",
    ".terraform.tfstate.lock.info",
    "terraform.tfstate",
    "terraform.tfstate.backup",
    "terraform.tfvars",
    "tfplan",
    "*.tfplan",
];

#[derive(Debug, Default)]
pub struct Keep {
    /// (base directory below the root, pattern)
    patterns: Vec<(String, Pattern)>,
}

#[derive(Debug)]
struct Pattern {
    segments: Vec<String>,
    /// Ends with `/`: the directory and everything in it.
    dir: bool,
}

impl Pattern {
    fn parse(line: &str) -> Option<Self> {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let dir = line.ends_with('/');
        let segments: Vec<String> = line
            .trim_matches('/')
            .split('/')
            .map(String::from)
            .collect();
        if segments
            .iter()
            .any(|s| s.is_empty() || s == "." || s == "..")
        {
            return None;
        }
        Some(Self { segments, dir })
    }

    fn matches(&self, rel: &[&str]) -> bool {
        let n = self.segments.len();
        let len_ok = if self.dir {
            rel.len() >= n
        } else {
            rel.len() == n
        };
        len_ok
            && self
                .segments
                .iter()
                .zip(rel)
                .all(|(p, s)| glob(p.as_bytes(), s.as_bytes()))
    }
}

/// `*` matches any run of bytes; everything else matches itself. Greedy with one backtrack point, so a
/// hostile pattern (`*a*a*a*b`) costs at most `pattern × name` steps.
fn glob(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, si));
            pi += 1;
        } else if pi < p.len() && p[pi] == s[si] {
            pi += 1;
            si += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

impl Keep {
    /// The keep files of `root` and of each target directory `(dir, target)`, plus Terraform's state.
    pub fn load(root: &Path, trees: &[(&str, &str)]) -> Self {
        let mut keep = Self::default();
        let mut bases: Vec<&str> = vec![""];
        bases.extend(trees.iter().map(|(d, _)| *d).filter(|d| !d.is_empty()));
        for base in bases {
            let rel = fsx::join_rel(base, KEEP_FILE);
            let path = fsx::join(root, &rel);
            // Not through a symlinked target directory: nothing outside the root is read.
            let parent_ok = matches!(fsx::blocked_parent(root, &rel), Ok(None));
            if !parent_ok || Kind::of(&path).ok() != Some(Kind::File) {
                continue;
            }
            let Ok((bytes, _)) = fsx::read_file(&path) else {
                continue;
            };
            for line in String::from_utf8_lossy(&bytes).lines() {
                if let Some(p) = Pattern::parse(line) {
                    keep.patterns.push((base.to_string(), p));
                }
            }
        }
        for (dir, target) in trees {
            if *target == "terraform" {
                for p in TERRAFORM_STATE {
                    let p = Pattern::parse(p).expect("valid built-in pattern");
                    keep.patterns.push((dir.to_string(), p));
                }
            }
        }
        keep
    }

    /// Whether the entry at `rel` (below the root) is accepted.
    pub fn accepts(&self, rel: &str) -> bool {
        self.patterns.iter().any(|(base, p)| {
            let inner = if base.is_empty() {
                Some(rel)
            } else {
                rel.strip_prefix(base.as_str())
                    .and_then(|r| r.strip_prefix('/'))
            };
            inner.is_some_and(|r| p.matches(&r.split('/').collect::<Vec<_>>()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep(base: &str, lines: &str) -> Keep {
        Keep {
            patterns: lines
                .lines()
                .filter_map(Pattern::parse)
                .map(|p| (base.to_string(), p))
                .collect(),
        }
    }

    #[test]
    fn patterns() {
        let k = keep(
            "terraform",
            "# mine\nbackend.tf\n*.auto.tfvars\nnotes/\n../x\n",
        );
        assert!(k.accepts("terraform/backend.tf"));
        assert!(k.accepts("terraform/prod.auto.tfvars"));
        assert!(k.accepts("terraform/notes"));
        assert!(k.accepts("terraform/notes/a/b.md"));
        assert!(!k.accepts("backend.tf"));
        assert!(!k.accepts("terraform/evil.tf"));
        assert!(!k.accepts("terraform/sub/backend.tf"));
        assert!(!k.accepts("bicep/backend.tf"));
        assert!(!k.accepts("x"));
        assert!(glob(b"*", b"") && glob(b"a*c", b"abbc") && !glob(b"a*c", b"abcd"));
        assert!(!glob(b"*a*a*a*a*a*b", "a".repeat(5000).as_bytes()));
    }

    /// A target directory that is a symlink out of the root: its keep file is not read.
    #[cfg(unix)]
    #[test]
    fn keep_files_are_not_read_through_a_symlinked_target_directory() {
        let dir = tempfile::tempdir().unwrap();
        let (root, elsewhere) = (dir.path().join("gen"), dir.path().join("elsewhere"));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join(KEEP_FILE), "evil.tf\n").unwrap();
        std::os::unix::fs::symlink(&elsewhere, root.join("terraform")).unwrap();
        let k = Keep::load(&root, &[("terraform", "terraform")]);
        assert!(!k.accepts("terraform/evil.tf"));
        std::fs::write(root.join(KEEP_FILE), "terraform/evil.tf\n").unwrap();
        assert!(Keep::load(&root, &[("terraform", "terraform")]).accepts("terraform/evil.tf"));
    }
}
