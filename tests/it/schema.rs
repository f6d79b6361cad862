//! The published JSON Schema: committed copy is current, documents every field, and accepts the examples.

use serde_json::Value;

use crate::cli::{aoaigen, render_terraform};
use crate::common::{examples, root};

#[test]
fn committed_schema_is_current() {
    let committed = std::fs::read_to_string(root().join("schema/aoaigen.schema.json")).unwrap();
    let o = aoaigen(&["schema"], &root());
    assert_eq!(o.status.code(), Some(0));
    assert!(
        committed == String::from_utf8(o.stdout).unwrap(),
        "schema/aoaigen.schema.json is stale: run `cargo run -- schema > schema/aoaigen.schema.json`"
    );
}

/// Every property has a description and an example, and a default unless it is required.
#[test]
fn every_field_is_documented() {
    fn walk(node: &Value, path: &str, missing: &mut Vec<String>) {
        let Some(obj) = node.as_object() else { return };
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            let required: Vec<&str> = obj
                .get("required")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for (k, v) in props {
                for field in ["description", "examples", "default"] {
                    if field == "default" && required.contains(&k.as_str()) {
                        continue;
                    }
                    if v.get(field).is_none() {
                        missing.push(format!("{path}/{k}: {field}"));
                    }
                }
                walk(v, &format!("{path}/{k}"), missing);
            }
        }
        for key in ["anyOf", "oneOf"] {
            for (i, v) in obj
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                walk(v, &format!("{path}/{key}/{i}"), missing);
            }
        }
        if let Some(items) = obj.get("items") {
            walk(items, &format!("{path}[]"), missing);
        }
    }
    let mut missing = Vec::new();
    walk(aoaigen::spec::schema::schema_json(), "", &mut missing);
    assert!(
        missing.is_empty(),
        "undocumented schema fields:\n{}",
        missing.join("\n")
    );
}

#[test]
fn examples_carry_the_modeline_and_match_the_schema() {
    let validator = jsonschema::validator_for(aoaigen::spec::schema::schema_json()).unwrap();
    for ex in examples() {
        let text = std::fs::read_to_string(root().join(format!("examples/{ex}.yaml"))).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=../schema/aoaigen.schema.json\n"),
            "{ex} lacks the modeline"
        );
        let doc = aoaigen::spec::yaml::load(&text).unwrap().value;
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{ex}: {errors:?}");
    }
}

#[test]
fn init_writes_a_starter_spec_that_validates_and_renders() {
    let dir = tempfile::tempdir().unwrap();
    let o = aoaigen(&["init", "--out", "aoai.yaml"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    let o = render_terraform(dir.path(), "gen", &["--deny-warnings"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(dir.path().join("gen/main.tf").exists() || dir.path().join("gen/gateway.tf").exists());
    // A second init must not overwrite the user's spec.
    let o = aoaigen(&["init", "--out", "aoai.yaml"], dir.path());
    assert_eq!(o.status.code(), Some(1));
}

/// Every checkov check CI tolerates is justified in the README with the same reason.
#[test]
fn checkov_skip_list_is_documented() {
    let skips = std::fs::read_to_string(root().join(".ci/checkov-skip.txt")).unwrap();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut n = 0;
    for line in skips
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (id, reason) = line.split_once(char::is_whitespace).unwrap();
        let row = format!("| {id} | {} |", reason.trim());
        assert!(readme.contains(&row), "README lacks the row `{row}`");
        n += 1;
    }
    assert!(
        n > 0 && readme.matches("| CKV").count() == n,
        "README and .ci/checkov-skip.txt list different checks"
    );
}
