//! Facts of the embedded catalog pinned to Microsoft's pages. Each test names its source: a key of
//! tools/catalog-refresh/sources.yaml (repository MicrosoftDocs/azure-ai-docs, pinned commit, ms.date). Each
//! would fail on the catalog this project had before the 2026-10-05 refresh.

use aoaigen::catalog::{Catalog, Lifecycle, QuotaPool, embedded};
use jiff::civil::Date;

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

fn sku<'a>(
    c: &'a Catalog,
    model: &str,
    version: &str,
    sku: &str,
) -> &'a aoaigen::catalog::SkuEntry {
    &c.models[model].versions[version].skus[sku]
}

/// `ret` (retirement schedule, 0378dd85, 2026-10-05): the o-series retires on 2026-11-19, replaced by
/// gpt-5.6-sol (o3-mini and o4-mini: gpt-5.6-terra). The catalog before listed o3-pro as GA until 2026-12-10.
#[test]
fn o_series_retires_on_2026_11_19() {
    let c = embedded();
    for (model, version, replacement) in [
        ("o1", "2024-12-17", "gpt-5.6-sol"),
        ("o3", "2025-04-16", "gpt-5.6-sol"),
        ("o3-pro", "2025-06-10", "gpt-5.6-sol"),
        ("o3-deep-research", "2025-06-26", "gpt-5.6-sol"),
        ("o3-mini", "2025-01-31", "gpt-5.6-terra"),
        ("o4-mini", "2025-04-16", "gpt-5.6-terra"),
    ] {
        let v = &c.models[model].versions[version];
        assert_eq!(v.retirement_date.as_deref(), Some("2026-11-19"), "{model}");
        assert_eq!(
            v.lifecycle_on(day("2026-11-18")),
            Lifecycle::Deprecated,
            "{model}"
        );
        assert_eq!(
            v.lifecycle_on(day("2026-11-19")),
            Lifecycle::Retired,
            "{model}"
        );
        assert_eq!(v.replacement.as_deref(), Some(replacement), "{model}");
        assert_eq!(v.lifecycle_source.as_deref(), Some("ret"));
    }
}

/// Same source, through the whole pipeline: a spec naming o3-pro is rejected on 2026-12-01, with the date
/// and the replacement.
#[test]
fn o3_pro_is_rejected_on_2026_12_01() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("aoaigen.yaml");
    std::fs::write(
        &spec,
        "version: 1\nname: reasoning\nlocation: swedencentral\nmodels:\n  - model: o3-pro\n    regions: [swedencentral]\n",
    )
    .unwrap();
    let a = aoaigen::pipeline::analyse(&spec, day("2026-12-01"));
    assert!(a.graph.is_none(), "o3-pro must not render on 2026-12-01");
    let text = a.report.render_human(false);
    assert!(
        text.contains("o3-pro 2025-06-10 was retired on 2026-11-19"),
        "{text}"
    );
    assert!(text.contains("`gpt-5.6-sol`"), "{text}");
    // Before the retirement it is only a warning: existing customers may still deploy a deprecated version.
    let a = aoaigen::pipeline::analyse(&spec, day("2026-11-01"));
    assert!(a.graph.is_some(), "{}", a.report.render_human(false));
    assert!(
        a.report
            .render_human(false)
            .contains("deprecated and retires on 2026-11-19")
    );
}

