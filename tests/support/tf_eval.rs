//! A small evaluator for generated Terraform, so tests can read what a project *means* from its text.
//!
//! Input: the `.tf` sources (parsed with `hcl-edit`). Output: every resource instance (one per `for_each` key)
//! with its arguments and nested blocks evaluated to JSON: locals, variable defaults, `each`, `dynamic` blocks,
//! `for` expressions, templates, conditionals and the few functions the templates use. A value known only
//! after apply (`azurerm_public_ip.gateway.ip_address`, a random suffix) becomes a string holding the
//! reference between `⟨` and `⟩`, with its index keys evaluated, so checks can still see *what* it refers to.
//! References to arguments set in another resource's configuration are followed
//! (`azurerm_cognitive_account.openai["x"].custom_subdomain_name` gives that instance's evaluated value).
#![allow(dead_code)] // each integration test binary uses a different part of this module

use std::collections::BTreeMap;

use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{Block, BlockLabel, Body};
use hcl_edit::template::{Element, Template};
use serde_json::{Map, Value};

use super::value::loop_items;
pub use super::value::{DEPLOYER_OBJECT_ID, as_text, unknown, unknown_ref};

/// One resource instance: type, name, `for_each` key, evaluated body and meta-arguments.
#[derive(Debug, Clone)]
pub struct Instance {
    pub rtype: String,
    pub name: String,
    pub key: Option<String>,
    /// Arguments and nested blocks; each block kind maps to a list of evaluated block bodies.
    pub body: Map<String, Value>,
    /// `depends_on` entries as written (`azurerm_cognitive_deployment.openai`).
    pub depends_on: Vec<String>,
    /// `lifecycle { ignore_changes = [...] }` entries as written (`model[0].version`).
    pub ignore_changes: Vec<String>,
}

impl Instance {
    pub fn get(&self, k: &str) -> &Value {
        self.body.get(k).unwrap_or(&Value::Null)
    }
    /// The single nested block `k` (panics when there is not exactly one).
    pub fn block(&self, k: &str) -> &Map<String, Value> {
        one_block(&self.body, k)
    }
}

/// The single nested block `k` of an evaluated body.
pub fn one_block<'a>(body: &'a Map<String, Value>, k: &str) -> &'a Map<String, Value> {
    match body.get(k).and_then(Value::as_array).map(Vec::as_slice) {
        Some([Value::Object(b)]) => b,
        other => panic!("expected one `{k}` block, found {other:?}"),
    }
}

/// The nested blocks `k` of an evaluated body (none when absent).
pub fn blocks<'a>(body: &'a Map<String, Value>, k: &str) -> Vec<&'a Map<String, Value>> {
    body.get(k)
        .and_then(Value::as_array)
        .map(|v| v.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default()
}

pub struct TfProject {
    /// What data sources read, by `data.<type>.<name>.<attribute>`, where a test knows it as Terraform does
    /// when it plans (the caller's object ID); every other attribute a data source reads stays unknown.
    data_values: BTreeMap<String, Value>,
    locals: BTreeMap<String, Expression>,
    variables: BTreeMap<String, Option<Expression>>,
    resources: Vec<Block>,
    data: Vec<Block>,
}

type Scope = Vec<(String, Value)>;

