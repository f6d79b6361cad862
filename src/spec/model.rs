//! The spec's shape (version 1), as users write it. The JSON Schema is generated from these types, so the doc
//! comments here are the field reference editors show. Defaults that depend on other fields stay `Option`
//! here and are settled in the graph; fixed defaults are applied by serde and stated in the schema.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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

/// The Application Gateway v2.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GatewaySpec {
    /// Gateway SKU; default `WAF_v2`.
    #[serde(default)]
    pub sku: GatewaySku,
    /// Autoscaling bounds; default `{min: 1, max: 2}` unless `capacity` is given.
    #[serde(default)]
    #[schemars(example = serde_json::json!({"min": 1, "max": 4}))]
    pub autoscale: Option<Autoscale>,
    /// Fixed instance count instead of autoscaling (1-125).
    #[serde(default)]
    #[schemars(range(min = 1, max = 125), example = 2)]
    pub capacity: Option<u32>,
    /// Availability zones of the gateway and its public IP; default `[1, 2, 3]` where the location has
    /// zones, none elsewhere. `[]` turns zones off.
    #[serde(default)]
    #[schemars(example = vec![1, 2, 3])]
    pub zones: Option<Vec<u8>>,
    /// The gateway's virtual network.
    #[serde(default)]
    pub network: NetworkSpec,
    /// Listeners.
    #[serde(default)]
    pub frontend: FrontendSpec,
    /// Web application firewall policy (WAF_v2 only).
    #[serde(default)]
    pub waf: WafSpec,
    /// Backend settings and health probe.
    #[serde(default)]
    pub routing: RoutingSpec,
}

/// Application Gateway v2 SKU.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum GatewaySku {
    /// With a web application firewall policy (default).
    #[default]
    #[serde(rename = "WAF_v2")]
    WafV2,
    /// Without a web application firewall.
    #[serde(rename = "Standard_v2")]
    StandardV2,
}

impl GatewaySku {
    pub fn as_str(self) -> &'static str {
        match self {
            GatewaySku::WafV2 => "WAF_v2",
            GatewaySku::StandardV2 => "Standard_v2",
        }
    }
}

/// Autoscaling bounds.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Autoscale {
    /// Minimum instances (0-100).
    #[schemars(range(min = 0, max = 100), example = 1)]
    pub min: u32,
    /// Maximum instances (2-125).
    #[serde(default)]
    #[schemars(range(min = 2, max = 125), example = 4)]
    pub max: Option<u32>,
}

/// Address space and subnets.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkSpec {
    /// Virtual network address space.
    #[serde(default = "default_address_space")]
    #[schemars(example = &"10.40.0.0/16")]
    pub address_space: String,
    /// Gateway subnet; default: the first /24 of the address space.
    #[serde(default)]
    #[schemars(example = &"10.40.0.0/24")]
    pub gateway_subnet: Option<String>,
    /// Private-endpoint subnet (private access only); default: the /24 after the gateway subnet.
    #[serde(default)]
    #[schemars(example = &"10.40.1.0/24")]
    pub endpoints_subnet: Option<String>,
}

fn default_address_space() -> String {
    "10.0.0.0/16".to_string()
}

impl Default for NetworkSpec {
    fn default() -> Self {
        Self {
            address_space: default_address_space(),
            gateway_subnet: None,
            endpoints_subnet: None,
        }
    }
}

/// Listeners of the gateway.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrontendSpec {
    /// Plain HTTP listener on port 80; default `true` only when `https` is absent.
    #[serde(default)]
    #[schemars(example = false)]
    pub http: Option<bool>,
    /// HTTPS listener on port 443.
    #[serde(default)]
    #[schemars(example = serde_json::json!({"hostname": "ai.contoso.com", "certificate": {"key_vault_secret_id": "https://kv-contoso.vault.azure.net/secrets/ai-gw"}, "redirect_http": true}))]
    pub https: Option<HttpsSpec>,
}

