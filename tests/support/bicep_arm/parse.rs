//! Bicep source -> the ARM resource bodies `bicep build` would emit, as far as they are known before deployment.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};
use tree_sitter::{Node, Parser, Tree};

/// Matches the ARM expression pattern `^\[([^\[].*)?\]$`, so the schemas' expression branch accepts it.
pub const SENTINEL: &str = "[bicep-expression]";

/// `parent:` only wires up the Bicep symbol; ARM never sees it.
const META_KEYS: &[&str] = &["parent"];
/// Bicep rejects assignments to these (BCP073); the checker supplies type and apiVersion itself.
pub const READ_ONLY_KEYS: &[&str] = &["type", "apiVersion", "id"];

pub fn parse_tree(src: &str) -> Tree {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_bicep::LANGUAGE.into())
        .expect("tree-sitter-bicep grammar ABI is supported by the tree-sitter crate");
    parser
        .parse(src, None)
        .expect("no timeout or cancellation flag is set, so parsing always yields a tree")
}

pub(super) fn text<'s>(node: Node, src: &'s str) -> &'s str {
    &src[node.byte_range()]
}

fn line_of(node: Node) -> usize {
    node.start_position().row + 1
}

/// Named children minus comments, which tree-sitter attaches anywhere as extras.
pub(super) fn parts(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| !matches!(c.kind(), "comment" | "diagnostic_comment"))
        .collect()
}

pub fn escape_pointer(seg: &str) -> String {
    seg.replace('~', "~0").replace('/', "~1")
}

enum StrVal {
    Literal(String),
    Interpolated,
}

fn has_interpolation(raw: &str) -> bool {
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'$' if b.get(i + 1) == Some(&b'{') => return true,
            _ => i += 1,
        }
    }
    false
}

pub(super) fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let esc = &rest[i + 1..];
        let decoded = match esc.chars().next() {
            Some('n') => Some(('\n', 1)),
            Some('r') => Some(('\r', 1)),
            Some('t') => Some(('\t', 1)),
            Some(c @ ('\\' | '\'' | '$')) => Some((c, 1)),
            Some('u') => esc
                .strip_prefix("u{")
                .and_then(|h| h.split_once('}'))
                .and_then(|(hex, _)| {
                    let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                    Some((c, hex.len() + 3))
                }),
            _ => None,
        };
        match decoded {
            Some((c, used)) => {
                out.push(c);
                rest = &esc[used..];
            }
            None => {
                out.push('\\');
                rest = esc;
            }
        }
    }
    out.push_str(rest);
    out
}

fn string_value(node: Node, src: &str) -> StrVal {
    let t = text(node, src);
    if let Some(inner) = t.strip_prefix("'''").and_then(|s| s.strip_suffix("'''")) {
        // Multi-line strings have neither escapes nor interpolation; Bicep drops the newline after the opening '''.
        let inner = inner
            .strip_prefix("\r\n")
            .or_else(|| inner.strip_prefix('\n'))
            .unwrap_or(inner);
        return StrVal::Literal(inner.to_string());
    }
    let raw = t
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .unwrap_or(t);
    if has_interpolation(raw) {
        StrVal::Interpolated
    } else {
        StrVal::Literal(unescape(raw))
    }
}

/// `bicep build` escapes a literal that looks like an ARM expression as `[[...]`.
fn literal_string(s: String) -> Value {
    let b = s.as_bytes();
    let looks_like_expr =
        b.len() >= 2 && b[0] == b'[' && b[b.len() - 1] == b']' && (b.len() == 2 || b[1] != b'[');
    Value::String(if looks_like_expr { format!("[{s}") } else { s })
}

fn key_name(node: Node, src: &str) -> Option<String> {
    match node.kind() {
        "string" => match string_value(node, src) {
            StrVal::Literal(s) => Some(s),
            StrVal::Interpolated => None, // computed key: its name is unknown before deployment
        },
        _ => Some(text(node, src).to_string()),
    }
}

/// One resource body as converted for one side of every `?:`.
#[derive(Debug, Clone)]
pub struct Built {
    pub value: Value,
    /// JSON pointer -> source line of the key (or of the object literal) that produced it.
    pub lines: HashMap<String, usize>,
    /// JSON pointers of arrays made by a `for` loop: their real length is unknown.
    pub loop_arrays: HashSet<String>,
}

