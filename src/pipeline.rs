//! The whole pipeline for one spec file: read, validate, expand, build. Every command starts here.
//!
//! Input: the spec path and today's date. Output: an `Analysis` with the diagnostics report and, when the
//! spec is valid, the plan and the resource graph.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::catalog::{self, Catalog, CatalogLayer, expand::Plan};
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

/// What the command line decides for the pipeline.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--catalog FILE`: an overlay that replaces the spec's `catalog:`.
    pub catalog: Option<PathBuf>,
    /// `--retirement-horizon`, in days: replaces the spec's `retirement_horizon`.
    pub retirement_horizon: Option<u32>,
}

/// Runs every stage up to the graph; the diagnostics come in source order whichever stage found them.
pub fn analyse(path: &Path, today: Date) -> Analysis {
    analyse_with(path, today, &Options::default())
}

/// `analyse` with the command line's choices.
pub fn analyse_with(path: &Path, today: Date, opts: &Options) -> Analysis {
    let mut a = run_stages(path, today, opts);
    a.report
        .diagnostics
        .sort_by_key(|d| d.span.as_ref().map_or(usize::MAX, |s| s.start));
    a
}

fn run_stages(path: &Path, today: Date, opts: &Options) -> Analysis {
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
    let catalog = match with_overlay(&validated, opts) {
        Ok(c) => c,
        Err(d) => {
            report.diagnostics.push(d);
            return Analysis {
                report,
                spec_text,
                plan: None,
                graph: None,
            };
        }
    };
    report.catalogs = catalog.layers.clone();
    let (plan, diags) =
        catalog::expand::expand_with(&validated, &catalog, today, opts.retirement_horizon);
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

/// The embedded catalog with the overlay from `--catalog` or the spec's `catalog:` (relative to the spec)
/// applied; a located error when the overlay cannot be read or applied.
fn with_overlay(
    v: &crate::spec::Validated,
    opts: &Options,
) -> Result<Cow<'static, Catalog>, crate::diag::Diagnostic> {
    let (path, name, at) = match (&opts.catalog, &v.spec.catalog) {
        (Some(p), _) => (
            p.clone(),
            p.file_name().map_or_else(
                || p.display().to_string(),
                |f| f.to_string_lossy().into_owned(),
            ),
            None,
        ),
        (None, Some(c)) => (v.source.dir.join(c), c.clone(), Some("/catalog")),
        (None, None) => return Ok(Cow::Borrowed(catalog::embedded())),
    };
    let fail = |lines: Vec<String>| {
        let message = format!(
            "the catalog overlay {name} cannot be used: {}",
            lines.join("; ")
        );
        let d = match at {
            Some(p) => crate::spec::yaml::error_at(&v.spans, "catalog-overlay", p, message),
            None => crate::diag::Diagnostic::error("catalog-overlay", "", message),
        };
        d.with_help("write it with `aoaigen catalog import --region <region> <az model list JSON>`")
    };
    let overlay = catalog::overlay::load(&path).map_err(fail)?;
    catalog::overlay::apply::apply(catalog::embedded(), &overlay, &name)
        .map(Cow::Owned)
        .map_err(fail)
}

/// The layers of the catalog `opts` and the spec at `path` would use, for a command's first line.
pub fn describe_layers(layers: &[CatalogLayer]) -> String {
    layers
        .iter()
        .map(CatalogLayer::describe)
        .collect::<Vec<_>>()
        .join(" + ")
}
