//! Applying an overlay to a catalog: the overlay's facts win.
//!
//! Input: a `Catalog` and an `Overlay` (already checked against its schema). Output: a new `Catalog` with
//! one more layer, or messages naming regions the catalog cannot place. For every region in the overlay:
//! the region becomes an Azure OpenAI region if it was not one; every SKU of every catalog version loses
//! that region unless the overlay lists it there; the overlay's versions, lifecycles, retirement dates,
//! SKUs, capacities and APIs (per region) are added or replace the embedded ones. Where regions disagree on
//! a version's lifecycle or retirement date, the furthest lifecycle and the earliest date win: a deployment
//! must not be promised more than the least favourable region gives (for APIs, `traffic` keeps those all
//! of a deployment's regions list).

use std::collections::BTreeMap;

use indexmap::IndexMap;

use super::{Overlay, OverlayLifecycle};
use crate::catalog::{Catalog, CatalogLayer, ModelEntry, OpenAiRegion, VersionEntry};

/// `catalog` with `overlay` applied; `name` is how commands refer to the overlay (its file name).
pub fn apply(catalog: &Catalog, overlay: &Overlay, name: &str) -> Result<Catalog, Vec<String>> {
    let mut c = catalog.clone();
    let mut errors = Vec::new();
    for region in overlay.regions.keys() {
        match c.azure_region(region) {
            None => errors.push(format!(
                "{name}: region `{region}` is not an Azure region aoaigen knows"
            )),
            Some(r) if r.name != *region => errors.push(format!(
                "{name}: region `{region}` must be written `{}`",
                r.name
            )),
            Some(_) => {}
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let facts = version_facts(overlay);
    // Facts the overlay sets name it as their source, as the embedded ones name theirs.
    let source = format!("overlay {name}");
    c.sources.insert(
        source.clone(),
        crate::catalog::Source::from([
            ("file".to_string(), name.to_string()),
            ("date".to_string(), overlay.date.clone()),
            ("from".to_string(), overlay.source.clone()),
        ]),
    );
    for (region, r) in &overlay.regions {
        add_openai_region(&mut c, region);
        // The overlay is the whole truth for this region: drop it everywhere first.
        for model in c.models.values_mut() {
            for version in model.versions.values_mut() {
                version.region_apis.remove(region);
                for sku in version.skus.values_mut() {
                    sku.regions.retain(|x| x != region);
                }
            }
        }
        for (m, model) in &r.models {
            let entry = c.models.entry(m.clone()).or_insert_with(|| ModelEntry {
                kind: model.kind.clone(),
                versions: IndexMap::new(),
            });
            for (v, version) in &model.versions {
                let ventry = entry
                    .versions
                    .entry(v.clone())
                    .or_insert_with(|| VersionEntry {
                        lifecycle: None,
                        retirement_date: None,
                        retirement_not_before: None,
                        lifecycle_source: None,
                        replacement: None,
                        replacement_version: None,
                        replacement_sources: vec![],
                        regions_unknown: false,
                        notes: vec![],
                        skus: IndexMap::new(),
                        region_apis: BTreeMap::new(),
                    });
                merge_version(ventry, &facts[&(m.as_str(), v.as_str())], &source);
                if let Some(apis) = &version.apis {
                    ventry.region_apis.insert(region.clone(), apis.clone());
                }
                for (s, sku) in &version.skus {
                    let sentry = ventry.skus.entry(s.clone()).or_default();
                    if !sentry.regions.contains(region) {
                        sentry.regions.push(region.clone());
                        sentry.regions.sort();
                    }
                    set(
                        &mut sentry.region_default_capacity_k_tpm,
                        region,
                        sku.default_capacity,
                    );
                    set(
                        &mut sentry.region_max_capacity_k_tpm,
                        region,
                        sku.max_capacity,
                    );
                    set(
                        &mut sentry.region_retirement_date,
                        region,
                        sku.retirement_date.clone(),
                    );
                }
            }
            // Newest first, as the embedded data lists them: Azure's default version leads.
            if let Some(default) = model
                .versions
                .iter()
                .find(|(_, v)| v.default_version)
                .map(|(k, _)| k.clone())
                && let Some(i) = entry.versions.get_index_of(&default)
            {
                entry.versions.move_index(i, 0);
            }
        }
    }
    c.layers.push(CatalogLayer {
        kind: "overlay",
        name: name.to_string(),
        date: overlay.date.clone(),
        regions: overlay
            .regions
            .iter()
            .map(|(r, o)| (r.clone(), o.imported_on.clone()))
            .collect(),
    });
    Ok(c)
}

fn add_openai_region(c: &mut Catalog, region: &str) {
    if c.regions.iter().any(|r| r.name == region) {
        return;
    }
    let Some(a) = c.azure_regions.iter_mut().find(|r| r.name == region) else {
        return;
    };
    a.azure_openai = true;
    let added = OpenAiRegion {
        name: a.name.clone(),
        display_name: a.display_name.clone(),
        abbreviation: a.abbreviation.clone(),
        data_zone: None,
    };
    c.regions.push(added);
}

/// What the overlay says about one version across all its regions.
#[derive(Default)]
struct VersionFacts {
    lifecycle: Option<OverlayLifecycle>,
    retirement_date: Option<String>,
    replacement: Option<String>,
}

fn version_facts(overlay: &Overlay) -> BTreeMap<(&str, &str), VersionFacts> {
    let mut facts: BTreeMap<(&str, &str), VersionFacts> = BTreeMap::new();
    for r in overlay.regions.values() {
        for (m, model) in &r.models {
            for (v, o) in &model.versions {
                let f = facts.entry((m.as_str(), v.as_str())).or_default();
                if let Some(l) = o.lifecycle
                    && f.lifecycle.is_none_or(|c| l.rank() > c.rank())
                {
                    f.lifecycle = Some(l);
                }
                if let Some(d) = &o.retirement_date
                    && f.retirement_date.as_ref().is_none_or(|cur| d < cur)
                {
                    f.retirement_date = Some(d.clone());
                }
                if f.replacement.is_none() {
                    f.replacement = o.replacement.clone();
                }
            }
        }
    }
    facts
}

fn merge_version(v: &mut VersionEntry, f: &VersionFacts, source: &str) {
    if f.lifecycle.is_some() || f.retirement_date.is_some() {
        v.lifecycle_source = Some(source.to_string());
    }
    if let Some(l) = f.lifecycle {
        v.lifecycle = Some(l.as_str().to_string());
    }
    if f.retirement_date.is_some() {
        v.retirement_date = f.retirement_date.clone();
        v.retirement_not_before = None;
    }
    // The overlay writes `model version`; the catalog keeps the two apart.
    if let Some(r) = &f.replacement {
        let (model, version) = match r.split_once(' ') {
            Some((m, ver)) => (m.to_string(), Some(ver.to_string())),
            None => (r.clone(), None),
        };
        v.replacement = Some(model);
        v.replacement_version = version;
        v.replacement_sources = vec![source.to_string()];
    }
}

fn set<T>(map: &mut Option<BTreeMap<String, T>>, region: &str, value: Option<T>) {
    match value {
        Some(v) => {
            map.get_or_insert_with(BTreeMap::new)
                .insert(region.to_string(), v);
        }
        None => {
            if let Some(m) = map.as_mut() {
                m.remove(region);
            }
        }
    }
}