struct Conv<'s> {
    src: &'s str,
    false_branch: bool,
    saw_conditional: bool,
    lines: HashMap<String, usize>,
    loop_arrays: HashSet<String>,
}

impl Conv<'_> {
    /// `None` is Bicep `null`, which ARM treats as an absent property.
    fn conv(&mut self, node: Node, path: &str) -> Option<Value> {
        let src = self.src;
        match node.kind() {
            "object" => Some(Value::Object(self.object(node, path))),
            "array" => {
                let items = parts(node)
                    .into_iter()
                    .enumerate()
                    .map(|(i, n)| self.conv(n, &format!("{path}/{i}")).unwrap_or(Value::Null))
                    .collect();
                Some(Value::Array(items))
            }
            "string" => Some(match string_value(node, src) {
                StrVal::Literal(s) => literal_string(s),
                StrVal::Interpolated => Value::String(SENTINEL.into()),
            }),
            "number" => Some(
                text(node, src)
                    .parse::<i64>()
                    .map(Value::from)
                    .unwrap_or_else(|_| SENTINEL.into()),
            ),
            "boolean" => Some(Value::Bool(text(node, src) == "true")),
            "null" => None,
            "for_statement" => {
                let item_path = format!("{path}/0");
                let item = node
                    .child_by_field_name("body")
                    .and_then(|b| self.conv(b, &item_path));
                self.loop_arrays.insert(path.to_string());
                Some(Value::Array(item.into_iter().collect()))
            }
            // Only a property-level `if` reaches here, which Bicep rejects; convert its object anyway.
            "if_statement" => self.conv(parts(node).into_iter().last()?, path),
            "parenthesized_expression" => self.conv(parts(node).into_iter().next()?, path),
            "ternary_expression" => {
                self.saw_conditional = true;
                let field = if self.false_branch {
                    "alternative"
                } else {
                    "consequence"
                };
                let side = node.child_by_field_name(field)?;
                self.conv(side, path)
            }
            "unary_expression" => {
                let op = node.child_by_field_name("operator").map(|o| text(o, src));
                let arg = node.child_by_field_name("argument");
                match (op, arg) {
                    (Some("-"), Some(a)) if a.kind() == "number" => Some(
                        text(a, src)
                            .parse::<i64>()
                            .map(|n| Value::from(-n))
                            .unwrap_or_else(|_| SENTINEL.into()),
                    ),
                    _ => Some(SENTINEL.into()),
                }
            }
            "call_expression" => {
                // any(x) only silences Bicep's type checker; ARM receives x unchanged.
                let is_any = node
                    .child_by_field_name("function")
                    .is_some_and(|f| text(f, src) == "any");
                let arg = node
                    .child_by_field_name("arguments")
                    .and_then(|a| parts(a).into_iter().next());
                match (is_any, arg) {
                    (true, Some(a)) => self.conv(a, path),
                    _ => Some(SENTINEL.into()),
                }
            }
            _ => Some(SENTINEL.into()),
        }
    }

    fn object(&mut self, node: Node, path: &str) -> Map<String, Value> {
        self.lines
            .entry(path.to_string())
            .or_insert_with(|| line_of(node));
        let mut out = Map::new();
        for prop in parts(node) {
            if prop.kind() != "object_property" {
                continue;
            }
            let p = parts(prop);
            let (Some(k), Some(v)) = (p.first(), p.last()) else {
                continue;
            };
            if p.len() < 2 || k.kind() == "resource_declaration" {
                continue; // nested child resources are checked as resources of their own
            }
            let Some(name) = key_name(*k, self.src) else {
                continue;
            };
            let child = format!("{path}/{}", escape_pointer(&name));
            self.lines.insert(child.clone(), line_of(*k));
            if let Some(val) = self.conv(*v, &child) {
                out.insert(name, val);
            }
        }
        out
    }
}

/// One `resource` declaration, flattened out of loops, conditions and parent bodies.
#[derive(Debug)]
pub struct Resource {
    pub symbol: String,
    pub rtype: String,
    pub api: String,
    pub existing: bool,
    pub line: usize,
    /// The true-branch body, plus the false-branch body when a `?:` occurs; Err when the body is not an object.
    pub bodies: Result<Vec<Built>, String>,
    /// Keys that must not appear in a Bicep body, with their lines.
    pub read_only: Vec<(usize, String)>,
}

