//! A small evaluator for a generated Bicep project, so tests can read what it *means* from its text.
//!
//! Input: `main.bicep` and the module files it instantiates (parsed with tree-sitter-bicep). Output: every
//! resource instance of every module instance, with its body evaluated to JSON: parameters bound from the
//! module call, variables, `for` loops over the literal data in main.bicep, `format()`, `concat()`,
//! conditionals. A value known only at deployment (a resource's ID, `uniqueString()`, a module output)
//! becomes a string holding the expression between `⟨` and `⟩`, with what is known inside it evaluated
//! (`⟨resourceId('Microsoft.Network/applicationGateways/frontendPorts', 'agw-x', 'port-443')⟩`), the same
//! convention as `tf_eval`, so checks can still see what a value refers to.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};
use tree_sitter::{Node, Tree};

use super::functions::{call, render};
use super::parse::{parse_tree, parts, text, unescape};

pub use crate::support::value::{DEPLOYER_OBJECT_ID, as_text, unknown, unknown_ref};

/// One module instance (main.bicep itself is the root, with an empty label).
#[derive(Debug, Clone)]
pub struct ModuleInstance {
    /// `symbol[index]` for a looped module, `symbol` otherwise; empty for main.bicep.
    pub label: String,
    pub symbol: String,
    pub file: String,
    /// The evaluated module body in main.bicep (`name`, `scope`, `params`).
    pub body: Map<String, Value>,
    pub depends_on: Vec<String>,
}

/// One resource instance.
#[derive(Debug, Clone)]
pub struct ResourceInstance {
    /// Label of the module instance that declares it (empty for main.bicep).
    pub module: String,
    pub file: String,
    pub symbol: String,
    pub rtype: String,
    pub api: String,
    pub existing: bool,
    /// Index in the resource's own `for` loop.
    pub index: Option<usize>,
    pub body: Map<String, Value>,
    pub depends_on: Vec<String>,
}

impl ResourceInstance {
    /// The value at a JSON pointer into the body (`/properties/networkAcls/defaultAction`), null when absent.
    pub fn at(&self, pointer: &str) -> Value {
        let body = Value::Object(self.body.clone());
        body.pointer(pointer).cloned().unwrap_or(Value::Null)
    }
}

pub struct BicepProject {
    files: BTreeMap<String, (String, Tree)>,
}

#[derive(Default)]
pub struct Evaluated {
    pub modules: Vec<ModuleInstance>,
    pub resources: Vec<ResourceInstance>,
}

type Scope = Vec<(String, Value)>;

struct Ctx<'p> {
    file: &'p str,
    src: &'p str,
    root: Node<'p>,
    params: Map<String, Value>,
    decls: HashMap<String, (&'static str, Node<'p>)>,
}

impl BicepProject {
    pub fn from_files(files: &BTreeMap<String, Vec<u8>>) -> Self {
        let files = files
            .iter()
            .filter(|(k, _)| k.ends_with(".bicep"))
            .map(|(k, v)| {
                let src = String::from_utf8(v.clone()).unwrap();
                let tree = parse_tree(&src);
                (k.clone(), (src, tree))
            })
            .collect();
        Self { files }
    }

    /// Evaluates main.bicep and every module instance it declares, with the deploying identity's object ID
    /// (`deployerObjectId`) bound as `DEPLOYER_OBJECT_ID`.
    pub fn evaluate(&self) -> Evaluated {
        let mut params = Map::new();
        params.insert(
            "deployerObjectId".into(),
            Value::String(DEPLOYER_OBJECT_ID.into()),
        );
        self.evaluate_with(params)
    }

    /// Evaluates main.bicep with these values of its parameters (others keep their defaults or stay unknown).
    pub fn evaluate_with(&self, params: Map<String, Value>) -> Evaluated {
        let mut out = Evaluated::default();
        let main = self.ctx("main.bicep", params);
        self.evaluate_file(&main, "", &mut out);
        out
    }

