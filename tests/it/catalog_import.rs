//! `aoaigen catalog import` and catalog overlays, as users run them: the committed `az cognitiveservices
//! model list` samples (tests/data/az/model-list, shaped after the REST API definition; see the README
//! there) become an overlay that round-trips, validates against the published schema, merges region by
//! region, and lets a spec use a model the embedded catalog lacks.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::cli::aoaigen;
use crate::common::root;

fn samples() -> PathBuf {
    root().join("tests/data/az/model-list")
}

pub(crate) fn sample(region: &str) -> String {
    samples()
        .join(format!("{region}.json"))
        .display()
        .to_string()
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub(crate) fn import(cwd: &Path, args: &[&str]) -> Output {
    let mut all = vec!["catalog", "import"];
    all.extend_from_slice(args);
    aoaigen(&all, cwd)
}

pub(crate) fn import_ok(cwd: &Path, args: &[&str]) -> Vec<u8> {
    let o = import(cwd, args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::read(cwd.join("aoaigen-catalog.yaml")).unwrap()
}

#[test]
fn importing_the_samples_twice_writes_the_same_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let dir = samples().display().to_string();
    let first = import_ok(a.path(), &[&dir]);
    // Importing again over the file it wrote changes nothing.
    let again = import_ok(a.path(), &[&dir]);
    assert_eq!(first, again);
    // Files one by one, in another order, in another directory: the same overlay.
    import_ok(b.path(), &[&sample("westus2")]);
    import_ok(b.path(), &[&sample("swedencentral"), &sample("eastus2")]);
    let merged = std::fs::read(b.path().join("aoaigen-catalog.yaml")).unwrap();
    assert_eq!(
        String::from_utf8(first).unwrap(),
        String::from_utf8(merged).unwrap()
    );
}

#[test]
fn merging_replaces_the_imported_regions_and_keeps_the_others() {
    let d = tempfile::tempdir().unwrap();
    import_ok(d.path(), &[&sample("swedencentral"), &sample("eastus2")]);
    // A later import of swedencentral (as a differently named file, with --region) replaces only it.
    let renamed = d.path().join("sdc-today.json");
    let text = std::fs::read_to_string(sample("westus2")).unwrap();
    std::fs::write(&renamed, text).unwrap();
    let o = aoaigen(
        &[
            "catalog",
            "import",
            "--region",
            "Sweden Central",
            "--date",
            "2026-12-01",
            renamed.to_str().unwrap(),
        ],
        d.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = aoaigen::catalog::overlay::load(&d.path().join("aoaigen-catalog.yaml")).unwrap();
    assert_eq!(
        o.regions.keys().collect::<Vec<_>>(),
        ["eastus2", "swedencentral"]
    );
    assert_eq!(o.date, "2026-12-01");
    assert_eq!(o.regions["eastus2"].imported_on, crate::common::TODAY);
    let sdc = &o.regions["swedencentral"];
    assert_eq!(sdc.imported_on, "2026-12-01");
    assert_eq!(sdc.files[0].name, "sdc-today.json");
    assert!(
        !sdc.models.contains_key("gpt-4.1"),
        "the new listing replaced the old one"
    );
}

/// What the samples say, read back from the overlay: lifecycles mapped, dates, SKUs, capacities, usage
/// names, other formats and other account kinds skipped.
#[test]
fn the_overlay_holds_what_the_model_list_said() {
    let d = tempfile::tempdir().unwrap();
    import_ok(d.path(), &[&samples().display().to_string()]);
    let o = aoaigen::catalog::overlay::load(&d.path().join("aoaigen-catalog.yaml")).unwrap();
    let sdc = &o.regions["swedencentral"];
    assert_eq!(
        sdc.other_formats_skipped, 1,
        "gpt-oss-120b (format OpenAI-OSS)"
    );
    assert!(
        !sdc.models
            .contains_key("Llama-4-Maverick-17B-128E-Instruct-FP8"),
        "kind AIServices"
    );
    let v = &sdc.models["gpt-4.1"].versions["2025-04-14"];
    assert_eq!(v.lifecycle_status.as_deref(), Some("Deprecating"));
    assert_eq!(v.lifecycle.map(|l| l.as_str()), Some("Deprecated"));
    assert_eq!(v.retirement_date.as_deref(), Some("2027-04-14"));
    assert_eq!(v.replacement.as_deref(), Some("gpt-5.1 2025-11-13"));
    assert_eq!(
        v.skus.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "DataZoneStandard",
            "GlobalBatch",
            "GlobalStandard",
            "ProvisionedManaged",
            "Standard"
        ]
    );
    let gs = &v.skus["GlobalStandard"];
    assert_eq!(
        (gs.default_capacity, gs.max_capacity),
        (Some(1000), Some(5000))
    );
    assert_eq!(
        gs.usage_name.as_deref(),
        Some("OpenAI.GlobalStandard.gpt4.1")
    );
    assert_eq!(gs.retirement_date, None, "same as the version's");
    let o3 = &sdc.models["o3-mini"].versions["2025-01-31"];
    assert_eq!(
        o3.lifecycle.map(|l| l.as_str()),
        Some("Retired"),
        "Deprecated in the API means retired"
    );
    let early = &sdc.models["gpt-4o"].versions["2024-08-06"].skus["GlobalStandard"];
    assert_eq!(early.retirement_date.as_deref(), Some("2026-12-15"));
    assert_eq!(
        sdc.models["gpt-chat-latest"].versions["2026-11-12"]
            .lifecycle
            .map(|l| l.as_str()),
        Some("Preview")
    );
    assert_eq!(sdc.models["text-embedding-3-large"].kind, "embedding");
    assert!(o.regions["westus2"].models.contains_key("gpt-6.5-nova"));
}

#[test]
fn the_overlay_validates_against_the_published_schema() {
    let d = tempfile::tempdir().unwrap();
    let bytes = import_ok(d.path(), &[&samples().display().to_string()]);
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schema/aoaigen-catalog.schema.json")).unwrap(),
    )
    .unwrap();
    let v = jsonschema::options().build(&schema).unwrap();
    let doc = aoaigen::spec::yaml::load(std::str::from_utf8(&bytes).unwrap())
        .unwrap()
        .value;
    let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    // And the schema is not a rubber stamp: a misspelt SKU fails it.
    let bad = std::str::from_utf8(&bytes)
        .unwrap()
        .replacen("GlobalStandard:", "GlobalStandrd:", 1);
    let doc = aoaigen::spec::yaml::load(&bad).unwrap().value;
    assert!(!v.is_valid(&doc));
}

