//! Offline check of generated Terraform against the azurerm 4.79 / random 3.7 provider schema.
//!
//! `terraform validate` needs a provider download, which tests cannot do, so this reads the
//! `terraform providers schema -json` dump plus the hand-extracted validations file instead.
//! It mirrors `shared/tools/tf-azurerm-schema.py` and adds the cross-field rules, the provider
//! block rules and the `required_providers` pin that the Python tool leaves out.
#![allow(dead_code)]

mod rules;
#[cfg(test)]
mod tests;

use hcl_edit::Span;
use hcl_edit::expr::{Expression, ObjectKey, UnaryOperator};
use hcl_edit::structure::{Body, Structure};
use hcl_edit::template::Element;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

const SCHEMA_JSON: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/terraform/azurerm-4.79.0_random-3.7.2.schema.json"
));
const VALIDATIONS_JSON: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/terraform/azurerm-4.79.0.validations.json"
));

/// Not in provider schemas: Terraform itself handles them.
const META: &[&str] = &[
    "count",
    "for_each",
    "provider",
    "depends_on",
    "lifecycle",
    "provisioner",
    "connection",
];

#[derive(Debug, Default)]
pub struct TfSchemaReport {
    pub blocks_checked: usize,
    pub errors: Vec<String>,
}

struct Schema {
    resources: Map<String, Value>,
    data: Map<String, Value>,
    validations: Map<String, Value>,
}

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let dump: Value = serde_json::from_str(SCHEMA_JSON).expect("schema dump is valid JSON");
        let mut s = Schema {
            resources: Map::new(),
            data: Map::new(),
            validations: Map::new(),
        };
        // Both providers share one namespace of type names, so merging loses nothing.
        for prov in dump["provider_schemas"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
        {
            for (table, key) in [
                (&mut s.resources, "resource_schemas"),
                (&mut s.data, "data_source_schemas"),
            ] {
                if let Some(m) = prov[key].as_object() {
                    table.extend(m.iter().map(|(k, v)| (k.clone(), v["block"].clone())));
                }
            }
        }
        let vals: Value =
            serde_json::from_str(VALIDATIONS_JSON).expect("validations file is valid JSON");
        if let Some(m) = vals["resource_schemas"].as_object() {
            s.validations = m.clone();
        }
        s
    })
}

/// Checks every `*.tf` below `dir` (sorted, hidden folders and `.terraform` skipped).
pub fn check_tf_dir(dir: &Path) -> TfSchemaReport {
    let mut files = Vec::new();
    collect_tf(dir, &mut files);
    files.sort();
    let mut report = TfSchemaReport::default();
    let mut pinned = false;
    for path in &files {
        let name = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        match std::fs::read_to_string(path) {
            Ok(src) => pinned |= check_file(&name, &src, &mut report),
            Err(e) => report.errors.push(format!("{name}:0: cannot read: {e}")),
        }
    }
    if files.is_empty() {
        report
            .errors
            .push(format!("{}:0: no .tf files found", dir.display()));
    } else if !pinned {
        report.errors.push(
            "*.tf:0: terraform: missing terraform { required_providers { azurerm = { source = \
             \"hashicorp/azurerm\", version = \"~> 4.x\" } } }"
                .to_string(),
        );
    }
    report
}

/// Checks one file's text; `file_name` only labels the errors.
pub fn check_tf_source(file_name: &str, src: &str) -> TfSchemaReport {
    let mut report = TfSchemaReport::default();
    check_file(file_name, src, &mut report);
    report
}

fn collect_tf(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if p.is_dir() {
            if !name.starts_with('.') {
                collect_tf(&p, out);
            }
        } else if name.ends_with(".tf") {
            out.push(p);
        }
    }
}

