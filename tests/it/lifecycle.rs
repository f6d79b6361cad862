//! Models newer than the catalog (`unlisted: true`) and the retirement horizon, through the CLI.

use std::process::Output;

use crate::cli::aoaigen;

fn run(spec: &str, args: &[&str]) -> (Output, String) {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("aoaigen.yaml"), spec).unwrap();
    let o = aoaigen(args, d.path());
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    (o, err)
}

const HEAD: &str = "version: 1\nname: demo\nlocation: swedencentral\n";

#[test]
fn an_unlisted_model_deploys_with_a_warning_naming_the_catalog_date() {
    let spec = format!(
        "{HEAD}models:\n  - model: gpt-7\n    version: \"2027-01-15\"\n    unlisted: true\n    capacity: 50\n    regions: [swedencentral, westus2]\n"
    );
    let (o, err) = run(&spec, &["validate"]);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("warning[unlisted-model]: gpt-7 2027-01-15 is not in the catalog (embedded catalog dated 2026-10-05)"), "{err}");
    assert!(
        err.contains("aoaigen.yaml:7:15"),
        "located at `unlisted`: {err}"
    );
    assert!(
        err.contains("does not list westus2 as an Azure OpenAI region"),
        "{err}"
    );
    let (o, err) = run(&spec, &["validate", "--deny-warnings"]);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let (o, err) = run(&spec, &["render", "--target", "terraform", "--out", "gen"]);
    assert_eq!(o.status.code(), Some(0), "{err}");
    // The same spec without the opt-in is an error that names both ways out.
    let (o, err) = run(&spec.replace("    unlisted: true\n", ""), &["validate"]);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("unknown model `gpt-7`")
            && err.contains("aoaigen catalog import")
            && err.contains("unlisted: true"),
        "{err}"
    );
}

#[test]
fn an_unlisted_version_of_a_known_model_keeps_its_kind() {
    let spec = format!(
        "{HEAD}models:\n  - model: text-embedding-3-large\n    version: \"2\"\n    unlisted: true\n    regions: [swedencentral]\n"
    );
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("aoaigen.yaml"), &spec).unwrap();
    let o = aoaigen(&["plan", "--format", "json"], d.path());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let g: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(g["gateway"]["pools"][0]["kind"], "embedding");
    assert_eq!(g["deployments"][0]["version"], "2");
    assert_eq!(g["deployments"][0]["lifecycle"], "unknown");
    let (o, err) = run(
        &spec
            .replace("\"2\"", "\"3\"")
            .replace("    unlisted: true\n", ""),
        &["validate"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("has no version `3`") && err.contains("unlisted: true"),
        "{err}"
    );
}

#[test]
fn unlisted_needs_version_and_regions() {
    let spec = format!("{HEAD}models:\n  - model: gpt-7\n    unlisted: true\n");
    let (o, err) = run(&spec, &["validate"]);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error[unlisted-needs-version]: `unlisted: true` needs `version`"),
        "{err}"
    );
    assert!(
        err.contains("error[unlisted-needs-regions]: `unlisted: true` needs `regions`"),
        "{err}"
    );
    assert!(err.contains("aoaigen.yaml:6:15"), "{err}");
}

/// gpt-4.1 2025-04-14 retires on 2027-04-14 in the embedded catalog (Deprecated); today is 2026-11-23, 142
/// days before.
#[test]
fn the_retirement_horizon_warns_and_deny_warnings_fails() {
    let spec = format!("{HEAD}models:\n  - model: gpt-4.1\n    regions: [swedencentral]\n");
    let (o, err) = run(&spec, &["validate"]);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("retires-soon"), "30 days by default: {err}");
    assert!(err.contains("warning[deprecated-model]"), "{err}");
    let (o, err) = run(&spec, &["validate", "--retirement-horizon", "150d"]);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "warning[retires-soon]: gpt-4.1 2025-04-14 is deprecated and retires on 2027-04-14"
        ) && err.contains("in 142 day(s), within the retirement horizon of 150 days"),
        "{err}"
    );
    assert!(
        !err.contains("legacy-model"),
        "one warning for one fact: {err}"
    );
    let (o, err) = run(
        &spec,
        &[
            "validate",
            "--retirement-horizon",
            "150d",
            "--deny-warnings",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{err}");
    // The spec's own horizon, and the command line's winning over it.
    let with_field = format!("{spec}retirement_horizon: 142d\n");
    let (_, err) = run(&with_field, &["validate"]);
    assert!(
        err.contains("within the retirement horizon of 142 days"),
        "{err}"
    );
    let (_, err) = run(&with_field, &["validate", "--retirement-horizon", "141d"]);
    assert!(!err.contains("retires-soon"), "{err}");
    let (o, err) = run(&spec, &["validate", "--retirement-horizon", "ninety"]);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let (o, err) = run(&format!("{spec}retirement_horizon: 90\n"), &["validate"]);
    assert_eq!(o.status.code(), Some(1), "{err}");
}

/// A number where `<days>d` belongs: quoting it alone would still be invalid, so the help names the form.
/// Quoting stays the advice where it is enough (a model version).
#[test]
fn a_horizon_given_as_a_number_is_told_its_form() {
    let spec = format!("{HEAD}models:\n  - model: gpt-5.1\n    regions: [swedencentral]\n");
    let (o, err) = run(&format!("{spec}retirement_horizon: 90\n"), &["validate"]);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("help: write it as a string of the form \"90d\""),
        "{err}"
    );
    assert!(!err.contains("quote it: \"90\""), "{err}");
    let (_, err) = run(
        &format!("{spec}accounts:\n  timeouts: {{ create: 60 }}\n"),
        &["validate"],
    );
    assert!(
        err.contains("help: write it as a string of the form \"60m\""),
        "{err}"
    );
    let (_, err) = run(
        &spec.replace("gpt-5.1\n", "gpt-5.1\n    version: 2025\n"),
        &["validate"],
    );
    assert!(err.contains("help: quote it: \"2025\""), "{err}");
}

