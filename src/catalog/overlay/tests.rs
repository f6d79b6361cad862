//! Overlay unit tests: the YAML round trip, the schema, and what applying an overlay does to the catalog.

use std::collections::BTreeMap;

use super::*;
use crate::catalog::{Lifecycle, embedded};

fn sku(default: u32, max: u32) -> OverlaySku {
    OverlaySku {
        default_capacity: Some(default),
        max_capacity: Some(max),
        retirement_date: None,
        usage_name: Some("OpenAI.GlobalStandard.x".into()),
    }
}

fn version(
    lifecycle: OverlayLifecycle,
    retires: Option<&str>,
    skus: &[(&str, OverlaySku)],
) -> OverlayVersion {
    OverlayVersion {
        lifecycle: Some(lifecycle),
        lifecycle_status: None,
        default_version: true,
        retirement_date: retires.map(str::to_string),
        retirement_status: None,
        replacement: None,
        apis: None,
        skus: skus
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    }
}

fn region(date: &str, models: &[(&str, &str, OverlayVersion)]) -> OverlayRegion {
    let mut m: BTreeMap<String, OverlayModel> = BTreeMap::new();
    for (name, v, ver) in models {
        m.entry(name.to_string())
            .or_insert_with(|| OverlayModel {
                kind: "chat".into(),
                versions: BTreeMap::new(),
            })
            .versions
            .insert(v.to_string(), ver.clone());
    }
    OverlayRegion {
        imported_on: date.into(),
        files: vec![SourceFile {
            name: "x.json".into(),
            sha256: "0".repeat(64),
        }],
        other_formats_skipped: 0,
        models: m,
    }
}

fn overlay(regions: Vec<(&str, OverlayRegion)>) -> Overlay {
    let mut o = Overlay::new();
    let mut add = Overlay::new();
    for (k, r) in regions {
        add.regions.insert(k.to_string(), r);
    }
    o.merge(add);
    o
}

#[test]
fn emitted_yaml_reads_back_and_meets_the_schema() {
    let mut v = version(
        OverlayLifecycle::GA,
        Some("2027-01-01"),
        &[("GlobalStandard", sku(50, 500))],
    );
    v.replacement = Some("odd \"name\"\nwith: yaml # chars".into());
    v.apis = Some(vec![Api::Responses, Api::Realtime]);
    let o = overlay(vec![
        (
            "swedencentral",
            region("2026-12-01", &[("gpt-new", "2026-10-20", v)]),
        ),
        (
            "eastus2",
            region(
                "2026-11-30",
                &[("1", "0125", version(OverlayLifecycle::Preview, None, &[]))],
            ),
        ),
    ]);
    assert_eq!(o.date, "2026-12-01");
    let text = emit::to_yaml(&o);
    let back = parse("t.yaml", text.as_bytes()).unwrap();
    assert_eq!(back, o);
    assert_eq!(emit::to_yaml(&back), text, "emitting is deterministic");
    let value = crate::spec::yaml::load(&text).unwrap().value;
    assert!(validator().is_valid(&value));
}

#[test]
fn bad_overlays_are_located() {
    let errs = parse("o.yaml", b"overlay_version: 1\nsource: x\ndate: \"2026-12-01\"\nregions:\n  swedencentral:\n    imported_on: \"2026-12-01\"\n    files: []\n    models:\n      m:\n        kind: chat\n        versions:\n          \"1\":\n            skus:\n              Standrd: {}\n").unwrap_err();
    assert!(
        errs.iter()
            .any(|e| e.starts_with("o.yaml:14:") && e.contains("Standrd")),
        "{errs:?}"
    );
    let errs = parse("o.yaml", b"").unwrap_err();
    assert!(errs[0].contains("empty"), "{errs:?}");
    let errs = parse(
        "o.yaml",
        b"overlay_version: 1\nsource: x\ndate: \"2026-13-01\"\nregions: {}\n",
    )
    .unwrap_err();
    assert!(errs[0].contains("not a date"), "{errs:?}");
    let errs = parse(
        "o.yaml",
        b"overlay_version: 2\nsource: x\ndate: \"2026-12-01\"\nregions: {}\nextra: 1\n",
    )
    .unwrap_err();
    assert_eq!(errs.len(), 2, "{errs:?}");
}

