//! The last step of `aoaigen render`: write the rendered projects, or compare them (`--check`), and say
//! what happened.
//!
//! Input: the analysis (spec name and content digest for the manifests), the rendered projects with their
//! directories, `--check` and `--force`. Output: messages on stderr (diffs on stdout) and the exit code:
//! 0 written or up to date, 1 refused or different, 4 an I/O error.

use std::path::{Path, PathBuf};

use crate::cli::{EXIT_INVALID, EXIT_IO, EXIT_OK};
use crate::output::manifest::{Manifest, spec_digest};
use crate::output::{self, Fault, OutputError, Tree, WriteOptions};
use crate::pipeline::Analysis;
use crate::render::{RenderedProject, Target};

/// Writes or checks `rendered` (one project, or both for `--target all`, in `<root>/<target>`).
pub fn run(
    a: &Analysis,
    rendered: &[(Target, PathBuf, RenderedProject)],
    check: bool,
    force: bool,
) -> i32 {
    let (Some(plan), Some(graph)) = (&a.plan, &a.graph) else {
        errln!("internal error: no plan for a valid spec; this is a bug in aoaigen");
        return crate::cli::EXIT_BUG;
    };
    let digest = spec_digest(&plan.spec);
    let root: PathBuf = match rendered {
        [(_, dir, _)] => dir.clone(),
        [(_, dir, _), ..] => dir.parent().map(Path::to_path_buf).unwrap_or_default(),
        [] => return EXIT_OK,
    };
    let trees: Vec<Tree<'_>> = rendered
        .iter()
        .map(|(t, _, p)| Tree {
            dir: if rendered.len() == 1 { "" } else { t.as_str() },
            project: p,
            manifest: Manifest::new(&graph.meta.spec_name, &digest, t.as_str(), &p.files),
        })
        .collect();
    let files: usize = trees.iter().map(|t| t.project.files.len() + 1).sum();
    if check {
        let (diffs, text) = output::check(&root, &trees);
        if diffs.is_empty() {
            errln!("{}: up to date ({files} files)", root.display());
            return EXIT_OK;
        }
        out!("{text}");
        for d in &diffs {
            errln!("{}", d.describe());
        }
        errln!(
            "{}: {} difference{} from what `{}` renders; run the same command without --check to update",
            root.display(),
            diffs.len(),
            if diffs.len() == 1 { "" } else { "s" },
            crate::diag::escape_text(&a.report.file_name),
        );
        return EXIT_INVALID;
    }
    let opts = WriteOptions {
        force,
        fault: std::env::var("AOAIGEN_TEST_FAULT")
            .ok()
            .and_then(|f| Fault::parse(&f)),
        waiting: |lock| {
            errln!(
                "waiting for another aoaigen render into this directory to finish ({} is locked)",
                lock.display()
            )
        },
    };
    match output::write(&root, &trees, &opts) {
        Ok(s) => {
            for n in &s.notes {
                errln!("note: {n}");
            }
            errln!(
                "{}: {} written, {} unchanged{}",
                root.display(),
                s.written,
                s.unchanged,
                if s.removed.is_empty() {
                    String::new()
                } else {
                    format!(", removed {}", s.removed.join(", "))
                }
            );
            EXIT_OK
        }
        Err(OutputError::Refused(e)) => {
            errln!("error: {e}");
            EXIT_INVALID
        }
        Err(OutputError::Io(e)) => {
            errln!("error: {e}");
            EXIT_IO
        }
    }
}
