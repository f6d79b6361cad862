//! Diagnostics: what every stage reports about a spec, located in the spec's source.
//!
//! Input: the stages' findings (`Diagnostic`), each with a spec path and, where the loader knew it, a source
//! span. Output: human text with the offending line underlined (codespan-reporting), or JSON for tools.

use std::fmt::Write as _;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};
use serde::Serialize;

/// How bad a finding is: errors stop the pipeline, warnings only with `--deny-warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A place in the spec file: byte range for the snippet, 1-based line and column for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
}

/// One finding about a spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable machine-readable code, e.g. `unknown-region`.
    pub code: &'static str,
    pub message: String,
    /// Where in the spec, as a dotted path (`models[0].regions[1]`); empty for the whole file.
    pub path: String,
    pub span: Option<Span>,
    /// A suggestion or the list of accepted values.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            path: path.into(),
            span: None,
            help: None,
        }
    }

    pub fn warning(
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, path, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_span(mut self, span: Option<Span>) -> Self {
        if self.span.is_none() {
            self.span = span;
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// All findings of one run, in the order the stages found them, with the source they point into.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub file_name: String,
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
    /// The catalog layers the checks used (empty when the spec failed before the catalog was needed).
    pub catalogs: Vec<crate::catalog::CatalogLayer>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// Human-readable text: one snippet per finding, then a summary line.
    pub fn render_human(&self, color: bool) -> String {
        let file = SimpleFile::new(self.file_name.as_str(), self.source.as_str());
        let config = Config::default();
        let mut out = Vec::new();
        for d in &self.diagnostics {
            let cs = self.to_codespan(d);
            if color {
                let mut w = codespan_reporting::term::termcolor::Ansi::new(&mut out);
                let _ = term::emit_to_write_style(&mut w, &config, &file, &cs);
            } else {
                let mut w = codespan_reporting::term::termcolor::NoColor::new(&mut out);
                let _ = term::emit_to_write_style(&mut w, &config, &file, &cs);
            }
        }
        let mut text = String::from_utf8_lossy(&out).into_owned();
        let (e, w) = (self.errors(), self.warnings());
        if e + w > 0 {
            let _ = writeln!(
                text,
                "{}: {} error{}, {} warning{}",
                self.file_name,
                e,
                if e == 1 { "" } else { "s" },
                w,
                if w == 1 { "" } else { "s" }
            );
        }
        text
    }

    fn to_codespan(&self, d: &Diagnostic) -> CsDiagnostic<()> {
        let base = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        };
        let mut notes = Vec::new();
        let label_text = if d.path.is_empty() {
            String::new()
        } else {
            format!("at `{}`", d.path)
        };
        let mut cs = base.with_code(d.code).with_message(&d.message);
        match &d.span {
            Some(span) => {
                let range: Range<usize> = clamp(span, self.source.len());
                cs = cs.with_labels(vec![Label::primary((), range).with_message(label_text)]);
            }
            None => {
                // No position known (e.g. a key that is missing): name the file and the spec path.
                notes.push(format!(
                    "in {}{}",
                    self.file_name,
                    if d.path.is_empty() {
                        String::new()
                    } else {
                        format!(" at `{}`", d.path)
                    }
                ));
            }
        }
        if let Some(help) = &d.help {
            notes.push(format!("help: {help}"));
        }
        cs.with_notes(notes)
    }

    /// Machine-readable diagnostics for `--format json`.
    pub fn render_json(&self) -> String {
        #[derive(Serialize)]
        struct Out<'a> {
            file: &'a str,
            errors: usize,
            warnings: usize,
            diagnostics: &'a [Diagnostic],
            catalogs: &'a [crate::catalog::CatalogLayer],
        }
        let out = Out {
            file: &self.file_name,
            errors: self.errors(),
            warnings: self.warnings(),
            diagnostics: &self.diagnostics,
            catalogs: &self.catalogs,
        };
        serde_json::to_string_pretty(&out).expect("diagnostics serialise") + "\n"
    }
}

fn clamp(span: &Span, len: usize) -> Range<usize> {
    let start = span.start.min(len);
    let end = span.end.clamp(start, len);
    start..end
}
