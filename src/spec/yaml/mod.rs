//! YAML loading with source locations and hard limits.
//!
//! Input: the spec file's bytes. Output: a `serde_json::Value` (YAML 1.2 core schema) and a `SpanMap` from
//! JSON pointer to source span, so every later stage can point at the exact key or value it complains about.
//!
//! saphyr-parser (the maintained successor of yaml-rust) is used at the event level so that this module, not
//! the parser, decides how aliases are expanded: an alias bomb stops at a node budget instead of exhausting
//! memory, nesting stops at a depth limit, and duplicate keys are errors instead of last-one-wins.

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Number, Value};

use crate::diag::{Diagnostic, Span};

mod decode;

pub use decode::{decode, too_large};

/// Specs are a few kilobytes; anything near this is not a spec.
pub const MAX_BYTES: usize = 1024 * 1024;
/// Values created, counting every alias expansion.
pub const MAX_NODES: usize = 100_000;
/// Nesting of mappings and sequences.
pub const MAX_DEPTH: usize = 64;

/// JSON pointer (`/models/0/regions/1`) -> span of the value; `<pointer>#key` -> span of the mapping key.
pub type SpanMap = BTreeMap<String, Span>;

/// A loaded document: the value and where each part of it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub value: Value,
    pub spans: SpanMap,
}

struct Frame {
    pointer: String,
    kind: FrameKind,
    anchor: usize,
    start: usize,
    nodes_before: usize,
}

enum FrameKind {
    Seq(Vec<Value>),
    Map {
        map: Map<String, Value>,
        key: Option<(String, Span)>,
    },
}

/// Loads one YAML document. Every failure is a located diagnostic; nothing here panics on any input.
pub fn load(text: &str) -> Result<Loaded, Diagnostic> {
    let index = CharIndex::new(text);
    let source = text;
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut spans = SpanMap::new();
    let mut anchors: BTreeMap<usize, (Value, usize)> = BTreeMap::new();
    let mut root: Option<Value> = None;
    let mut nodes = 0usize;
    let mut documents = 0usize;

    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| {
            let m = e.marker();
            let at = index.byte(m.index());
            if e.info().contains("recursion limit") {
                // The scanner's own nesting limit, reached before this loader's MAX_DEPTH in flow style.
                return Diagnostic::error(
                    "yaml-too-deep",
                    "",
                    format!("the spec nests deeper than {MAX_DEPTH} levels"),
                )
                .with_span(Some(syntax_span(text, at, m.line(), m.col() + 1, "")));
            }
            Diagnostic::error(
                "yaml-syntax",
                "",
                format!("YAML syntax error: {}", e.info()),
            )
            .with_span(Some(syntax_span(text, at, m.line(), m.col() + 1, e.info())))
            .with_help(syntax_help(e.info()))
        })?;
        let here = index.span(
            span.start.index(),
            span.end.index(),
            span.start.line(),
            span.start.col(),
        );
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => {}
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(Diagnostic::error(
                        "yaml-multiple-documents",
                        "",
                        "the spec holds more than one YAML document",
                    )
                    .with_span(Some(here))
                    .with_help("keep one spec per file (remove the extra `---`)"));
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(Diagnostic::error(
                        "yaml-too-deep",
                        "",
                        format!("the spec nests deeper than {MAX_DEPTH} levels"),
                    )
                    .with_span(Some(here)));
                }
                let pointer = child_pointer(&stack, &here)?;
                spans.insert(pointer.clone(), here.clone());
                let kind = if matches!(event, Event::SequenceStart(..)) {
                    FrameKind::Seq(Vec::new())
                } else {
                    FrameKind::Map {
                        map: Map::new(),
                        key: None,
                    }
                };
                stack.push(Frame {
                    pointer,
                    kind,
                    anchor,
                    start: here.start,
                    nodes_before: nodes,
                });
                bump(&mut nodes, 1, &here)?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let frame = stack
                    .pop()
                    .ok_or_else(|| internal("container end without start"))?;
                if let Some(s) = spans.get_mut(&frame.pointer) {
                    s.end = here.end.max(frame.start);
                }
                let value = match frame.kind {
                    FrameKind::Seq(items) => Value::Array(items),
                    FrameKind::Map { map, .. } => Value::Object(map),
                };
                if frame.anchor > 0 {
                    anchors.insert(frame.anchor, (value.clone(), nodes - frame.nodes_before));
                }
                attach(&mut stack, &mut root, value, &mut spans, here)?;
            }
            Event::Scalar(text, style, anchor, tag) => {
                let here = close_quote(source, here, style);
                // A scalar in key position names the next value; keys must be plain strings.
                if let Some(Frame {
                    kind:
                        FrameKind::Map {
                            key: key @ None,
                            map,
                        },
                    pointer,
                    ..
                }) = stack.last_mut()
                {
                    let k = text.to_string();
                    if map.contains_key(&k) {
                        return Err(Diagnostic::error("duplicate-key", format_path(pointer), format!("duplicate key `{k}`"))
                            .with_span(Some(here))
                            .with_help("each key may appear once in a mapping; remove or merge the repeated one"));
                    }
                    *key = Some((k, here));
                    bump(
                        &mut nodes,
                        1,
                        key.as_ref().map(|k| &k.1).unwrap_or(&index.empty()),
                    )?;
                    continue;
                }
                let pointer = child_pointer(&stack, &here)?;
                spans.insert(pointer, here.clone());
                let value = scalar(&text, style, tag.as_deref().map(|t| t.suffix.as_str()));
                bump(&mut nodes, 1, &here)?;
                if anchor > 0 {
                    anchors.insert(anchor, (value.clone(), 1));
                }
                attach(&mut stack, &mut root, value, &mut spans, here)?;
            }
            Event::Alias(id) => {
                let (value, size) = anchors.get(&id).cloned().ok_or_else(|| {
                    Diagnostic::error("yaml-alias", "", "alias refers to an unknown anchor")
                        .with_span(Some(here.clone()))
                })?;
                bump(&mut nodes, size, &here)?;
                if matches!(
                    stack.last(),
                    Some(Frame {
                        kind: FrameKind::Map { key: None, .. },
                        ..
                    })
                ) {
                    return Err(Diagnostic::error(
                        "yaml-alias-key",
                        "",
                        "aliases cannot be used as mapping keys in a spec",
                    )
                    .with_span(Some(here)));
                }
                let pointer = child_pointer(&stack, &here)?;
                spans.insert(pointer, here.clone());
                attach(&mut stack, &mut root, value, &mut spans, here)?;
            }
        }
    }
    match root {
        Some(value) => Ok(Loaded { value, spans }),
        None => Err(Diagnostic::error(
            "empty-spec",
            "",
            "the spec is empty (no YAML document, only comments or blank lines)",
        )
        .with_help("start from `aoaigen init`, which writes a commented starter spec")),
    }
}