/// `std` (deployments-standard, 0378dd85, 2026-10-05) and `tier1` (quota tier 1, 08408ff5, 2026-08-20): the
/// gpt-6 family is offered with GlobalStandard, with a tier-1 default of 1,000,000 TPM for astra, sol, luna.
#[test]
fn gpt_6_family_is_present() {
    let c = embedded();
    for (model, version) in [
        ("gpt-6-astra", "2026-09-03"),
        ("gpt-6-luna", "2026-09-22"),
        ("gpt-6-sol", "2026-09-22"),
        ("gpt-6.1-sol", "2026-09-29"),
    ] {
        let gs = sku(c, model, version, "GlobalStandard");
        for region in ["eastus2", "swedencentral", "japaneast", "uaenorth"] {
            assert!(
                gs.regions.iter().any(|r| r == region),
                "{model} in {region}"
            );
        }
        assert_eq!(gs.regions_source.as_deref(), Some("std"));
    }
    assert_eq!(
        sku(c, "gpt-6-sol", "2026-09-22", "GlobalStandard").default_capacity_k_tpm,
        Some(1000)
    );
    assert_eq!(
        sku(c, "gpt-6-sol", "2026-09-22", "DataZoneStandard").default_capacity_k_tpm,
        Some(333)
    );
    // `prov` (deployments-provisioned, 08408ff5, 2026-09-03): astra also comes as GlobalProvisionedManaged.
    assert!(
        sku(c, "gpt-6-astra", "2026-09-03", "GlobalProvisionedManaged")
            .regions
            .len()
            >= 28
    );
    // gpt-6.1-sol has no tier-1 row (the table predates it): no default quota is invented.
    assert_eq!(
        sku(c, "gpt-6.1-sol", "2026-09-29", "GlobalStandard").default_capacity_k_tpm,
        None
    );
}

/// `std`: North Europe has a column in the Europe tabs (GlobalStandard gpt-5.5 among others).
#[test]
fn northeurope_offers_azure_openai() {
    let c = embedded();
    let ne = c
        .openai_region("North Europe")
        .expect("northeurope is an Azure OpenAI region");
    assert_eq!(ne.name, "northeurope");
    assert_eq!(ne.data_zone.as_deref(), Some("EU"));
    assert!(c.azure_region("northeurope").unwrap().azure_openai);
    assert!(
        sku(c, "gpt-5.5", "2026-04-24", "GlobalStandard")
            .regions
            .iter()
            .any(|r| r == "northeurope")
    );
}

/// `std`: the Data Zone Standard section has an Asia Pacific tab ("data processed within any Asia Pacific
/// nation"); before, APAC had no data zone at all.
#[test]
fn apac_has_a_data_zone() {
    let c = embedded();
    for r in [
        "australiaeast",
        "japaneast",
        "koreacentral",
        "southeastasia",
        "southindia",
    ] {
        assert_eq!(
            c.openai_region(r).unwrap().data_zone.as_deref(),
            Some("APAC"),
            "{r}"
        );
    }
    let dz = sku(c, "gpt-5.2", "2025-12-11", "DataZoneStandard");
    assert!(dz.regions.iter().any(|r| r == "japaneast"));
    // `prov`: Data Zone Provisioned in APAC too.
    assert!(
        sku(c, "gpt-5.2", "2025-12-11", "DataZoneProvisionedManaged")
            .regions
            .iter()
            .any(|r| r == "southindia")
    );
}

/// `ret`: gpt-4.1 and gpt-4o versions are Deprecated with the October dates; the replacement of a
/// deprecated version without one in `ret` is a current model (gpt-4.1 -> gpt-5 per S15, 2025-12-16).
#[test]
fn deprecated_versions_carry_the_october_dates() {
    let c = embedded();
    let v = &c.models["gpt-4.1"].versions["2025-04-14"];
    assert_eq!(
        (v.lifecycle.as_deref(), v.retirement_date.as_deref()),
        (Some("Deprecated"), Some("2027-04-14"))
    );
    assert_eq!(v.replacement.as_deref(), Some("gpt-5"));
    let v = &c.models["gpt-4o"].versions["2024-05-13"];
    assert_eq!(v.retirement_date.as_deref(), Some("2026-12-09"));
    assert_eq!(v.replacement.as_deref(), Some("gpt-5.6-sol"));
    assert_eq!(
        c.models["gpt-4o"].versions["2024-11-20"]
            .lifecycle
            .as_deref(),
        Some("Legacy")
    );
}

