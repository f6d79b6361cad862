//! One diagnostic's excerpt of the spec, for codespan: only the lines its label touches, a long line cut to
//! a window around the label, control characters shown as visible symbols. Line and column numbers stay
//! those of the original file.
//!
//! Input: the spec's text, its line index and the label's byte range. Output: a `Snippet` (codespan's
//! `Files`) and the label's range in it. This keeps the output of one diagnostic bounded however long the
//! line (a 70 KB flow sequence printed once per error made the output grow with the square of the input),
//! and keeps escape sequences written in a spec from reaching the terminal.

use std::borrow::Cow;
use std::ops::Range;

use codespan_reporting::files::{Error, Files};

/// Lines longer than this many characters are cut to a window around the label.
const MAX_LINE: usize = 160;
/// Characters shown before the label's start on a cut line.
const CONTEXT: usize = 40;
/// A label over more lines than this is shown on its first line only.
const MAX_LABEL_LINES: usize = 12;

/// Where each line of a text starts, computed once per report.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { starts }
    }

    /// 0-based line of byte `at`.
    fn line_of(&self, at: usize) -> usize {
        self.starts.partition_point(|&s| s <= at) - 1
    }

    /// The bytes of line `l` without its line break (`\n` or `\r\n`).
    fn bounds(&self, text: &str, l: usize) -> Range<usize> {
        let start = self.starts[l];
        let mut end = self.starts.get(l + 1).map_or(text.len(), |n| n - 1);
        if text[start..end].ends_with('\r') {
            end -= 1;
        }
        start..end
    }
}

/// A character as it may be printed: C0/C1 controls, DEL and bidirectional overrides become visible
/// stand-ins of one column each, so underlines stay aligned. Tabs stay (codespan expands them).
pub fn visible(c: char) -> char {
    match c {
        '\t' => c,
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        '\u{80}'..='\u{9f}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' => '\u{fffd}',
        '\u{2066}'..='\u{2069}' => '\u{fffd}',
        c => c,
    }
}

/// Text for a message: control characters (except line breaks and tabs) written as `\u{1b}`.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| visible(c) != c) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\n' => "\n".to_string(),
                c if visible(c) != c => c.escape_unicode().to_string(),
                c => c.to_string(),
            })
            .collect(),
    )
}

/// Text for one line of a message (a file name, a path): `escape_text`, and line breaks escaped too, so a
/// name cannot start a line of its own in a log.
pub fn escape_line(s: &str) -> Cow<'_, str> {
    match escape_text(s) {
        Cow::Borrowed(b) if !b.contains(['\n', '\r']) => Cow::Borrowed(b),
        t => Cow::Owned(t.replace('\n', "\\u{a}").replace('\r', "\\u{d}")),
    }
}

struct Line {
    /// Bytes in `Snippet::text`, including the final `\n`.
    range: Range<usize>,
    /// 1-based line number in the spec.
    number: usize,
    /// 1-based column in the spec of the first character after the `…` marker.
    first_column: usize,
    /// 1 when the line starts with a `…` marker.
    marker: usize,
}

/// The lines a label touches, as codespan's source.
pub struct Snippet<'a> {
    name: &'a str,
    text: String,
    lines: Vec<Line>,
}

impl<'a> Snippet<'a> {
    /// A snippet with no lines, for a diagnostic without a place in the file.
    pub fn empty(name: &'a str) -> Self {
        Self {
            name,
            text: String::new(),
            lines: Vec::new(),
        }
    }

