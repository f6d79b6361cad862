//! One escaping function per target. Every spec value that reaches generated text goes through one of
//! these (as Tera filters), so a tag such as `a"b${c}` stays data in HCL, Bicep and shell.

/// An HCL quoted string literal, quotes included: escapes `\`, `"`, control characters, and the template
/// sequences `${` and `%{` (doubled to `$${` / `%%{`, HCL's literal forms).
pub fn hcl_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Bicep single-quoted string literal, quotes included: escapes `\`, `'`, `${` (as `\${`) and control
/// characters.
pub fn bicep_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:X}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A single shell word in single quotes (`'` becomes `'\''`); newlines stay literal inside the quotes.
pub fn shell_word(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A string for a comment line in any target: newlines and control characters become spaces, so a
/// value cannot end the comment and start code.
pub fn comment_text(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Markdown inline code with a fence long enough for any backticks in the value.
pub fn markdown_code(s: &str) -> String {
    let flat = comment_text(s);
    let longest = flat.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if flat.starts_with('`') || flat.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{flat}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "a\"b\\c${d}%{e}\nf'g\th€";

    #[test]
    fn hcl() {
        assert_eq!(hcl_string(HOSTILE), r#""a\"b\\c$${d}%%{e}\nf'g\th€""#);
        assert_eq!(hcl_string("$5 and 100%"), r#""$5 and 100%""#);
        assert_eq!(hcl_string("\u{7}"), r#""\u0007""#);
    }

    #[test]
    fn bicep() {
        assert_eq!(bicep_string(HOSTILE), r#"'a"b\\c\${d}%{e}\nf\'g\th€'"#);
        assert_eq!(bicep_string("it's"), r"'it\'s'");
    }

    #[test]
    fn shell() {
        assert_eq!(shell_word("it's $HOME"), r"'it'\''s $HOME'");
    }

    #[test]
    fn markdown() {
        assert_eq!(markdown_code("a`b"), "``a`b``");
        assert_eq!(markdown_code("x\ny"), "`x y`");
    }
}