#[test]
fn committed_catalog_schema_is_current() {
    let committed =
        std::fs::read_to_string(root().join("schema/aoaigen-catalog.schema.json")).unwrap();
    let o = aoaigen(&["schema", "--catalog"], &root());
    assert_eq!(o.status.code(), Some(0));
    assert!(
        committed == String::from_utf8(o.stdout).unwrap(),
        "schema/aoaigen-catalog.schema.json is stale: run `cargo run -- schema --catalog > schema/aoaigen-catalog.schema.json`"
    );
}

const SPEC: &str = "version: 1\nname: demo\nlocation: swedencentral\nmodels:\n  - model: gpt-6.5-nova\n    regions: [swedencentral, westus2]\n";

/// The Done-when case: a model only the overlay knows validates and renders with the overlay (spec field
/// or `--catalog`), and without it fails pointing at `catalog import` and the opt-in.
#[test]
fn a_model_only_the_overlay_knows_validates_and_renders() {
    let d = tempfile::tempdir().unwrap();
    import_ok(d.path(), &[&samples().display().to_string()]);
    std::fs::create_dir(d.path().join("specs")).unwrap();
    std::fs::rename(
        d.path().join("aoaigen-catalog.yaml"),
        d.path().join("specs/catalog.yaml"),
    )
    .unwrap();
    std::fs::write(d.path().join("specs/plain.yaml"), SPEC).unwrap();
    std::fs::write(
        d.path().join("specs/with.yaml"),
        format!("{SPEC}catalog: catalog.yaml\n"),
    )
    .unwrap();

    let o = aoaigen(&["validate", "--spec", "specs/plain.yaml"], d.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("unknown model `gpt-6.5-nova`"), "{err}");
    assert!(err.contains("aoaigen catalog import"), "{err}");
    assert!(err.contains("unlisted: true"), "{err}");
    assert!(err.contains("embedded catalog dated 2026-10-05"), "{err}");

    // The spec's `catalog:` is relative to the spec, not to the working directory.
    let o = aoaigen(&["validate", "--spec", "specs/with.yaml"], d.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("specs/with.yaml: catalog: embedded catalog dated 2026-10-05 + overlay catalog.yaml dated 2026-11-23"),
        "{err}"
    );
    let o = aoaigen(
        &[
            "validate",
            "--spec",
            "specs/plain.yaml",
            "--catalog",
            "specs/catalog.yaml",
        ],
        d.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let o = aoaigen(
        &[
            "render",
            "--spec",
            "specs/with.yaml",
            "--target",
            "all",
            "--out",
            "gen",
        ],
        d.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("overlay catalog.yaml dated 2026-11-23"));
    for t in ["terraform", "bicep"] {
        let readme = std::fs::read_to_string(d.path().join(format!("gen/{t}/README.md"))).unwrap();
        assert!(
            readme.contains("with the overlay `catalog.yaml` (`aoaigen catalog import`, dated 2026-11-23) applied on top"),
            "{t}"
        );
        assert!(readme.contains("gpt-6.5-nova"), "{t}");
    }
    let tf = std::fs::read_to_string(d.path().join("gen/terraform/locals.tf")).unwrap();
    assert!(
        tf.contains("westus2"),
        "the overlay's new region is deployed"
    );

    // JSON output names the catalogs too.
    let o = aoaigen(
        &["validate", "--spec", "specs/with.yaml", "--format", "json"],
        d.path(),
    );
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let v = &doc["files"][0];
    assert_eq!(v["catalogs"][1]["kind"], "overlay");
    assert_eq!(v["catalogs"][1]["date"], "2026-11-23");
    let o = aoaigen(
        &["plan", "--spec", "specs/with.yaml", "--format", "json"],
        d.path(),
    );
    let g: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(g["meta"]["catalogs"][0]["kind"], "embedded");
    assert_eq!(g["meta"]["catalogs"][1]["name"], "catalog.yaml");
}

#[test]
fn a_broken_or_missing_overlay_is_a_located_error() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("s.yaml"),
        format!("{SPEC}catalog: nowhere.yaml\n"),
    )
    .unwrap();
    let o = aoaigen(&["validate", "--spec", "s.yaml"], d.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error[catalog-overlay]"), "{err}");
    assert!(
        err.contains("s.yaml:7:10"),
        "points at `catalog:` in the spec: {err}"
    );
    std::fs::write(
        d.path().join("broken.yaml"),
        "overlay_version: 1\nsource: x\ndate: \"2026-12-01\"\nregions:\n  swedencentral: 3\n",
    )
    .unwrap();
    let o = aoaigen(
        &["plan", "--spec", "s.yaml", "--catalog", "broken.yaml"],
        d.path(),
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("broken.yaml:5:18: `regions.swedencentral`"),
        "{err}"
    );
}

