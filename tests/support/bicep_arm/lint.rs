//! Proofs for the Bicep linter rules the generated bicepconfig.json raises to error: one check per rule,
//! each at least as strict as the rule itself (Azure/bicep `src/Bicep.Core/Analyzers/Linter/Rules`), so a
//! file that passes here cannot fail `bicep build` on that rule. Where the real rule needs type
//! information, the check asks for more (no `concat()` of anything but arrays, no secret-shaped property
//! without a `@secure()` parameter) rather than guessing.
//!
//! Input: one .bicep source and the facts pinned in tests/data/bicep/linter.json. Output: findings as
//! `(rule, message)`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use tree_sitter::Node;

use super::parse::{parse_tree, parts, text};

/// The rules a check here proves, by code.
pub const PROVEN: &[&str] = &[
    "adminusername-should-not-be-literal",
    "artifacts-parameters",
    "max-outputs",
    "max-params",
    "max-resources",
    "max-variables",
    "no-hardcoded-env-urls",
    "no-unnecessary-dependson",
    "no-unused-existing-resources",
    "no-unused-params",
    "no-unused-vars",
    "outputs-should-not-contain-secrets",
    "prefer-interpolation",
    "protect-commandtoexecute-secrets",
    "secure-parameter-default",
    "secure-params-in-nested-deploy",
    "secure-secrets-in-params",
    "simplify-interpolation",
    "simplify-json-null",
    "use-parent-property",
    "use-resource-symbol-reference",
    "use-safe-access",
    "use-secure-value-for-secure-inputs",
    "use-stable-resource-identifiers",
    "use-stable-vm-image",
];

pub type Finding = (&'static str, String);

/// Matches of `host` in `s` as `NoHardcodedEnvironmentUrlsRule.FindHostnameMatches` finds them: ordinal
/// ignore-case, not next to a letter or digit. Non-ASCII neighbours never block a match here (the rule's
/// `char.IsLetterOrDigit` would block some), so this finds at least what the rule finds.
pub fn host_matches(s: &str, host: &str) -> usize {
    let fold = |c: char| -> char {
        let mut u = c.to_uppercase();
        match (u.next(), u.next()) {
            (Some(x), None) => x,
            _ => c,
        }
    };
    let text: Vec<char> = s.chars().collect();
    let h: Vec<char> = host.chars().map(fold).collect();
    let mut n = 0;
    for i in 0..text.len().saturating_sub(h.len() - 1) {
        if text[i..i + h.len()]
            .iter()
            .map(|c| fold(*c))
            .eq(h.iter().copied())
        {
            let before = i.checked_sub(1).map(|j| text[j]);
            let after = text.get(i + h.len()).copied();
            let blocks = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            if !blocks(before) && !blocks(after) {
                n += 1;
            }
        }
    }
    n
}

fn walk<'t>(n: Node<'t>, out: &mut Vec<Node<'t>>) {
    out.push(n);
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        walk(ch, out);
    }
}

fn all(n: Node) -> Vec<Node> {
    let mut v = Vec::new();
    walk(n, &mut v);
    v
}

/// Identifiers used as values under `n` (not property keys, not declared names).
fn references(n: Node, src: &str) -> Vec<String> {
    all(n)
        .into_iter()
        .filter(|x| x.kind() == "identifier")
        .filter(|x| {
            let p = x.parent();
            let is_key =
                p.is_some_and(|p| p.kind() == "object_property" && parts(p).first() == Some(x));
            let is_decl = p.is_some_and(|p| {
                p.kind().ends_with("_declaration")
                    && parts(p).iter().find(|c| c.kind() == "identifier") == Some(x)
            });
            let is_loop = p.is_some_and(|p| {
                p.kind() == "for_loop_parameters"
                    || (p.kind() == "for_statement"
                        && p.child_by_field_name("initializer") == Some(*x))
            });
            !is_key && !is_decl && !is_loop
        })
        .map(|x| text(x, src).to_string())
        .collect()
}

fn call_name<'s>(call: Node, src: &'s str) -> &'s str {
    let f = call.child_by_field_name("function").unwrap();
    match f.kind() {
        "member_expression" => text(f.child_by_field_name("property").unwrap(), src),
        _ => text(f, src),
    }
}

fn keys<'t>(n: Node<'t>, src: &str) -> Vec<(String, Node<'t>)> {
    all(n)
        .into_iter()
        .filter(|x| x.kind() == "object_property")
        .filter_map(|p| {
            let q = parts(p);
            let k = q.first()?;
            let name = text(*k, src).trim_matches('\'').to_string();
            Some((name, *q.last()?))
        })
        .collect()
}

struct Decl<'t> {
    kind: &'t str,
    name: String,
    node: Node<'t>,
    secure: bool,
}

fn decls<'t>(root: Node<'t>, src: &str) -> Vec<Decl<'t>> {
    let mut out = Vec::new();
    let mut prev: Option<Node> = None;
    for n in parts(root) {
        if let Some(id) = parts(n).into_iter().find(|c| c.kind() == "identifier") {
            let secure = prev
                .is_some_and(|p| p.kind() == "decorators" && text(p, src).contains("@secure()"));
            out.push(Decl {
                kind: n.kind(),
                name: text(id, src).to_string(),
                node: n,
                secure,
            });
        }
        prev = Some(n);
    }
    out
}

