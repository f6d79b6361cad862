//! The value conventions `tf_eval` and `bicep_arm::eval` share: JSON values, with a value known only when
//! deployed written as the expression it comes from between `⟨` and `⟩`.

use serde_json::Value;

/// The object ID both evaluators give the deploying identity: Terraform knows the caller
/// (`data.azurerm_client_config.current.object_id`) when it plans, and Bicep takes it as the
/// `deployerObjectId` parameter. A value no spec in the suite lists, unless a test says so.
pub const DEPLOYER_OBJECT_ID: &str = "dec0de00-0000-4000-8000-00000000d001";

/// A value known only when deployed, e.g. `⟨azurerm_public_ip.gateway.ip_address⟩`.
pub fn unknown(text: &str) -> Value {
    Value::String(format!("⟨{text}⟩"))
}

/// The reference inside an unknown value, if `v` is one.
pub fn unknown_ref(v: &Value) -> Option<&str> {
    v.as_str()?.strip_prefix('⟨')?.strip_suffix('⟩')
}

/// A value as it appears inside a string template or interpolation.
pub fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        other => format!("⟨{other}⟩"),
    }
}

/// The (key, value) pairs a loop iterates: an object's entries, or a list's (index, item).
pub fn loop_items(v: Value) -> Option<Vec<(Value, Value)>> {
    match v {
        Value::Object(m) => Some(m.into_iter().map(|(k, v)| (Value::String(k), v)).collect()),
        Value::Array(a) => Some(
            a.into_iter()
                .enumerate()
                .map(|(i, x)| (i.into(), x))
                .collect(),
        ),
        _ => None,
    }
}
