//! The strict ARM schemas (tests/data/arm) and the drill-down from jsonschema errors to precise messages.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use super::parse::{Built, SENTINEL, escape_pointer};

const ARM_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/arm");

pub struct Entry {
    pub rtype: String,
    pub api: String,
    path: PathBuf,
}

pub struct Index {
    by_key: HashMap<(String, String), Entry>,
    /// lower-case type -> API versions that have a schema, for the "no schema" hint.
    pub versions: HashMap<String, Vec<String>>,
}

impl Index {
    /// ARM compares resource types case-insensitively, so lookups do too.
    pub fn lookup(&self, rtype: &str, api: &str) -> Option<&Entry> {
        self.by_key.get(&(rtype.to_lowercase(), api.to_lowercase()))
    }
}

pub fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let path = format!("{ARM_DIR}/index.json");
        let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let idx: Value = serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut by_key = HashMap::new();
        let mut versions: HashMap<String, Vec<String>> = HashMap::new();
        for r in idx["resources"].as_array().into_iter().flatten() {
            let (Some(t), Some(api), Some(rel)) = (
                r["type"].as_str(),
                r["apiVersion"].as_str(),
                r["strict"].as_str(),
            ) else {
                continue;
            };
            versions
                .entry(t.to_lowercase())
                .or_default()
                .push(api.to_string());
            by_key.insert(
                (t.to_lowercase(), api.to_lowercase()),
                Entry {
                    rtype: t.to_string(),
                    api: api.to_string(),
                    path: PathBuf::from(ARM_DIR).join(rel),
                },
            );
        }
        for v in versions.values_mut() {
            v.sort();
        }
        Index { by_key, versions }
    })
}

pub struct Compiled {
    pub schema: Value,
    pub validator: Validator,
}

/// Compiling the big Network schemas takes a while in debug builds; every test shares one copy.
pub fn compiled(entry: &Entry) -> Arc<Compiled> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<Compiled>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(c) = cache.lock().unwrap().get(&entry.path) {
        return c.clone();
    }
    let path = &entry.path;
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: Value =
        serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // Draft 4 comes from "$schema"; offline() makes a stray remote $ref fail instead of fetching.
    let validator = jsonschema::options()
        .offline()
        .build(&schema)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let c = Arc::new(Compiled { schema, validator });
    cache.lock().unwrap().insert(path.clone(), c.clone());
    c
}

/// Follows local `#/definitions/...` references, the only kind in the strict files.
fn resolve<'v>(root: &'v Value, mut sub: &'v Value) -> &'v Value {
    for _ in 0..20 {
        match sub.get("$ref").and_then(Value::as_str) {
            Some(r) if r.starts_with('#') => match root.pointer(&r[1..]) {
                Some(target) => sub = target,
                None => return sub,
            },
            _ => return sub,
        }
    }
    sub
}

fn is_expression_branch(sub: &Value) -> bool {
    sub.get("$ref")
        .and_then(Value::as_str)
        .is_some_and(|r| r.ends_with("expression"))
}

/// The object schema with `properties` behind `sub` (through `$ref` and the non-expression `oneOf` branch).
fn object_schema<'v>(root: &'v Value, sub: &'v Value) -> Option<&'v Value> {
    let sub = resolve(root, sub);
    if sub.get("properties").is_some() {
        return Some(sub);
    }
    let alts = sub.get("oneOf").or_else(|| sub.get("anyOf"))?.as_array()?;
    alts.iter()
        .filter(|a| !is_expression_branch(a))
        .find_map(|a| object_schema(root, a))
}

/// ARM accepts a body without `properties` when nothing inside it is required, although every schema lists it.
fn properties_needed(root: &Value) -> bool {
    root.pointer("/properties/properties")
        .and_then(|p| object_schema(root, p))
        .and_then(|s| s.get("required"))
        .and_then(Value::as_array)
        .is_some_and(|r| !r.is_empty())
}

/// One reported problem: JSON pointer into the body and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaf {
    pub pointer: String,
    pub message: String,
}

fn depth(pointer: &str) -> usize {
    pointer.matches('/').count()
}

/// Similarity as difflib's ratio would roughly see it, from the edit distance.
fn similarity(a: &str, b: &str) -> f64 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    let total = (a.len() + b.len()) as f64;
    if total == 0.0 {
        return 1.0;
    }
    (total - prev[b.len()] as f64) / total
}