/// Where to mark a syntax error: the parser's position, except that a tab error marks the tab itself and an
/// error at the end of the input marks the last character written (not an empty line after it).
fn syntax_span(text: &str, at: usize, line: usize, column: usize, info: &str) -> Span {
    let at = at.min(text.len());
    let located = |at: usize| {
        let prefix = &text[..at];
        let line_start = prefix.rfind('\n').map_or(0, |p| p + 1);
        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        Span {
            start: at,
            end,
            line: prefix.matches('\n').count() + 1,
            column: prefix[line_start..].chars().count() + 1,
        }
    };
    if info.contains("tab") {
        let line_start = text[..at].rfind('\n').map_or(0, |p| p + 1);
        if let Some(i) = text[line_start..at].find('\t') {
            return located(line_start + i);
        }
        // "while scanning a plain scalar, found a tab": the parser reports where the scalar began.
        let rest = &text[at..];
        if let Some(i) = rest.find('\t')
            && rest[..i].matches('\n').count() <= 1
        {
            return located(at + i);
        }
    }
    if text[at..].trim().is_empty()
        && let Some((i, _)) = text[..at].trim_end().char_indices().next_back()
    {
        return located(i);
    }
    Span {
        start: at,
        end: at + 1,
        line,
        column,
    }
}

fn syntax_help(info: &str) -> String {
    if info.contains("tab") {
        "YAML indentation must use spaces, not tabs".to_string()
    } else if info.contains("mapping values are not allowed") {
        "a value containing `: ` must be quoted".to_string()
    } else {
        "check the indentation and quoting around this position".to_string()
    }
}

fn bump(nodes: &mut usize, by: usize, span: &Span) -> Result<(), Diagnostic> {
    *nodes = nodes.saturating_add(by);
    if *nodes > MAX_NODES {
        return Err(Diagnostic::error(
            "yaml-too-large",
            "",
            format!(
                "the spec expands to more than {MAX_NODES} values (anchors and aliases included)"
            ),
        )
        .with_span(Some(span.clone()))
        .with_help(
            "aliases that expand exponentially (a \"billion laughs\" document) are rejected",
        ));
    }
    Ok(())
}

fn internal(what: &str) -> Diagnostic {
    Diagnostic::error(
        "internal",
        "",
        format!("internal error while reading YAML ({what}); this is a bug in aoaigen"),
    )
}

/// The pointer of the value about to be attached to the innermost open container.
fn child_pointer(stack: &[Frame], here: &Span) -> Result<String, Diagnostic> {
    Ok(match stack.last() {
        None => String::new(),
        Some(Frame {
            pointer,
            kind: FrameKind::Seq(items),
            ..
        }) => format!("{pointer}/{}", items.len()),
        Some(Frame {
            pointer,
            kind: FrameKind::Map {
                key: Some((k, _)), ..
            },
            ..
        }) => format!("{pointer}/{}", escape_pointer(k)),
        Some(Frame {
            kind: FrameKind::Map { key: None, .. },
            pointer,
            ..
        }) => {
            return Err(Diagnostic::error(
                "yaml-complex-key",
                format_path(pointer),
                "mapping keys must be plain strings",
            )
            .with_span(Some(here.clone())));
        }
    })
}