    fn ctx<'p>(&'p self, file: &'p str, params: Map<String, Value>) -> Ctx<'p> {
        let (src, tree) = self
            .files
            .get(file)
            .unwrap_or_else(|| panic!("no {file} in the project"));
        let root = tree.root_node();
        let mut decls = HashMap::new();
        for n in parts(root) {
            let kind = match n.kind() {
                "parameter_declaration" => "param",
                "variable_declaration" => "var",
                "resource_declaration" => "resource",
                "module_declaration" => "module",
                _ => continue,
            };
            if let Some(id) = parts(n).into_iter().find(|c| c.kind() == "identifier") {
                decls.insert(text(id, src).to_string(), (kind, n));
            }
        }
        Ctx {
            file,
            src,
            root,
            params,
            decls,
        }
    }

    fn evaluate_file(&self, cx: &Ctx, module: &str, out: &mut Evaluated) {
        for n in parts(cx.root) {
            let is_module = n.kind() == "module_declaration";
            if n.kind() != "resource_declaration" && !is_module {
                continue;
            }
            let p = parts(n);
            let symbol = text(
                p.iter()
                    .find(|c| c.kind() == "identifier")
                    .copied()
                    .unwrap(),
                cx.src,
            )
            .to_string();
            let decl = string_literal(
                p.iter().find(|c| c.kind() == "string").copied().unwrap(),
                cx.src,
            );
            let mut cursor = n.walk();
            let existing = n.children(&mut cursor).any(|c| c.kind() == "existing");
            let value = *p.last().unwrap();
            let looped = value.kind() == "for_statement";
            for (i, (scope, obj)) in self.instances(cx, value).into_iter().enumerate() {
                let depends_on = depends_on(obj, cx.src);
                let mut body = self.object(cx, obj, &scope);
                body.remove("dependsOn");
                let index = looped.then_some(i);
                if is_module {
                    let label = if looped {
                        format!("{symbol}[{i}]")
                    } else {
                        symbol.clone()
                    };
                    let params = body
                        .get("params")
                        .and_then(Value::as_object)
                        .cloned()
                        .unwrap_or_default();
                    out.modules.push(ModuleInstance {
                        label: label.clone(),
                        symbol: symbol.clone(),
                        file: decl.clone(),
                        body,
                        depends_on,
                    });
                    let mcx = self.ctx(self.files.get_key_value(decl.as_str()).unwrap().0, params);
                    self.evaluate_file(&mcx, &label, out);
                } else {
                    let (rtype, api) = decl.split_once('@').unwrap_or((&decl, ""));
                    out.resources.push(ResourceInstance {
                        module: module.to_string(),
                        file: cx.file.to_string(),
                        symbol: symbol.clone(),
                        rtype: rtype.to_string(),
                        api: api.to_string(),
                        existing,
                        index,
                        body,
                        depends_on,
                    });
                }
            }
        }
    }