impl TfProject {
    /// Parses every `(file name, source)`; panics on a syntax error (other tests report those properly).
    pub fn parse<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut p = TfProject {
            data_values: BTreeMap::from([(
                "data.azurerm_client_config.current.object_id".to_string(),
                Value::String(DEPLOYER_OBJECT_ID.to_string()),
            )]),
            locals: BTreeMap::new(),
            variables: BTreeMap::new(),
            resources: Vec::new(),
            data: Vec::new(),
        };
        for (name, src) in files {
            let body: Body =
                hcl_edit::parser::parse_body(src).unwrap_or_else(|e| panic!("{name}: {e}"));
            for block in body.blocks() {
                match block.ident.as_str() {
                    "locals" => {
                        for a in block.body.attributes() {
                            p.locals.insert(a.key.as_str().to_string(), a.value.clone());
                        }
                    }
                    "variable" => {
                        let default = block.body.get_attribute("default").map(|a| a.value.clone());
                        p.variables.insert(label(block, 0), default);
                    }
                    "resource" => p.resources.push(block.clone()),
                    "data" => p.data.push(block.clone()),
                    _ => {}
                }
            }
        }
        p
    }

    /// Parses the `.tf` files of a rendered project.
    pub fn from_files(files: &BTreeMap<String, Vec<u8>>) -> Self {
        let texts: Vec<(String, String)> = files
            .iter()
            .filter(|(k, _)| k.ends_with(".tf"))
            .map(|(k, v)| (k.clone(), String::from_utf8(v.clone()).unwrap()))
            .collect();
        Self::parse(texts.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// Every resource instance, in declaration order, `for_each` keys in their map's order.
    pub fn instances(&self) -> Vec<Instance> {
        let mut out = Vec::new();
        for block in &self.resources {
            for (key, scope) in self.expand(block) {
                let (body, depends_on, ignore_changes) =
                    self.eval_resource_body(&block.body, &scope);
                out.push(Instance {
                    rtype: label(block, 0),
                    name: label(block, 1),
                    key,
                    body,
                    depends_on,
                    ignore_changes,
                });
            }
        }
        out
    }

    /// The same project, with `addr` (`data.<type>.<name>.<attribute>`) read as `value`.
    pub fn with_data(mut self, addr: &str, value: Value) -> Self {
        self.data_values.insert(addr.to_string(), value);
        self
    }

    /// An argument of a data source's configuration (`data.<t>.<n>.<a>`), evaluated.
    pub fn data_attr(&self, t: &str, n: &str, a: &str) -> Option<Value> {
        let b = self
            .data
            .iter()
            .find(|b| label(b, 0) == t && label(b, 1) == n)?;
        let x = b.body.get_attribute(a)?;
        Some(self.eval(&x.value, &Vec::new()))
    }

    /// The value of `local.<name>`.
    pub fn local(&self, name: &str) -> Value {
        let e = self
            .locals
            .get(name)
            .unwrap_or_else(|| panic!("no local.{name}"));
        self.eval(e, &Vec::new())
    }

    /// One scope per instance of a resource block: `(for_each key, scope with each.key/each.value)`.
    fn expand(&self, block: &Block) -> Vec<(Option<String>, Scope)> {
        let Some(fe) = block.body.get_attribute("for_each") else {
            return vec![(None, Vec::new())];
        };
        let pairs: Vec<(String, Value)> = match self.eval(&fe.value, &Vec::new()) {
            Value::Object(m) => m.into_iter().collect(),
            Value::Array(v) => v
                .into_iter()
                .map(|x| (x.as_str().expect("for_each set of strings").to_string(), x))
                .collect(),
            other => panic!("for_each of {} is not known: {other}", label(block, 1)),
        };
        pairs
            .into_iter()
            .map(|(k, v)| {
                let each = serde_json::json!({ "key": k, "value": v });
                (Some(k), vec![("each".to_string(), each)])
            })
            .collect()
    }

    fn eval_resource_body(
        &self,
        body: &Body,
        scope: &Scope,
    ) -> (Map<String, Value>, Vec<String>, Vec<String>) {
        let mut depends_on = Vec::new();
        let mut ignore_changes = Vec::new();
        if let Some(Expression::Array(a)) = body.get_attribute("depends_on").map(|a| &a.value) {
            depends_on = a.iter().map(|e| e.to_string().trim().to_string()).collect();
        }
        for lc in body.blocks().filter(|b| b.ident.as_str() == "lifecycle") {
            if let Some(Expression::Array(a)) =
                lc.body.get_attribute("ignore_changes").map(|a| &a.value)
            {
                ignore_changes = a.iter().map(|e| e.to_string().trim().to_string()).collect();
            }
        }
        (self.eval_body(body, scope), depends_on, ignore_changes)
    }

    fn eval_body(&self, body: &Body, scope: &Scope) -> Map<String, Value> {
        const META: &[&str] = &["for_each", "count", "depends_on", "provider", "lifecycle"];
        let mut out = Map::new();
        for a in body.attributes() {
            if !META.contains(&a.key.as_str()) {
                out.insert(a.key.as_str().to_string(), self.eval(&a.value, scope));
            }
        }
        for b in body.blocks() {
            let ident = b.ident.as_str();
            if META.contains(&ident) {
                continue;
            }
            if ident == "dynamic" {
                let name = label(b, 0);
                let iter = b
                    .body
                    .get_attribute("iterator")
                    .map(|a| a.value.to_string().trim().to_string())
                    .unwrap_or_else(|| name.clone());
                let coll = b.body.get_attribute("for_each").expect("dynamic for_each");
                let content = b
                    .body
                    .blocks()
                    .find(|c| c.ident.as_str() == "content")
                    .expect("dynamic content");
                let v = self.eval(&coll.value, scope);
                let items = loop_items(v.clone())
                    .unwrap_or_else(|| panic!("dynamic {name}: for_each is not known: {v}"));
                let list = out.entry(name).or_insert_with(|| Value::Array(Vec::new()));
                for (k, v) in items {
                    let mut s = scope.clone();
                    s.push((iter.clone(), serde_json::json!({ "key": k, "value": v })));
                    let body = self.eval_body(&content.body, &s);
                    list.as_array_mut().unwrap().push(Value::Object(body));
                }
                continue;
            }
            let v = Value::Object(self.eval_body(&b.body, scope));
            out.entry(ident.to_string())
                .or_insert_with(|| Value::Array(Vec::new()))
                .as_array_mut()
                .unwrap()
                .push(v);
        }
        out
    }

    pub fn eval(&self, e: &Expression, scope: &Scope) -> Value {
        match e {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => {
                let n = n.value();
                n.as_i64()
                    .map(Value::from)
                    .unwrap_or_else(|| n.as_f64().unwrap().into())
            }
            Expression::String(s) => Value::String(s.value().to_string()),
            Expression::Array(a) => Value::Array(a.iter().map(|x| self.eval(x, scope)).collect()),
            Expression::Object(o) => {
                let mut m = Map::new();
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_string(),
                        ObjectKey::Expression(x) => as_text(&self.eval(x, scope)),
                    };
                    m.insert(key, self.eval(v.expr(), scope));
                }
                Value::Object(m)
            }
            Expression::StringTemplate(t) => Value::String(self.template(t, scope)),
            Expression::HeredocTemplate(h) => Value::String(self.template(&h.template, scope)),
            Expression::Parenthesis(p) => self.eval(p.inner(), scope),
            Expression::Variable(v) => match lookup(scope, v.as_str()) {
                Some(x) => x,
                None => unknown(v.as_str()),
            },
            Expression::Traversal(t) => self.traversal(&t.expr, &t.operators, scope),
            Expression::FuncCall(f) => {
                let args: Vec<Value> = f.args.iter().map(|a| self.eval(a, scope)).collect();
                call(f.name.name.as_str(), args, &e.to_string())
            }
            Expression::Conditional(c) => match self.eval(&c.cond_expr, scope) {
                Value::Bool(true) => self.eval(&c.true_expr, scope),
                Value::Bool(false) => self.eval(&c.false_expr, scope),
                _ => unknown(e.to_string().trim()),
            },
            Expression::UnaryOp(u) => match (u.operator.value(), self.eval(&u.expr, scope)) {
                (UnaryOperator::Not, Value::Bool(b)) => Value::Bool(!b),
                (UnaryOperator::Neg, Value::Number(n)) => (-n.as_f64().unwrap()).into(),
                _ => unknown(e.to_string().trim()),
            },
            Expression::BinaryOp(b) => {
                let (l, r) = (self.eval(&b.lhs_expr, scope), self.eval(&b.rhs_expr, scope));
                if unknown_ref(&l).is_some() || unknown_ref(&r).is_some() {
                    return unknown(e.to_string().trim());
                }
                match b.operator.value() {
                    BinaryOperator::Eq => Value::Bool(l == r),
                    BinaryOperator::NotEq => Value::Bool(l != r),
                    BinaryOperator::And => {
                        Value::Bool(l == Value::Bool(true) && r == Value::Bool(true))
                    }
                    BinaryOperator::Or => {
                        Value::Bool(l == Value::Bool(true) || r == Value::Bool(true))
                    }
                    _ => unknown(e.to_string().trim()),
                }
            }
            Expression::ForExpr(f) => {
                let coll = self.eval(&f.intro.collection_expr, scope);
                let Some(items) = loop_items(coll) else {
                    return unknown(e.to_string().trim());
                };
                let mut list = Vec::new();
                let mut obj = Map::new();
                for (k, v) in items {
                    let mut s = scope.clone();
                    if let Some(kv) = &f.intro.key_var {
                        s.push((kv.as_str().to_string(), k));
                    }
                    s.push((f.intro.value_var.as_str().to_string(), v));
                    if let Some(c) = &f.cond {
                        match self.eval(&c.expr, &s) {
                            Value::Bool(true) => {}
                            Value::Bool(false) => continue,
                            // Which items are kept is not known: neither is the result.
                            _ => return unknown(e.to_string().trim()),
                        }
                    }
                    let val = self.eval(&f.value_expr, &s);
                    match &f.key_expr {
                        Some(ke) => {
                            obj.insert(as_text(&self.eval(ke, &s)), val);
                        }
                        None => list.push(val),
                    }
                }
                if f.key_expr.is_some() {
                    Value::Object(obj)
                } else {
                    Value::Array(list)
                }
            }
        }
    }

    fn template(&self, t: &Template, scope: &Scope) -> String {
        let mut out = String::new();
        for el in t.iter() {
            match el {
                Element::Literal(l) => out.push_str(l.value()),
                Element::Interpolation(i) => out.push_str(&as_text(&self.eval(&i.expr, scope))),
                Element::Directive(_) => out.push_str("⟨directive⟩"),
            }
        }
        out
    }

    fn traversal(
        &self,
        root: &Expression,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        scope: &Scope,
    ) -> Value {
        let Expression::Variable(v) = root else {
            let base = self.eval(root, scope);
            return self.apply(base, ops, scope);
        };
        let name = v.as_str();
        if let Some(val) = lookup(scope, name) {
            return self.apply(val, ops, scope);
        }
        let attr = |i: usize| match ops.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str().to_string()),
            _ => None,
        };
        match name {
            "local" => {
                let l = attr(0).expect("local.<name>");
                self.apply(self.local(&l), &ops[1..], scope)
            }
            "var" => {
                let n = attr(0).expect("var.<name>");
                let base = match self.variables.get(&n) {
                    Some(Some(d)) => self.eval(d, &Vec::new()),
                    _ => unknown(&format!("var.{n}")),
                };
                self.apply(base, &ops[1..], scope)
            }
            "data" => {
                // Arguments of a data source's configuration are followed; what it reads stays a reference.
                let (Some(t), Some(n)) = (attr(0), attr(1)) else {
                    return unknown("data");
                };
                let base = format!("data.{t}.{n}");
                let block = self
                    .data
                    .iter()
                    .find(|b| label(b, 0) == t && label(b, 1) == n);
                match (block, attr(2)) {
                    (Some(b), Some(a)) => {
                        let read = self.data_values.get(&format!("{base}.{a}")).cloned();
                        let v = match (read, b.body.get_attribute(&a)) {
                            (Some(v), _) => v,
                            (None, Some(x)) => self.eval(&x.value, &Vec::new()),
                            (None, None) => unknown(&format!("{base}.{a}")),
                        };
                        self.apply(v, &ops[3..], scope)
                    }
                    _ => self.apply(unknown(&base), &ops[2..], scope),
                }
            }
            rtype if self.resources.iter().any(|b| label(b, 0) == rtype) => {
                let rname = attr(0).expect("resource reference");
                let block = self
                    .resources
                    .iter()
                    .find(|b| label(b, 0) == rtype && label(b, 1) == rname)
                    .unwrap_or_else(|| panic!("reference to undeclared {rtype}.{rname}"));
                let mut rest = &ops[1..];
                let mut text = format!("{rtype}.{rname}");
                let mut key = None;
                if let Some(TraversalOperator::Index(ix)) = rest.first().map(|o| o.value()) {
                    let k = as_text(&self.eval(ix, scope));
                    text.push_str(&format!("[{}]", Value::String(k.clone())));
                    key = Some(k);
                    rest = &rest[1..];
                }
                let Some(TraversalOperator::GetAttr(a)) = rest.first().map(|o| o.value()) else {
                    return unknown(&text);
                };
                let a = a.as_str();
                let scope_of = self.expand(block).into_iter().find(|(k, _)| *k == key);
                let (_, s) = scope_of.unwrap_or_else(|| panic!("{text}: no such instance"));
                // An argument set in the configuration is followed; a computed one stays a reference.
                let base = match block.body.get_attribute(a) {
                    Some(attr) => self.eval(&attr.value, &s),
                    None => unknown(&format!("{text}.{a}")),
                };
                self.apply(base, &rest[1..], scope)
            }
            _ => self.apply(unknown(name), ops, scope),
        }
    }

    fn apply(
        &self,
        mut val: Value,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        scope: &Scope,
    ) -> Value {
        for op in ops {
            val = match (op.value(), val) {
                (TraversalOperator::GetAttr(a), v) => match unknown_ref(&v) {
                    Some(r) => unknown(&format!("{r}.{}", a.as_str())),
                    None => match v {
                        Value::Object(m) => m.get(a.as_str()).cloned().unwrap_or(Value::Null),
                        other => panic!("attribute {} of non-object {other}", a.as_str()),
                    },
                },
                (TraversalOperator::Index(ix), v) => {
                    let k = self.eval(ix, scope);
                    index(v, &k)
                }
                (TraversalOperator::LegacyIndex(i), v) => index(v, &Value::from(*i.value())),
                (_, v) => unknown(&format!("{}[*]", unknown_ref(&v).unwrap_or("?"))),
            };
        }
        val
    }
}

