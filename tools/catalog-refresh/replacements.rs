//! Replacement models: every replacement the catalog states must be a model that can still be chosen.
//!
//! Input: all versions (keyed by model and version) with the replacement their source names, the curated
//! hints, the catalog's date. Output: each version's `replacement` set to the first current model along the
//! chain "named replacement, its own replacement, ...", with the source keys of the chain; none where the
//! chain ends without a current model (and a note saying so).

use std::collections::BTreeMap;

use crate::assemble::{Curated, Version};

/// Whether `model` (at `version`, or any version) can still be chosen on `date`: GA, Preview or a version
/// the schedule does not list, deployable somewhere, and not retiring by then.
fn current(
    versions: &BTreeMap<(String, String), Version>,
    model: &str,
    version: Option<&str>,
    date: &str,
) -> bool {
    versions.iter().any(|((m, x), v)| {
        m == model
            && version.is_none_or(|want| want == x)
            && matches!(v.lifecycle.as_deref(), None | Some("GA") | Some("Preview"))
            && v.retirement_date.as_deref().is_none_or(|d| d > date)
            && (v.regions_unknown || v.skus.values().any(|(_, s)| !s.regions.is_empty()))
    })
}

/// The next link of a replacement chain after `model`: its newest version's own replacement, else a hint.
fn next_link(
    versions: &BTreeMap<(String, String), Version>,
    c: &Curated,
    model: &str,
) -> Option<(String, Option<String>, String)> {
    let newest = versions
        .iter()
        .filter(|((m, _), _)| m == model)
        .max_by(|a, b| a.0.1.cmp(&b.0.1))
        .map(|(_, v)| v);
    if let Some(v) = newest
        && let (Some(r), Some(src)) = (&v.replacement, v.replacement_sources.first())
        && r != model
    {
        return Some((r.clone(), v.replacement_version.clone(), src.clone()));
    }
    c.replacement_hints
        .get(model)
        .map(|h| (h.replacement.clone(), None, h.source.clone()))
}

/// Makes every replacement name a current model (on the catalog's date), following the sources' own
/// replacements of a replacement that is no longer current; a chain that ends nowhere leaves none.
pub fn resolve(
    versions: &mut BTreeMap<(String, String), Version>,
    c: &Curated,
    date: &str,
    notes: &mut Vec<String>,
) {
    let keys: Vec<(String, String)> = versions.keys().cloned().collect();
    for key in keys {
        let v = &versions[&key];
        let needs = matches!(
            v.lifecycle.as_deref(),
            Some("Legacy" | "Deprecated" | "Retired")
        ) || v.retirement_date.as_deref().is_some_and(|d| d <= date);
        let mut link = match (&v.replacement, v.replacement_sources.first()) {
            (Some(r), Some(s)) => Some((r.clone(), v.replacement_version.clone(), s.clone())),
            _ if needs => c
                .replacement_hints
                .get(&key.0)
                .map(|h| (h.replacement.clone(), None, h.source.clone())),
            _ => None,
        };
        let mut chain: Vec<String> = Vec::new();
        let mut sources = Vec::new();
        let mut resolved = None;
        while let Some((model, version, source)) = link.take() {
            if chain.contains(&model) || chain.len() > 8 {
                break;
            }
            chain.push(model.clone());
            sources.push(source);
            if current(versions, &model, version.as_deref(), date) {
                resolved = Some((model, version));
                break;
            }
            link = next_link(versions, c, &model);
        }
        let v = versions.get_mut(&key).expect("key from the map");
        match resolved {
            Some((model, version)) => {
                if chain.len() > 1 {
                    v.notes.push(format!(
                        "replacement via {}: each earlier one is no longer current on {date}",
                        chain.join(" -> ")
                    ));
                }
                v.replacement = Some(model);
                v.replacement_version = version;
                v.replacement_sources = sources;
            }
            None => {
                if !chain.is_empty() {
                    notes.push(format!(
                        "{} {}: no current replacement ({} is not current on {date}); none is given",
                        key.0,
                        key.1,
                        chain.join(" -> ")
                    ));
                    v.notes.push(format!(
                        "the sources name {}, which is not current on {date}",
                        chain.join(" -> ")
                    ));
                }
                v.replacement = None;
                v.replacement_version = None;
                v.replacement_sources = Vec::new();
            }
        }
    }
}
