//! The commands a new user meets first: `catalog regions --model`, `init` with its schema, and `validate`
//! over several files (one JSON document) or with `--deny-warnings`.

use std::path::Path;

use crate::cli::aoaigen;
use crate::common::{TODAY, root};

fn out(o: &std::process::Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The first column of every body row of a comfy-table.
fn first_cells(table: &str) -> Vec<String> {
    table
        .lines()
        .filter(|l| l.starts_with('│'))
        .skip(1)
        .map(|l| {
            l.trim_start_matches('│')
                .split(['┆', '│'])
                .next()
                .unwrap()
                .trim()
                .to_string()
        })
        .collect()
}

#[test]
fn catalog_regions_with_a_model_lists_only_the_regions_offering_it() {
    let c = aoaigen::catalog::embedded();
    let today: jiff::civil::Date = TODAY.parse().unwrap();
    // Independent of the command: the regions where the model's live versions have a spec SKU.
    let offering = |model: &str| -> Vec<String> {
        let mut v: Vec<String> = c.models[model]
            .versions
            .values()
            .filter(|v| v.lifecycle_on(today) != aoaigen::catalog::Lifecycle::Retired)
            .flat_map(|v| {
                ["GlobalStandard", "DataZoneStandard", "Standard"]
                    .iter()
                    .filter_map(|s| v.skus.get(*s))
                    .flat_map(|s| s.regions.clone())
                    .collect::<Vec<_>>()
            })
            .collect();
        v.sort();
        v.dedup();
        v
    };
    // A model offered in Sweden Central but not everywhere, so that the filter shows.
    let model = c
        .models
        .keys()
        .find(|m| {
            let r = offering(m);
            r.len() < c.regions.len() && r.iter().any(|x| x == "swedencentral")
        })
        .expect("a model offered in some regions only")
        .clone();
    let model = model.as_str();
    let expected = offering(model);
    let all = out(&aoaigen(&["catalog", "regions"], &root())).0;
    let o = aoaigen(&["catalog", "regions", "--model", model], &root());
    assert_eq!(o.status.code(), Some(0));
    let (text, _) = out(&o);
    assert_ne!(text, all, "--model is ignored");
    let mut listed = first_cells(&text);
    listed.sort();
    listed.dedup();
    assert_eq!(listed, expected);
    // With the SKUs and their default quota.
    let sweden = text.lines().find(|l| l.contains("swedencentral")).unwrap();
    for sku in c.models[model].versions.values().flat_map(|v| {
        v.skus
            .iter()
            .filter(|(_, s)| s.regions.iter().any(|r| r == "swedencentral"))
            .map(|(k, _)| k.clone())
    }) {
        if ["GlobalStandard", "DataZoneStandard", "Standard"].contains(&sku.as_str()) {
            assert!(sweden.contains(&sku), "{sku} missing: {sweden}");
        }
    }

    // --region narrows it to one row; a region without the model is an error naming the way out.
    let one = out(&aoaigen(
        &[
            "catalog",
            "regions",
            "--model",
            model,
            "--region",
            "Sweden Central",
        ],
        &root(),
    ))
    .0;
    assert_eq!(first_cells(&one), ["swedencentral"]);
    let missing = c
        .regions
        .iter()
        .find(|r| !expected.contains(&r.name))
        .unwrap();
    let o = aoaigen(
        &[
            "catalog",
            "regions",
            "--model",
            model,
            "--region",
            &missing.name,
        ],
        &root(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).1.contains("is not offered in"), "{}", out(&o).1);
}

#[test]
fn catalog_regions_with_an_unknown_model_fails_with_a_suggestion() {
    let o = aoaigen(&["catalog", "regions", "--model", "gpt-5.4-mnii"], &root());
    assert_eq!(o.status.code(), Some(1));
    let (stdout, stderr) = out(&o);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("unknown model `gpt-5.4-mnii`; did you mean `gpt-5.4-mini`?"),
        "{stderr}"
    );
}

/// The path after `$schema=` in the spec's modeline, resolved as editors do: against the spec's directory.
/// (The catalog overlay's modeline too.)
pub fn modeline_target(spec: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(spec).unwrap();
    let first = text.lines().next().unwrap();
    let rel = first
        .strip_prefix("# yaml-language-server: $schema=")
        .unwrap_or_else(|| panic!("no modeline on the first line: {first}"));
    assert!(
        !rel.contains("://"),
        "the modeline must not need a web site: {rel}"
    );
    spec.parent().unwrap().join(rel)
}