    /// The excerpt for a label over `span` of `source`, and the label's range in the excerpt.
    pub fn new(
        name: &'a str,
        source: &str,
        index: &LineIndex,
        span: Range<usize>,
    ) -> (Self, Range<usize>) {
        let floor = |mut i: usize| {
            i = i.min(source.len());
            while !source.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let start = floor(span.start);
        let mut end = floor(span.end).max(start);
        let first = index.line_of(start);
        let mut last = index.line_of(end);
        if last > first && index.bounds(source, last).start == end {
            // A label ending with a line break ends on the line before.
            last -= 1;
            end = index.bounds(source, last).end.max(start);
        }
        if last - first > MAX_LABEL_LINES {
            last = first;
        }
        let mut s = Self::empty(name);
        let (mut label_start, mut label_end) = (0, 0);
        for l in first..=last {
            let b = index.bounds(source, l);
            let line = &source[b.clone()];
            let chars: Vec<(usize, char)> = line.char_indices().collect();
            let char_at = |byte: usize| chars.partition_point(|(i, _)| b.start + i < byte);
            let focus_start = if l == first { char_at(start) } else { 0 };
            let focus_end = if l == last {
                char_at(end.min(b.end))
            } else {
                chars.len()
            };
            let (lo, hi) = window(chars.len(), focus_start, focus_end);
            let line_start = s.text.len();
            let marker = usize::from(lo > 0);
            if lo > 0 {
                s.text.push('…');
            }
            // Byte position in the snippet of the character `i` of this line (clamped to the window).
            let mut positions = Vec::with_capacity(hi - lo + 1);
            for &(_, c) in &chars[lo..hi] {
                positions.push(s.text.len());
                s.text.push(visible(c));
            }
            positions.push(s.text.len());
            let at = |i: usize| positions[i.clamp(lo, hi) - lo];
            if l == first {
                label_start = at(focus_start);
            }
            if l == last {
                label_end = at(focus_end).max(label_start);
            }
            if hi < chars.len() {
                s.text.push('…');
            }
            s.text.push('\n');
            s.lines.push(Line {
                range: line_start..s.text.len(),
                number: l + 1,
                first_column: lo + 1,
                marker,
            });
        }
        (s, label_start..label_end)
    }
}

/// The characters `lo..hi` of a line of `n` characters to show for a label over `start..end`.
fn window(n: usize, start: usize, end: usize) -> (usize, usize) {
    if n <= MAX_LINE {
        return (0, n);
    }
    let lo = start
        .saturating_sub(CONTEXT)
        .min(n.saturating_sub(MAX_LINE));
    let hi = (end.max(start) + CONTEXT).clamp(lo, n).min(lo + MAX_LINE);
    (lo, hi)
}

impl<'a> Files<'a> for Snippet<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        Ok(self
            .lines
            .partition_point(|l| l.range.end <= byte_index)
            .min(self.lines.len().saturating_sub(1)))
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, Error> {
        Ok(self.line(line_index)?.number)
    }

    fn column_number(
        &'a self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let line = self.line(line_index)?;
        let upto = byte_index.clamp(line.range.start, line.range.end);
        let chars = self.text[line.range.start..upto].chars().count();
        Ok(line.first_column + chars.saturating_sub(line.marker))
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        Ok(self.line(line_index)?.range.clone())
    }
}

impl Snippet<'_> {
    fn line(&self, i: usize) -> Result<&Line, Error> {
        self.lines.get(i).ok_or(Error::LineTooLarge {
            given: i,
            max: self.lines.len().saturating_sub(1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippet(source: &str, span: Range<usize>) -> (String, Range<usize>, usize, usize) {
        let index = LineIndex::new(source);
        let (s, r) = Snippet::new("f", source, &index, span);
        let li = s.line_index((), r.start).unwrap();
        let col = s.column_number((), li, r.start).unwrap();
        let line = s.line_number((), li).unwrap();
        (s.text.clone(), r, line, col)
    }

    #[test]
    fn short_lines_are_kept_whole_with_their_numbers() {
        let src = "a: 1\nbb: ccc\r\nd: 4\n";
        let (text, r, line, col) = snippet(src, 9..12);
        assert_eq!(text, "bb: ccc\n");
        assert_eq!(&text[r], "ccc");
        assert_eq!((line, col), (2, 5));
    }

    #[test]
    fn long_lines_are_cut_around_the_label_and_keep_the_real_column() {
        let src = format!("x: [{}]\n", "abcdefghij, ".repeat(1000));
        let at = src.find("abcdefghij, abcdefghij").unwrap() + 12 * 500;
        let (text, r, line, col) = snippet(&src, at..at + 10);
        assert!(text.chars().count() <= MAX_LINE + 3, "{text}");
        assert!(text.starts_with('…') && text.trim_end().ends_with('…'));
        assert_eq!(&text[r], "abcdefghij");
        assert_eq!((line, col), (1, at + 1));
    }

    #[test]
    fn control_characters_are_visible_and_one_column_wide() {
        let src = "a: \u{1b}[31mred\n";
        let (text, r, _, col) = snippet(src, 8..11);
        assert_eq!(text, "a: \u{241b}[31mred\n");
        assert_eq!(&text[r], "red");
        assert_eq!(col, 9);
        assert_eq!(escape_text("a\u{1b}b\u{7}"), "a\\u{1b}b\\u{7}");
        assert_eq!(escape_line("a\nb\r\u{1b}"), "a\\u{a}b\\u{d}\\u{1b}");
        assert_eq!(escape_line("plain"), "plain");
    }

    #[test]
    fn a_label_over_many_lines_shows_its_first_line() {
        let src = "m:\n".to_string() + &"  - x\n".repeat(100);
        let (text, _, line, _) = snippet(&src, 3..src.len());
        assert_eq!(text, "  - x\n");
        assert_eq!(line, 2);
    }
}