/// Returns whether the file pins `azurerm` in `required_providers`.
fn check_file(file: &str, src: &str, report: &mut TfSchemaReport) -> bool {
    let body = match hcl_edit::parser::parse_body(src) {
        Ok(b) => b,
        Err(e) => {
            let msg = e.message().lines().next().unwrap_or("").to_string();
            report.errors.push(format!(
                "{file}:{}: parse error: {msg}",
                e.location().line()
            ));
            return false;
        }
    };
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(src.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut pinned = false;
    for block in body.blocks() {
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        let mut ctx = Ctx {
            file,
            line_starts: &line_starts,
            addr: String::new(),
            errors: &mut report.errors,
            vals: None,
            resource: false,
        };
        match (block.ident.as_str(), labels.as_slice()) {
            (kind @ ("resource" | "data"), [rtype, name]) => {
                if !(rtype.starts_with("azurerm_") || rtype.starts_with("random_")) {
                    continue;
                }
                let data = kind == "data";
                ctx.addr = format!("{}{rtype}.{name}", if data { "data." } else { "" });
                let table = if data {
                    &schema().data
                } else {
                    &schema().resources
                };
                let Some(sch) = table.get(*rtype) else {
                    let what = if data { "data source" } else { "resource" };
                    ctx.err(
                        block.span(),
                        "",
                        format!("{what} type not covered by the schema"),
                    );
                    continue;
                };
                check_resource(&mut ctx, block, sch, data);
                report.blocks_checked += 1;
            }
            ("provider", ["azurerm"]) => {
                ctx.addr = "provider.azurerm".into();
                rules::check_provider(&mut ctx, block);
                report.blocks_checked += 1;
            }
            ("terraform", _) => pinned |= rules::check_terraform(&mut ctx, block),
            _ => {}
        }
    }
    pinned
}

fn check_resource(ctx: &mut Ctx, block: &hcl_edit::structure::Block, sch: &Value, data: bool) {
    let rtype = block.labels[0].as_str();
    ctx.resource = !data;
    if !data {
        ctx.vals = schema().validations.get(rtype).and_then(|v| v.as_object());
        if let Some(a) = block.body.get_attribute("id") {
            ctx.err(
                a.span(),
                "",
                "\"id\" is set by the provider, never write it".into(),
            );
        }
    }
    check_body(ctx, &block.body, &block.body, sch, "", block.span());
}

pub(crate) struct Ctx<'a> {
    file: &'a str,
    line_starts: &'a [usize],
    addr: String,
    errors: &'a mut Vec<String>,
    vals: Option<&'a Map<String, Value>>,
    resource: bool,
}

impl Ctx<'_> {
    fn err(&mut self, span: Option<Range<usize>>, path: &str, msg: String) {
        let line = span.map_or(0, |r| self.line_starts.partition_point(|&s| s <= r.start));
        let at = if path.is_empty() {
            String::new()
        } else {
            format!("{path}: ")
        };
        self.errors
            .push(format!("{}:{line}: {}: {at}{msg}", self.file, self.addr));
    }
}

fn join(path: &str, k: &str) -> String {
    if path.is_empty() {
        k.to_string()
    } else {
        format!("{path}.{k}")
    }
}

fn flag(v: &Value, k: &str) -> bool {
    v[k].as_bool().unwrap_or(false)
}

/// How often a nested block occurs, and whether a `dynamic` block makes the count unknowable.
struct Occ {
    n: usize,
    dynamic: bool,
    span: Option<Range<usize>>,
}