/// The overlay's capacities count: over the maximum is an error, over the default capacity a warning, and
/// `plan` shows the asked capacity next to the default capacity (named as such: it is not a quota).
#[test]
fn overlay_capacities_are_checked_and_shown() {
    let d = tempfile::tempdir().unwrap();
    import_ok(d.path(), &[&samples().display().to_string()]);
    let spec = "version: 1\nname: demo\nlocation: swedencentral\ncatalog: aoaigen-catalog.yaml\nmodels:\n  - model: gpt-6.5-nova\n    regions: [swedencentral, { name: westus2, capacity: 400 }]\n";
    std::fs::write(d.path().join("aoaigen.yaml"), spec).unwrap();
    let o = aoaigen(&["plan"], d.path());
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "capacity 400k TPM in westus2 is above the default capacity of a new deployment of gpt-6.5-nova 2026-10-20 (GlobalStandard) there (250k TPM"
        ),
        "{}",
        stderr(&o)
    );
    let row = out
        .lines()
        .find(|l| l.contains("westus2") && l.contains("gpt-6.5-nova") && l.contains("above"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        row.contains("400")
            && row.contains("250 (overlay default capacity)")
            && row.contains("150 above default capacity"),
        "{row}"
    );
    let o = aoaigen(&["plan", "--format", "json"], d.path());
    let g: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let q = g["quota"].as_array().unwrap();
    let ne = q.iter().find(|r| r["scope"] == "westus2").unwrap();
    assert_eq!(
        (
            ne["asked"].as_u64(),
            ne["default_quota"].as_u64(),
            ne["over"].as_bool()
        ),
        (Some(400), Some(250), Some(true))
    );

    std::fs::write(
        d.path().join("aoaigen.yaml"),
        spec.replace("capacity: 400", "capacity: 3000"),
    )
    .unwrap();
    let o = aoaigen(&["validate"], d.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[capacity-above-maximum]")
            && err.contains("(2500, from the catalog overlay)"),
        "{err}"
    );
}

