//! The catalog's data types and lookups, parsed from the embedded YAML with the spec's own loader.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::capabilities::Api;
use super::{Lifecycle, region_key};

/// Everything the catalog knows.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The catalog's date (the newer of its two files): the date of the data, stated in every generated README.
    pub date: String,
    /// Where the facts come from, by the key that versions and SKUs name (`lifecycle_source`, ...).
    pub sources: IndexMap<String, Source>,
    /// Models by name, in catalog order.
    pub models: IndexMap<String, ModelEntry>,
    /// Regions that offer Azure OpenAI.
    pub regions: Vec<OpenAiRegion>,
    /// Every Azure public region (gateway, resource groups).
    pub azure_regions: Vec<AzureRegion>,
    /// Where these facts come from: the embedded data, then each overlay applied on top, in order.
    pub layers: Vec<CatalogLayer>,
}

/// One source of catalog facts, as every command reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogLayer {
    /// `embedded` or `overlay`.
    pub kind: &'static str,
    /// `aoaigen <version>` for the embedded data, the overlay's file name otherwise.
    pub name: String,
    /// The date of the facts (`YYYY-MM-DD`).
    pub date: String,
    /// The regions an overlay holds, with the day each was imported; empty for the embedded data.
    #[serde(skip)]
    pub regions: BTreeMap<String, String>,
}

impl CatalogLayer {
    pub fn describe(&self) -> String {
        match self.kind {
            "embedded" => format!("embedded catalog dated {}", self.date),
            _ => format!("overlay {} dated {}", self.name, self.date),
        }
    }
}

/// A source's fields as the catalog states them: `repo`, `path`, `commit`, `ms_date` or `url`, `used_for`.
pub type Source = IndexMap<String, String>;

#[derive(Debug, Clone, Deserialize)]
struct ModelsFile {
    generated_on: String,
    #[serde(default)]
    sources: IndexMap<String, Source>,
    models: IndexMap<String, ModelEntry>,
}

#[derive(Debug, Clone, Deserialize)]
struct RegionsFile {
    generated_on: String,
    regions: Vec<OpenAiRegion>,
    azure_regions: Vec<AzureRegion>,
}

/// A model and its versions, newest first.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ModelEntry {
    pub kind: String,
    pub versions: IndexMap<String, VersionEntry>,
}

/// One model version.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct VersionEntry {
    pub lifecycle: Option<String>,
    pub retirement_date: Option<String>,
    #[serde(default)]
    pub retirement_not_before: Option<String>,
    /// Source key of `lifecycle` and the dates.
    #[serde(default)]
    pub lifecycle_source: Option<String>,
    /// A model that was current on the catalog's date.
    #[serde(default)]
    pub replacement: Option<String>,
    #[serde(default)]
    pub replacement_version: Option<String>,
    /// Source keys along the replacement's chain, first link first.
    #[serde(default)]
    pub replacement_sources: Vec<String>,
    #[serde(default)]
    pub regions_unknown: bool,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub skus: IndexMap<String, SkuEntry>,
    /// The APIs this version answers per region, where an applied overlay recorded them from Azure's model
    /// list. Never read from models.yaml: the embedded capabilities live in capabilities.yaml.
    #[serde(skip)]
    pub region_apis: BTreeMap<String, Vec<Api>>,
}

/// Where a deployment SKU of a version can be created, and its default quota.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SkuEntry {
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub regions_source: Option<String>,
    #[serde(default)]
    pub default_capacity_k_tpm: Option<u32>,
    #[serde(default)]
    pub region_default_capacity_k_tpm: Option<BTreeMap<String, u32>>,
    #[serde(default)]
    pub capacity_source: Option<String>,
    /// How the default quota is shared between regions; `None` where no source says (provisioned, batch).
    #[serde(default)]
    pub quota_pool: Option<QuotaPool>,
    #[serde(default)]
    pub quota_pool_source: Option<String>,
    /// Where a source retires this SKU on its own date, earlier or later than the version's.
    #[serde(default)]
    pub retirement_date: Option<String>,
    /// Largest capacity one deployment may ask for, per region (from an imported overlay).
    #[serde(default)]
    pub region_max_capacity_k_tpm: Option<BTreeMap<String, u32>>,
    /// Retirement of this SKU, per region (`YYYY-MM-DD`, from an imported overlay), where it differs from
    /// the version's.
    #[serde(default)]
    pub region_retirement_date: Option<BTreeMap<String, String>>,
}

