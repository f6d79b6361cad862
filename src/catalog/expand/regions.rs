//! The regions of one model's deployment: each listed (or offered) region resolved against the catalog,
//! with its capacity and quota pool settled, and a warning when regions share one quota pool.
//!
//! Input: one `ModelSpec` with its version and SKU already chosen. Output: `PlannedRegion`s and located
//! diagnostics (unknown or unoffered regions with did-you-mean, capacities against quota and maximum).

use std::collections::BTreeMap;

use super::{FALLBACK_CAPACITY, PlannedRegion};
use crate::catalog::{Catalog, QuotaPool, SkuEntry};
use crate::diag::Diagnostic;
use crate::spec::model::{DeploymentSku, ModelSpec};
use crate::spec::yaml::{SpanMap, error_at, warning_at};
use crate::suggest::did_you_mean;

#[allow(clippy::too_many_arguments)]
pub(in crate::catalog) fn expand_regions(
    m: &ModelSpec,
    p: &str,
    version: &str,
    sku: DeploymentSku,
    entry: &SkuEntry,
    regions_unknown: bool,
    s: &SpanMap,
    catalog: &Catalog,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<PlannedRegion>> {
    let what = format!("{} {version} ({})", m.model, sku.as_str());
    let requested: Vec<(String, Option<u32>, String)> = match &m.regions {
        Some(list) => list
            .iter()
            .enumerate()
            .map(|(j, r)| {
                (
                    r.name().to_string(),
                    r.capacity(),
                    format!("{p}/regions/{j}"),
                )
            })
            .collect(),
        None if regions_unknown || entry.regions.is_empty() => {
            diags.push(
                error_at(
                    s,
                    "no-known-regions",
                    p,
                    format!("the catalog does not know where {what} is offered"),
                )
                .with_help("list the regions to deploy to under `regions`"),
            );
            return None;
        }
        None => entry
            .regions
            .iter()
            .map(|r| (r.clone(), None, p.to_string()))
            .collect(),
    };
    if requested.is_empty() {
        diags.push(error_at(s, "empty-list", &format!("{p}/regions"), "`regions` is empty").with_help("list at least one region, or remove `regions` to use every region offering the model"));
        return None;
    }
    let mut out: Vec<PlannedRegion> = Vec::new();
    let errors_before = diags.iter().filter(|d| d.is_error()).count();
    for (name, capacity, at) in requested {
        let unlisted_region = if m.unlisted {
            crate::catalog::unlisted::region(&name, &at, s, catalog, diags)
        } else {
            None
        };
        let Some(region) = catalog.openai_region(&name).or(unlisted_region.as_ref()) else {
            let d = match catalog.azure_region(&name) {
                Some(r) => error_at(
                    s,
                    "region-without-openai",
                    &at,
                    format!("{} does not offer Azure OpenAI", r.display_name),
                ),
                None => error_at(s, "unknown-region", &at, format!("unknown region `{name}`")),
            };
            diags.push(suggest_offering(d, &name, &entry.regions));
            continue;
        };
        if out.iter().any(|r| r.name == region.name) {
            diags.push(error_at(
                s,
                "duplicate-region",
                &at,
                format!("{} is listed twice for {}", region.name, m.model),
            ));
            continue;
        }
        if unlisted_region.is_some() {
            // Already warned that the region itself is unverified.
        } else if regions_unknown {
            diags.push(warning_at(
                s,
                "unverified-region",
                &at,
                format!(
                    "the catalog does not know where {what} is offered; {} is not verified",
                    region.name
                ),
            ));
        } else if !entry.regions.contains(&region.name) && m.unlisted {
            diags.push(warning_at(
                s,
                "unverified-region",
                &at,
                format!(
                    "the catalog ({}) does not list {what} in {}: deployed unverified because of `unlisted: true`",
                    catalog.describe(),
                    region.name
                ),
            ));
        } else if !entry.regions.contains(&region.name) {
            diags.push(suggest_offering(
                error_at(
                    s,
                    "region-lacks-model",
                    &at,
                    format!("{} does not offer {what}", region.name),
                ),
                &name,
                &entry.regions,
            ));
            continue;
        }
        let default = entry.default_capacity(&region.name);
        let capacity = capacity.or(m.capacity).or(default);
        let capacity = match capacity {
            Some(c) => {
                if let Some(d) = default
                    && c > d
                {
                    let cp = if at.contains("/regions/")
                        && m.regions
                            .as_ref()
                            .is_some_and(|l| l.iter().any(|r| r.capacity().is_some()))
                    {
                        at.clone()
                    } else {
                        format!("{p}/capacity")
                    };
                    diags.push(warning_at(s, "capacity-above-quota", &cp, format!("capacity {c}k TPM in {} is above the catalog's default quota of {d}k TPM for {what}", region.name))
                        .with_help("the deployment fails unless the subscription has more quota there"));
                }
                if let Some(max) = entry.max_capacity(&region.name)
                    && c > max
                {
                    diags.push(error_at(s, "capacity-above-maximum", &at, format!("capacity {c} in {} is above the largest deployment Azure allows for {what} there ({max}, from the catalog overlay)", region.name))
                        .with_help(format!("lower `capacity` to at most {max}, or spread the capacity over more regions")));
                }
                c
            }
            None => {
                diags.push(warning_at(s, "unknown-quota", p, format!("the catalog has no default quota for {what} in {}; using {FALLBACK_CAPACITY}k TPM", region.name))
                    .with_help("set `capacity` to the quota you have"));
                FALLBACK_CAPACITY
            }
        };
        out.push(PlannedRegion {
            name: region.name.clone(),
            display_name: region.display_name.clone(),
            abbreviation: region.abbreviation.clone(),
            capacity,
            default_quota: default,
            max_capacity: entry.max_capacity(&region.name),
            quota_scope: match entry.quota_pool {
                Some(QuotaPool::Subscription) => "subscription".to_string(),
                Some(QuotaPool::DataZone) => region
                    .data_zone
                    .as_ref()
                    .map_or_else(|| region.name.clone(), |z| format!("{z} data zone")),
                Some(QuotaPool::Region) | None => region.name.clone(),
            },
        });
    }
    let errors_after = diags.iter().filter(|d| d.is_error()).count();
    if errors_after == errors_before {
        shared_quota(m, p, &what, entry, &out, s, catalog, diags);
    }
    (errors_after == errors_before).then_some(out)
}

/// Warns when several of a deployment's regions draw on one quota pool: this product combines regional
/// quota, and for a model Microsoft manages per subscription (or per data zone) more regions add
/// availability, not tokens per minute.
#[allow(clippy::too_many_arguments)]
fn shared_quota(
    m: &ModelSpec,
    p: &str,
    what: &str,
    entry: &SkuEntry,
    out: &[PlannedRegion],
    s: &SpanMap,
    catalog: &Catalog,
    diags: &mut Vec<Diagnostic>,
) {
    let mut pools: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for r in out {
        let pool = match entry.quota_pool {
            Some(QuotaPool::Subscription) => "the subscription".to_string(),
            Some(QuotaPool::DataZone) => match catalog
                .openai_region(&r.name)
                .and_then(|x| x.data_zone.clone())
            {
                Some(zone) => format!("the {zone} data zone"),
                None => continue,
            },
            Some(QuotaPool::Region) | None => return,
        };
        pools.entry(pool).or_default().push(r.name.as_str());
    }
    let at = if m.regions.is_some() {
        format!("{p}/regions")
    } else {
        p.to_string()
    };
    for (pool, regions) in pools.into_iter().filter(|(_, r)| r.len() > 1) {
        let quota = entry
            .default_capacity_k_tpm
            .map(|q| format!(" (by default {q}k TPM)"))
            .unwrap_or_default();
        diags.push(warning_at(s, "shared-quota", &at, format!("{what} quota is one pool for {pool}{quota}: {} share it, so these regions add availability, not capacity", regions.join(", ")))
            .with_help("Microsoft manages this model's quota per subscription, not per region (the Scope column of the Foundry Quota page shows it); size `capacity` so that the regions together fit the pool"));
    }
}

pub(super) fn suggest_region<'a>(
    d: Diagnostic,
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    match did_you_mean(&crate::catalog::region_key(name), candidates) {
        Some(x) => d.with_help(format!("did you mean `{x}`?")),
        None => d.with_help("`aoaigen catalog regions` lists the known regions"),
    }
}

fn suggest_offering(d: Diagnostic, name: &str, offering: &[String]) -> Diagnostic {
    let list = offering.join(", ");
    match did_you_mean(
        &crate::catalog::region_key(name),
        offering.iter().map(String::as_str),
    ) {
        Some(x) => d.with_help(format!("did you mean `{x}`? Regions offering it: {list}")),
        None if offering.is_empty() => d,
        None => d.with_help(format!("regions offering it: {list}")),
    }
}