#[test]
fn init_writes_a_valid_spec_whose_schema_modeline_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let o = aoaigen(&["init"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", out(&o).1);
    let spec = dir.path().join("aoaigen.yaml");
    assert!(spec.is_file(), "init writes aoaigen.yaml by default");
    let schema = modeline_target(&spec);
    assert_eq!(
        std::fs::read_to_string(&schema).unwrap(),
        aoaigen::spec::schema::schema_text(),
        "the modeline names the spec's JSON Schema"
    );
    // With the default name, the commands need no --spec; the starter validates without warnings.
    let v = aoaigen(&["validate", "--deny-warnings"], dir.path());
    assert_eq!(v.status.code(), Some(0), "{}", out(&v).1);

    // A second spec in the same directory keeps the schema, names itself in its header, and never
    // overwrites a file.
    let o = aoaigen(&["init", "--out", "prod.yaml"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", out(&o).1);
    let prod = std::fs::read_to_string(dir.path().join("prod.yaml")).unwrap();
    assert!(prod.contains("aoaigen validate --spec prod.yaml"), "{prod}");
    assert!(!prod.contains("aoaigen.yaml"), "{prod}");
    assert!(out(&o).1.contains("is up to date"), "{}", out(&o).1);
    let o = aoaigen(&["init", "--out", "prod.yaml"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).1.contains("already exists"));
}

/// A dangling symlink where the spec would go is not followed (the write would land outside).
#[cfg(unix)]
#[test]
fn init_does_not_write_through_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("elsewhere.yaml");
    std::os::unix::fs::symlink(&target, dir.path().join("aoaigen.yaml")).unwrap();
    let o = aoaigen(&["init"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(!target.exists(), "init wrote through the symlink");
}

/// An existing schema file that differs (someone's own, or from another version) is kept, and said so.
#[test]
fn init_keeps_a_different_schema_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("aoaigen.schema.json"), "{}").unwrap();
    let o = aoaigen(&["init"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("aoaigen.schema.json")).unwrap(),
        "{}"
    );
    assert!(out(&o).1.contains("kept the existing"), "{}", out(&o).1);
}

#[test]
fn validate_json_of_several_files_is_one_document() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.yaml"), "version: 1\nname: x\n").unwrap();
    let good = root().join("examples/minimal.yaml");
    let o = aoaigen(
        &[
            "validate",
            "--format",
            "json",
            good.to_str().unwrap(),
            "bad.yaml",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let (stdout, _) = out(&o);
    let doc: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not one JSON document ({e}):\n{stdout}"));
    assert_eq!(doc["valid"], false);
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["valid"], true);
    assert_eq!(files[0]["errors"], 0);
    assert_eq!(files[1]["file"], "bad.yaml");
    assert_eq!(files[1]["valid"], false);
    assert!(files[1]["errors"].as_u64().unwrap() >= 1);

    // One file: the same shape, so a tool reads one format whatever pre-commit passes.
    let o = aoaigen(&["validate", "--format", "json", "bad.yaml"], dir.path());
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["files"].as_array().unwrap().len(), 1);
}

#[test]
fn deny_warnings_says_the_warnings_were_treated_as_errors() {
    let dir = tempfile::tempdir().unwrap();
    let spec = "version: 1\nname: demo\nlocation: swedencentral\nmodels:\n  - model: gpt-5.1\n    regions: [swedencentral]\naccess:\n  local_auth: true\n";
    std::fs::write(dir.path().join("aoaigen.yaml"), spec).unwrap();
    let o = aoaigen(&["validate"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", out(&o).1);
    assert!(!out(&o).1.contains("treated as error"));
    for args in [
        &["validate", "--deny-warnings"][..],
        &["render", "--target", "bicep", "--deny-warnings"][..],
    ] {
        let o = aoaigen(args, dir.path());
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let (_, stderr) = out(&o);
        let line = stderr
            .lines()
            .find(|l| l.starts_with("error: aoaigen.yaml: "))
            .unwrap_or_else(|| panic!("{args:?}: {stderr}"));
        assert!(
            line.ends_with("treated as errors (--deny-warnings)")
                || line.ends_with("1 warning treated as error (--deny-warnings)"),
            "{line}"
        );
    }
    let o = aoaigen(
        &["validate", "--deny-warnings", "--format", "json"],
        dir.path(),
    );
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["deny_warnings"], true);
    assert_eq!(doc["files"][0]["valid"], false);
    assert_eq!(doc["files"][0]["errors"], 0);
}