#[test]
fn an_overlay_is_the_whole_truth_for_its_regions() {
    let c = embedded();
    // The embedded catalog offers gpt-4.1 GlobalStandard in swedencentral; the overlay lists only a new model.
    assert!(
        c.models["gpt-4.1"].versions["2025-04-14"].skus["GlobalStandard"]
            .regions
            .contains(&"swedencentral".to_string())
    );
    let o = overlay(vec![(
        "swedencentral",
        region(
            "2026-12-01",
            &[(
                "gpt-new",
                "2026-10-20",
                version(
                    OverlayLifecycle::GA,
                    None,
                    &[("GlobalStandard", sku(50, 500))],
                ),
            )],
        ),
    )]);
    let a = apply::apply(c, &o, "o.yaml").unwrap();
    let gs = &a.models["gpt-4.1"].versions["2025-04-14"].skus["GlobalStandard"];
    assert!(!gs.regions.contains(&"swedencentral".to_string()));
    assert!(
        gs.regions.contains(&"francecentral".to_string()),
        "other regions keep the embedded facts"
    );
    let new = &a.models["gpt-new"].versions["2026-10-20"].skus["GlobalStandard"];
    assert_eq!(new.regions, vec!["swedencentral".to_string()]);
    assert_eq!(new.default_capacity("swedencentral"), Some(50));
    assert_eq!(new.max_capacity("swedencentral"), Some(500));
    assert_eq!(a.layers.len(), 2);
    assert_eq!(
        a.describe(),
        "embedded catalog dated 2026-10-05 + overlay o.yaml dated 2026-12-01"
    );
}

#[test]
fn regions_that_disagree_settle_on_the_least_favourable() {
    let o = overlay(vec![
        (
            "swedencentral",
            region(
                "2026-12-01",
                &[(
                    "gpt-4.1",
                    "2025-04-14",
                    version(
                        OverlayLifecycle::GA,
                        Some("2027-06-01"),
                        &[("GlobalStandard", sku(1, 1))],
                    ),
                )],
            ),
        ),
        (
            "eastus2",
            region(
                "2026-12-01",
                &[(
                    "gpt-4.1",
                    "2025-04-14",
                    version(
                        OverlayLifecycle::Deprecated,
                        Some("2027-01-01"),
                        &[("GlobalStandard", sku(1, 1))],
                    ),
                )],
            ),
        ),
    ]);
    let a = apply::apply(embedded(), &o, "o.yaml").unwrap();
    let v = &a.models["gpt-4.1"].versions["2025-04-14"];
    assert_eq!(v.lifecycle.as_deref(), Some("Deprecated"));
    assert_eq!(v.retirement_date.as_deref(), Some("2027-01-01"));
    assert_eq!(
        v.lifecycle_on("2026-12-01".parse().unwrap()),
        Lifecycle::Deprecated
    );
}

#[test]
fn a_region_new_to_azure_openai_is_added() {
    let c = embedded();
    assert!(c.openai_region("westus2").is_none());
    let o = overlay(vec![(
        "westus2",
        region(
            "2026-12-01",
            &[(
                "gpt-5.1",
                "2025-11-13",
                version(
                    OverlayLifecycle::GA,
                    None,
                    &[("GlobalStandard", sku(10, 10))],
                ),
            )],
        ),
    )]);
    let a = apply::apply(c, &o, "o.yaml").unwrap();
    assert_eq!(a.openai_region("West US 2").unwrap().abbreviation, "wus2");
    let unknown = overlay(vec![("atlantis", region("2026-12-01", &[]))]);
    let errs = apply::apply(c, &unknown, "o.yaml").unwrap_err();
    assert!(errs[0].contains("atlantis"), "{errs:?}");
}

