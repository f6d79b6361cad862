//! Rules the schema dump does not carry: the validations file, the provider block and the
//! `required_providers` pin.

use super::{Ctx, Lit, lit, type_error};
use hcl_edit::Span;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, Body};
use serde_json::Value;
use std::collections::HashSet;
use std::ops::Range;

/// `allowed_values` / `int_range` / `int_min` of one validations entry, for literal values only.
pub(super) fn value_error(e: &Expression, rule: &Value) -> Option<String> {
    match lit(e) {
        Lit::Str(Some(s)) => {
            let allowed: Vec<&str> = rule["allowed_values"]
                .as_array()?
                .iter()
                .filter_map(Value::as_str)
                .collect();
            let ok = if rule["ignore_case"].as_bool().unwrap_or(false) {
                allowed.iter().any(|a| a.eq_ignore_ascii_case(s))
            } else {
                allowed.contains(&s)
            };
            if ok {
                return None;
            }
            let hint = match closest(s, &allowed, 0.6) {
                Some(h) => format!("did you mean \"{h}\"?"),
                None if allowed.len() > 12 => {
                    format!(
                        "{}, ... ({} values)",
                        allowed[..12].join(", "),
                        allowed.len()
                    )
                }
                None => allowed.join(", "),
            };
            Some(format!("\"{s}\" is not an allowed value ({hint})"))
        }
        Lit::Num(n) => {
            let (lo, hi) = match rule["int_range"].as_array() {
                Some(r) => (
                    r.first().and_then(Value::as_f64),
                    r.get(1).and_then(Value::as_f64),
                ),
                None => (rule["int_min"].as_f64(), None),
            };
            let bad = lo.is_some_and(|lo| n < lo) || hi.is_some_and(|hi| n > hi);
            bad.then(|| match (lo, hi) {
                (Some(lo), Some(hi)) => format!("{n} must be between {lo} and {hi}"),
                (Some(lo), None) => format!("{n} must be >= {lo}"),
                (None, _) => format!("{n} must be <= {}", hi.unwrap_or_default()),
            })
        }
        _ => None,
    }
}

/// Most similar name by edit distance, if similar enough (a stand-in for Python's difflib).
pub(super) fn closest<'a>(s: &str, names: &[&'a str], cutoff: f64) -> Option<&'a str> {
    let score = |n: &str| {
        let (a, b): (Vec<char>, Vec<char>) = (s.chars().collect(), n.chars().collect());
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.iter().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let cur = row[j + 1];
                row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
                prev = cur;
            }
        }
        1.0 - row[b.len()] as f64 / a.len().max(b.len()).max(1) as f64
    };
    names
        .iter()
        .map(|n| (score(n), *n))
        .filter(|(sc, _)| *sc >= cutoff)
        .max_by(|x, y| x.0.total_cmp(&y.0))
        .map(|(_, n)| n)
}

/// Whether a dotted path is set below `body`; a `dynamic` block counts as its label.
fn path_present(body: &Body, segs: &[&str]) -> bool {
    let Some((first, rest)) = segs.split_first() else {
        return true;
    };
    if rest.is_empty()
        && body
            .get_attribute(first)
            .is_some_and(|a| !a.value.is_null())
    {
        return true;
    }
    let statics = body.get_blocks(first).map(|b| &b.body);
    let dynamics = body
        .get_blocks("dynamic")
        .filter(|b| b.labels.first().is_some_and(|l| l.as_str() == *first))
        .flat_map(|b| {
            b.body
                .get_blocks("content")
                .map(|c| &c.body)
                .collect::<Vec<_>>()
        });
    // A dynamic block without `content` still names the block, so it counts when nothing deeper is asked.
    let dyn_label = body
        .get_blocks("dynamic")
        .any(|b| b.labels.first().is_some_and(|l| l.as_str() == *first));
    if rest.is_empty() && dyn_label {
        return true;
    }
    statics.chain(dynamics).any(|b| path_present(b, rest))
}