/// Every finding for one .bicep file.
pub fn lint(src: &str, facts: &Value) -> Vec<Finding> {
    let tree = parse_tree(src);
    let root = tree.root_node();
    let nodes = all(root);
    let ds = decls(root, src);
    let mut f: Vec<Finding> = Vec::new();
    let count = |k: &str| ds.iter().filter(|d| d.kind == k).count() as u64;
    for (rule, kind, key) in [
        ("max-outputs", "output_declaration", "outputs"),
        ("max-params", "parameter_declaration", "params"),
        ("max-resources", "resource_declaration", "resources"),
        ("max-variables", "variable_declaration", "variables"),
    ] {
        let max = facts["limits"][key].as_u64().unwrap();
        if count(kind) > max {
            f.push((rule, format!("{} {key}, more than {max}", count(kind))));
        }
    }
    // Strings: hard-coded hosts, lone interpolations, names with a parent path.
    let hosts: Vec<&str> = facts["no-hardcoded-env-urls"]["disallowed_hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    for s in nodes.iter().filter(|n| n.kind() == "string") {
        let raw = text(*s, src);
        for h in &hosts {
            if host_matches(raw, h) > 0 {
                f.push(("no-hardcoded-env-urls", format!("{h} in {raw}")));
            }
        }
        // The rule looks at values only (SimplifyInterpolationRule visits property values, variables,
        // outputs, defaults): `'${id}': {}` is a computed key, which has no simpler form.
        let is_key = s
            .parent()
            .is_some_and(|p| p.kind() == "object_property" && parts(p).first() == Some(s));
        let p = parts(*s);
        if !is_key && p.len() == 1 && p[0].kind() == "interpolation" && raw.starts_with("'${") {
            f.push(("simplify-interpolation", raw.to_string()));
        }
    }
    // Calls.
    for c in nodes.iter().filter(|n| n.kind() == "call_expression") {
        let name = call_name(*c, src);
        let args = parts(c.child_by_field_name("arguments").unwrap());
        let lower = name.to_ascii_lowercase();
        // Bicep flags concat() only when its result is a string; an array literal among the arguments (or as
        // a branch of a conditional one) makes it an array concatenation.
        let array_like = |a: &Node| {
            matches!(a.kind(), "array" | "for_statement")
                || (a.kind() == "ternary_expression"
                    && ["consequence", "alternative"].iter().any(|f| {
                        a.child_by_field_name(f)
                            .is_some_and(|b| b.kind() == "array")
                    }))
        };
        if lower == "concat" && !args.iter().any(array_like) {
            f.push((
                "prefer-interpolation",
                format!("concat() that may join strings: {}", text(*c, src)),
            ));
        }
        if lower == "json"
            && args.first().is_some_and(|a| {
                text(*a, src)
                    .trim_matches('\'')
                    .trim()
                    .eq_ignore_ascii_case("null")
            })
        {
            f.push(("simplify-json-null", text(*c, src).to_string()));
        }
        if lower == "reference" || lower.starts_with("list") {
            f.push(("use-resource-symbol-reference", text(*c, src).to_string()));
        }
        if lower == "newguid" || lower == "utcnow" {
            f.push(("use-stable-resource-identifiers", text(*c, src).to_string()));
        }
    }
    for t in nodes.iter().filter(|n| n.kind() == "ternary_expression") {
        let c = t.child_by_field_name("condition").unwrap();
        if all(c).iter().any(|x| {
            x.kind() == "call_expression" && call_name(*x, src).eq_ignore_ascii_case("contains")
        }) {
            f.push(("use-safe-access", text(*t, src).to_string()));
        }
    }
    // Property names some rules look for anywhere.
    let all_keys = keys(root, src);
    for (k, _) in &all_keys {
        for (rule, bad) in [
            ("adminusername-should-not-be-literal", "adminusername"),
            ("protect-commandtoexecute-secrets", "commandtoexecute"),
            ("use-stable-vm-image", "imagereference"),
        ] {
            if k.eq_ignore_ascii_case(bad) {
                f.push((rule, format!("property {k}")));
            }
        }
    }
    // Parameters.
    let secret = ["password", "pwd", "secret", "accountkey", "acctkey"];
    let secure: BTreeSet<&str> = ds
        .iter()
        .filter(|d| d.kind == "parameter_declaration" && d.secure)
        .map(|d| d.name.as_str())
        .collect();
    for d in ds.iter().filter(|d| d.kind == "parameter_declaration") {
        let lower = d.name.to_ascii_lowercase();
        if lower == "_artifactslocation" || lower == "_artifactslocationsastoken" {
            f.push(("artifacts-parameters", d.name.clone()));
        }
        if secret.iter().any(|s| lower.contains(s)) && !d.secure {
            f.push(("secure-secrets-in-params", d.name.clone()));
        }
        let has_default = {
            let mut c = d.node.walk();
            d.node.children(&mut c).any(|x| x.kind() == "=")
        };
        if d.secure && has_default {
            f.push(("secure-parameter-default", d.name.clone()));
        }
    }
    // Outputs.
    for d in ds.iter().filter(|d| d.kind == "output_declaration") {
        if d.name.to_ascii_lowercase().contains("password") {
            f.push(("outputs-should-not-contain-secrets", d.name.clone()));
        }
        let refs = references(d.node, src);
        if refs.iter().any(|r| secure.contains(r.as_str()))
            || all(d.node).iter().any(|x| {
                x.kind() == "call_expression"
                    && call_name(*x, src).to_ascii_lowercase().starts_with("list")
            })
        {
            f.push(("outputs-should-not-contain-secrets", d.name.clone()));
        }
    }
    // Resources: nested deployments, names with '/', secret-typed properties, dependsOn.
    let sensitive: Vec<&str> = facts["use-secure-value-for-secure-inputs"]["sensitive_properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let vars: BTreeMap<&str, Node> = ds
        .iter()
        .filter(|d| d.kind == "variable_declaration")
        .map(|d| (d.name.as_str(), d.node))
        .collect();
    for d in ds
        .iter()
        .filter(|d| matches!(d.kind, "resource_declaration" | "module_declaration"))
    {
        let p = parts(d.node);
        let decl = text(
            p.iter().find(|c| c.kind() == "string").copied().unwrap(),
            src,
        );
        if d.kind == "resource_declaration" {
            if decl
                .to_ascii_lowercase()
                .starts_with("'microsoft.resources/deployments")
            {
                f.push(("secure-params-in-nested-deploy", d.name.clone()));
            }
            for (k, v) in keys(d.node, src) {
                if k == "name" && v.kind() == "string" && text(v, src).contains('/') {
                    f.push((
                        "use-parent-property",
                        format!("{}: {}", d.name, text(v, src)),
                    ));
                }
                if sensitive.iter().any(|s| s.eq_ignore_ascii_case(&k))
                    && !(v.kind() == "identifier" && secure.contains(text(v, src)))
                {
                    f.push((
                        "use-secure-value-for-secure-inputs",
                        format!("{}.{k} = {}", d.name, text(v, src)),
                    ));
                }
            }
        }
        // Every dependsOn entry must be something the body does not already reference (via variables too).
        let Some(mut body) = p.last().copied() else {
            continue;
        };
        while matches!(body.kind(), "for_statement" | "if_statement") {
            body = match body.kind() {
                "for_statement" => body.child_by_field_name("body").unwrap(),
                _ => *parts(body).last().unwrap(),
            };
        }
        let mut deps: Vec<String> = Vec::new();
        let mut refs: BTreeSet<String> = BTreeSet::new();
        for prop in parts(body)
            .into_iter()
            .filter(|x| x.kind() == "object_property")
        {
            let q = parts(prop);
            if q.len() == 2 && text(q[0], src) == "dependsOn" {
                deps.extend(parts(q[1]).into_iter().map(|x| text(x, src).to_string()));
            } else {
                refs.extend(references(prop, src));
            }
        }
        let mut todo: Vec<String> = refs.iter().cloned().collect();
        while let Some(r) = todo.pop() {
            if let Some(v) = vars.get(r.as_str()) {
                for x in references(*v, src) {
                    if refs.insert(x.clone()) {
                        todo.push(x);
                    }
                }
            }
        }
        for dep in deps {
            if refs.contains(&dep) {
                f.push((
                    "no-unnecessary-dependson",
                    format!("{} dependsOn {dep}, which its body references", d.name),
                ));
            }
        }
    }
    // Unused declarations: every parameter, variable and existing resource is referenced elsewhere.
    let used: Vec<String> = references(root, src);
    let loops: BTreeSet<String> = nodes
        .iter()
        .filter(|n| n.kind() == "for_statement" || n.kind() == "for_loop_parameters")
        .flat_map(|n| {
            let mut v: Vec<String> = n
                .child_by_field_name("initializer")
                .map(|i| text(i, src).to_string())
                .into_iter()
                .collect();
            if n.kind() == "for_loop_parameters" {
                v.extend(parts(*n).into_iter().map(|x| text(x, src).to_string()));
            }
            v
        })
        .collect();
    for d in &ds {
        let rule = match d.kind {
            "parameter_declaration" => "no-unused-params",
            "variable_declaration" => "no-unused-vars",
            "resource_declaration"
                if {
                    let mut c = d.node.walk();
                    d.node.children(&mut c).any(|x| x.kind() == "existing")
                } =>
            {
                "no-unused-existing-resources"
            }
            _ => continue,
        };
        if loops.contains(&d.name) {
            f.push((
                rule,
                format!(
                    "{} is shadowed by a loop variable: its use cannot be told",
                    d.name
                ),
            ));
        } else if !used.contains(&d.name) {
            f.push((rule, format!("{} is never used", d.name)));
        }
    }
    f
}
