//! Which APIs a deployment is routed, smoke-tested and documented with when the embedded capability data
//! does not know its model: what `aoaigen catalog import` recorded from Azure's model list (the sample
//! gpt-6.5-nova-codex in tests/data/az/model-list/westus2.json has `chatCompletion: "false"` and
//! `responses: "true"`), or what the spec states for an `unlisted` model.

use std::path::Path;
use std::process::Output;

use crate::cli::aoaigen;
use crate::common::root;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn render_all(dir: &Path) {
    let o = aoaigen(&["render", "--target", "all", "--out", "gen"], dir);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// The generated README's row for `deployment` in the table of routes, and the smoke test's calls of it.
fn readme_row_and_calls(dir: &Path, target: &str, deployment: &str) -> (String, Vec<String>) {
    let readme = std::fs::read_to_string(dir.join(format!("gen/{target}/README.md"))).unwrap();
    let row = readme
        .lines()
        .find(|l| {
            l.starts_with(&format!("| `{deployment}` |"))
                && l.contains(&format!("| `/d/{deployment}/openai/v1/` |"))
        })
        .unwrap_or_else(|| panic!("{target}: no row for {deployment}:\n{readme}"))
        .to_string();
    let smoke =
        std::fs::read_to_string(dir.join(format!("gen/{target}/scripts/smoke-test.sh"))).unwrap();
    let calls = smoke
        .lines()
        .filter(|l| l.starts_with(&format!("call '{deployment}' ")))
        .map(str::to_string)
        .collect();
    (row, calls)
}

/// Asserts that `deployment` is documented and smoke-tested with the Responses API only.
fn responses_only(dir: &Path, deployment: &str) {
    for target in ["terraform", "bicep"] {
        let (row, calls) = readme_row_and_calls(dir, target, deployment);
        let cells: Vec<&str> = row.split(" | ").collect();
        assert_eq!(cells[2], "responses", "{target}: {row}");
        assert_eq!(calls.len(), 1, "{target}: {calls:?}");
        assert!(
            calls[0].starts_with(&format!("call '{deployment}' 'responses' ")),
            "{target}: {calls:?}"
        );
        let readme = std::fs::read_to_string(dir.join(format!("gen/{target}/README.md"))).unwrap();
        assert!(
            !readme.contains(&format!("/d/{deployment}/openai/v1/chat/completions")),
            "{target}: the README calls chat completions"
        );
    }
}

#[test]
fn an_imported_responses_only_model_gets_no_chat_calls() {
    let d = tempfile::tempdir().unwrap();
    let samples = root().join("tests/data/az/model-list");
    let o = aoaigen(&["catalog", "import", samples.to_str().unwrap()], d.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Read as plain YAML: what the file says, whatever the types reading it.
    let text = std::fs::read_to_string(d.path().join("aoaigen-catalog.yaml")).unwrap();
    let overlay = aoaigen::spec::yaml::load(&text).unwrap().value;
    let api_names = |m: &str| -> Vec<String> {
        let versions = &overlay["regions"]["westus2"]["models"][m]["versions"];
        let (_, v) = versions.as_object().unwrap().iter().next().unwrap();
        v["apis"]
            .as_array()
            .map(|a| a.iter().map(|x| x.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    assert_eq!(api_names("gpt-6.5-nova-codex"), ["responses"]);
    assert_eq!(api_names("gpt-6.5-nova"), ["chat_completions", "responses"]);
    assert_eq!(api_names("text-embedding-3-large"), ["embeddings"]);

    let spec = "version: 1\nname: demo\nlocation: swedencentral\ncatalog: aoaigen-catalog.yaml\nmodels:\n  - model: gpt-6.5-nova-codex\n    regions: [westus2]\n  - model: gpt-6.5-nova\n    regions: [westus2]\n";
    std::fs::write(d.path().join("aoaigen.yaml"), spec).unwrap();
    render_all(d.path());
    responses_only(d.path(), "gpt-6.5-nova-codex");
    // The model beside it keeps both APIs: the overlay's facts, not a blanket rule.
    let (row, calls) = readme_row_and_calls(d.path(), "terraform", "gpt-6.5-nova");
    assert!(row.contains("| chat_completions, responses |"), "{row}");
    assert!(calls[0].contains("'chat/completions'"), "{calls:?}");

    let o = aoaigen(&["plan", "--format", "json"], d.path());
    let g: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let pool = g["gateway"]["pools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["deployment"] == "gpt-6.5-nova-codex")
        .unwrap();
    assert_eq!(pool["apis"], serde_json::json!(["responses"]));
}

#[test]
fn an_unlisted_model_states_its_apis() {
    let d = tempfile::tempdir().unwrap();
    let base = "version: 1\nname: demo\nlocation: swedencentral\nmodels:\n  - model: gpt-7-codex\n    version: \"2026-12-01\"\n    unlisted: true\n    regions: [swedencentral]\n";
    std::fs::write(
        d.path().join("aoaigen.yaml"),
        format!("{base}    apis: [responses]\n"),
    )
    .unwrap();
    render_all(d.path());
    responses_only(d.path(), "gpt-7-codex");

    // Without `apis` the kind's defaults apply (a chat model: both APIs), as the schema says.
    std::fs::write(d.path().join("aoaigen.yaml"), base).unwrap();
    let o = aoaigen(&["plan", "--format", "json"], d.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let g: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        g["gateway"]["pools"][0]["apis"],
        serde_json::json!(["chat_completions", "responses"])
    );

    // `apis` on a model the catalog knows is an error at the field, not a silent override.
    std::fs::write(
        d.path().join("aoaigen.yaml"),
        "version: 1\nname: demo\nlocation: swedencentral\nmodels:\n  - model: gpt-5.1\n    apis: [responses]\n",
    )
    .unwrap();
    let o = aoaigen(&["validate"], d.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[apis-without-unlisted]") && err.contains("aoaigen.yaml:6:11"),
        "{err}"
    );
    // A name outside the list is a schema error naming the field.
    std::fs::write(
        d.path().join("aoaigen.yaml"),
        format!("{base}    apis: [chat]\n"),
    )
    .unwrap();
    let o = aoaigen(&["validate"], d.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("models[0].apis[0]"), "{err}");
}