/// Provenance: every source key a version or SKU names is a source of the catalog, and every source says
/// where it is (a commit and an ms.date, or a URL).
#[test]
fn every_fact_names_a_source_that_exists() {
    let c = embedded();
    for (key, s) in &c.sources {
        assert!(
            (s.contains_key("commit") && s.contains_key("ms_date")) || s.contains_key("url"),
            "source {key} says neither commit+ms_date nor url"
        );
    }
    let mut checked = 0;
    for (m, e) in &c.models {
        for (ver, v) in &e.versions {
            let mut keys: Vec<&String> = v
                .lifecycle_source
                .iter()
                .chain(&v.replacement_sources)
                .collect();
            for s in v.skus.values() {
                keys.extend(
                    s.regions_source
                        .iter()
                        .chain(&s.capacity_source)
                        .chain(&s.quota_pool_source),
                );
                if !s.regions.is_empty() {
                    assert!(
                        s.regions_source.is_some(),
                        "{m} {ver}: regions without a source"
                    );
                }
                if s.default_capacity_k_tpm.is_some() {
                    assert!(
                        s.capacity_source.is_some(),
                        "{m} {ver}: quota without a source"
                    );
                }
            }
            assert!(
                v.lifecycle.is_none() || v.lifecycle_source.is_some(),
                "{m} {ver}: lifecycle without a source"
            );
            for k in keys {
                assert!(
                    c.sources.contains_key(k),
                    "{m} {ver} names unknown source {k}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "only {checked} source references");
}

/// A replacement is a model that can be chosen on the catalog's date: GA or Preview, deployable, not retiring.
#[test]
fn replacements_are_current_models() {
    let c = embedded();
    let date = day(&c.date);
    for (m, e) in &c.models {
        for (ver, v) in &e.versions {
            let Some(r) = &v.replacement else { continue };
            let target = &c
                .models
                .get(r)
                .unwrap_or_else(|| panic!("{m} {ver}: replacement {r} is not in the catalog"))
                .versions;
            let ok = target.iter().any(|(tv, t)| {
                v.replacement_version.as_ref().is_none_or(|want| want == tv)
                    && matches!(
                        t.lifecycle_on(date),
                        Lifecycle::Ga | Lifecycle::Preview | Lifecycle::Unknown
                    )
            });
            assert!(ok, "{m} {ver}: replacement {r} is not current on {date}");
        }
    }
}

/// `quota_subscription` (learn.microsoft.com/azure/foundry/foundry-models/quotas-limits, subscription-level
/// quota since 2026-05-07): Realtime Whisper's GlobalStandard quota is one pool for all regions; models not
/// (yet) moved keep one pool per region (`quota_regional`).
#[test]
fn quota_pools() {
    let c = embedded();
    let whisper = sku(c, "gpt-realtime-whisper", "2026-05-06", "GlobalStandard");
    assert_eq!(whisper.quota_pool, Some(QuotaPool::Subscription));
    assert_eq!(
        sku(c, "gpt-5.1", "2025-11-13", "GlobalStandard").quota_pool,
        Some(QuotaPool::Region)
    );
    assert_eq!(
        sku(c, "gpt-5.1", "2025-11-13", "GlobalProvisionedManaged").quota_pool,
        None
    );
}

/// A spec that spreads a subscription-pooled model over regions is warned that regions add no capacity.
#[test]
fn shared_quota_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("aoaigen.yaml");
    std::fs::write(
        &spec,
        "version: 1\nname: whisper\nlocation: swedencentral\nmodels:\n  - model: gpt-realtime-whisper\n    regions: [swedencentral, eastus2]\n",
    )
    .unwrap();
    let a = aoaigen::pipeline::analyse(&spec, day("2026-12-01"));
    let text = a.report.render_human(false);
    assert!(a.graph.is_some(), "{text}");
    assert!(
        text.contains("quota is one pool for the subscription"),
        "{text}"
    );
    assert!(text.contains("swedencentral, eastus2"), "{text}");
}
