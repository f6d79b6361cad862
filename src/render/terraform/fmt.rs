//! `terraform fmt` layout for the HCL this generator writes: indentation by bracket depth and `=`
//! alignment across consecutive single-line attributes, following hclwrite's rules (`formatIndent` and
//! `formatCells`). Templates then only need correct tokens and spacing; CI checks the result with the real
//! `terraform fmt -check`. Heredocs are not supported (the generator writes none).

/// Re-indents and aligns `src`; trailing spaces go, runs of blank lines collapse to one, one final newline.
pub fn format_hcl(src: &str) -> String {
    let mut lines: Vec<Line> = Vec::new();
    let mut blank_run = 0;
    for raw in src.lines() {
        let text = raw.trim();
        if text.is_empty() {
            blank_run += 1;
            // Blank lines after an opening bracket or before a closing one are noise from templates.
            if blank_run > 1
                || lines
                    .last()
                    .is_none_or(|l| l.text.ends_with('{') || l.text.ends_with('['))
            {
                continue;
            }
        } else {
            blank_run = 0;
        }
        lines.push(Line::new(text));
    }
    // Drop blank lines that precede a closing bracket.
    let mut i = 0;
    while i + 1 < lines.len() {
        if lines[i].text.is_empty() && lines[i + 1].text.starts_with(['}', ']', ')']) {
            lines.remove(i);
        } else {
            i += 1;
        }
    }
    while lines.first().is_some_and(|l| l.text.is_empty()) {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| l.text.is_empty()) {
        lines.pop();
    }
    indent(&mut lines);
    align(&mut lines);
    let mut out = String::with_capacity(src.len());
    for l in &lines {
        if !l.text.is_empty() {
            out.push_str(&" ".repeat(l.indent));
            match l.assign_at {
                Some(at) => {
                    let (lead, rest) = l.text.split_at(at);
                    out.push_str(lead.trim_end());
                    out.push_str(&" ".repeat(l.pad));
                    out.push_str(rest);
                }
                None => out.push_str(&l.text),
            }
        }
        out.push('\n');
    }
    out
}

struct Line {
    text: String,
    /// Net bracket change of the line (hclwrite counts `${` and `%{` as openers too).
    net: i32,
    /// Byte offset of the `=` that makes this an attribute line, if its right side is a whole expression.
    assign_at: Option<usize>,
    indent: usize,
    /// Spaces before the `=`.
    pad: usize,
}

impl Line {
    fn new(text: &str) -> Self {
        let (net, assign_at) = scan(text);
        Self {
            text: text.to_string(),
            net,
            assign_at,
            indent: 0,
            pad: 1,
        }
    }
}