/// HTTPS listener.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HttpsSpec {
    /// Host name clients use, e.g. `ai.contoso.com`.
    #[serde(default)]
    #[schemars(example = &"ai.contoso.com")]
    pub hostname: Option<String>,
    /// TLS certificate: a Key Vault secret, or a PFX file next to the spec.
    #[serde(default)]
    #[schemars(example = serde_json::json!({"key_vault_secret_id": "https://kv-contoso.vault.azure.net/secrets/ai-gw"}))]
    pub certificate: Option<CertificateSpec>,
    /// DNS zone for an A record of `hostname`: a zone name to create, or `{name, resource_group}` of an
    /// existing zone. Must be a suffix of `hostname`.
    #[serde(default)]
    #[schemars(example = &"contoso.com")]
    pub dns_zone: Option<DnsZoneRef>,
    /// Redirect HTTP (port 80) to HTTPS; default `false`.
    #[serde(default)]
    pub redirect_http: bool,
}

/// TLS certificate source.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateSpec {
    /// Key Vault secret ID (`https://<vault>.vault.azure.net/secrets/<name>[/<version>]`); the gateway reads
    /// it through a user-assigned identity granted "Key Vault Secrets User" on the vault.
    #[serde(default)]
    #[schemars(example = &"https://kv-contoso.vault.azure.net/secrets/ai-gw")]
    pub key_vault_secret_id: Option<String>,
    /// Resource group of the Key Vault (to scope the role assignment); default: asked for as a variable.
    #[serde(default)]
    #[schemars(example = &"rg-security")]
    pub key_vault_resource_group: Option<String>,
    /// PFX file, relative to the spec; its password is a secret input of the generated project.
    #[serde(default)]
    #[schemars(example = &"certs/ai-gw.pfx")]
    pub pfx_file: Option<String>,
}

/// A DNS zone to create (by name) or an existing one.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum DnsZoneRef {
    /// Zone to create in the gateway's resource group.
    Create(String),
    /// Existing zone.
    Existing(ExistingDnsZone),
}

/// An existing public DNS zone.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExistingDnsZone {
    /// Zone name.
    #[schemars(example = &"contoso.com")]
    pub name: String,
    /// Resource group holding the zone.
    #[schemars(example = &"rg-dns")]
    pub resource_group: String,
}

/// Web application firewall policy.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WafSpec {
    /// `Prevention` blocks matches, `Detection` only logs them; default `Prevention`.
    #[serde(default)]
    pub mode: WafMode,
    /// Managed rule set; default `DRS-2.1` (Microsoft_DefaultRuleSet 2.1).
    #[serde(default)]
    pub rule_set: WafRuleSet,
    /// Largest request body inspected, in KB (8-2000); default 2000 (chat payloads are large).
    #[serde(default = "default_max_body")]
    #[schemars(range(min = 8, max = 2000))]
    pub max_request_body_kb: u32,
    /// Parts of requests the managed rules skip, for payload fields that trip false positives.
    #[serde(default)]
    pub exclusions: Vec<WafExclusion>,
}

fn default_max_body() -> u32 {
    2000
}

impl Default for WafSpec {
    fn default() -> Self {
        Self {
            mode: WafMode::default(),
            rule_set: WafRuleSet::default(),
            max_request_body_kb: 2000,
            exclusions: vec![],
        }
    }
}

/// Managed rule set of the WAF policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum WafRuleSet {
    /// Microsoft_DefaultRuleSet 2.1 (default).
    #[default]
    #[serde(rename = "DRS-2.1")]
    Drs21,
    /// OWASP CRS 3.2.
    #[serde(rename = "OWASP-3.2")]
    Owasp32,
}

impl WafRuleSet {
    /// `(type, version)` as ARM and azurerm name them.
    pub fn type_and_version(self) -> (&'static str, &'static str) {
        match self {
            WafRuleSet::Drs21 => ("Microsoft_DefaultRuleSet", "2.1"),
            WafRuleSet::Owasp32 => ("OWASP", "3.2"),
        }
    }
}

/// WAF mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum WafMode {
    #[default]
    Prevention,
    Detection,
}