fn truncate(mut msg: String) -> String {
    if msg.len() > 300 {
        let cut = (0..=300)
            .rev()
            .find(|i| msg.is_char_boundary(*i))
            .unwrap_or(0);
        msg.truncate(cut);
        msg.push_str("...");
    }
    msg
}

pub struct Checker<'a> {
    pub schema: &'a Value,
    pub built: &'a Built,
}

impl Checker<'_> {
    fn keep(&self, e: &ValidationError<'_>) -> bool {
        match e.kind() {
            ValidationErrorKind::AdditionalProperties { .. }
            | ValidationErrorKind::Required { .. } => return true,
            ValidationErrorKind::MinItems { .. }
            | ValidationErrorKind::MaxItems { .. }
            | ValidationErrorKind::UniqueItems
                if self.built.loop_arrays.contains(e.instance_path().as_str()) =>
            {
                return false;
            }
            _ => {}
        }
        // The value is only known at deploy time; its property name was still checked.
        e.instance().as_str() != Some(SENTINEL)
    }

    /// ARM wraps nearly every value in oneOf[<real schema>, expression]; report the best real branch instead.
    pub fn leaves(&self, e: &ValidationError<'_>) -> Vec<Leaf> {
        let context = match e.kind() {
            ValidationErrorKind::OneOfNotValid { context }
            | ValidationErrorKind::AnyOf { context }
                if !context.is_empty() =>
            {
                context
            }
            _ => return self.leaf(e),
        };
        let alts = self
            .schema
            .pointer(e.schema_path().as_str())
            .and_then(Value::as_array);
        let mut candidates: Vec<Vec<Leaf>> = Vec::new();
        for (i, branch) in context.iter().enumerate() {
            let expr = match alts.and_then(|a| a.get(i)) {
                Some(sub) => is_expression_branch(sub),
                None => branch
                    .iter()
                    .all(|x| x.schema_path().as_str().contains("expression")),
            };
            if !expr {
                candidates.push(branch.iter().flat_map(|x| self.leaves(x)).collect());
            }
        }
        // An empty candidate means that branch failed only because of placeholders.
        candidates
            .into_iter()
            .min_by_key(|ls| {
                let deepest = ls.iter().map(|l| depth(&l.pointer)).max().unwrap_or(0);
                (!ls.is_empty(), usize::MAX - deepest, ls.len())
            })
            .unwrap_or_else(|| self.leaf(e))
    }

    fn leaf(&self, e: &ValidationError<'_>) -> Vec<Leaf> {
        if !self.keep(e) {
            return Vec::new();
        }
        let ptr = e.instance_path().as_str().to_string();
        match e.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let schema_path = e.schema_path().as_str();
                let parent = schema_path
                    .strip_suffix("/additionalProperties")
                    .unwrap_or("");
                let allowed: Vec<&str> = self
                    .schema
                    .pointer(parent)
                    .and_then(|s| s.get("properties"))
                    .and_then(Value::as_object)
                    .map(|m| m.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                unexpected
                    .iter()
                    .map(|k| {
                        let hint = allowed
                            .iter()
                            .map(|a| (similarity(k, a), *a))
                            .filter(|(s, _)| *s >= 0.6)
                            .max_by(|x, y| x.0.total_cmp(&y.0));
                        let more = if allowed.len() > 12 { ", ..." } else { "" };
                        let message = match hint {
                            Some((_, h)) => format!("unknown property '{k}' (did you mean '{h}'?)"),
                            None => format!(
                                "unknown property '{k}' (allowed: {}{more})",
                                allowed
                                    .iter()
                                    .take(12)
                                    .copied()
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        };
                        Leaf {
                            pointer: format!("{ptr}/{}", escape_pointer(k)),
                            message,
                        }
                    })
                    .collect()
            }
            ValidationErrorKind::Required { property }
                if ptr.is_empty()
                    && property.as_str() == Some("properties")
                    && !properties_needed(self.schema) =>
            {
                Vec::new()
            }
            ValidationErrorKind::Enum { options } => vec![Leaf {
                pointer: ptr,
                message: truncate(format!("{} is not one of {options}", e.instance())),
            }],
            _ => vec![Leaf {
                pointer: ptr,
                message: truncate(e.to_string()),
            }],
        }
    }

    /// Source line of the deepest part of `pointer` that came from the source.
    pub fn line_for(&self, pointer: &str, default: usize) -> usize {
        let mut p = pointer;
        loop {
            if let Some(l) = self.built.lines.get(p) {
                return *l;
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return default,
            }
        }
    }
}
