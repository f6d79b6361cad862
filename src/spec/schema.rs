//! The spec's JSON Schema: generated from `RawSpec` with schemars, enforced with jsonschema.
//!
//! Input: the loaded YAML as JSON plus its span map. Output: one located `Diagnostic` per violation (all of
//! them, not only the first), rewritten from jsonschema's wording into what a spec author needs: the key
//! path, what was expected, and a did-you-mean for unknown keys and enum values.

use std::sync::OnceLock;

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value};

use super::yaml::{SpanMap, escape_pointer, format_path, locate};
use crate::diag::Diagnostic;
use crate::suggest::did_you_mean;

/// The schema as published in `schema/aoaigen.schema.json` and printed by `aoaigen schema`.
pub fn schema_json() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let mut value = schema_for::<super::model::RawSpec>(
            "https://aoaigen.dev/schema/v1/aoaigen.schema.json",
        );
        each_object(&mut value, add_examples_from_defaults);
        each_object(&mut value, bound_integers);
        value
    })
}

/// The JSON Schema of `T` as aoaigen publishes its schemas, with `id` as its `$id`.
pub fn schema_for<T: schemars::JsonSchema>(id: &str) -> Value {
    // Inlined subschemas keep every error's schema path resolvable in this one document, which the
    // did-you-mean for unknown keys relies on; draft-07 is what editors' YAML plugins know best.
    let settings = SchemaSettings::draft07().with(|s| s.inline_subschemas = true);
    let schema = settings.into_generator().into_root_schema_for::<T>();
    let mut value = serde_json::to_value(schema).expect("schema serialises");
    if let Some(obj) = value.as_object_mut() {
        obj.insert("$id".into(), Value::String(id.into()));
    }
    value
}

/// Every property with a meaningful default and no example gets its default as the example, so editors
/// show a value for every field.
fn add_examples_from_defaults(map: &mut Map<String, Value>) {
    if !map.contains_key("examples")
        && let Some(d) = map.get("default")
        && !d.is_null()
        && d != &Value::Object(Default::default())
    {
        let d = d.clone();
        map.insert("examples".into(), Value::Array(vec![d]));
    }
}

/// Calls `f` on every object in `node`, each before the objects inside it.
fn each_object(node: &mut Value, f: fn(&mut Map<String, Value>)) {
    match node {
        Value::Object(map) => {
            f(map);
            map.values_mut().for_each(|v| each_object(v, f));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| each_object(v, f)),
        _ => {}
    }
}

/// Every integer gets the bounds of the Rust type that holds it (schemars states the type only as `format`,
/// which JSON Schema does not enforce): `capacity: 4294967296` is then an out-of-range error with a place,
/// not a failure to read a spec that passed the schema.
fn bound_integers(map: &mut Map<String, Value>) {
    let bounds: Option<(i64, u64)> = match map.get("format").and_then(Value::as_str) {
        Some("uint8") => Some((0, u8::MAX.into())),
        Some("uint16") => Some((0, u16::MAX.into())),
        Some("uint32" | "uint") => Some((0, u32::MAX.into())),
        Some("uint64") => Some((0, u64::MAX)),
        Some("int8") => Some((i8::MIN.into(), i8::MAX as u64)),
        Some("int16") => Some((i16::MIN.into(), i16::MAX as u64)),
        Some("int32" | "int") => Some((i32::MIN.into(), i32::MAX as u64)),
        Some("int64") => Some((i64::MIN, i64::MAX as u64)),
        _ => None,
    };
    if let Some((lo, hi)) = bounds {
        let given = |map: &Map<String, Value>, key: &str| map.get(key).and_then(Value::as_f64);
        if given(map, "minimum").is_none_or(|g| g < lo as f64) {
            map.insert("minimum".into(), lo.into());
        }
        if given(map, "maximum").is_none_or(|g| g > hi as f64) {
            map.insert("maximum".into(), hi.into());
        }
    }
}

