//! The spec's bytes as text: UTF-8, within the size limit, and printable as YAML 1.2 requires, or one
//! located error that names the offending byte or character.

use super::MAX_BYTES;
use crate::diag::{Diagnostic, Span};

/// Turns the file's bytes into text, or a located error for invalid UTF-8.
pub fn decode(bytes: &[u8]) -> Result<&str, Diagnostic> {
    if bytes.len() > MAX_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let span = span_at(&bytes[..at], at);
        Diagnostic::error(
            "not-utf8",
            "",
            format!("the spec is not valid UTF-8 (invalid byte at offset {at})"),
        )
        .with_span(Some(Span {
            end: at + 1,
            ..span
        }))
        .with_help("save the file as UTF-8")
    })?;
    match text.char_indices().find(|&(_, c)| !printable(c)) {
        None => Ok(text),
        Some((at, c)) => Err(unprintable(text, at, c)),
    }
}

/// YAML 1.2 `c-printable`: what a YAML stream may hold, anywhere (even in comments).
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

/// A control character where YAML allows none: named, located, with how to write it if it is meant.
fn unprintable(text: &str, at: usize, c: char) -> Diagnostic {
    let name = match c {
        '\0' => " (NUL)",
        '\u{7}' => " (BEL)",
        '\u{8}' => " (backspace)",
        '\u{1b}' => " (ESC, starts terminal escape sequences)",
        '\u{7f}' => " (DEL)",
        _ => "",
    };
    let span = span_at(&text.as_bytes()[..at], at);
    Diagnostic::error(
        "control-character",
        "",
        format!(
            "the spec contains the control character U+{:04X}{name} at line {}, column {}; YAML files hold printable text only",
            c as u32, span.line, span.column
        ),
    )
    .with_span(Some(Span {
        end: at + c.len_utf8(),
        ..span
    }))
    .with_help("delete it; if the value needs it, write it as an escape in a double-quoted string, e.g. \"\\x1b\"")
}

/// The error for a spec of `size` bytes, more than `MAX_BYTES`.
pub fn too_large(size: u64) -> Diagnostic {
    Diagnostic::error(
        "file-too-large",
        "",
        format!("the spec is {size} bytes; specs are limited to {MAX_BYTES} bytes"),
    )
    .with_help("a spec describes a few models and regions; is this the right file?")
}

fn span_at(prefix: &[u8], at: usize) -> Span {
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = prefix
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&prefix[line_start..])
        .chars()
        .count()
        + 1;
    Span {
        start: at,
        end: at,
        line,
        column,
    }
}