/// exactly_one_of / at_least_one_of / conflicts_with / required_with for the rules whose key lies
/// directly in the block at `path`. Paths in the rules are absolute ("a.0.b"); those under `path`
/// are resolved in this block instance, others from the resource's top.
pub(super) fn cross_field(
    ctx: &mut Ctx,
    body: &Body,
    root: &Body,
    path: &str,
    span: Option<Range<usize>>,
) {
    let Some(vals) = ctx.vals else { return };
    let prefix = format!("{path}.");
    let local_name = |r: &str| -> String {
        let norm: Vec<&str> = r.split('.').filter(|s| s.parse::<u64>().is_err()).collect();
        let norm = norm.join(".");
        match norm.strip_prefix(&prefix) {
            Some(rest) if !path.is_empty() => rest.to_string(),
            _ => norm,
        }
    };
    let set = |name: &str, full: &str| -> bool {
        let segs: Vec<&str> = name.split('.').collect();
        if path.is_empty() || full.starts_with(&prefix) {
            path_present(body, &segs)
        } else {
            path_present(root, &segs)
        }
    };
    let mut seen = HashSet::new();
    let mut errs = Vec::new();
    for (key, rule) in vals {
        let (parent, local) = key.rsplit_once('.').unwrap_or(("", key));
        if parent != path {
            continue;
        }
        let local_set = path_present(body, &[local]);
        for kind in [
            "exactly_one_of",
            "at_least_one_of",
            "conflicts_with",
            "required_with",
        ] {
            let Some(refs) = rule[kind].as_array() else {
                continue;
            };
            let refs: Vec<(String, bool)> = refs
                .iter()
                .filter_map(Value::as_str)
                .map(|r| {
                    let full: Vec<&str> =
                        r.split('.').filter(|s| s.parse::<u64>().is_err()).collect();
                    let name = local_name(r);
                    let is_set = set(&name, &full.join("."));
                    (name, is_set)
                })
                .collect();
            let mut names: Vec<&str> = refs.iter().map(|(n, _)| n.as_str()).collect();
            names.sort();
            names.dedup();
            let quoted = |v: &[&str]| {
                v.iter()
                    .map(|n| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let given: Vec<&str> = refs.iter().filter(|r| r.1).map(|r| r.0.as_str()).collect();
            match kind {
                "exactly_one_of" | "at_least_one_of" => {
                    if !seen.insert((kind, names.join(","))) {
                        continue;
                    }
                    let mut given = given.clone();
                    given.sort();
                    given.dedup();
                    if given.is_empty() {
                        let what = if kind == "exactly_one_of" {
                            "exactly"
                        } else {
                            "at least"
                        };
                        errs.push(format!(
                            "{what} one of {} must be set, found none",
                            quoted(&names)
                        ));
                    } else if kind == "exactly_one_of" && given.len() > 1 {
                        errs.push(format!(
                            "exactly one of {} must be set, found {}",
                            quoted(&names),
                            quoted(&given)
                        ));
                    }
                }
                "conflicts_with" if local_set => {
                    for other in given.iter().filter(|g| **g != local) {
                        let mut pair = [local, *other];
                        pair.sort();
                        if seen.insert((kind, pair.join(","))) {
                            errs.push(format!(
                                "\"{local}\" conflicts with \"{other}\": set only one"
                            ));
                        }
                    }
                }
                "required_with" if local_set => {
                    let missing: Vec<&str> =
                        refs.iter().filter(|r| !r.1).map(|r| r.0.as_str()).collect();
                    if !missing.is_empty() {
                        errs.push(format!(
                            "\"{local}\" requires {} to be set too",
                            quoted(&missing)
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    for e in errs {
        ctx.err(span.clone(), path, e);
    }
}

/// azurerm 4.x provider rules; the dump has no provider schema, so only what the 4.0 upgrade
/// guide made mandatory or removed is enforced.
pub(super) fn check_provider(ctx: &mut Ctx, block: &Block) {
    let body = &block.body;
    if !body.has_blocks("features") {
        let msg = if body.has_attribute("features") {
            "\"features\" is a block, written as an argument (use features { ... })"
        } else {
            "missing required block \"features\""
        };
        ctx.err(block.span(), "", msg.into());
    }
    match body.get_attribute("subscription_id") {
        None => ctx.err(
            block.span(),
            "",
            "missing required argument \"subscription_id\" (mandatory since azurerm 4.0)".into(),
        ),
        Some(a) => {
            if let Some(e) = type_error(&a.value, &Value::from("string")) {
                ctx.err(a.span(), "", format!("\"subscription_id\" {e}"));
            }
        }
    }
    if let Some(a) = body.get_attribute("skip_provider_registration") {
        ctx.err(
            a.span(),
            "",
            "\"skip_provider_registration\" was removed in azurerm 4.0 (use resource_provider_registrations)".into(),
        );
    }
    if let Some(a) = body.get_attribute("resource_provider_registrations") {
        let rule =
            serde_json::json!({"allowed_values": ["none", "legacy", "core", "extended", "all"]});
        if let Some(e) = value_error(&a.value, &rule) {
            ctx.err(
                a.span(),
                "",
                format!("\"resource_provider_registrations\" = {e}"),
            );
        }
    }
}

/// Checks `required_providers.azurerm`; returns whether this block declares it.
pub(super) fn check_terraform(ctx: &mut Ctx, block: &Block) -> bool {
    ctx.addr = "terraform".into();
    let mut found = false;
    for rp in block.body.get_blocks("required_providers") {
        let Some(a) = rp.body.get_attribute("azurerm") else {
            continue;
        };
        found = true;
        let Expression::Object(obj) = &a.value else {
            ctx.err(
                a.span(),
                "",
                "required_providers.azurerm must be { source = ..., version = ... }".into(),
            );
            continue;
        };
        let field = |name: &str| {
            obj.iter()
                .find(|(k, _)| match k {
                    ObjectKey::Ident(i) => i.as_str() == name,
                    ObjectKey::Expression(e) => e.as_str() == Some(name),
                })
                .map(|(_, v)| v.expr())
        };
        match field("source").map(lit) {
            Some(Lit::Str(Some(s)))
                if s.eq_ignore_ascii_case("hashicorp/azurerm")
                    || s.eq_ignore_ascii_case("registry.terraform.io/hashicorp/azurerm") => {}
            Some(Lit::Str(Some(s))) => ctx.err(
                a.span(),
                "",
                format!("required_providers.azurerm source \"{s}\" is not hashicorp/azurerm"),
            ),
            _ => ctx.err(
                a.span(),
                "",
                "required_providers.azurerm needs source = \"hashicorp/azurerm\"".into(),
            ),
        }
        match field("version").map(lit) {
            Some(Lit::Str(Some(v))) if pins_major_4(v) => {}
            Some(Lit::Str(Some(v))) => ctx.err(
                a.span(),
                "",
                format!("required_providers.azurerm version \"{v}\" must pin azurerm major version 4 (e.g. \"~> 4.79\")"),
            ),
            _ => ctx.err(a.span(), "", "required_providers.azurerm needs a literal version constraint (e.g. \"~> 4.79\")".into()),
        }
    }
    found
}

/// True when every lower bound is 4.x and something caps the range below 5.0.
fn pins_major_4(constraint: &str) -> bool {
    let mut capped = false;
    let mut lower_ok = true;
    let mut any_lower = false;
    for clause in constraint.split(',') {
        let c = clause.trim();
        let op_len = c.find(|ch: char| ch.is_ascii_digit()).unwrap_or(c.len());
        let (op, ver) = (c[..op_len].trim(), c[op_len..].trim());
        let parts: Vec<u64> = ver.split('.').map_while(|p| p.parse().ok()).collect();
        let Some(&major) = parts.first() else {
            return false;
        };
        match op {
            "<" => capped |= major < 5 || (major == 5 && parts[1..].iter().all(|&p| p == 0)),
            "<=" => capped |= major <= 4,
            "!=" => {}
            _ => {
                any_lower = true;
                lower_ok &= major == 4;
                // "~> 4" alone allows 5.x; "~> 4.1" and exact versions do not.
                capped |= (op == "~>" && parts.len() >= 2) || op.is_empty() || op == "=";
            }
        }
    }
    any_lower && lower_ok && capped
}