/// The schema the validator enforces: the published one plus `wholeNumber` wherever an integer is
/// expected. JSON Schema counts `10.0` and `3e2` (floats in YAML) as integers, but the spec's integer
/// fields cannot hold a float; this one keyword covers every such field.
fn enforced_schema() -> Value {
    let mut schema = schema_json().clone();
    each_object(&mut schema, |map| {
        let integer = match map.get("type") {
            Some(Value::String(t)) => t == "integer",
            Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
            _ => false,
        };
        if integer {
            map.insert(WHOLE_NUMBER.into(), Value::Bool(true));
        }
    });
    schema
}

const WHOLE_NUMBER: &str = "wholeNumber";

/// `wholeNumber`: a number must be written as an integer (`300`, not `300.0` or `3e2`).
struct WholeNumber;

impl jsonschema::Keyword<'_> for WholeNumber {
    fn validate<'i>(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        if self.is_valid(instance) {
            Ok(())
        } else {
            Err(ValidationError::custom("not a whole number"))
        }
    }

    fn is_valid(&self, instance: &Value) -> bool {
        instance.as_number().is_none_or(|n| !n.is_f64())
    }
}

/// The schema as pretty-printed text with a final newline (what `aoaigen schema` prints).
pub fn schema_text() -> String {
    serde_json::to_string_pretty(schema_json()).expect("schema serialises") + "\n"
}

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        jsonschema::options()
            .with_keyword(WHOLE_NUMBER, |_, _, _| Ok(Box::new(WholeNumber)))
            .build(&enforced_schema())
            .expect("the generated schema compiles; this is a bug in aoaigen")
    })
}

/// Every schema violation of `doc`, located.
pub fn check(doc: &Value, spans: &SpanMap) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for e in validator().iter_errors(doc) {
        explain(&e, spans, &mut out);
    }
    out.sort_by_key(|d| d.span.as_ref().map(|s| s.start).unwrap_or(usize::MAX));
    out.dedup();
    out
}

/// What to cut from a structurally invalid document so the rest can still be checked: the JSON pointers of
/// unknown keys and of values that break the schema. `None` when an error cannot be cut away without
/// shifting list positions or dropping a required key (the document root, a list item). The flag is true
/// for unknown keys, whose removal changes nothing the author meant to the checks that follow.
pub fn cut_points(doc: &Value) -> Option<Vec<(String, bool)>> {
    let mut cuts = Vec::new();
    for e in validator().iter_errors(doc) {
        let pointer = e.instance_path().as_str().to_string();
        match e.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                cuts.extend(
                    unexpected
                        .iter()
                        .map(|k| (format!("{pointer}/{}", escape_pointer(k)), true)),
                );
            }
            _ => {
                let (parent, _) = pointer.rsplit_once('/')?;
                let parent_value = if parent.is_empty() {
                    Some(doc)
                } else {
                    doc.pointer(parent)
                };
                if !parent_value.is_some_and(Value::is_object) {
                    return None;
                }
                cuts.push((pointer, false));
            }
        }
    }
    Some(cuts)
}

