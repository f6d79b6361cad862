//! The generated specs of the render bench, shared with the tests (tests/it/diagram.rs renders the
//! largest one's diagram): chat and embedding models from the embedded catalog, each GlobalStandard in
//! every region that offers it.

use std::fmt::Write as _;

use aoaigen::catalog::{self, Lifecycle};

/// Models in the largest generated spec.
pub const LARGEST_MODELS: usize = 20;
const LOCATION: &str = "swedencentral";

/// The largest spec's models: chat and embedding models whose default version is GA or Legacy today and
/// offered GlobalStandard somewhere, most regions first (ties by name), `LARGEST_MODELS` of them, each with
/// every Azure OpenAI region offering it.
pub fn largest_models(today: jiff::civil::Date) -> Vec<(String, Vec<String>)> {
    let c = catalog::embedded();
    let mut v: Vec<(String, Vec<String>)> = c
        .models
        .iter()
        .filter(|(_, m)| m.kind == "chat" || m.kind == "embedding")
        .filter_map(|(name, m)| {
            let ver = c.default_version(name, today)?;
            let ve = &m.versions[ver];
            if !matches!(ve.lifecycle_on(today), Lifecycle::Ga | Lifecycle::Legacy) {
                return None;
            }
            let regions: Vec<String> = ve
                .skus
                .get("GlobalStandard")?
                .regions
                .iter()
                .filter(|r| c.openai_region(r).is_some())
                .cloned()
                .collect();
            (!regions.is_empty()).then(|| (name.clone(), regions))
        })
        .collect();
    v.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    assert!(
        v.len() >= LARGEST_MODELS,
        "the catalog has only {} eligible models",
        v.len()
    );
    v.truncate(LARGEST_MODELS);
    v
}

pub fn spec_text(models: &[(String, Vec<String>)]) -> String {
    let mut s = format!("version: 1\nname: bench\nlocation: {LOCATION}\nmodels:\n");
    for (i, (m, regions)) in models.iter().enumerate() {
        let _ = writeln!(
            s,
            "  - model: {m}\n    deployment: d{i:02}-{m}\n    sku: GlobalStandard\n    capacity: 1\n    regions: [{}]",
            regions.join(", ")
        );
    }
    s
}
