//! Catalog overlays: facts imported from a live subscription (`aoaigen catalog import`), committed next to
//! the spec and applied over the embedded catalog (`--catalog FILE` or the spec's `catalog:`).
//!
//! Input: the overlay file (YAML written by `emit`, checked against the JSON Schema generated from the types
//! here) and the embedded `Catalog`. Output: a `Catalog` in which the overlay's facts win. An overlay is
//! authoritative for the regions it holds: a model, version or SKU it does not list there is not offered
//! there, whatever the embedded data says, because `az cognitiveservices model list` lists everything a
//! region offers.

pub mod apply;
pub mod emit;
pub mod import;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::catalog::capabilities::Api;
use crate::spec::yaml;

/// The overlay format version this build reads and writes.
pub const OVERLAY_VERSION: u32 = 1;

/// File name of the schema `catalog import` writes next to the overlay; the overlay's modeline points at it.
pub const SCHEMA_FILE: &str = "aoaigen-catalog.schema.json";

/// Overlays hold a few regions' model lists; larger files are not overlays.
pub const MAX_OVERLAY_BYTES: u64 = 8 * 1024 * 1024;

/// Deployment SKU names Azure reports in `skus[].name` of the model list (the catalog's `sku_types`, plus
/// `DeveloperTier` for fine-tuned models). A name outside this list means aoaigen predates the SKU.
pub const KNOWN_SKUS: &[&str] = &[
    "GlobalStandard",
    "DataZoneStandard",
    "Standard",
    "GlobalProvisionedManaged",
    "DataZoneProvisionedManaged",
    "ProvisionedManaged",
    "GlobalBatch",
    "DataZoneBatch",
    "DeveloperTier",
];

/// A catalog overlay: per region, what `az cognitiveservices model list --location <region>` reported.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "aoaigen catalog overlay")]
pub struct Overlay {
    /// Overlay format version. Only `1` exists.
    #[schemars(range(min = 1, max = 1), example = 1)]
    pub overlay_version: u32,
    /// Where the facts come from.
    #[schemars(example = &"az cognitiveservices model list")]
    pub source: String,
    /// Date of the newest region import (`YYYY-MM-DD`): the date commands report for this overlay.
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"), example = &"2026-12-01")]
    pub date: String,
    /// Imported regions by programmatic name (`swedencentral`), sorted.
    #[schemars(example = serde_json::json!({}))]
    pub regions: BTreeMap<String, OverlayRegion>,
}

/// Everything one region offers, as imported.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OverlayRegion {
    /// Day of the import (`YYYY-MM-DD`).
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"), example = &"2026-12-01")]
    pub imported_on: String,
    /// The imported files, by name, with their SHA-256, so a reviewer can tell which recording this is.
    #[schemars(example = serde_json::json!([{"name": "swedencentral.json", "sha256": "0".repeat(64)}]))]
    pub files: Vec<SourceFile>,
    /// Models of other formats (Meta, Mistral, ...) the file listed; aoaigen deploys OpenAI-format models only.
    #[serde(default)]
    #[schemars(example = 0)]
    pub other_formats_skipped: u32,
    /// Azure OpenAI models offered in the region, by name.
    #[schemars(extend("propertyNames" = serde_json::json!({"pattern": crate::catalog::MODEL_NAME_PATTERN})))]
    #[schemars(example = serde_json::json!({}))]
    pub models: BTreeMap<String, OverlayModel>,
}

/// An imported file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceFile {
    /// File name (without its directory).
    #[schemars(example = &"swedencentral.json")]
    pub name: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"), example = &"0000000000000000000000000000000000000000000000000000000000000000")]
    pub sha256: String,
}

/// A model and its versions in one region.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OverlayModel {
    /// chat | completion | embedding | image | video | audio (derived from the model's capabilities); used
    /// only for models the embedded catalog does not know.
    #[schemars(example = &"chat")]
    pub kind: String,
    /// Versions by version string.
    #[schemars(extend("propertyNames" = serde_json::json!({"pattern": crate::catalog::MODEL_NAME_PATTERN})))]
    #[schemars(example = serde_json::json!({}))]
    pub versions: BTreeMap<String, OverlayVersion>,
}