/// `path` is the dotted block path used by the validations file ("" at the resource's top).
fn check_body(
    ctx: &mut Ctx,
    body: &Body,
    root: &Body,
    sch: &Value,
    path: &str,
    span: Option<Range<usize>>,
) {
    let empty = Map::new();
    let attrs = sch["attributes"].as_object().unwrap_or(&empty);
    let blocks = sch["block_types"].as_object().unwrap_or(&empty);
    let top = path.is_empty();
    let mut present: HashSet<&str> = HashSet::new();
    let mut occ: BTreeMap<&str, Occ> = BTreeMap::new();
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                let k = a.key.as_str();
                if top && (META.contains(&k) || (k == "id" && ctx.resource)) {
                    continue;
                }
                if let Some(ad) = attrs.get(k) {
                    if !flag(ad, "required") && !flag(ad, "optional") {
                        ctx.err(
                            a.span(),
                            path,
                            format!(
                                "\"{k}\" is computed by the provider (read-only), it cannot be set"
                            ),
                        );
                        continue;
                    }
                    if flag(ad, "deprecated") {
                        ctx.err(a.span(), path, format!("\"{k}\" is deprecated"));
                    }
                    // Terraform treats `= null` as not set, so it must not satisfy `required`.
                    if !a.value.is_null() {
                        present.insert(k);
                    }
                    if let Some(e) = type_error(&a.value, &ad["type"]) {
                        ctx.err(a.span(), path, format!("\"{k}\" {e}"));
                    }
                    let rule = ctx.vals.and_then(|v| v.get(&join(path, k)));
                    if let Some(e) = rule.and_then(|r| rules::value_error(&a.value, r)) {
                        ctx.err(a.span(), path, format!("\"{k}\" = {e}"));
                    }
                } else if blocks.contains_key(k) {
                    present.insert(k);
                    ctx.err(
                        a.span(),
                        path,
                        format!("\"{k}\" is a block, written as an argument (use {k} {{ ... }})"),
                    );
                } else {
                    ctx.err(a.span(), path, unknown(k, attrs, blocks));
                }
            }
            Structure::Block(b) => {
                let k = b.ident.as_str();
                if top && META.contains(&k) {
                    continue;
                }
                if k == "dynamic" {
                    let label = b.labels.first().map_or("", |l| l.as_str());
                    let Some(bt) = blocks.get(label) else {
                        ctx.err(b.span(), path, format!("unknown dynamic block \"{label}\""));
                        continue;
                    };
                    present.insert(label);
                    let o = occ.entry(label).or_insert(Occ {
                        n: 0,
                        dynamic: false,
                        span: b.span(),
                    });
                    o.dynamic = true;
                    for c in b.body.get_blocks("content") {
                        check_body(
                            ctx,
                            &c.body,
                            root,
                            &bt["block"],
                            &join(path, label),
                            c.span(),
                        );
                    }
                } else if let Some(bt) = blocks.get(k) {
                    if flag(&bt["block"], "deprecated") {
                        ctx.err(b.span(), path, format!("block \"{k}\" is deprecated"));
                    }
                    present.insert(k);
                    occ.entry(k)
                        .or_insert(Occ {
                            n: 0,
                            dynamic: false,
                            span: b.span(),
                        })
                        .n += 1;
                    check_body(ctx, &b.body, root, &bt["block"], &join(path, k), b.span());
                } else if let Some(ad) = attrs.get(k) {
                    present.insert(k);
                    match object_elem(&ad["type"]) {
                        // Terraform's "attributes as blocks" mode accepts block syntax for these.
                        Some(fields) if flag(ad, "optional") || flag(ad, "required") => {
                            check_attr_block(ctx, &b.body, fields, &join(path, k));
                        }
                        _ => ctx.err(
                            b.span(),
                            path,
                            format!("\"{k}\" is an argument, written as a block"),
                        ),
                    }
                } else {
                    ctx.err(b.span(), path, unknown(k, attrs, blocks));
                }
            }
        }
    }
    for (k, o) in &occ {
        if o.dynamic {
            continue;
        }
        let bt = &blocks[*k];
        let (min, max) = (
            bt["min_items"].as_u64().unwrap_or(0),
            bt["max_items"].as_u64().unwrap_or(0),
        );
        let n = o.n as u64;
        if (bt["nesting_mode"] == "single" || max == 1) && n > 1 {
            ctx.err(
                o.span.clone(),
                path,
                format!("at most one \"{k}\" block allowed, found {n}"),
            );
        } else if max > 0 && n > max {
            ctx.err(
                o.span.clone(),
                path,
                format!("at most {max} \"{k}\" blocks allowed, found {n}"),
            );
        }
        if min > 1 && n < min {
            ctx.err(
                o.span.clone(),
                path,
                format!("at least {min} \"{k}\" blocks required, found {n}"),
            );
        }
    }
    for (a, ad) in attrs {
        if flag(ad, "required") && !present.contains(a.as_str()) {
            ctx.err(
                span.clone(),
                path,
                format!("missing required argument \"{a}\""),
            );
        }
    }
    for (b, bt) in blocks {
        if bt["min_items"].as_u64().unwrap_or(0) >= 1 && !present.contains(b.as_str()) {
            ctx.err(
                span.clone(),
                path,
                format!("missing required block \"{b}\""),
            );
        }
    }
    rules::cross_field(ctx, body, root, path, span);
}

fn unknown(k: &str, attrs: &Map<String, Value>, blocks: &Map<String, Value>) -> String {
    let names: Vec<&str> = attrs
        .keys()
        .chain(blocks.keys())
        .map(String::as_str)
        .collect();
    let hint = rules::closest(k, &names, 0.75)
        .map_or(String::new(), |h| format!(" (did you mean \"{h}\"?)"));
    format!("unknown argument or block \"{k}\"{hint}")
}

