//! The whole pipeline for one spec file: read, validate, expand, build. Every command starts here.
//!
//! Input: the spec path and today's date. Output: an `Analysis` with the diagnostics report and, when the
//! spec is valid, the plan and the resource graph.

use std::path::{Component, Path, PathBuf};

use jiff::civil::Date;

use crate::catalog::{self, expand::Plan};
use crate::diag::Report;
use crate::graph::{self, ResourceGraph};
use crate::spec;

#[derive(Debug)]
pub struct Analysis {
    pub report: Report,
    pub spec_text: String,
    pub plan: Option<Plan>,
    pub graph: Option<ResourceGraph>,
}

impl Analysis {
    pub fn ok(&self, deny_warnings: bool) -> bool {
        self.graph.is_some()
            && self.report.errors() == 0
            && (!deny_warnings || self.report.warnings() == 0)
    }
}

/// Runs every stage up to the graph; the diagnostics come in source order whichever stage found them.
pub fn analyse(path: &Path, today: Date) -> Analysis {
    let mut a = run_stages(path, today);
    a.report
        .diagnostics
        .sort_by_key(|d| d.span.as_ref().map_or(usize::MAX, |s| s.start));
    a
}

fn run_stages(path: &Path, today: Date) -> Analysis {
    let mut report = Report {
        file_name: path.display().to_string(),
        ..Report::default()
    };
    let source = match spec::read(path) {
        Ok(s) => s,
        Err((source, d)) => {
            report.source = source.text;
            report.diagnostics.push(d);
            return Analysis {
                report,
                spec_text: String::new(),
                plan: None,
                graph: None,
            };
        }
    };
    report.source = source.text.clone();
    let spec_text = source.text.clone();
    let (validated, diags) = spec::validate(source);
    report.diagnostics.extend(diags);
    let Some(validated) = validated else {
        return Analysis {
            report,
            spec_text,
            plan: None,
            graph: None,
        };
    };
    let (plan, diags) = catalog::expand::expand(&validated, catalog::embedded(), today);
    report
        .diagnostics
        .extend(diags.into_iter().filter(|d| !validated.touches_cut(d)));
    if report.errors() > 0 {
        return Analysis {
            report,
            spec_text,
            plan: None,
            graph: None,
        };
    }
    let Some(plan) = plan else {
        return Analysis {
            report,
            spec_text,
            plan: None,
            graph: None,
        };
    };
    match graph::build(&plan) {
        Ok(g) => Analysis {
            report,
            spec_text,
            plan: Some(plan),
            graph: Some(g),
        },
        Err(diags) => {
            report.diagnostics.extend(diags);
            Analysis {
                report,
                spec_text,
                plan: Some(plan),
                graph: None,
            }
        }
    }
}

/// Points the graph's PFX certificate path at the spec's file, relative to the generated project `out`.
pub fn relocate_pfx(g: &mut ResourceGraph, spec_path: &Path, out: &Path) {
    let Some(cert) = g.gateway.certificate.as_mut() else {
        return;
    };
    let Some(pfx) = cert.pfx_path.as_ref() else {
        return;
    };
    let spec_dir = absolute(spec_path.parent().unwrap_or(Path::new("")));
    let target = spec_dir.join(pfx);
    cert.pfx_path = Some(relative(&absolute(out), &target));
}

fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// `to` relative to `from`, with `/` separators.
fn relative(from: &Path, to: &Path) -> String {
    let f: Vec<_> = from.components().collect();
    let t: Vec<_> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); f.len() - common];
    parts.extend(
        t[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::relative;
    use std::path::Path;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(Path::new("/w/gen/terraform"), Path::new("/w/certs/a.pfx")),
            "../../certs/a.pfx"
        );
        assert_eq!(relative(Path::new("/w"), Path::new("/w/a.pfx")), "a.pfx");
    }
}
