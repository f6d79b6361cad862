//! The ARM template functions the Bicep evaluator (`eval`) computes before deployment: `concat()`,
//! `format()`, `union()`, `contains()`, ... on known values. Any other call, or one over values known only at
//! deployment, stays an unknown value (`⟨name(args)⟩`) holding the call's text.

use serde_json::{Map, Value};

use crate::support::value::{as_text, unknown, unknown_ref};

/// A value as an argument inside an unknown call's text.
pub(super) fn render(v: &Value) -> String {
    match (unknown_ref(v), v) {
        (Some(r), _) => r.to_string(),
        (None, Value::String(s)) => format!("'{s}'"),
        (None, other) => other.to_string(),
    }
}

/// An ARM template function applied to evaluated arguments; one it does not know, or cannot compute from
/// what is known before deployment, is an unknown value showing the call.
pub(super) fn call(name: &str, args: Vec<Value>) -> Value {
    let known = args.iter().all(|a| unknown_ref(a).is_none());
    match (name, args.as_slice()) {
        ("any", [x]) => x.clone(),
        ("concat", xs) if xs.iter().all(Value::is_array) => Value::Array(
            xs.iter()
                .flat_map(|x| x.as_array().unwrap().clone())
                .collect(),
        ),
        ("format", [Value::String(f), rest @ ..]) => {
            let mut s = f.clone();
            for (i, a) in rest.iter().enumerate() {
                s = s.replace(&format!("{{{i}}}"), &as_text(a));
            }
            Value::String(s)
        }
        ("union", xs) if known && xs.iter().all(Value::is_object) => {
            let mut m = Map::new();
            for x in xs {
                m.extend(x.as_object().unwrap().clone());
            }
            Value::Object(m)
        }
        ("empty", [Value::Array(a)]) => Value::Bool(a.is_empty()),
        ("empty", [Value::String(s)]) => Value::Bool(s.is_empty()),
        ("length", [Value::Array(a)]) => a.len().into(),
        ("toLower", [Value::String(s)]) if known => Value::String(s.to_lowercase()),
        ("contains", [Value::Array(a), x]) if known => Value::Bool(a.contains(x)),
        _ => unknown(&format!(
            "{name}({})",
            args.iter().map(render).collect::<Vec<_>>().join(", ")
        )),
    }
}