    /// The body objects a resource or module value stands for, each with its loop scope.
    fn instances<'t>(&self, cx: &Ctx<'t>, value: Node<'t>) -> Vec<(Scope, Node<'t>)> {
        match value.kind() {
            "object" => vec![(Vec::new(), value)],
            "if_statement" => {
                let p = parts(value);
                match self.eval(cx, p[0], &Vec::new()) {
                    Value::Bool(true) => vec![(Vec::new(), p[1])],
                    Value::Bool(false) => vec![],
                    other => panic!("{}: condition not known: {other}", cx.file),
                }
            }
            "for_statement" => {
                let (vars, coll, body) = for_parts(value, cx.src);
                let items = match self.eval(cx, coll, &Vec::new()) {
                    Value::Array(a) => a,
                    other => panic!("{}: loop over unknown collection {other}", cx.file),
                };
                let mut out = Vec::new();
                for (i, item) in items.into_iter().enumerate() {
                    let mut s = vec![(vars[0].clone(), item)];
                    if let Some(ix) = vars.get(1) {
                        s.push((ix.clone(), i.into()));
                    }
                    match body.kind() {
                        "if_statement" => {
                            let p = parts(body);
                            if self.eval(cx, p[0], &s) == Value::Bool(true) {
                                out.push((s, p[1]));
                            }
                        }
                        _ => out.push((s, body)),
                    }
                }
                out
            }
            other => panic!("{}: unexpected declaration value {other}", cx.file),
        }
    }

    fn object(&self, cx: &Ctx, node: Node, scope: &Scope) -> Map<String, Value> {
        let mut m = Map::new();
        for prop in parts(node) {
            if prop.kind() != "object_property" {
                continue;
            }
            let p = parts(prop);
            if p.len() < 2 || p[0].kind() == "resource_declaration" {
                continue;
            }
            let key = match p[0].kind() {
                "string" => self
                    .eval(cx, p[0], scope)
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                _ => text(p[0], cx.src).to_string(),
            };
            let v = self.eval(cx, *p.last().unwrap(), scope);
            m.insert(key, v);
        }
        m
    }

    fn eval(&self, cx: &Ctx, n: Node, scope: &Scope) -> Value {
        let src = cx.src;
        let t = || {
            text(n, src)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        match n.kind() {
            "string" => self.string(cx, n, scope),
            "number" => text(n, src)
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| unknown(&t())),
            "boolean" => Value::Bool(text(n, src) == "true"),
            "null" => Value::Null,
            "array" => Value::Array(
                parts(n)
                    .into_iter()
                    .filter(|c| c.kind() != "decorators")
                    .map(|c| self.eval(cx, c, scope))
                    .collect(),
            ),
            "object" => Value::Object(self.object(cx, n, scope)),
            "parenthesized_expression" => self.eval(cx, parts(n)[0], scope),
            "identifier" => self.identifier(cx, text(n, src), scope),
            "member_expression" => {
                let obj = self.eval(cx, n.child_by_field_name("object").unwrap(), scope);
                let prop = text(n.child_by_field_name("property").unwrap(), src);
                if let Some(r) = unknown_ref(&obj) {
                    return unknown(&format!("{r}.{prop}"));
                }
                match obj {
                    Value::Object(m) => m.get(prop).cloned().unwrap_or(Value::Null),
                    Value::Null => Value::Null,
                    other => panic!("{}: .{prop} of {other}", cx.file),
                }
            }
            "subscript_expression" => {
                let obj_node = n.child_by_field_name("object").unwrap();
                let ix = self.eval(cx, n.child_by_field_name("index").unwrap(), scope);
                if let (Some(r), Value::Number(i)) = (self.looped_resource(cx, obj_node, &ix), &ix)
                {
                    return r[i.as_u64().unwrap() as usize].clone();
                }
                let obj = self.eval(cx, obj_node, scope);
                if let Some(r) = unknown_ref(&obj) {
                    return unknown(&format!("{r}[{}]", render(&ix)));
                }
                match (obj, &ix) {
                    (Value::Array(a), Value::Number(i)) => a[i.as_u64().unwrap() as usize].clone(),
                    (Value::Object(m), Value::String(k)) => {
                        m.get(k).cloned().unwrap_or(Value::Null)
                    }
                    (o, _) if unknown_ref(&ix).is_some() => {
                        unknown(&format!("{}[{}]", render(&o), render(&ix)))
                    }
                    (o, i) => panic!("{}: cannot index {o} with {i}", cx.file),
                }
            }
            "call_expression" => {
                let f = n.child_by_field_name("function").unwrap();
                let name = match f.kind() {
                    "member_expression" => text(f.child_by_field_name("property").unwrap(), src),
                    _ => text(f, src),
                };
                let args: Vec<Value> = parts(n.child_by_field_name("arguments").unwrap())
                    .into_iter()
                    .map(|a| self.eval(cx, a, scope))
                    .collect();
                call(name, args)
            }
            "ternary_expression" => {
                match self.eval(cx, n.child_by_field_name("condition").unwrap(), scope) {
                    Value::Bool(true) => {
                        self.eval(cx, n.child_by_field_name("consequence").unwrap(), scope)
                    }
                    Value::Bool(false) => {
                        self.eval(cx, n.child_by_field_name("alternative").unwrap(), scope)
                    }
                    _ => unknown(&t()),
                }
            }
            "unary_expression" => {
                let op = text(n.child_by_field_name("operator").unwrap(), src);
                match (
                    op,
                    self.eval(cx, n.child_by_field_name("argument").unwrap(), scope),
                ) {
                    ("!", Value::Bool(b)) => Value::Bool(!b),
                    ("-", Value::Number(x)) => (-x.as_i64().unwrap()).into(),
                    _ => unknown(&t()),
                }
            }
            "binary_expression" => {
                let op = text(n.child_by_field_name("operator").unwrap(), src);
                let l = self.eval(cx, n.child_by_field_name("left").unwrap(), scope);
                if op == "??" && unknown_ref(&l).is_none() {
                    return if l.is_null() {
                        self.eval(cx, n.child_by_field_name("right").unwrap(), scope)
                    } else {
                        l
                    };
                }
                let r = self.eval(cx, n.child_by_field_name("right").unwrap(), scope);
                if unknown_ref(&l).is_some() || unknown_ref(&r).is_some() {
                    return unknown(&t());
                }
                match op {
                    "==" => Value::Bool(l == r),
                    "!=" => Value::Bool(l != r),
                    "&&" => Value::Bool(l == Value::Bool(true) && r == Value::Bool(true)),
                    "||" => Value::Bool(l == Value::Bool(true) || r == Value::Bool(true)),
                    _ => unknown(&t()),
                }
            }
            "for_statement" => {
                let (vars, coll, body) = for_parts(n, src);
                let Value::Array(items) = self.eval(cx, coll, scope) else {
                    return unknown(&t());
                };
                let mut out = Vec::new();
                for (i, item) in items.into_iter().enumerate() {
                    let mut s = scope.clone();
                    s.push((vars[0].clone(), item));
                    if let Some(ix) = vars.get(1) {
                        s.push((ix.clone(), i.into()));
                    }
                    out.push(self.eval(cx, body, &s));
                }
                Value::Array(out)
            }
            _ => unknown(&t()),
        }
    }

    /// `sym[i]` of a looped resource: each instance named like a single resource's symbol.
    fn looped_resource(&self, cx: &Ctx, node: Node, ix: &Value) -> Option<Vec<Value>> {
        if node.kind() != "identifier" || !ix.is_number() {
            return None;
        }
        let Some(("resource", decl)) = cx.decls.get(text(node, cx.src)) else {
            return None;
        };
        let p = parts(*decl);
        let value = *p.last().unwrap();
        if value.kind() != "for_statement" {
            return None;
        }
        let rdecl = string_literal(
            p.iter().find(|c| c.kind() == "string").copied().unwrap(),
            cx.src,
        );
        let rtype = rdecl.split_once('@').map_or(rdecl.as_str(), |(t, _)| t);
        Some(
            self.instances(cx, value)
                .into_iter()
                .map(|(s, obj)| {
                    let n = property(obj, "name", cx.src).map(|v| self.eval(cx, v, &s));
                    unknown(&format!(
                        "{rtype}:{}",
                        Value::String(n.as_ref().map(as_text).unwrap_or_default())
                    ))
                })
                .collect(),
        )
    }

    fn identifier(&self, cx: &Ctx, name: &str, scope: &Scope) -> Value {
        if let Some((_, v)) = scope.iter().rev().find(|(n, _)| n == name) {
            return v.clone();
        }
        match cx.decls.get(name) {
            Some(("param", node)) => {
                if let Some(v) = cx.params.get(name) {
                    return v.clone();
                }
                let p = parts(*node);
                match p.iter().position(|c| c.kind() == "type") {
                    Some(i) if i + 1 < p.len() => self.eval(cx, p[i + 1], &Vec::new()),
                    _ => unknown(name),
                }
            }
            Some(("var", node)) => {
                let p = parts(*node);
                self.eval(cx, *p.last().unwrap(), &Vec::new())
            }
            Some(("resource", node)) => {
                // Known at deployment only; named by type and evaluated name so checks can tell what it is.
                let p = parts(*node);
                let decl = string_literal(
                    p.iter().find(|c| c.kind() == "string").copied().unwrap(),
                    cx.src,
                );
                let rtype = decl.split_once('@').map_or(decl.as_str(), |(t, _)| t);
                let body = *p.last().unwrap();
                match body.kind() {
                    "object" => {
                        let n =
                            property(body, "name", cx.src).map(|v| self.eval(cx, v, &Vec::new()));
                        unknown(&format!(
                            "{rtype}:{}",
                            Value::String(n.as_ref().map(as_text).unwrap_or_default())
                        ))
                    }
                    _ => unknown(name),
                }
            }
            Some(("module", node)) => {
                // A module's outputs, evaluated in an instance bound to the module's parameters.
                let p = parts(*node);
                let body = *p.last().unwrap();
                if body.kind() != "object" {
                    return unknown(name);
                }
                let path = string_literal(
                    p.iter().find(|c| c.kind() == "string").copied().unwrap(),
                    cx.src,
                );
                let params = property(body, "params", cx.src)
                    .map(|v| self.eval(cx, v, &Vec::new()))
                    .and_then(|v| v.as_object().cloned())
                    .unwrap_or_default();
                let key = self.files.get_key_value(path.as_str()).unwrap().0;
                let mcx = self.ctx(key, params);
                let mut outputs = Map::new();
                for o in parts(mcx.root)
                    .into_iter()
                    .filter(|o| o.kind() == "output_declaration")
                {
                    let op = parts(o);
                    let oname = text(
                        op.iter()
                            .find(|c| c.kind() == "identifier")
                            .copied()
                            .unwrap(),
                        mcx.src,
                    );
                    outputs.insert(
                        oname.to_string(),
                        self.eval(&mcx, *op.last().unwrap(), &Vec::new()),
                    );
                }
                serde_json::json!({ "outputs": outputs })
            }
            _ => unknown(name),
        }
    }

    fn string(&self, cx: &Ctx, n: Node, scope: &Scope) -> Value {
        let raw = text(n, cx.src);
        if raw.starts_with("'''") {
            return Value::String(string_literal(n, cx.src));
        }
        let mut out = String::new();
        let mut cursor = n.walk();
        let inner = &raw[1..raw.len() - 1];
        let base = n.start_byte() + 1;
        let mut last = 0;
        for c in n
            .named_children(&mut cursor)
            .filter(|c| c.kind() == "interpolation")
        {
            out.push_str(&unescape(&inner[last..c.start_byte() - base]));
            out.push_str(&as_text(&self.eval(cx, parts(c)[0], scope)));
            last = c.end_byte() - base;
        }
        out.push_str(&unescape(&inner[last..]));
        Value::String(out)
    }
}

