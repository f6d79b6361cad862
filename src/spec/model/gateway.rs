//! The `gateway` section of the spec: SKU, scaling, network, listeners, WAF, routing.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
    /// Resource group of the Key Vault (to scope the role assignment); default: an input at deploy time
    /// (Terraform variable `key_vault_resource_group_name`, Bicep environment variable
    /// `AOAIGEN_KEY_VAULT_RESOURCE_GROUP`).
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
    /// Largest request body accepted and inspected, in KB (8-2000); default 2000 (chat payloads are large;
    /// images sent inline as base64 grow by a third, so an image over about 1.4 MB is refused).
    #[serde(default = "default_max_body")]
    #[schemars(range(min = 8, max = 2000))]
    pub max_request_body_kb: u32,
    /// Parts of requests the managed rules skip, for payload fields that trip false positives (added to the
    /// prompt exclusions).
    #[serde(default)]
    pub exclusions: Vec<WafExclusion>,
    /// Exclude the values of the JSON fields that carry prompt text (`messages`, `input`, `instructions`,
    /// `prompt`, `tools`, `content`, ...) from the managed rules, so prompts full of code, SQL or shell
    /// commands are not answered with 403; headers, cookies, the URI, the query string and every other body
    /// field stay inspected. Default `true`.
    #[serde(default = "super::default_true")]
    pub prompt_exclusions: bool,
    /// Inspect request bodies at all; default `true`. `false` inspects only headers, cookies and the URI
    /// (the body size limit still applies).
    #[serde(default = "super::default_true")]
    pub inspect_body: bool,
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
            prompt_exclusions: true,
            inspect_body: true,
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
    /// Microsoft_DefaultRuleSet 2.2: paranoia level 1 by default, newly added rules start in log mode.
    #[serde(rename = "DRS-2.2")]
    Drs22,
    /// OWASP CRS 3.2.
    #[serde(rename = "OWASP-3.2")]
    Owasp32,
}

impl WafRuleSet {
    /// `(type, version)` as ARM and azurerm name them.
    pub fn type_and_version(self) -> (&'static str, &'static str) {
        match self {
            WafRuleSet::Drs21 => ("Microsoft_DefaultRuleSet", "2.1"),
            WafRuleSet::Drs22 => ("Microsoft_DefaultRuleSet", "2.2"),
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
    /// Backend request timeout in seconds (1-86400) for every model without its own
    /// `models[].request_timeout`; default: each model's catalog value (300 s for chat models, more for
    /// reasoning models). Azure's own default of 30 s cuts long answers off.
    #[serde(default)]
    #[schemars(range(min = 1, max = 86400), example = 300)]
    pub request_timeout: Option<u32>,
    /// Cookie-based affinity on every model route, so a client stays on one account; default `false`:
    /// stateless calls are balanced over all accounts, and `stateful_affinity` covers the stateful ones.
    #[serde(default)]
    pub cookie_affinity: bool,
    /// Cookie-based affinity on the routes that carry state (`/d/<deployment>/openai/v1/responses`, files,
    /// batches, assistants, threads, vector stores, conversations, containers) and on paths that name no
    /// deployment; default `true`. Off, a stored response may be looked up in another account (404).
    #[serde(default = "super::default_true")]
    pub stateful_affinity: bool,
    /// Rewrite `retry-after`/`retry-after-ms` on throttled (429) answers of pools with two or more accounts
    /// so SDK clients retry at once and the gateway's round robin sends the retry to the next account;
    /// default: on for every pool of two or more accounts (routes without cookie affinity).
    #[serde(default)]
    #[schemars(example = true)]
    pub fast_retry: Option<bool>,
    /// Health probe of every account.
    #[serde(default)]
    pub health_probe: HealthProbeSpec,
}

impl Default for RoutingSpec {
    fn default() -> Self {
        Self {
            request_timeout: None,
            cookie_affinity: false,
            stateful_affinity: true,
            fast_retry: None,
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