/// What can be told about an expression without evaluating it.
pub(crate) enum Lit<'a> {
    /// `Some` for a plain literal, `None` for a template that still yields a string.
    Str(Option<&'a str>),
    Num(f64),
    Bool,
    List(&'a hcl_edit::expr::Array),
    Obj(&'a hcl_edit::expr::Object),
    Unknown,
}

pub(crate) fn lit(e: &Expression) -> Lit<'_> {
    match e {
        Expression::String(s) => Lit::Str(Some(s.as_str())),
        Expression::StringTemplate(t) => {
            let parts: Vec<&Element> = t
                .iter()
                .filter(|el| !matches!(el, Element::Literal(s) if s.is_empty()))
                .collect();
            // "${x}" alone yields x itself, of any type.
            if matches!(parts.as_slice(), [Element::Interpolation(_)]) {
                Lit::Unknown
            } else {
                Lit::Str(None)
            }
        }
        Expression::HeredocTemplate(_) => Lit::Str(None),
        Expression::Number(n) => Lit::Num(n.as_f64().unwrap_or(0.0)),
        Expression::Bool(_) => Lit::Bool,
        Expression::Array(a) => Lit::List(a),
        Expression::Object(o) => Lit::Obj(o),
        Expression::Parenthesis(p) => lit(p.inner()),
        Expression::UnaryOp(u) if *u.operator.value() == UnaryOperator::Neg => match lit(&u.expr) {
            Lit::Num(n) => Lit::Num(-n),
            _ => Lit::Unknown,
        },
        _ => Lit::Unknown,
    }
}

/// Type mismatch of a literal against a cty type; `None` when fine or not a literal.
fn type_error(e: &Expression, cty: &Value) -> Option<String> {
    let kind = cty
        .as_str()
        .or_else(|| cty.get(0).and_then(Value::as_str))?;
    let l = lit(e);
    let got = match l {
        Lit::Unknown => return None,
        Lit::List(_) => "a list",
        Lit::Obj(_) => "an object/map",
        Lit::Bool => "a bool",
        Lit::Num(_) => "a number",
        Lit::Str(_) => "a string",
    };
    match (kind, l) {
        ("string", Lit::List(_) | Lit::Obj(_)) => Some(format!("expects a string, got {got}")),
        ("number", Lit::Bool | Lit::List(_) | Lit::Obj(_)) => {
            Some(format!("expects a number, got {got}"))
        }
        ("number", Lit::Str(Some(s))) if s.trim().parse::<f64>().is_err() => {
            Some(format!("expects a number, got the string \"{s}\""))
        }
        ("bool", Lit::Str(Some(s))) if s != "true" && s != "false" => {
            Some(format!("expects a bool, got the string \"{s}\""))
        }
        ("bool", Lit::Num(_) | Lit::List(_) | Lit::Obj(_)) => {
            Some(format!("expects a bool, got {got}"))
        }
        ("list" | "set", Lit::List(a)) => a
            .iter()
            .find_map(|x| type_error(x, &cty[1]))
            .map(|e| format!("{kind} element {e}")),
        ("list" | "set", _) => Some(format!("expects a {kind}, got {got}")),
        ("map", Lit::Obj(o)) => o
            .iter()
            .find_map(|(_, v)| type_error(v.expr(), &cty[1]))
            .map(|e| format!("map value {e}")),
        ("map", _) => Some(format!("expects a map, got {got}")),
        ("object", Lit::Obj(o)) => {
            let fields = cty[1].as_object()?;
            let mut given = HashSet::new();
            for (k, v) in o.iter() {
                let key = match k {
                    ObjectKey::Ident(i) => i.as_str(),
                    ObjectKey::Expression(e) => e.as_str()?,
                };
                given.insert(key);
                let Some(t) = fields.get(key) else {
                    return Some(format!("object has no attribute \"{key}\""));
                };
                if let Some(e) = type_error(v.expr(), t) {
                    return Some(format!("object attribute \"{key}\" {e}"));
                }
            }
            // Unlike block syntax, an object literal must spell out every attribute (null if unused).
            let missing: Vec<&str> = fields
                .keys()
                .map(String::as_str)
                .filter(|f| !given.contains(f))
                .collect();
            (!missing.is_empty()).then(|| format!("object is missing attributes {missing:?}"))
        }
        ("object", _) => Some(format!("expects an object, got {got}")),
        _ => None,
    }
}

/// The attribute types of a `list(object)` / `set(object)` attribute.
fn object_elem(cty: &Value) -> Option<&Map<String, Value>> {
    matches!(cty[0].as_str(), Some("list" | "set")).then_some(())?;
    (cty[1][0] == "object").then(|| cty[1][1].as_object())?
}

/// Block syntax for a `list(object)` attribute: missing fields become null, unknown ones are errors.
fn check_attr_block(ctx: &mut Ctx, body: &Body, fields: &Map<String, Value>, path: &str) {
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => match fields.get(a.key.as_str()) {
                Some(t) => {
                    if let Some(e) = type_error(&a.value, t) {
                        ctx.err(a.span(), path, format!("\"{}\" {e}", a.key.as_str()));
                    }
                }
                None => ctx.err(a.span(), path, unknown(a.key.as_str(), fields, &Map::new())),
            },
            Structure::Block(b) => match fields.get(b.ident.as_str()).and_then(object_elem) {
                Some(inner) => check_attr_block(ctx, &b.body, inner, &join(path, b.ident.as_str())),
                None => ctx.err(
                    b.span(),
                    path,
                    unknown(b.ident.as_str(), fields, &Map::new()),
                ),
            },
        }
    }
}