/// A replacement named by the catalog is in the message (gpt-4o 2024-08-06: deprecated, retires
/// 2027-04-14, replacement gpt-5.1 in the embedded catalog).
#[test]
fn the_horizon_warning_names_the_replacement() {
    let spec = format!(
        "{HEAD}models:\n  - model: gpt-4o\n    version: \"2024-08-06\"\n    regions: [swedencentral]\n"
    );
    let (_, err) = run(&spec, &["validate", "--retirement-horizon", "365d"]);
    assert!(
        err.contains("retires on 2027-04-14") && err.contains("move to `gpt-5.1"),
        "{err}"
    );
}

/// For a version the catalog knows, `unlisted` vouches only for where it is offered: a region the catalog
/// does not list becomes a warning instead of an error.
#[test]
fn unlisted_turns_an_unknown_offer_into_a_warning() {
    let spec = format!(
        "{HEAD}models:\n  - model: gpt-5.1\n    version: \"2025-11-13\"\n    sku: Standard\n    regions: [brazilsouth]\n"
    );
    let (o, err) = run(&spec, &["validate"]);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error[region-lacks-model]"), "{err}");
    let (o, err) = run(
        &spec.replace("    sku:", "    unlisted: true\n    sku:"),
        &["validate"],
    );
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning[unverified-region]")
            && err.contains("in brazilsouth: deployed unverified"),
        "{err}"
    );
}

/// A GA version has no lifecycle warning of its own: the horizon's stands alone (gpt-5.1 2025-11-13
/// retires on 2027-05-15 in the embedded catalog, 173 days after 2026-11-23).
#[test]
fn a_ga_model_within_the_horizon_gets_the_horizon_warning() {
    let spec = format!("{HEAD}models:\n  - model: gpt-5.1\n    regions: [swedencentral]\n");
    let (o, err) = run(&spec, &["validate", "--retirement-horizon", "180d"]);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning[retires-soon]: gpt-5.1 2025-11-13 retires on 2027-05-15, in 173 day(s), within the retirement horizon of 180 days"),
        "{err}"
    );
    let (_, err) = run(&spec, &["validate", "--retirement-horizon", "172d"]);
    assert!(!err.contains("retires-soon"), "{err}");
}

/// Catalog facts (models.yaml): gpt-4.1 2025-04-14 is deprecated, retires on 2027-04-14 and names gpt-5,
/// whose default version retires on 2027-02-09. The warning must not send users to a model that retires
/// first; whatever it suggests retires no earlier than gpt-4.1.
#[test]
fn a_replacement_never_retires_before_the_model_it_replaces() {
    let c = aoaigen::catalog::embedded();
    assert_eq!(
        c.models["gpt-4.1"].versions["2025-04-14"]
            .retirement_date
            .as_deref(),
        Some("2027-04-14")
    );
    assert_eq!(
        c.models["gpt-5"].versions["2025-08-07"]
            .retirement_date
            .as_deref(),
        Some("2027-02-09")
    );
    let spec = format!("{HEAD}models:\n  - model: gpt-4.1\n    regions: [swedencentral]\n");
    let (o, err) = run(&spec, &["validate"]);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let line = err
        .lines()
        .find(|l| l.starts_with("warning[deprecated-model]: gpt-4.1"))
        .unwrap_or_else(|| panic!("{err}"));
    let suggested = line
        .split("the suggested replacement is `")
        .nth(1)
        .and_then(|t| t.split('`').next())
        .unwrap_or_else(|| panic!("no suggestion: {line}"));
    assert_ne!(suggested, "gpt-5", "{line}");
    let version = c
        .default_version(suggested, crate::common::today())
        .unwrap();
    let v = &c.models[suggested].versions[version];
    assert!(
        v.retirement_date
            .as_deref()
            .is_none_or(|d| d >= "2027-04-14"),
        "{suggested} retires on {:?}: {line}",
        v.retirement_date
    );
    assert!(
        line.contains(
            "the catalog names `gpt-5`, which retires on 2027-02-09, before the model it replaces"
        ),
        "{line}"
    );
}

/// Issue 15 item 8: the bundled examples use current models; none draws a lifecycle diagnostic (legacy,
/// deprecated, preview, retired, retiring within the horizon) on the tests' date.
#[test]
fn the_examples_use_current_models() {
    const LIFECYCLE: &[&str] = &[
        "legacy-model",
        "deprecated-model",
        "preview-model",
        "retired-model",
        "retired-sku",
        "retires-soon",
    ];
    let examples = crate::common::examples();
    assert!(!examples.is_empty());
    for ex in examples {
        let path = crate::common::root().join(format!("examples/{ex}.yaml"));
        let a = aoaigen::pipeline::analyse(&path, crate::common::today());
        let found: Vec<String> = a
            .report
            .diagnostics
            .iter()
            .filter(|d| LIFECYCLE.contains(&d.code))
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect();
        assert!(found.is_empty(), "examples/{ex}.yaml: {found:#?}");
    }
}