/// What Azure's listing says a model answers (`capabilities` flags) is recorded per version; flags that
/// name no single API leave the APIs to the capability data.
#[test]
fn import_records_the_apis_the_listing_names() {
    let item = |name: &str, caps: &str| {
        format!(
            r#"{{"kind": "OpenAI", "model": {{"name": "{name}", "version": "1", "format": "OpenAI", "capabilities": {caps}}}}}"#
        )
    };
    let text = format!(
        "[{}, {}, {}, {}, {}]",
        item(
            "rt",
            r#"{"chatCompletion": "false", "completion": "false", "realtime": "true"}"#
        ),
        item("old", r#"{"completion": "True", "fineTune": "true"}"#),
        item("ear", r#"{"audio": "true"}"#),
        item(
            "img",
            r#"{"imageGenerations": "true", "inference": "true"}"#
        ),
        item("none", "null"),
    );
    let file = import::InputFile {
        name: "x.json".into(),
        label: "x.json".into(),
        bytes: text.into_bytes(),
    };
    let r = import::import_region(&[file], "2026-12-01").unwrap();
    let apis = |m: &str| r.models[m].versions["1"].apis.clone();
    assert_eq!(apis("rt"), Some(vec![Api::Realtime]));
    assert_eq!(apis("old"), Some(vec![Api::Completions]));
    assert_eq!(apis("ear"), None, "`audio` names no single API");
    assert_eq!(apis("img"), Some(vec![Api::Images]));
    assert_eq!(apis("none"), None);
}

/// A deployment is routed only the APIs every one of its regions lists; regions without overlay facts
/// leave the choice to those with them, and a deployment with none keeps the capability data's.
#[test]
fn a_deployment_gets_the_apis_all_its_regions_list() {
    let listed = |apis: &[Api]| {
        let mut v = version(
            OverlayLifecycle::GA,
            None,
            &[("GlobalStandard", sku(100, 1000))],
        );
        v.apis = Some(apis.to_vec());
        v
    };
    let o = overlay(vec![
        (
            "swedencentral",
            region(
                "2026-12-01",
                &[(
                    "gpt-4.1",
                    "2025-04-14",
                    listed(&[Api::ChatCompletions, Api::Responses]),
                )],
            ),
        ),
        (
            "eastus2",
            region(
                "2026-12-01",
                &[("gpt-4.1", "2025-04-14", listed(&[Api::ChatCompletions]))],
            ),
        ),
    ]);
    let c = apply::apply(embedded(), &o, "o.yaml").unwrap();
    let apis_in = |regions: &str| -> Vec<String> {
        let text = format!(
            "version: 1\nname: demo\nlocation: swedencentral\nmodels:\n  - model: gpt-4.1\n    version: \"2025-04-14\"\n    regions: [{regions}]\n"
        );
        let source = crate::spec::Source {
            display_name: "s.yaml".into(),
            dir: std::env::temp_dir(),
            text,
        };
        let (v, diags) = crate::spec::validate(source);
        let v = v.unwrap_or_else(|| panic!("{diags:?}"));
        let (plan, diags) = crate::catalog::expand::expand(&v, &c, "2026-11-23".parse().unwrap());
        let plan = plan.unwrap_or_else(|| panic!("{diags:?}"));
        plan.deployments[0]
            .apis
            .iter()
            .map(|a| a.api.clone())
            .collect()
    };
    assert_eq!(apis_in("swedencentral, eastus2"), ["chat_completions"]);
    assert_eq!(
        apis_in("swedencentral, francecentral"),
        ["chat_completions", "responses"]
    );
    assert_eq!(apis_in("eastus2"), ["chat_completions"]);
    // Imported without APIs (an overlay written before they were recorded): the capability data's.
    let mut old = o.clone();
    for r in old.regions.values_mut() {
        for m in r.models.values_mut() {
            for v in m.versions.values_mut() {
                v.apis = None;
            }
        }
    }
    let c2 = apply::apply(embedded(), &old, "o.yaml").unwrap();
    assert!(
        c2.models["gpt-4.1"].versions["2025-04-14"]
            .region_apis
            .is_empty()
    );
}