/// One model version in one region.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OverlayVersion {
    /// Lifecycle in the catalog's terms, mapped from Azure's `lifecycleStatus`: `GenerallyAvailable` and
    /// `Stable` are GA, `Deprecating` (existing customers only) is Deprecated, `Deprecated` (returns 410) is
    /// Retired. Absent when Azure reports none.
    #[serde(default)]
    #[schemars(example = &"GA")]
    pub lifecycle: Option<OverlayLifecycle>,
    /// Azure's `lifecycleStatus`, as reported.
    #[serde(default)]
    #[schemars(example = &"GenerallyAvailable")]
    pub lifecycle_status: Option<String>,
    /// Azure's default version of the model in this region.
    #[serde(default)]
    #[schemars(example = true)]
    pub default_version: bool,
    /// Inference retirement (`deprecation.inference`, `YYYY-MM-DD`).
    #[serde(default)]
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"), example = &"2027-04-14")]
    pub retirement_date: Option<String>,
    /// `Planned` (confirmed) or `Tentative` (estimated), as Azure reports it.
    #[serde(default)]
    #[schemars(example = &"Planned")]
    pub retirement_status: Option<String>,
    /// Azure's replacement (`replacementConfig`): `model` or `model version`.
    #[serde(default)]
    #[schemars(example = &"gpt-5.1 2025-11-13")]
    pub replacement: Option<String>,
    /// The APIs the version answers here, from the listing's `capabilities` flags set to `"true"`
    /// (`chatCompletion`, `responses`, `completion`, `embeddings`, `imageGenerations`, `realtime`). Routes,
    /// the smoke test and the generated README use only these; where regions differ, a deployment gets
    /// the APIs all its regions list. Absent when the listing sets none of those flags: the embedded
    /// capability data, or the defaults of the model's `kind`, apply.
    #[serde(default)]
    #[schemars(length(min = 1), extend("uniqueItems" = true), example = serde_json::json!(["responses"]))]
    pub apis: Option<Vec<Api>>,
    /// Deployable SKUs by name.
    #[schemars(extend("propertyNames" = serde_json::json!({"enum": KNOWN_SKUS})))]
    #[schemars(example = serde_json::json!({"GlobalStandard": {"default_capacity": 50, "max_capacity": 5000}}))]
    pub skus: BTreeMap<String, OverlaySku>,
}

/// Lifecycle in the catalog's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum OverlayLifecycle {
    GA,
    Preview,
    Legacy,
    Deprecated,
    Retired,
}

impl OverlayLifecycle {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GA => "GA",
            Self::Preview => "Preview",
            Self::Legacy => "Legacy",
            Self::Deprecated => "Deprecated",
            Self::Retired => "Retired",
        }
    }

    /// How far along the lifecycle: regions that disagree settle on the furthest.
    pub fn rank(self) -> u8 {
        match self {
            Self::Preview => 0,
            Self::GA => 1,
            Self::Legacy => 2,
            Self::Deprecated => 3,
            Self::Retired => 4,
        }
    }
}

/// A deployable SKU of a version in one region.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OverlaySku {
    /// Default capacity of a new deployment (Azure's `capacity.default`; thousands of tokens per minute for
    /// Standard SKUs, PTUs for provisioned ones). Not a quota: aoaigen deploys it where the spec gives no
    /// capacity, and `plan` shows asked capacities next to it as "overlay default capacity".
    #[serde(default)]
    #[schemars(example = 50)]
    pub default_capacity: Option<u32>,
    /// Largest capacity of one deployment (`capacity.maximum`).
    #[serde(default)]
    #[schemars(example = 5000)]
    pub max_capacity: Option<u32>,
    /// Retirement of this SKU (`deprecationDate`, `YYYY-MM-DD`).
    #[serde(default)]
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"), example = &"2027-04-14")]
    pub retirement_date: Option<String>,
    /// The quota (usage) name of this SKU, e.g. `OpenAI.GlobalStandard.gpt-4o`.
    #[serde(default)]
    #[schemars(example = &"OpenAI.GlobalStandard.gpt-4o")]
    pub usage_name: Option<String>,
}

impl Overlay {
    pub fn new() -> Self {
        Self {
            overlay_version: OVERLAY_VERSION,
            source: "az cognitiveservices model list (Microsoft.CognitiveServices/locations/{location}/models)".into(),
            date: String::new(),
            regions: BTreeMap::new(),
        }
    }

