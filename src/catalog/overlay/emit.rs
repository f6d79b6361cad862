//! The overlay as YAML text: deterministic bytes (sorted maps, one layout, `\n` endings), so importing the
//! same files twice writes the same file and a re-import shows as a reviewable diff.
//!
//! Input: an `Overlay`. Output: YAML that `overlay::parse` reads back into the same `Overlay`. Strings are
//! written as JSON string literals (valid YAML double-quoted scalars), so no value can change type or break
//! the layout; keys are written plain when they are simple names.

use std::fmt::Write as _;

use super::{Overlay, OverlaySku, OverlayVersion, SCHEMA_FILE};

/// The file header after the modeline: what the file is and how it is meant to be used.
const HEADER: &str = "\
# aoaigen catalog overlay, written by `aoaigen catalog import`: what `az cognitiveservices model list`
# reported per region. Review the diff, commit it next to the spec, and use it with `catalog: <this file>`
# in the spec or `--catalog <this file>`. Its facts win over aoaigen's embedded catalog; for the regions
# listed here it is the whole truth (a model it does not list in a region is not offered there).
";

pub fn to_yaml(o: &Overlay) -> String {
    // Relative, so it resolves against the overlay's directory, where `catalog import` writes the schema.
    let mut out = format!("# yaml-language-server: $schema=./{SCHEMA_FILE}\n{HEADER}");
    let _ = writeln!(out, "overlay_version: {}", o.overlay_version);
    let _ = writeln!(out, "source: {}", string(&o.source));
    let _ = writeln!(out, "date: {}", string(&o.date));
    if o.regions.is_empty() {
        out.push_str("regions: {}\n");
        return out;
    }
    out.push_str("regions:\n");
    for (name, r) in &o.regions {
        let _ = writeln!(out, "  {}:", key(name));
        let _ = writeln!(out, "    imported_on: {}", string(&r.imported_on));
        if r.files.is_empty() {
            out.push_str("    files: []\n");
        } else {
            out.push_str("    files:\n");
            for f in &r.files {
                let _ = writeln!(
                    out,
                    "      - {{ name: {}, sha256: {} }}",
                    string(&f.name),
                    string(&f.sha256)
                );
            }
        }
        let _ = writeln!(
            out,
            "    other_formats_skipped: {}",
            r.other_formats_skipped
        );
        if r.models.is_empty() {
            out.push_str("    models: {}\n");
            continue;
        }
        out.push_str("    models:\n");
        for (m, model) in &r.models {
            let _ = writeln!(out, "      {}:", key(m));
            let _ = writeln!(out, "        kind: {}", string(&model.kind));
            out.push_str("        versions:\n");
            for (v, version) in &model.versions {
                let _ = writeln!(out, "          {}:", string(v));
                version_lines(&mut out, version);
            }
        }
    }
    out
}

fn version_lines(out: &mut String, v: &OverlayVersion) {
    let pad = "            ";
    if let Some(l) = v.lifecycle {
        let _ = writeln!(out, "{pad}lifecycle: {}", l.as_str());
    }
    if let Some(s) = &v.lifecycle_status {
        let _ = writeln!(out, "{pad}lifecycle_status: {}", string(s));
    }
    let _ = writeln!(out, "{pad}default_version: {}", v.default_version);
    if let Some(d) = &v.retirement_date {
        let _ = writeln!(out, "{pad}retirement_date: {}", string(d));
    }
    if let Some(s) = &v.retirement_status {
        let _ = writeln!(out, "{pad}retirement_status: {}", string(s));
    }
    if let Some(r) = &v.replacement {
        let _ = writeln!(out, "{pad}replacement: {}", string(r));
    }
    if let Some(apis) = &v.apis {
        let names: Vec<&str> = apis.iter().map(|a| a.as_str()).collect();
        let _ = writeln!(out, "{pad}apis: [{}]", names.join(", "));
    }
    if v.skus.is_empty() {
        let _ = writeln!(out, "{pad}skus: {{}}");
        return;
    }
    let _ = writeln!(out, "{pad}skus:");
    for (name, sku) in &v.skus {
        let _ = writeln!(out, "{pad}  {}: {}", key(name), sku_flow(sku));
    }
}

/// One SKU on one line: `{ default_capacity: 50, max_capacity: 5000, usage_name: "..." }`.
fn sku_flow(s: &OverlaySku) -> String {
    let mut parts = Vec::new();
    if let Some(c) = s.default_capacity {
        parts.push(format!("default_capacity: {c}"));
    }
    if let Some(c) = s.max_capacity {
        parts.push(format!("max_capacity: {c}"));
    }
    if let Some(d) = &s.retirement_date {
        parts.push(format!("retirement_date: {}", string(d)));
    }
    if let Some(u) = &s.usage_name {
        parts.push(format!("usage_name: {}", string(u)));
    }
    if parts.is_empty() {
        "{}".to_string()
    } else {
        format!("{{ {} }}", parts.join(", "))
    }
}

/// A string as a JSON literal, which YAML reads as a double-quoted scalar with the same value.
fn string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

/// Simple names plain (`gpt-4.1`, `GlobalStandard`); anything else quoted.
fn key(s: &str) -> String {
    let simple = s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if simple { s.to_string() } else { string(s) }
}