/// A WAF exclusion.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WafExclusion {
    /// What to match.
    #[schemars(example = &"RequestArgNames")]
    pub match_variable: WafMatchVariable,
    /// How the selector matches; default `Equals`.
    #[serde(default)]
    pub operator: WafSelectorOperator,
    /// Name of the header, cookie or argument, e.g. `messages`.
    #[schemars(example = &"messages")]
    pub selector: String,
}

/// WAF exclusion match variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum WafMatchVariable {
    RequestArgNames,
    RequestArgKeys,
    RequestArgValues,
    RequestCookieNames,
    RequestCookieKeys,
    RequestCookieValues,
    RequestHeaderNames,
    RequestHeaderKeys,
    RequestHeaderValues,
}

/// WAF exclusion selector operator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum WafSelectorOperator {
    #[default]
    Equals,
    Contains,
    StartsWith,
    EndsWith,
    EqualsAny,
}

/// Backend settings and health probe.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutingSpec {
    /// Backend request timeout in seconds (1-86400); default 300: completions stream for minutes, and Azure's
    /// default of 30 s cuts them off.
    #[serde(default = "default_timeout")]
    #[schemars(range(min = 1, max = 86400))]
    pub request_timeout: u32,
    /// Cookie-based affinity, needed for stateful APIs (assistants, responses, files); default `false`.
    #[serde(default)]
    pub cookie_affinity: bool,
    /// Health probe of every account.
    #[serde(default)]
    pub health_probe: HealthProbeSpec,
}

fn default_timeout() -> u32 {
    300
}

impl Default for RoutingSpec {
    fn default() -> Self {
        Self {
            request_timeout: 300,
            cookie_affinity: false,
            health_probe: HealthProbeSpec::default(),
        }
    }
}

/// Health probe.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HealthProbeSpec {
    /// Probe path; default `/status-0123456789abcdef`.
    #[serde(default = "default_probe_path")]
    #[schemars(regex(pattern = r"^/"))]
    pub path: String,
    /// Seconds between probes (1-86400); default 30.
    #[serde(default = "default_30")]
    #[schemars(range(min = 1, max = 86400))]
    pub interval: u32,
    /// Probe timeout in seconds (1-86400); default 30.
    #[serde(default = "default_30")]
    #[schemars(range(min = 1, max = 86400))]
    pub timeout: u32,
    /// Failed probes before a backend is unhealthy (1-20); default 3.
    #[serde(default = "default_threshold")]
    #[schemars(range(min = 1, max = 20))]
    pub unhealthy_threshold: u32,
    /// Status codes or ranges that count as healthy; default `["200-399"]`.
    #[serde(default = "default_match_status")]
    pub match_status: Vec<String>,
}

fn default_probe_path() -> String {
    "/status-0123456789abcdef".to_string()
}
fn default_30() -> u32 {
    30
}
fn default_threshold() -> u32 {
    3
}
fn default_match_status() -> Vec<String> {
    vec!["200-399".to_string()]
}

impl Default for HealthProbeSpec {
    fn default() -> Self {
        Self {
            path: default_probe_path(),
            interval: 30,
            timeout: 30,
            unhealthy_threshold: 3,
            match_status: default_match_status(),
        }
    }
}

/// Network access and identities.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessSpec {
    /// `firewall` (default): public endpoints that deny all but the gateway's IP; `private`: private
    /// endpoints in the gateway's network, public access disabled.
    #[serde(default)]
    pub network: NetworkMode,
    /// Extra IPv4 addresses or CIDRs allowed straight to the accounts (operators).
    #[serde(default)]
    #[schemars(example = vec!["203.0.113.10"])]
    pub allowed_ips: Vec<String>,
    /// API keys on the accounts; default `false` (Entra ID only). `true` draws a warning.
    #[serde(default)]
    pub local_auth: bool,
    /// Role assignments on every account.
    #[serde(default)]
    pub role_assignments: Vec<RoleAssignmentSpec>,
}

/// How the accounts are reached.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum NetworkMode {
    #[default]
    Firewall,
    Private,
}