    /// Replaces the regions in `other`, keeps the rest, and restates the date.
    pub fn merge(&mut self, other: Overlay) {
        self.regions.extend(other.regions);
        self.date = self
            .regions
            .values()
            .map(|r| r.imported_on.clone())
            .max()
            .unwrap_or_default();
    }
}

impl Default for Overlay {
    fn default() -> Self {
        Self::new()
    }
}

/// The overlay's JSON Schema as published in `schema/aoaigen-catalog.schema.json`.
pub fn schema_json() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        crate::spec::schema::schema_for::<Overlay>(
            "https://aoaigen.dev/schema/v1/aoaigen-catalog.schema.json",
        )
    })
}

/// The schema as `aoaigen schema --catalog` prints it.
pub fn schema_text() -> String {
    serde_json::to_string_pretty(schema_json()).expect("schema serialises") + "\n"
}

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        jsonschema::options()
            .build(schema_json())
            .expect("the overlay schema compiles; this is a bug in aoaigen")
    })
}

/// Reads an overlay file. Errors are `file:line:col: message` lines, every one found.
pub fn load(path: &Path) -> Result<Overlay, Vec<String>> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| vec![format!("{name}: cannot read: {e}")])?;
    if !meta.is_file() {
        return Err(vec![format!("{name}: not a regular file")]);
    }
    if meta.len() > MAX_OVERLAY_BYTES {
        return Err(vec![format!(
            "{name}: {} bytes; overlays are limited to {MAX_OVERLAY_BYTES} bytes (import only the regions you deploy to)",
            meta.len()
        )]);
    }
    let bytes = std::fs::read(path).map_err(|e| vec![format!("{name}: cannot read: {e}")])?;
    parse(&name, &bytes)
}

/// Parses overlay text; `name` labels the messages.
pub fn parse(name: &str, bytes: &[u8]) -> Result<Overlay, Vec<String>> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        vec![format!(
            "{name}: not UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        )]
    })?;
    if text.trim().is_empty() {
        return Err(vec![format!(
            "{name}: the file is empty; write one with `aoaigen catalog import`"
        )]);
    }
    let loaded = yaml::load(text).map_err(|d| {
        let at = d
            .span
            .map(|s| format!(":{}:{}", s.line, s.column))
            .unwrap_or_default();
        vec![format!(
            "{name}{at}: {}",
            d.message.replace("the spec", "the overlay")
        )]
    })?;
    let mut errors: Vec<String> = validator()
        .iter_errors(&loaded.value)
        .map(|e| {
            let pointer = e.instance_path().as_str().to_string();
            let at = yaml::locate(&loaded.spans, &pointer)
                .map(|s| format!(":{}:{}", s.line, s.column))
                .unwrap_or_default();
            let path = if pointer.is_empty() {
                "the top level".to_string()
            } else {
                format!("`{}`", yaml::format_path(&pointer))
            };
            format!("{name}{at}: {path}: {e}")
        })
        .collect();
    if !errors.is_empty() {
        let mut seen = std::collections::BTreeSet::new();
        errors.retain(|e| seen.insert(e.clone()));
        return Err(errors);
    }
    let overlay: Overlay = serde_json::from_value(loaded.value).map_err(|e| {
        vec![format!(
            "{name}: {e}; this is a bug in aoaigen (the schema accepted it)"
        )]
    })?;
    let mut errors = Vec::new();
    let mut check_date = |what: &str, d: &str| {
        if d.parse::<jiff::civil::Date>().is_err() {
            errors.push(format!("{name}: {what}: `{d}` is not a date"));
        }
    };
    check_date("date", &overlay.date);
    for (r, region) in &overlay.regions {
        check_date(&format!("regions.{r}.imported_on"), &region.imported_on);
        for (m, model) in &region.models {
            for (v, version) in &model.versions {
                if let Some(d) = &version.retirement_date {
                    check_date(
                        &format!("regions.{r}.models.{m}.versions.{v}.retirement_date"),
                        d,
                    );
                }
                for (s, sku) in &version.skus {
                    if let Some(d) = &sku.retirement_date {
                        check_date(
                            &format!(
                                "regions.{r}.models.{m}.versions.{v}.skus.{s}.retirement_date"
                            ),
                            d,
                        );
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(overlay)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests;