/// Bracket balance and the first top-level `=` (not `==`, `!=`, `<=`, `>=`, `=>`) outside strings.
fn scan(text: &str) -> (i32, Option<usize>) {
    let b = text.as_bytes();
    let mut net = 0i32;
    let mut first_eq = None;
    let mut net_at_eq = 0i32;
    // Stack of contexts: true = inside a quoted string, false = inside code (an interpolation).
    let mut ctx: Vec<bool> = Vec::new();
    let mut interp_depth: Vec<i32> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let in_string = ctx.last() == Some(&true);
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => {
                    ctx.pop();
                }
                b'$' | b'%'
                    if b.get(i + 1) == Some(&b'{') && b.get(i.wrapping_sub(1)) != Some(&c) =>
                {
                    ctx.push(false);
                    interp_depth.push(0);
                    net += 1;
                    i += 1;
                }
                _ => {}
            }
        } else {
            match c {
                b'"' => ctx.push(true),
                b'#' => break,
                b'/' if b.get(i + 1) == Some(&b'/') => break,
                b'{' | b'[' | b'(' => {
                    net += 1;
                    if let Some(d) = interp_depth.last_mut() {
                        *d += 1;
                    }
                }
                b'}' if interp_depth.last() == Some(&0) && ctx.last() == Some(&false) => {
                    interp_depth.pop();
                    ctx.pop();
                    net -= 1;
                }
                b'}' | b']' | b')' => {
                    net -= 1;
                    if let Some(d) = interp_depth.last_mut() {
                        *d -= 1;
                    }
                }
                b'=' if ctx.is_empty() && first_eq.is_none() => {
                    let prev = if i > 0 { b[i - 1] } else { b' ' };
                    let next = b.get(i + 1).copied().unwrap_or(b' ');
                    if !matches!(prev, b'=' | b'!' | b'<' | b'>')
                        && !matches!(next, b'=' | b'>')
                        && i > 0
                    {
                        first_eq = Some(i);
                        net_at_eq = net;
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    // hclwrite only aligns when the right-hand side is a whole expression (balanced on this line).
    let assign = first_eq.filter(|_| net - net_at_eq == 0);
    (net, assign)
}

fn indent(lines: &mut [Line]) {
    let mut stack: Vec<i32> = Vec::new();
    for l in lines.iter_mut() {
        if l.text.is_empty() {
            continue;
        }
        if l.net > 0 {
            l.indent = 2 * stack.len();
            stack.push(l.net);
        } else if l.net < 0 {
            let mut closed = -l.net;
            while closed > 0 {
                let Some(top) = stack.last_mut() else { break };
                if closed >= *top {
                    closed -= *top;
                    stack.pop();
                } else {
                    *top -= closed;
                    closed = 0;
                }
            }
            l.indent = 2 * stack.len();
        } else {
            l.indent = 2 * stack.len();
        }
    }
}

fn align(lines: &mut [Line]) {
    let mut i = 0;
    while i < lines.len() {
        if lines[i].assign_at.is_none() {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && lines[i].assign_at.is_some() {
            i += 1;
        }
        let width = |l: &Line| {
            l.indent
                + l.text[..l.assign_at.unwrap_or(0)]
                    .trim_end()
                    .chars()
                    .count()
        };
        let max = lines[start..i].iter().map(width).max().unwrap_or(0);
        for l in &mut lines[start..i] {
            l.pad = max - width(l) + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::format_hcl;

    #[test]
    fn indents_and_aligns_like_terraform_fmt() {
        let src = "resource \"a\" \"b\" {\nname = \"x\"\nlocation_long = \"y\"\n\ntags = {\n\"k\" = \"v\"\n}\nnested {\nfoo = [for r in var.x : \"${r.id}\"]\nbar = 1\n}\n}\n";
        let want = "resource \"a\" \"b\" {\n  name          = \"x\"\n  location_long = \"y\"\n\n  tags = {\n    \"k\" = \"v\"\n  }\n  nested {\n    foo = [for r in var.x : \"${r.id}\"]\n    bar = 1\n  }\n}\n";
        assert_eq!(format_hcl(src), want);
    }

    #[test]
    fn multi_line_values_break_alignment_chains() {
        let src = "locals {\na = 1\nlonger = {\nx = 1\n}\nb = 2\n}\n";
        let want = "locals {\n  a = 1\n  longer = {\n    x = 1\n  }\n  b = 2\n}\n";
        assert_eq!(format_hcl(src), want);
    }

    #[test]
    fn comparison_operators_are_not_assignments() {
        let src = "x {\nenabled = var.a == \"b\"\nc = 1\n}\n";
        assert_eq!(
            format_hcl(src),
            "x {\n  enabled = var.a == \"b\"\n  c       = 1\n}\n"
        );
    }

    #[test]
    fn escaped_template_sequences_in_strings() {
        let src = "x {\nv = \"$${not} %%{this}\"\nlong_name = 2\n}\n";
        assert_eq!(
            format_hcl(src),
            "x {\n  v         = \"$${not} %%{this}\"\n  long_name = 2\n}\n"
        );
    }

    #[test]
    fn blank_lines_collapse() {
        assert_eq!(
            format_hcl("\n\na {\n\n\nb = 1\n\n}\n\n\nc {}\n\n"),
            "a {\n  b = 1\n}\n\nc {}\n"
        );
    }
}