fn index(v: Value, k: &Value) -> Value {
    if let Some(r) = unknown_ref(&v) {
        return unknown(&format!("{r}[{k}]"));
    }
    match (v, k) {
        (Value::Array(a), Value::Number(n)) => a[n.as_u64().unwrap() as usize].clone(),
        (Value::Object(m), Value::String(s)) => m.get(s).cloned().unwrap_or(Value::Null),
        (v, k) => panic!("cannot index {v} with {k}"),
    }
}

fn lookup(scope: &Scope, name: &str) -> Option<Value> {
    scope
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

fn label(b: &Block, i: usize) -> String {
    match &b.labels[i] {
        BlockLabel::Ident(x) => x.as_str().to_string(),
        BlockLabel::String(s) => s.value().to_string(),
    }
}

/// The functions the templates call; anything else (or unknown arguments) stays unknown.
fn call(name: &str, args: Vec<Value>, text: &str) -> Value {
    let known = args.iter().all(|a| unknown_ref(a).is_none());
    match (name, args.as_slice()) {
        ("concat", lists) if lists.iter().all(Value::is_array) => Value::Array(
            lists
                .iter()
                .flat_map(|l| l.as_array().unwrap().clone())
                .collect(),
        ),
        ("toset", [Value::Array(a)]) => {
            let mut v = a.clone();
            v.sort_by_key(|x| x.to_string());
            v.dedup();
            Value::Array(v)
        }
        ("tolist", [Value::Array(a)]) => Value::Array(a.clone()),
        ("join", [Value::String(sep), Value::Array(a)]) => {
            Value::String(a.iter().map(as_text).collect::<Vec<_>>().join(sep))
        }
        ("lower", [Value::String(s)]) if known => Value::String(s.to_lowercase()),
        ("startswith", [Value::String(s), Value::String(p)]) => Value::Bool(s.starts_with(p)),
        ("contains", [Value::Array(a), x]) if known => Value::Bool(a.contains(x)),
        ("length", [Value::Array(a)]) => a.len().into(),
        ("keys", [Value::Object(m)]) => {
            Value::Array(m.keys().cloned().map(Value::String).collect())
        }
        _ => unknown(text.trim()),
    }
}