/// A role for a principal on every account.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleAssignmentSpec {
    /// Object ID of the user, group or service principal.
    #[schemars(example = &"00000000-0000-0000-0000-000000000000")]
    pub principal_id: String,
    /// Kind of principal; default `ServicePrincipal`.
    #[serde(default)]
    pub principal_type: PrincipalType,
    /// Role; default `openai-user`.
    #[serde(default)]
    pub role: Role,
}

/// Kind of principal.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
pub enum PrincipalType {
    User,
    Group,
    #[default]
    ServicePrincipal,
}

impl PrincipalType {
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalType::User => "User",
            PrincipalType::Group => "Group",
            PrincipalType::ServicePrincipal => "ServicePrincipal",
        }
    }
}

/// Built-in role granted on the accounts.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Cognitive Services OpenAI User: call the inference APIs.
    #[default]
    OpenaiUser,
    /// Cognitive Services OpenAI Contributor: also manage deployments and files.
    OpenaiContributor,
    /// Cognitive Services User.
    CognitiveServicesUser,
}

impl Role {
    pub fn key(self) -> &'static str {
        match self {
            Role::OpenaiUser => "openai-user",
            Role::OpenaiContributor => "openai-contributor",
            Role::CognitiveServicesUser => "cognitive-services-user",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Role::OpenaiUser => "Cognitive Services OpenAI User",
            Role::OpenaiContributor => "Cognitive Services OpenAI Contributor",
            Role::CognitiveServicesUser => "Cognitive Services User",
        }
    }

    /// Built-in role definition GUIDs, the same in every tenant.
    pub fn definition_id(self) -> &'static str {
        match self {
            Role::OpenaiUser => "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
            Role::OpenaiContributor => "a001fd3d-188f-4b5d-821b-7da978bf7442",
            Role::CognitiveServicesUser => "a97b65f3-24c7-4388-baec-2e87135dc908",
        }
    }
}

/// Settings of the Azure OpenAI accounts.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountsSpec {
    /// Terraform timeouts of accounts and deployments (ARM has none; the Bicep scripts retry instead).
    #[serde(default)]
    pub timeouts: TimeoutsSpec,
    /// Purge accounts when Terraform destroys them, so their names and quota free up at once; default `false`.
    #[serde(default)]
    pub purge_on_destroy: bool,
}

/// Durations such as `60m`, `1h30m`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeoutsSpec {
    /// Default `60m`.
    #[serde(default = "default_duration")]
    #[schemars(regex(pattern = r"^([0-9]+h)?([0-9]+m)?([0-9]+s)?$"))]
    pub create: String,
    /// Default `60m`.
    #[serde(default = "default_duration")]
    #[schemars(regex(pattern = r"^([0-9]+h)?([0-9]+m)?([0-9]+s)?$"))]
    pub update: String,
    /// Default `60m`.
    #[serde(default = "default_duration")]
    #[schemars(regex(pattern = r"^([0-9]+h)?([0-9]+m)?([0-9]+s)?$"))]
    pub delete: String,
}

fn default_duration() -> String {
    "60m".to_string()
}

impl Default for TimeoutsSpec {
    fn default() -> Self {
        Self {
            create: default_duration(),
            update: default_duration(),
            delete: default_duration(),
        }
    }
}

/// Diagnostics destination.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiagnosticsSpec {
    /// Create a Log Analytics workspace.
    #[serde(default)]
    #[schemars(example = serde_json::json!({"retention_days": 90}))]
    pub log_analytics: Option<LogAnalyticsSpec>,
    /// Or send to an existing workspace (resource ID).
    #[serde(default)]
    #[schemars(example = &"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/log-central")]
    pub workspace_id: Option<String>,
}

/// A new Log Analytics workspace.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogAnalyticsSpec {
    /// Retention in days (30-730); default 30.
    #[serde(default = "default_retention")]
    #[schemars(range(min = 30, max = 730))]
    pub retention_days: u32,
}

fn default_retention() -> u32 {
    30
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
