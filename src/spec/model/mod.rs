//! The spec's shape (version 1), as users write it. The JSON Schema is generated from these types, so the doc
//! comments here are the field reference editors show. Defaults that depend on other fields stay `Option`
//! here and are settled in the graph; fixed defaults are applied by serde and stated in the schema.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalog::capabilities::Api;

mod access;
mod gateway;

pub use access::*;
pub use gateway::*;

/// An aoaigen spec: Azure OpenAI accounts in several regions behind one Application Gateway.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "aoaigen spec", example = example_spec())]
pub struct RawSpec {
    /// Spec format version. Only `1` exists.
    #[schemars(range(min = 1, max = 1), example = 1)]
    pub version: u32,
    /// Naming root of every resource: 2-20 characters, lowercase letters, digits and hyphens, starting with a
    /// letter and not ending with a hyphen.
    #[schemars(length(min = 2, max = 20), regex(pattern = r"^[a-z][a-z0-9-]*[a-z0-9]$"), example = &"contoso-llm")]
    pub name: String,
    /// Azure region of the gateway, its network and the resource groups (programmatic name such as
    /// `swedencentral`, or display name such as `Sweden Central`). Any Azure public region.
    #[schemars(example = &"swedencentral")]
    pub location: String,
    /// Tags put on every resource that takes tags.
    #[serde(default)]
    #[schemars(example = example_tags())]
    pub tags: BTreeMap<String, String>,
    /// The models to deploy; each becomes one deployment name (URL path segment) served by every region listed.
    #[schemars(length(min = 1))]
    #[schemars(example = example_models())]
    pub models: Vec<ModelSpec>,
    /// The Application Gateway in front of the accounts.
    #[serde(default)]
    pub gateway: GatewaySpec,
    /// Who and what may reach the accounts.
    #[serde(default)]
    pub access: AccessSpec,
    /// Settings of the Azure OpenAI accounts.
    #[serde(default)]
    pub accounts: AccountsSpec,
    /// Log Analytics for the gateway and the accounts. Omit for no diagnostics.
    #[serde(default)]
    #[schemars(example = serde_json::json!({"log_analytics": {"retention_days": 30}}))]
    pub diagnostics: Option<DiagnosticsSpec>,
    /// A catalog overlay written by `aoaigen catalog import` (path relative to this spec): its facts win
    /// over aoaigen's embedded catalog. `--catalog` on the command line replaces it. Default: none.
    #[serde(default)]
    #[schemars(example = &"aoaigen-catalog.yaml")]
    pub catalog: Option<String>,
    /// Warn when a deployment's model retires within this many days (`<days>d`); `validate
    /// --retirement-horizon` overrides it. With `--deny-warnings` such a model fails validation.
    #[serde(default = "default_retirement_horizon")]
    #[schemars(regex(pattern = r"^[0-9]{1,4}d$"), example = &"90d")]
    pub retirement_horizon: String,
}

fn default_retirement_horizon() -> String {
    "30d".to_string()
}

/// One model deployment, spread over regions.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// Catalog model name (see `aoaigen catalog models`).
    #[schemars(example = &"gpt-4.1")]
    pub model: String,
    /// Model version; default: the catalog's newest version that is not retired.
    #[serde(default)]
    #[schemars(example = &"2025-04-14")]
    pub version: Option<String>,
    /// Deployment SKU; default `GlobalStandard`.
    #[serde(default)]
    #[schemars(example = &"GlobalStandard")]
    pub sku: Option<DeploymentSku>,
    /// Capacity per region in thousands of tokens per minute; default: the catalog's default quota (tier 1),
    /// capped at the region's default quota where the catalog knows it.
    #[serde(default)]
    #[schemars(range(min = 1), example = 100)]
    pub capacity: Option<u32>,
    /// Regions to deploy to (names, display names, or `{name, capacity}`); default: every region offering the
    /// model, version and SKU.
    #[serde(default)]
    #[schemars(example = example_regions())]
    pub regions: Option<Vec<RegionRef>>,
    /// Deployment name, also the URL path segment `/openai/deployments/<deployment>/`; default: the model name.
    #[serde(default)]
    #[schemars(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$"), example = &"gpt-41")]
    pub deployment: Option<String>,
    /// When Azure moves the deployment to a newer model version.
    #[serde(default)]
    pub version_upgrade: VersionUpgrade,
    /// Content filter (RAI policy) name; default: the account's default policy.
    #[serde(default)]
    #[schemars(example = &"Microsoft.DefaultV2")]
    pub content_filter: Option<String>,
    /// Deploy a model or version the catalog does not list (newer than the catalog), unverified, with a
    /// warning. Requires `version` and `regions`; lifecycle, availability and quota are then not checked.
    /// Prefer `aoaigen catalog import`, which verifies them. Default: false.
    #[serde(default)]
    #[schemars(example = true)]
    pub unlisted: bool,
    /// The APIs an `unlisted` model answers, in the order the smoke test and the examples prefer them:
    /// `chat_completions`, `responses`, `completions`, `embeddings`, `images`, `videos`,
    /// `audio_transcriptions`, `audio_speech`, `realtime`. The gateway's routes, `scripts/smoke-test.sh` and
    /// the generated README use only these. Only with `unlisted: true`. Default: what the catalog (or its
    /// overlay) records for the model, else the defaults of its kind, derived from its name (a chat model
    /// gets `[chat_completions, responses]`: a Responses-only model needs `apis: [responses]`).
    #[serde(default)]
    #[schemars(length(min = 1), extend("uniqueItems" = true), example = serde_json::json!(["responses"]))]
    pub apis: Option<Vec<Api>>,
    /// Seconds the gateway waits for this deployment's answer (1-86400); default
    /// `gateway.routing.request_timeout` when set, else the catalog's value for the model's family (300 for
    /// chat models, 900 for reasoning models, 3600 for pro and deep-research models, 120 for embeddings),
    /// capped at 240 with `access.network: firewall` (Application Gateway's maximum for backends outside
    /// its network). Streamed answers only need the longest pause between two events.
    #[serde(default)]
    #[schemars(range(min = 1, max = 86400), example = 900)]
    pub request_timeout: Option<u32>,
}