fn explain(e: &ValidationError<'_>, spans: &SpanMap, out: &mut Vec<Diagnostic>) {
    let pointer = e.instance_path().as_str().to_string();
    let path = format_path(&pointer);
    let here = locate(spans, &pointer);
    let shown = path_or_root(&path);
    let d = match e.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let allowed = allowed_keys(e.schema_path().as_str());
            for key in unexpected {
                let key_ptr = format!("{pointer}/{}", escape_pointer(key));
                let mut d = Diagnostic::error(
                    "unknown-key",
                    format_path(&key_ptr),
                    format!("unknown key `{key}` in {shown}"),
                )
                .with_span(spans.get(&format!("{key_ptr}#key")).cloned());
                d.help = Some(
                    match did_you_mean(key, allowed.iter().map(String::as_str)) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("allowed keys: {}", quote_list(&allowed)),
                    },
                );
                out.push(d);
            }
            return;
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            Diagnostic::error(
                "missing-key",
                path.clone(),
                format!("missing required key `{name}` in {shown}"),
            )
            .with_span(here)
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => article(&t.to_string()),
                TypeKind::Multiple(ts) => ts
                    .iter()
                    .map(|t| article(&t.to_string()))
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            let found = describe(e.instance());
            let mut d = Diagnostic::error(
                "wrong-type",
                path.clone(),
                format!("{shown} must be {expected}, found {found}"),
            )
            .with_span(here);
            if expected.contains("string")
                && (e.instance().is_number() || e.instance().is_boolean())
            {
                d.help = Some(quote_help(e));
            }
            d
        }
        ValidationErrorKind::Enum { options } => {
            let opts: Vec<String> = options
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            invalid_value(e.instance(), &opts, &path, &shown, here)
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            // schemars writes an enum with documented variants as `oneOf` of `const`s: explain it as
            // a choice of values, not as "`X` was expected" for the first variant.
            let mut opts = Vec::new();
            if const_options(context, &pointer, &mut opts) && !opts.is_empty() {
                out.push(invalid_value(e.instance(), &opts, &path, &shown, here));
                return;
            }
            match best_branch(context, &pointer) {
                Some(branch) => {
                    for inner in branch {
                        explain(inner, spans, out);
                    }
                    return;
                }
                None => Diagnostic::error(
                    "wrong-type",
                    path.clone(),
                    format!("{shown} has the wrong shape: {}", describe(e.instance())),
                )
                .with_span(here)
                .with_help(shape_help(&path)),
            }
        }
        ValidationErrorKind::Minimum { limit } => Diagnostic::error(
            "out-of-range",
            path.clone(),
            format!("{shown} must be at least {limit}, found {}", e.instance()),
        )
        .with_span(here),
        ValidationErrorKind::Maximum { limit } => Diagnostic::error(
            "out-of-range",
            path.clone(),
            format!("{shown} must be at most {limit}, found {}", e.instance()),
        )
        .with_span(here),
        ValidationErrorKind::Custom { keyword, .. } if keyword == WHOLE_NUMBER => {
            let n = e.instance().as_f64().unwrap_or_default();
            let d = Diagnostic::error(
                "not-a-whole-number",
                path.clone(),
                format!("{shown} must be a whole number, found {}", e.instance()),
            )
            .with_span(here);
            if n.fract() == 0.0 && n.abs() < 1e15 {
                d.with_help(format!(
                    "write `{n:.0}`, without a decimal point or exponent"
                ))
            } else {
                d.with_help("write a whole number, without a decimal point or exponent")
            }
        }
        ValidationErrorKind::MinLength { limit } => Diagnostic::error(
            "too-short",
            path.clone(),
            format!("{shown} must be at least {limit} characters long"),
        )
        .with_span(here),
        ValidationErrorKind::MaxLength { limit } => Diagnostic::error(
            "too-long",
            path.clone(),
            format!("{shown} must be at most {limit} characters long"),
        )
        .with_span(here),
        ValidationErrorKind::MinItems { limit } => Diagnostic::error(
            "too-few-items",
            path.clone(),
            format!(
                "{shown} needs at least {limit} item{}",
                if *limit == 1 { "" } else { "s" }
            ),
        )
        .with_span(here),
        ValidationErrorKind::Pattern { pattern } => {
            let got = e.instance().as_str().unwrap_or_default();
            Diagnostic::error(
                "invalid-format",
                path.clone(),
                format!("`{got}` is not a valid value for {shown}"),
            )
            .with_span(here)
            .with_help(pattern_help(&path, pattern))
        }
        _ => Diagnostic::error("schema", path.clone(), format!("{shown}: {e}")).with_span(here),
    };
    out.push(d);
}

/// "`X` is not a valid value for `path`", with a did-you-mean among `opts`.
fn invalid_value(
    instance: &Value,
    opts: &[String],
    path: &str,
    shown: &str,
    here: Option<crate::diag::Span>,
) -> Diagnostic {
    let got = instance
        .as_str()
        .map(String::from)
        .unwrap_or_else(|| instance.to_string());
    let d = Diagnostic::error(
        "invalid-value",
        path,
        format!("`{got}` is not a valid value for {shown}"),
    )
    .with_span(here);
    match did_you_mean(&got, opts.iter().map(String::as_str)) {
        Some(s) => d.with_help(format!("did you mean `{s}`? (one of {})", quote_list(opts))),
        None => d.with_help(format!("expected one of {}", quote_list(opts))),
    }
}