/// Which deployments draw on one quota pool of `default_capacity_k_tpm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuotaPool {
    /// Each region has its own pool: deploying to more regions adds capacity.
    Region,
    /// One pool for all regions of a subscription: more regions add availability, not capacity.
    Subscription,
    /// One pool per data zone.
    DataZone,
}

impl SkuEntry {
    /// This SKU's own retirement date, where a source gives one.
    pub fn retirement(&self) -> Option<Date> {
        self.retirement_date.as_deref().and_then(|d| d.parse().ok())
    }

    /// Default quota in `region` (thousands of tokens per minute), where the catalog knows it.
    pub fn default_capacity(&self, region: &str) -> Option<u32> {
        self.region_default_capacity_k_tpm
            .as_ref()
            .and_then(|m| m.get(region).copied())
            .or(self.default_capacity_k_tpm)
    }

    /// Largest capacity per deployment in `region`, where an overlay gave it.
    pub fn max_capacity(&self, region: &str) -> Option<u32> {
        self.region_max_capacity_k_tpm
            .as_ref()
            .and_then(|m| m.get(region).copied())
    }

    /// Retirement of this SKU in `region`, where an overlay gave one.
    pub fn retirement_in(&self, region: &str) -> Option<Date> {
        self.region_retirement_date
            .as_ref()
            .and_then(|m| m.get(region))
            .and_then(|d| d.parse().ok())
    }
}

/// A region that offers Azure OpenAI.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct OpenAiRegion {
    pub name: String,
    pub display_name: String,
    pub abbreviation: String,
    #[serde(default)]
    pub data_zone: Option<String>,
}

/// Any Azure public region.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct AzureRegion {
    pub name: String,
    pub display_name: String,
    pub abbreviation: String,
    pub availability_zones: bool,
    pub azure_openai: bool,
}

impl Catalog {
    /// A catalog from the text of its two files (the embedded ones, or a refresh's output).
    pub fn parse(models: &str, regions: &str) -> Result<Self, String> {
        let m: ModelsFile = from_yaml(models)?;
        let r: RegionsFile = from_yaml(regions)?;
        let date = m.generated_on.max(r.generated_on);
        Ok(Self {
            layers: vec![CatalogLayer {
                kind: "embedded",
                name: format!("aoaigen {}", env!("CARGO_PKG_VERSION")),
                date: date.clone(),
                regions: BTreeMap::new(),
            }],
            date,
            sources: m.sources,
            models: m.models,
            regions: r.regions,
            azure_regions: r.azure_regions,
        })
    }

    /// An Azure region by programmatic or display name.
    pub fn azure_region(&self, input: &str) -> Option<&AzureRegion> {
        let key = region_key(input);
        self.azure_regions
            .iter()
            .find(|r| r.name == key || region_key(&r.display_name) == key)
    }

    /// An Azure OpenAI region by programmatic or display name.
    pub fn openai_region(&self, input: &str) -> Option<&OpenAiRegion> {
        let key = region_key(input);
        self.regions
            .iter()
            .find(|r| r.name == key || region_key(&r.display_name) == key)
    }

    /// Every layer, for messages: `embedded catalog dated 2026-11-23 + overlay x.yaml dated 2026-12-01`.
    pub fn describe(&self) -> String {
        self.layers
            .iter()
            .map(CatalogLayer::describe)
            .collect::<Vec<_>>()
            .join(" + ")
    }

    /// The version used when a spec names none: the newest that is not retired on `today`, else the newest.
    pub fn default_version(&self, model: &str, today: Date) -> Option<&str> {
        let m = self.models.get(model)?;
        m.versions
            .iter()
            .find(|(_, v)| {
                v.lifecycle_on(today) != Lifecycle::Retired
                    && (v.regions_unknown || v.skus.values().any(|s| !s.regions.is_empty()))
            })
            .or_else(|| m.versions.first())
            .map(|(k, _)| k.as_str())
    }
}

fn from_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    let loaded = crate::spec::yaml::load(text).map_err(|d| d.message)?;
    serde_json::from_value(loaded.value).map_err(|e| e.to_string())
}
