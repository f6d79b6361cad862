//! The overlay as users meet it after `aoaigen catalog import`: the schema its modeline names, and what
//! `plan` and `validate` say about facts that come from it.

use std::path::Path;
use std::process::Output;

use crate::cli::aoaigen;
use crate::commands::modeline_target;
use crate::common::root;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn samples() -> String {
    root()
        .join("tests/data/az/model-list")
        .display()
        .to_string()
}

fn import_into(cwd: &Path, out: &str) -> Output {
    let o = aoaigen(&["catalog", "import", &samples(), "--out", out], cwd);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    o
}

#[test]
fn the_overlay_modeline_names_a_schema_written_beside_it() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("specs")).unwrap();
    let o = import_into(d.path(), "specs/catalog.yaml");
    assert!(
        stderr(&o).contains("wrote specs/aoaigen-catalog.schema.json (editor completion)"),
        "{}",
        stderr(&o)
    );
    let overlay = d.path().join("specs/catalog.yaml");
    let schema_path = modeline_target(&overlay);
    let schema = std::fs::read_to_string(&schema_path).unwrap();
    let printed = aoaigen(&["schema", "--catalog"], d.path());
    assert_eq!(schema, String::from_utf8(printed.stdout).unwrap());
    // The overlay meets the schema its modeline names.
    let v = jsonschema::options()
        .build(&serde_json::from_str(&schema).unwrap())
        .unwrap();
    let doc = aoaigen::spec::yaml::load(&std::fs::read_to_string(&overlay).unwrap())
        .unwrap()
        .value;
    assert!(v.is_valid(&doc));
    // Nothing else was written; a second import finds the schema current.
    let mut names: Vec<String> = std::fs::read_dir(d.path().join("specs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["aoaigen-catalog.schema.json", "catalog.yaml"]);
    let o = import_into(d.path(), "specs/catalog.yaml");
    assert!(stderr(&o).contains("is up to date"), "{}", stderr(&o));
}

/// A schema file that differs is kept; a symlink in its place is not written through.
#[test]
fn an_existing_schema_file_or_symlink_is_left_alone() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("aoaigen-catalog.schema.json"), "{}").unwrap();
    let o = import_into(d.path(), "aoaigen-catalog.yaml");
    assert!(
        stderr(&o).contains("kept the existing aoaigen-catalog.schema.json: it differs from this aoaigen's schema (`aoaigen schema --catalog > aoaigen-catalog.schema.json` replaces it)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(d.path().join("aoaigen-catalog.schema.json")).unwrap(),
        "{}"
    );
    #[cfg(unix)]
    {
        let e = tempfile::tempdir().unwrap();
        let outside = e.path().join("elsewhere.json");
        std::os::unix::fs::symlink(&outside, e.path().join("aoaigen-catalog.schema.json")).unwrap();
        let o = import_into(e.path(), "aoaigen-catalog.yaml");
        assert!(!outside.exists(), "wrote through the symlink");
        assert!(stderr(&o).contains("kept the existing"), "{}", stderr(&o));
    }
}

/// An overlay's `capacity.default` is the capacity Azure gives a new deployment, not a quota: `plan` and
/// `validate` name it so for the overlay's regions and keep the quota wording where the embedded catalog
/// gives a default quota (gpt-5.1 in francecentral, which the samples do not import).
#[test]
fn overlay_default_capacity_is_not_called_a_quota() {
    let d = tempfile::tempdir().unwrap();
    import_into(d.path(), "aoaigen-catalog.yaml");
    let spec = "version: 1\nname: demo\nlocation: swedencentral\ncatalog: aoaigen-catalog.yaml\nmodels:\n  - model: gpt-6.5-nova\n    regions: [{ name: westus2, capacity: 400 }]\n  - model: gpt-5.1\n    regions: [{ name: francecentral, capacity: 5000 }]\n";
    std::fs::write(d.path().join("aoaigen.yaml"), spec).unwrap();
    let o = aoaigen(&["plan"], d.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    let overlay_warning = err
        .lines()
        .find(|l| l.contains("in westus2 is above"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        overlay_warning.starts_with("warning[capacity-above-default]:")
            && overlay_warning.contains("default capacity of a new deployment")
            && overlay_warning.contains("(250k TPM, from the overlay aoaigen-catalog.yaml dated ")
            && !overlay_warning.contains("quota"),
        "{overlay_warning}"
    );
    assert!(
        err.contains("warning[capacity-above-quota]: capacity 5000k TPM in francecentral is above the catalog's default quota of 1000k TPM"),
        "{err}"
    );
    let table = String::from_utf8_lossy(&o.stdout).into_owned();
    let row = |region: &str| {
        table
            .lines()
            .find(|l| l.starts_with(&format!("│ {region} ")))
            .unwrap_or_else(|| panic!("{table}"))
            .to_string()
    };
    let w = row("westus2");
    assert!(
        w.contains("250 (overlay default capacity)") && w.contains("150 above default capacity"),
        "{w}"
    );
    assert!(!w.contains("over by"), "{w}");
    assert!(row("francecentral").contains("over by 4000"), "{table}");
    assert!(
        table.contains("overlay default capacity: what Azure's model list gives a new deployment (`capacity.default`), not a quota"),
        "{table}"
    );
    let o = aoaigen(&["plan", "--format", "json"], d.path());
    let g: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let from = |scope: &str| {
        g["quota"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["scope"] == scope)
            .unwrap()["default_from"]
            .clone()
    };
    assert_eq!(from("westus2"), "overlay");
    assert_eq!(from("francecentral"), "catalog");
}

/// A region the overlay holds is the whole truth: gpt-5, which the embedded catalog offers in
/// swedencentral, is missing from the imported swedencentral list. The error says the overlay and its
/// import date are why, and how to re-import, instead of reading like a fact about Azure.
#[test]
fn a_model_missing_from_an_overlay_region_names_the_overlay() {
    let d = tempfile::tempdir().unwrap();
    let spec = "version: 1\nname: demo\nlocation: swedencentral\nmodels:\n  - model: gpt-5\n    regions: [swedencentral, westeurope]\n";
    std::fs::write(d.path().join("aoaigen.yaml"), spec).unwrap();
    let o = aoaigen(&["validate"], d.path());
    assert_eq!(
        o.status.code(),
        Some(0),
        "offered without the overlay: {}",
        stderr(&o)
    );

    import_into(d.path(), "aoaigen-catalog.yaml");
    std::fs::write(
        d.path().join("aoaigen.yaml"),
        format!("{spec}catalog: aoaigen-catalog.yaml\n"),
    )
    .unwrap();
    let o = aoaigen(&["validate"], d.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[region-lacks-model]: swedencentral does not offer gpt-5 2025-08-07 (GlobalStandard) according to the overlay aoaigen-catalog.yaml dated 2026-11-23: its model list for swedencentral, imported on 2026-11-23, does not list it"),
        "{err}"
    );
    assert!(
        err.contains("re-import the region into aoaigen-catalog.yaml: `az cognitiveservices model list --location swedencentral -o json > swedencentral.json`"),
        "{err}"
    );
    assert!(err.contains("aoaigen.yaml:6:15"), "at the region: {err}");
    // westeurope is not in the overlay: the embedded facts still place gpt-5 there, no error about it.
    assert!(!err.contains("westeurope does not offer"), "{err}");
}
