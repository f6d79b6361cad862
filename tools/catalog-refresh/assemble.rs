//! Turns the parsed pages and the curated facts into the catalog's content.
//!
//! Input: `Inputs` (pages of sources.yaml with their text, curated.yaml, the current `azure_regions` list).
//! Output: `Built`, everything `emit` writes to models.yaml and regions.yaml, with a source key on every fact,
//! plus `notes` on what the sources left open (printed by the command, never silently dropped).

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use serde::Deserialize;

use crate::parse::{self, Availability, Quota, Retirement, SKUS, sku_of_arm_name};

#[derive(Debug, Clone, Deserialize)]
pub struct Page {
    pub role: String,
    pub repo: String,
    pub path: String,
    pub commit: String,
    pub ms_date: String,
    pub file: String,
    pub used_for: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    pub pages: IndexMap<String, Page>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Curated {
    pub sources: IndexMap<String, IndexMap<String, String>>,
    pub data_zones: IndexMap<String, String>,
    pub kinds: IndexMap<String, Vec<String>>,
    pub retired: Vec<RetiredEntry>,
    pub lifecycle: Vec<LifecycleEntry>,
    pub replacement_hints: IndexMap<String, Hint>,
    pub subscription_quota: SubscriptionQuota,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RetiredEntry {
    pub model: String,
    pub version: String,
    pub retirement_date: String,
    pub replacement: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LifecycleEntry {
    pub model: String,
    pub version: String,
    pub lifecycle: String,
    pub retirement_date: Option<String>,
    pub retirement_not_before: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Hint {
    pub replacement: String,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SubscriptionQuota {
    pub source: String,
    pub models: Vec<String>,
}

/// An entry of regions.yaml's `azure_regions`, carried over by the refresh (its source is the AVM regions
/// module, not these pages); only `azure_openai` is recomputed.
#[derive(Debug, Clone, Deserialize)]
pub struct AzureRegion {
    pub name: String,
    pub display_name: String,
    pub abbreviation: String,
    pub geography: String,
    pub geography_group: String,
    pub paired_region: Option<String>,
    pub availability_zones: bool,
    pub azure_openai: bool,
}

pub struct Inputs {
    pub manifest: Manifest,
    /// Page key -> the page's text.
    pub texts: IndexMap<String, String>,
    pub curated: Curated,
    pub azure_regions: Vec<AzureRegion>,
    /// regions.yaml's `sources` entries for `azure_regions`, carried over as YAML text.
    pub azure_region_sources: String,
}

#[derive(Debug, Clone, Default)]
pub struct Sku {
    pub regions: Vec<String>,
    pub regions_source: Option<String>,
    pub default_capacity_k_tpm: Option<u64>,
    pub capacity_source: Option<String>,
    /// `region`, `subscription` or `data_zone`, for the pay-per-token SKUs.
    pub quota_pool: Option<&'static str>,
    pub quota_pool_source: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Version {
    pub lifecycle: Option<String>,
    pub retirement_date: Option<String>,
    pub retirement_not_before: Option<String>,
    pub replacement: Option<String>,
    pub replacement_version: Option<String>,
    /// Source keys along the replacement's chain, first link first.
    pub replacement_sources: Vec<String>,
    pub lifecycle_source: Option<String>,
    pub regions_unknown: bool,
    pub skus: BTreeMap<usize, (&'static str, Sku)>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub kind: String,
    /// Newest first.
    pub versions: Vec<(String, Version)>,
}

#[derive(Debug, Clone)]
pub struct Region {
    pub base: AzureRegion,
    pub docs_region_group: String,
    pub data_zone: Option<String>,
    pub skus: Vec<&'static str>,
}

pub struct Built {
    pub generated_on: String,
    pub models: BTreeMap<String, Model>,
    pub regions: Vec<Region>,
    pub azure_regions: Vec<AzureRegion>,
    /// Every (model, version, SKU, region) the availability pages list.
    pub tuples: BTreeSet<(String, String, String, String)>,
    pub notes: Vec<String>,
}

fn sku_index(sku: &str) -> usize {
    SKUS.iter().position(|s| *s == sku).unwrap_or(SKUS.len())
}

fn static_sku(sku: &str) -> Option<&'static str> {
    sku_of_arm_name(sku)
}

pub fn build(inputs: &Inputs) -> Result<Built, String> {
    let mut notes = Vec::new();
    let mut availability: Vec<(String, Availability)> = Vec::new();
    let mut retirements: Vec<Retirement> = Vec::new();
    let mut quotas: Vec<Quota> = Vec::new();
    let mut retirement_key = String::new();
    let mut quota_key = String::new();
    for (key, page) in &inputs.manifest.pages {
        let text = &inputs.texts[key];
        let found = parse::ms_date(text);
        if found.as_deref() != Some(page.ms_date.as_str()) {
            return Err(format!(
                "{}: ms.date is {}, sources.yaml says {}: update sources.yaml (commit and ms_date) if this is the page you mean",
                page.file,
                found.as_deref().unwrap_or("missing"),
                page.ms_date
            ));
        }
        let at = |e: parse::ParseError| format!("{}: {e}", page.file);
        match page.role.as_str() {
            "availability" => availability.extend(
                parse::parse_matrix(text)
                    .map_err(at)?
                    .into_iter()
                    .map(|a| (key.clone(), a)),
            ),
            "retirement" => {
                retirements = parse::parse_retirements(text).map_err(at)?;
                retirement_key = key.clone();
            }
            "quota" => {
                quotas = parse::parse_quota_tier(text).map_err(at)?;
                quota_key = key.clone();
            }
            other => {
                return Err(format!(
                    "sources.yaml: page `{key}` has unknown role `{other}`"
                ));
            }
        }
    }
    if retirement_key.is_empty() || quota_key.is_empty() {
        return Err("sources.yaml needs one `retirement` page and one `quota` page".into());
    }
    let generated_on = inputs
        .manifest
        .pages
        .values()
        .map(|p| p.ms_date.clone())
        .max()
        .unwrap_or_default();
    let c = &inputs.curated;
    let kind_of: BTreeMap<&str, &str> = c
        .kinds
        .iter()
        .flat_map(|(k, ms)| ms.iter().map(move |m| (m.as_str(), k.as_str())))
        .collect();

    // Versions from the pages, then the curated retired ones.
    let mut versions: BTreeMap<(String, String), Version> = BTreeMap::new();
    let mut tuples = BTreeSet::new();
    for (key, a) in &availability {
        let sku = static_sku(a.sku).ok_or_else(|| format!("unknown SKU {}", a.sku))?;
        tuples.insert((
            a.model.clone(),
            a.version.clone(),
            sku.to_string(),
            a.region.clone(),
        ));
        let v = versions
            .entry((a.model.clone(), a.version.clone()))
            .or_default();
        let (_, s) = v
            .skus
            .entry(sku_index(sku))
            .or_insert_with(|| (sku, Sku::default()));
        if !s.regions.contains(&a.region) {
            s.regions.push(a.region.clone());
        }
        match &s.regions_source {
            Some(k) if k != key => {
                return Err(format!(
                    "{} {} {sku} is listed by two pages ({k}, {key})",
                    a.model, a.version
                ));
            }
            _ => s.regions_source = Some(key.clone()),
        }
    }
    for v in versions.values_mut() {
        for (_, s) in v.skus.values_mut() {
            s.regions.sort();
        }
    }
    let mut seen_rows: BTreeMap<(String, String), &Retirement> = BTreeMap::new();
    for r in &retirements {
        let k = (r.model.clone(), r.version.clone());
        if let Some(first) = seen_rows.get(&k) {
            if (&first.lifecycle, &first.retirement_date) != (&r.lifecycle, &r.retirement_date) {
                notes.push(format!(
                    "{} {}: the retirement schedule lists it twice (line {}: {} {}; line {}: {} {}); the first row is used",
                    r.model,
                    r.version,
                    first.line,
                    first.lifecycle,
                    first.retirement_date.as_deref().unwrap_or("no date"),
                    r.line,
                    r.lifecycle,
                    r.retirement_date.as_deref().unwrap_or("no date")
                ));
                let v = versions.entry(k).or_default();
                v.notes.push(format!(
                    "the retirement schedule also lists this version with {} {} (line {}); the first row is used",
                    r.lifecycle,
                    r.retirement_date.as_deref().unwrap_or("no date"),
                    r.line
                ));
            }
            continue;
        }
        seen_rows.insert(k.clone(), r);
        let v = versions.entry(k).or_default();
        v.lifecycle = Some(r.lifecycle.clone());
        v.retirement_date = r.retirement_date.clone();
        v.retirement_not_before = r.retirement_not_before.clone();
        v.replacement = r.replacement.clone();
        v.replacement_version = r.replacement_version.clone();
        if r.replacement.is_some() {
            v.replacement_sources.push(retirement_key.clone());
        }
        v.lifecycle_source = Some(retirement_key.clone());
    }
    for e in &c.lifecycle {
        let v = versions
            .entry((e.model.clone(), e.version.clone()))
            .or_default();
        if v.lifecycle.is_some() {
            notes.push(format!(
                "curated lifecycle of {} {} is not used: the schedule lists it",
                e.model, e.version
            ));
            continue;
        }
        v.lifecycle = Some(e.lifecycle.clone());
        v.retirement_date = e.retirement_date.clone();
        v.retirement_not_before = e.retirement_not_before.clone();
        v.lifecycle_source = Some(e.source.clone());
    }
    let mut curated_order: Vec<(String, String)> = Vec::new();
    for e in &c.retired {
        let k = (e.model.clone(), e.version.clone());
        if versions.contains_key(&k) {
            return Err(format!(
                "curated.yaml retires {} {}, but the pages list it: remove it from `retired`",
                e.model, e.version
            ));
        }
        versions.insert(
            k.clone(),
            Version {
                lifecycle: Some("Retired".into()),
                retirement_date: Some(e.retirement_date.clone()),
                replacement: e.replacement.clone(),
                replacement_sources: e.replacement.iter().map(|_| e.source.clone()).collect(),
                lifecycle_source: Some(e.source.clone()),
                ..Version::default()
            },
        );
        curated_order.push(k);
    }

    // SKUs and default quota of every version.
    let pooled: BTreeSet<&str> = c
        .subscription_quota
        .models
        .iter()
        .map(String::as_str)
        .collect();
    for ((model, version), v) in versions.iter_mut() {
        let is_curated = curated_order
            .iter()
            .any(|(m, x)| m == model && x == version);
        if v.skus.is_empty() && !is_curated {
            v.regions_unknown = true;
            for q in quotas.iter().filter(|q| &q.model == model) {
                if let Some(sku) = static_sku(&q.sku) {
                    v.skus
                        .entry(sku_index(sku))
                        .or_insert_with(|| (sku, Sku::default()));
                }
            }
        }
        for (sku, s) in v.skus.values_mut() {
            let rows: Vec<&Quota> = quotas
                .iter()
                .filter(|q| &q.model == model && q.sku == *sku)
                .collect();
            let tpms: BTreeSet<Option<u64>> = rows.iter().map(|q| q.tokens_per_minute).collect();
            match (rows.len(), tpms.len()) {
                (0, _) => {}
                (_, 1) => {
                    if let Some(Some(tpm)) = tpms.first() {
                        s.default_capacity_k_tpm = Some(tpm / 1000);
                        s.capacity_source = Some(quota_key.clone());
                    }
                }
                _ => v.notes.push(format!(
                    "{sku}: the quota table gives different TPM on several rows; no default quota"
                )),
            }
            if matches!(*sku, "GlobalStandard" | "DataZoneStandard" | "Standard") {
                let (pool, source) = match (*sku, pooled.contains(model.as_str())) {
                    ("GlobalStandard", true) => {
                        ("subscription", c.subscription_quota.source.clone())
                    }
                    ("DataZoneStandard", true) => {
                        ("data_zone", c.subscription_quota.source.clone())
                    }
                    _ => ("region", "quota_regional".to_string()),
                };
                s.quota_pool = Some(pool);
                s.quota_pool_source = Some(source);
            }
        }
    }

    crate::replacements::resolve(&mut versions, c, &generated_on, &mut notes);

    // Models, versions newest first (curated retired versions in curated order, after the others).
    let mut models: BTreeMap<String, Model> = BTreeMap::new();
    let mut missing_kind = BTreeSet::new();
    let mut page_versions: Vec<(&(String, String), &Version)> = versions
        .iter()
        .filter(|(k, _)| !curated_order.contains(k))
        .collect();
    page_versions.sort_by(|a, b| a.0.0.cmp(&b.0.0).then(b.0.1.cmp(&a.0.1)));
    let ordered = page_versions
        .into_iter()
        .chain(curated_order.iter().map(|k| (k, &versions[k])));
    for ((model, version), v) in ordered {
        let Some(kind) = kind_of.get(model.as_str()) else {
            missing_kind.insert(model.clone());
            continue;
        };
        models
            .entry(model.clone())
            .or_insert_with(|| Model {
                kind: kind.to_string(),
                versions: Vec::new(),
            })
            .versions
            .push((version.clone(), v.clone()));
    }
    if !missing_kind.is_empty() {
        return Err(format!(
            "no kind for {}: add them to `kinds` in tools/catalog-refresh/curated.yaml",
            missing_kind.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }

    let (regions, azure_regions) = regions(inputs, &availability, &mut notes)?;
    Ok(Built {
        generated_on,
        models,
        regions,
        azure_regions,
        tuples,
        notes,
    })
}

#[allow(clippy::type_complexity)]
fn regions(
    inputs: &Inputs,
    availability: &[(String, Availability)],
    notes: &mut Vec<String>,
) -> Result<(Vec<Region>, Vec<AzureRegion>), String> {
    let c = &inputs.curated;
    let mut seen: IndexMap<String, (String, Option<String>, BTreeSet<usize>)> = IndexMap::new();
    for (_, a) in availability {
        let e = seen
            .entry(a.region.clone())
            .or_insert_with(|| (a.tab.clone(), None, BTreeSet::new()));
        if e.0 != a.tab {
            return Err(format!(
                "{} is under two geography tabs ({}, {})",
                a.region, e.0, a.tab
            ));
        }
        e.2.insert(sku_index(a.sku));
        if a.sku.starts_with("DataZone") {
            let zone = c.data_zones.get(&a.tab).ok_or_else(|| {
                format!(
                    "no data zone for the `{}` tab: add it to curated.yaml data_zones",
                    a.tab
                )
            })?;
            match &e.1 {
                Some(z) if z != zone => {
                    return Err(format!("{} is in two data zones ({z}, {zone})", a.region));
                }
                _ => e.1 = Some(zone.clone()),
            }
        }
    }
    let tab_order = ["Americas", "Europe", "Asia Pacific", "Middle East & Africa"];
    let mut names: Vec<&String> = seen.keys().collect();
    names.sort_by_key(|n| {
        (
            tab_order.iter().position(|t| *t == seen[*n].0).unwrap_or(9),
            n.to_string(),
        )
    });
    let mut regions = Vec::new();
    for name in names {
        let (tab, zone, skus) = &seen[name];
        let Some(base) = inputs.azure_regions.iter().find(|r| &r.name == name) else {
            return Err(format!(
                "{name} is not in regions.yaml's azure_regions: add its display name, geo code and geography there first"
            ));
        };
        regions.push(Region {
            base: base.clone(),
            docs_region_group: tab.clone(),
            data_zone: zone.clone(),
            skus: skus.iter().map(|i| SKUS[*i]).collect(),
        });
    }
    let mut azure = inputs.azure_regions.clone();
    for r in &mut azure {
        let now = seen.contains_key(&r.name);
        if now != r.azure_openai {
            notes.push(format!(
                "{}: Azure OpenAI {} (was {})",
                r.name,
                if now { "offered" } else { "no longer offered" },
                r.azure_openai
            ));
        }
        r.azure_openai = now;
    }
    Ok((regions, azure))
}