fn attach(
    stack: &mut [Frame],
    root: &mut Option<Value>,
    value: Value,
    spans: &mut SpanMap,
    _here: Span,
) -> Result<(), Diagnostic> {
    match stack.last_mut() {
        None => *root = Some(value),
        Some(Frame {
            kind: FrameKind::Seq(items),
            ..
        }) => items.push(value),
        Some(Frame {
            kind: FrameKind::Map { map, key },
            pointer,
            ..
        }) => {
            let (k, kspan) = key.take().ok_or_else(|| internal("value without key"))?;
            spans.insert(format!("{pointer}/{}#key", escape_pointer(&k)), kspan);
            map.insert(k, value);
        }
    }
    Ok(())
}

/// YAML 1.2 core schema resolution for a scalar.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&str>) -> Value {
    if style != ScalarStyle::Plain || tag == Some("str") {
        return Value::String(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(n) = parse_int(text) {
        return Value::Number(n);
    }
    if is_float(text)
        && let Ok(f) = text.parse::<f64>()
        && let Some(n) = Number::from_f64(f)
    {
        return Value::Number(n);
    }
    Value::String(text.to_string())
}

fn parse_int(text: &str) -> Option<Number> {
    let (neg, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let value = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(oct) = digits.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok()?
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<i64>().ok()?
    } else {
        return None;
    };
    Some(Number::from(if neg { -value } else { value }))
}

fn is_float(text: &str) -> bool {
    let t = text.trim_start_matches(['-', '+']);
    !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && t.bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit() || b == b'.')
        && t.contains(['.', 'e', 'E'])
}

/// The span of the value at `pointer`, or of the nearest enclosing value that has one (a missing key has
/// no span of its own, so the mapping that lacks it is shown).
pub fn locate(spans: &SpanMap, pointer: &str) -> Option<Span> {
    let mut p = pointer.to_string();
    loop {
        if let Some(s) = spans.get(&p) {
            return Some(s.clone());
        }
        match p.rfind('/') {
            Some(i) => p.truncate(i),
            None => return None,
        }
    }
}

/// A diagnostic about the value at `pointer`, located through `spans`.
pub fn error_at(
    spans: &SpanMap,
    code: &'static str,
    pointer: &str,
    message: impl Into<String>,
) -> Diagnostic {
    Diagnostic::error(code, format_path(pointer), message).with_span(locate(spans, pointer))
}

/// A warning about the value at `pointer`, located through `spans`.
pub fn warning_at(
    spans: &SpanMap,
    code: &'static str,
    pointer: &str,
    message: impl Into<String>,
) -> Diagnostic {
    Diagnostic::warning(code, format_path(pointer), message).with_span(locate(spans, pointer))
}

/// RFC 6901 escaping of one pointer segment.
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// `/models/0/regions/1` -> `models[0].regions[1]`, the form people read in messages.
pub fn format_path(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}

/// saphyr ends a quoted scalar's span at the next token, so it would underline the spaces and comment
/// after the closing quote; this ends it at the quote (`\"` and `''` escape a quote, not close it).
fn close_quote(source: &str, span: Span, style: ScalarStyle) -> Span {
    let quote = match style {
        ScalarStyle::DoubleQuoted => b'"',
        ScalarStyle::SingleQuoted => b'\'',
        _ => return span,
    };
    let bytes = source.as_bytes();
    if bytes.get(span.start) != Some(&quote) {
        return span;
    }
    let mut i = span.start + 1;
    while i < span.end.min(bytes.len()) {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => {
                return Span { end: i + 1, ..span };
            }
            _ => i += 1,
        }
    }
    span
}

/// saphyr reports character indexes; snippets need byte offsets.
struct CharIndex {
    /// Byte offset of every character, plus the end.
    offsets: Vec<usize>,
}

impl CharIndex {
    fn new(text: &str) -> Self {
        let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        offsets.push(text.len());
        Self { offsets }
    }

    fn byte(&self, char_index: usize) -> usize {
        self.offsets
            .get(char_index)
            .copied()
            .unwrap_or(*self.offsets.last().unwrap_or(&0))
    }

    fn span(&self, start: usize, end: usize, line: usize, col: usize) -> Span {
        Span {
            start: self.byte(start),
            end: self.byte(end),
            line,
            column: col + 1,
        }
    }

    fn empty(&self) -> Span {
        Span {
            start: 0,
            end: 0,
            line: 1,
            column: 1,
        }
    }
}

#[cfg(test)]
mod tests;