/// Whether every branch of an anyOf/oneOf at `pointer` failed only on `const` (or on the type of a
/// `null` alternative); collects the constants into `opts`.
fn const_options(
    context: &[Vec<ValidationError<'static>>],
    pointer: &str,
    opts: &mut Vec<String>,
) -> bool {
    for branch in context {
        for e in branch {
            if e.instance_path().as_str() != pointer {
                return false;
            }
            match e.kind() {
                ValidationErrorKind::Constant { expected_value } => {
                    let v = expected_value
                        .as_str()
                        .map(String::from)
                        .unwrap_or_else(|| expected_value.to_string());
                    if !opts.contains(&v) {
                        opts.push(v);
                    }
                }
                ValidationErrorKind::Type { .. } => {}
                ValidationErrorKind::AnyOf { context }
                | ValidationErrorKind::OneOfNotValid { context } => {
                    if !const_options(context, pointer, opts) {
                        return false;
                    }
                }
                _ => return false,
            }
        }
    }
    true
}

/// In an anyOf/oneOf, the branch the author most likely meant: the ones whose type the value has.
fn best_branch<'a>(
    context: &'a [Vec<ValidationError<'static>>],
    pointer: &str,
) -> Option<&'a Vec<ValidationError<'static>>> {
    context
        .iter()
        .filter(|errors| {
            !errors.is_empty()
                && !errors.iter().any(|e| {
                    e.instance_path().as_str() == pointer
                        && matches!(e.kind(), ValidationErrorKind::Type { .. })
                })
        })
        .min_by_key(|errors| errors.len())
}

fn allowed_keys(schema_path: &str) -> Vec<String> {
    let parent = schema_path
        .strip_suffix("/additionalProperties")
        .unwrap_or(schema_path);
    let node = if parent.is_empty() {
        Some(schema_json())
    } else {
        schema_json().pointer(parent)
    };
    node.and_then(|n| n.get("properties"))
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// "Quote it" only where quoting is enough: a field with a pattern (`retirement_horizon: 90`,
/// `timeouts.create: 60`) still rejects the quoted number, so name the form it takes instead.
fn quote_help(e: &ValidationError<'_>) -> String {
    let quoted = Value::String(e.instance().to_string());
    let field = e
        .schema_path()
        .as_str()
        .strip_suffix("/type")
        .and_then(|p| schema_json().pointer(p));
    let Some(field) = field.filter(|f| f.get("pattern").is_some()) else {
        return format!("quote it: \"{}\"", e.instance());
    };
    if jsonschema::validator_for(field).is_ok_and(|v| v.is_valid(&quoted)) {
        return format!("quote it: \"{}\"", e.instance());
    }
    match field
        .get("examples")
        .and_then(|x| x.get(0))
        .and_then(Value::as_str)
    {
        Some(example) => format!("write it as a string of the form \"{example}\""),
        None => "write it as a string".to_string(),
    }
}

fn path_or_root(path: &str) -> String {
    if path.is_empty() {
        "the spec".to_string()
    } else {
        format!("`{path}`")
    }
}

fn article(t: &str) -> String {
    match t {
        "object" => "a mapping".to_string(),
        "array" => "a list".to_string(),
        "integer" => "a whole number".to_string(),
        "null" => "empty".to_string(),
        other => format!("a {other}"),
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "nothing (null)".to_string(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => format!("the string `{s}`"),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "a mapping".to_string(),
    }
}

fn quote_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn shape_help(path: &str) -> String {
    if path.contains("regions") {
        "a region is a name (`swedencentral`) or `{name: swedencentral, capacity: 50}`".to_string()
    } else if path.contains("dns_zone") {
        "`dns_zone` is a zone name (`contoso.com`) or `{name: contoso.com, resource_group: rg-dns}`"
            .to_string()
    } else {
        "see `aoaigen schema` for the accepted shapes".to_string()
    }
}

fn pattern_help(path: &str, pattern: &str) -> String {
    if path == "name" {
        "2-20 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen".to_string()
    } else if path.ends_with("deployment") {
        "2-64 letters, digits, `.`, `_` or `-`, starting with a letter or digit".to_string()
    } else if path.starts_with("accounts.timeouts") {
        "a duration such as `60m`, `2h` or `1h30m`".to_string()
    } else {
        format!("expected a value matching `{pattern}`")
    }
}