/// A SKU the overlay retires in one region before its version (gpt-4o 2024-08-06 GlobalStandard in
/// swedencentral on 2026-12-15 in the samples, 22 days after 2026-11-23) warns at that region, and the plan
/// states that date.
#[test]
fn a_region_retiring_a_sku_early_is_within_the_horizon() {
    let d = tempfile::tempdir().unwrap();
    import_ok(d.path(), &[&samples().display().to_string()]);
    let spec = "version: 1\nname: demo\nlocation: swedencentral\ncatalog: aoaigen-catalog.yaml\nmodels:\n  - model: gpt-4o\n    version: \"2024-08-06\"\n    regions: [swedencentral]\n";
    std::fs::write(d.path().join("aoaigen.yaml"), spec).unwrap();
    let o = aoaigen(&["validate"], d.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning[retires-soon]: gpt-4o 2024-08-06 (GlobalStandard) in swedencentral retires on 2026-12-15, in 22 day(s)"),
        "{err}"
    );
    assert!(err.contains("aoaigen.yaml:8:15"), "at the region: {err}");
    let o = aoaigen(&["validate", "--deny-warnings"], d.path());
    assert_eq!(o.status.code(), Some(1));
    let o = aoaigen(&["plan", "--format", "json"], d.path());
    let g: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(g["deployments"][0]["retirement_date"], "2026-12-15");
}

/// `plan` sums capacity over a pool the catalog says is shared (gpt-realtime-translate: one pool per
/// subscription in the embedded catalog) and compares per-region pools region by region (gpt-5.1 in
/// eastus2 asks 5000 against a default of 1000).
#[test]
fn plan_sums_a_shared_quota_pool_over_its_regions() {
    let d = tempfile::tempdir().unwrap();
    let spec = "version: 1\nname: demo\nlocation: swedencentral\nmodels:\n  - model: gpt-realtime-translate\n    capacity: 10\n    regions: [swedencentral, eastus2]\n  - model: gpt-5.1\n    regions: [swedencentral, { name: eastus2, capacity: 5000 }]\n";
    std::fs::write(d.path().join("aoaigen.yaml"), spec).unwrap();
    let o = aoaigen(&["plan", "--format", "json"], d.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let g: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = g["quota"].as_array().unwrap();
    let shared = rows
        .iter()
        .find(|r| r["model"] == "gpt-realtime-translate")
        .unwrap();
    assert_eq!(shared["scope"], "subscription");
    assert_eq!(
        shared["regions"],
        serde_json::json!(["eastus2", "swedencentral"])
    );
    assert_eq!(shared["asked"], 20);
    let over = rows
        .iter()
        .find(|r| r["model"] == "gpt-5.1" && r["scope"] == "eastus2")
        .unwrap();
    assert_eq!(
        (
            over["asked"].as_u64(),
            over["default_quota"].as_u64(),
            over["over"].as_bool()
        ),
        (Some(5000), Some(1000), Some(true))
    );
    let o = aoaigen(&["plan"], d.path());
    let table = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        table
            .lines()
            .any(|l| l.contains("subscription (eastus2 swedencentral)") && l.contains(" 20 ")),
        "{table}"
    );
    assert!(
        table
            .lines()
            .any(|l| l.contains("eastus2 ") && l.contains("over by 4000")),
        "{table}"
    );
}