/// Loop variables, collection and body of a `for_statement`.
fn for_parts<'t>(n: Node<'t>, src: &str) -> (Vec<String>, Node<'t>, Node<'t>) {
    let body = n.child_by_field_name("body").unwrap();
    let init = n.child_by_field_name("initializer");
    let mut vars = Vec::new();
    let mut coll = None;
    for c in parts(n) {
        if Some(c) == init {
            vars.push(text(c, src).to_string());
        } else if c.kind() == "for_loop_parameters" {
            vars.extend(parts(c).into_iter().map(|v| text(v, src).to_string()));
        } else if c != body && coll.is_none() {
            coll = Some(c);
        }
    }
    (vars, coll.expect("for collection"), body)
}

/// The value node of property `key` of an object node.
fn property<'t>(obj: Node<'t>, key: &str, src: &str) -> Option<Node<'t>> {
    parts(obj).into_iter().find_map(|prop| {
        let p = parts(prop);
        (p.len() == 2 && text(p[0], src) == key).then(|| p[1])
    })
}

/// `dependsOn: [a, b]` of a declaration body, as written.
fn depends_on(obj: Node, src: &str) -> Vec<String> {
    for prop in parts(obj) {
        let p = parts(prop);
        if p.len() == 2 && text(p[0], src) == "dependsOn" {
            return parts(p[1])
                .into_iter()
                .map(|d| text(d, src).to_string())
                .collect();
        }
    }
    Vec::new()
}

fn string_literal(n: Node, src: &str) -> String {
    let raw = text(n, src);
    match raw.strip_prefix("'''").and_then(|s| s.strip_suffix("'''")) {
        Some(m) => m.strip_prefix('\n').unwrap_or(m).to_string(),
        None => unescape(&raw[1..raw.len() - 1]),
    }
}