/// A region, by name, or with its own capacity.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum RegionRef {
    /// Region name, e.g. `swedencentral` or `Sweden Central`.
    Name(String),
    /// Region with a capacity that overrides the model's.
    Detailed(RegionDetail),
}

/// A region with its own capacity.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionDetail {
    /// Region name.
    #[schemars(example = &"uksouth")]
    pub name: String,
    /// Capacity in this region, thousands of tokens per minute.
    #[serde(default)]
    #[schemars(range(min = 1), example = 50)]
    pub capacity: Option<u32>,
}

impl RegionRef {
    pub fn name(&self) -> &str {
        match self {
            RegionRef::Name(n) => n,
            RegionRef::Detailed(d) => &d.name,
        }
    }

    pub fn capacity(&self) -> Option<u32> {
        match self {
            RegionRef::Name(_) => None,
            RegionRef::Detailed(d) => d.capacity,
        }
    }
}

/// Deployment SKU (pay-per-token kinds; provisioned and batch SKUs do not fit layer-7 load balancing).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
pub enum DeploymentSku {
    /// Processing in any Azure region; offered for most models in most regions.
    GlobalStandard,
    /// Processing inside the EU or US data zone of the account's region.
    DataZoneStandard,
    /// Processing in the account's region.
    Standard,
}

impl DeploymentSku {
    pub fn as_str(self) -> &'static str {
        match self {
            DeploymentSku::GlobalStandard => "GlobalStandard",
            DeploymentSku::DataZoneStandard => "DataZoneStandard",
            DeploymentSku::Standard => "Standard",
        }
    }
}

/// Model version upgrade policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum VersionUpgrade {
    /// Upgrade when Azure makes a newer version the default.
    #[default]
    OnNewDefault,
    /// Upgrade only when the current version expires.
    OnExpiry,
    /// Never upgrade automatically (the deployment stops working when its version retires).
    Never,
}

impl VersionUpgrade {
    /// The value both azurerm (`version_upgrade_option`) and ARM (`versionUpgradeOption`) use.
    pub fn azure_value(self) -> &'static str {
        match self {
            VersionUpgrade::OnNewDefault => "OnceNewDefaultVersionAvailable",
            VersionUpgrade::OnExpiry => "OnceCurrentVersionExpired",
            VersionUpgrade::Never => "NoAutoUpgrade",
        }
    }
}

fn default_true() -> bool {
    true
}

fn example_tags() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("owner".to_string(), "platform-team".to_string()),
        ("cost-center".to_string(), "4711".to_string()),
    ])
}

fn example_regions() -> serde_json::Value {
    serde_json::json!(["swedencentral", "francecentral", {"name": "uksouth", "capacity": 50}])
}

fn example_models() -> serde_json::Value {
    serde_json::json!([{"model": "gpt-5.1", "regions": ["swedencentral", "francecentral"]}, {"model": "text-embedding-3-large"}])
}

fn example_spec() -> serde_json::Value {
    serde_json::json!({
        "version": 1,
        "name": "contoso-llm",
        "location": "swedencentral",
        "models": [{"model": "gpt-4.1", "regions": ["swedencentral", "francecentral"]}]
    })
}