fn unwrap_body(mut node: Node) -> Node {
    loop {
        node = match node.kind() {
            "for_statement" => match node.child_by_field_name("body") {
                Some(b) => b,
                None => return node,
            },
            "if_statement" => match parts(node).into_iter().last() {
                Some(b) => b,
                None => return node,
            },
            _ => return node,
        };
    }
}

fn build_bodies(body: Node, src: &str) -> Vec<Built> {
    let mut out = Vec::new();
    for false_branch in [false, true] {
        let mut conv = Conv {
            src,
            false_branch,
            saw_conditional: false,
            lines: HashMap::new(),
            loop_arrays: HashSet::new(),
        };
        let mut map = conv.object(body, "");
        map.retain(|k, _| {
            !META_KEYS.contains(&k.as_str()) && !READ_ONLY_KEYS.contains(&k.as_str())
        });
        out.push(Built {
            value: Value::Object(map),
            lines: conv.lines,
            loop_arrays: conv.loop_arrays,
        });
        if !conv.saw_conditional {
            break;
        }
    }
    out
}

fn child_type(parent_type: &str, parent_api: &str, decl: &str) -> (String, String) {
    let (t, api) = decl.split_once('@').unwrap_or((decl, ""));
    let qualified = t.split_once('/').is_some_and(|(ns, _)| ns.contains('.'));
    let full = if qualified {
        t.to_string()
    } else {
        format!("{parent_type}/{t}")
    };
    let api = if api.is_empty() { parent_api } else { api };
    (full, api.to_string())
}

fn collect_decl(
    decl: Node,
    src: &str,
    parent: Option<(&str, &str, &str)>,
    out: &mut Vec<Resource>,
) {
    let p = parts(decl);
    let (Some(sym), Some(tnode), Some(value)) = (
        p.iter().find(|n| n.kind() == "identifier"),
        p.iter().find(|n| n.kind() == "string"),
        p.last(),
    ) else {
        return;
    };
    let declared = match string_value(*tnode, src) {
        StrVal::Literal(s) => s,
        StrVal::Interpolated => return,
    };
    let (symbol, rtype, api) = match parent {
        Some((pt, pa, ps)) => {
            let (t, a) = child_type(pt, pa, &declared);
            (format!("{ps}::{}", text(*sym, src)), t, a)
        }
        None => {
            let (t, a) = declared.split_once('@').unwrap_or((&declared, ""));
            (text(*sym, src).to_string(), t.to_string(), a.to_string())
        }
    };
    let mut cursor = decl.walk();
    let existing = decl.children(&mut cursor).any(|c| c.kind() == "existing");
    let body = unwrap_body(*value);
    let (bodies, read_only) = if body.kind() == "object" {
        let read_only = parts(body)
            .into_iter()
            .filter_map(|prop| {
                let k = *parts(prop).first()?;
                let name = key_name(k, src)?;
                READ_ONLY_KEYS
                    .contains(&name.as_str())
                    .then(|| (line_of(k), name))
            })
            .collect();
        (Ok(build_bodies(body, src)), read_only)
    } else {
        let msg = "resource body is not an object literal; not checked".to_string();
        (Err(msg), Vec::new())
    };
    out.push(Resource {
        symbol: symbol.clone(),
        rtype: rtype.clone(),
        api: api.clone(),
        existing,
        line: line_of(decl),
        bodies,
        read_only,
    });
    if body.kind() == "object" {
        for prop in parts(body) {
            if let Some(child) = parts(prop)
                .first()
                .filter(|c| c.kind() == "resource_declaration")
            {
                collect_decl(*child, src, Some((&rtype, &api, &symbol)), out);
            }
        }
    }
}

/// Every resource declaration of a file (top level and nested), in source order.
pub fn collect(src: &str) -> Vec<Resource> {
    let tree = parse_tree(src);
    let mut out = Vec::new();
    for node in parts(tree.root_node()) {
        if node.kind() == "resource_declaration" {
            collect_decl(node, src, None, &mut out);
        }
    }
    out.sort_by_key(|r| r.line);
    out
}
