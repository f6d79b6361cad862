//! Diagnostics: what every stage reports about a spec, located in the spec's source.
//!
//! Input: the stages' findings (`Diagnostic`), each with a spec path and, where the loader knew it, a source
//! span. Output: human text with the offending line underlined (codespan-reporting), bounded and with control
//! characters escaped, or JSON for tools.

use std::fmt::Write as _;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::term::{self, Config};
use serde::Serialize;

mod snippet;

use snippet::{LineIndex, Snippet};
pub use snippet::{escape_line, escape_text, visible};

/// Diagnostics printed in full by `render_human`; the rest are counted.
pub const MAX_SHOWN: usize = 50;

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
    /// One line: line breaks from spec values are printed escaped, so a value cannot forge a line of output.
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

    /// Human-readable text: one snippet per finding (the first `MAX_SHOWN`, then a count of the rest), then
    /// a summary line. Bounded whatever the input: snippets are cut around their label (`snippet`), and
    /// nothing from the spec reaches the terminal unescaped.
    pub fn render_human(&self, color: bool) -> String {
        let index = LineIndex::new(&self.source);
        let name = escape_line(&self.file_name);
        let config = Config::default();
        let mut out = Vec::new();
        for d in self.diagnostics.iter().take(MAX_SHOWN) {
            let (snippet, cs) = self.to_codespan(d, &name, &index);
            if color {
                let mut w = codespan_reporting::term::termcolor::Ansi::new(&mut out);
                let _ = term::emit_to_write_style(&mut w, &config, &snippet, &cs);
            } else {
                let mut w = codespan_reporting::term::termcolor::NoColor::new(&mut out);
                let _ = term::emit_to_write_style(&mut w, &config, &snippet, &cs);
            }
        }
        let mut text = String::from_utf8_lossy(&out).into_owned();
        let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let hidden = &self.diagnostics[self.diagnostics.len().min(MAX_SHOWN)..];
        if !hidden.is_empty() {
            let e = hidden.iter().filter(|d| d.is_error()).count();
            let counts: Vec<String> = [(e, "error"), (hidden.len() - e, "warning")]
                .into_iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, what)| plural(n, &format!("more {what}")))
                .collect();
            let _ = writeln!(
                text,
                "note: {} not shown; fix the ones above first (`aoaigen validate --format json` lists all)\n",
                counts.join(" and "),
            );
        }
        let (e, w) = (self.errors(), self.warnings());
        if e + w > 0 {
            let _ = writeln!(
                text,
                "{name}: {}, {}",
                plural(e, "error"),
                plural(w, "warning")
            );
        }
        text
    }

    fn to_codespan<'a>(
        &self,
        d: &Diagnostic,
        name: &'a str,
        index: &LineIndex,
    ) -> (Snippet<'a>, CsDiagnostic<()>) {
        let base = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        };
        let path = escape_line(&d.path);
        let mut notes = Vec::new();
        let label_text = if path.is_empty() {
            String::new()
        } else {
            format!("at `{path}`")
        };
        let mut cs = base.with_code(d.code).with_message(escape_line(&d.message));
        let snippet = match &d.span {
            Some(span) => {
                let range: Range<usize> = clamp(span, self.source.len());
                let (snippet, range) = Snippet::new(name, &self.source, index, range);
                cs = cs.with_labels(vec![Label::primary((), range).with_message(label_text)]);
                snippet
            }
            None => {
                // No position known (e.g. a key that is missing): name the file and the spec path.
                notes.push(format!(
                    "in {name}{}",
                    if path.is_empty() {
                        String::new()
                    } else {
                        format!(" at `{path}`")
                    }
                ));
                Snippet::empty(name)
            }
        };
        if let Some(help) = &d.help {
            notes.push(format!("help: {}", escape_line(help)));
        }
        (snippet, cs.with_notes(notes))
    }

    /// Machine-readable diagnostics for `--format json`.
    pub fn render_json(&self) -> String {
        serde_json::to_string_pretty(&self.to_json()).expect("diagnostics serialise") + "\n"
    }

    /// `{file, errors, warnings, diagnostics, catalogs}`: one file's entry in `validate --format json`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "file": self.file_name,
            "errors": self.errors(),
            "warnings": self.warnings(),
            "diagnostics": self.diagnostics,
            "catalogs": self.catalogs,
        })
    }
}

fn clamp(span: &Span, len: usize) -> Range<usize> {
    let start = span.start.min(len);
    let end = span.end.clamp(start, len);
    start..end
}
