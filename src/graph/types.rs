//! The resource graph's data types: the contract between planning and rendering.
//!
//! Plain serialisable data, target-neutral, with every decision already made. Collections are sorted by
//! their stable key (region name, deployment name) so that adding a region or a model adds entries without
//! moving or renaming existing ones.

use serde::Serialize;

/// Everything both targets render, fully decided.
#[derive(Debug, Clone, Serialize)]
pub struct ResourceGraph {
    pub meta: Meta,
    pub resource_groups: ResourceGroups,
    pub network: Network,
    pub public_ip: PublicIp,
    pub waf_policy: Option<WafPolicy>,
    pub gateway: Gateway,
    /// Present when the certificate comes from Key Vault.
    pub identity: Option<GatewayIdentity>,
    pub dns: Option<DnsRecord>,
    /// One per region, sorted by region.
    pub accounts: Vec<Account>,
    /// One per (region, deployment), sorted by key `<region>/<deployment>`.
    pub deployments: Vec<Deployment>,
    /// One per (principal, role, region), sorted by key.
    pub role_assignments: Vec<RoleAssignment>,
    pub access: Access,
    /// Present in private mode.
    pub private_link: Option<PrivateLink>,
    pub diagnostics: Option<Diagnostics>,
    /// Capacity asked per region, SKU and model next to the catalog's default quota (`aoaigen plan`).
    pub quota: Vec<super::QuotaRow>,
    /// What `scripts/preflight.sh` checks besides the accounts and deployments.
    pub preflight: super::Preflight,
    /// What the purge script may touch.
    pub purge_scope: PurgeScope,
}

/// Soft-deleted accounts of this project: `<name_prefix><abbreviation of their region>` in `resource_group`.
#[derive(Debug, Clone, Serialize)]
pub struct PurgeScope {
    pub name_prefix: String,
    pub resource_group: String,
    /// Every Azure OpenAI region with its abbreviation, sorted by name.
    pub regions: Vec<RegionAbbreviation>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegionAbbreviation {
    pub name: String,
    pub abbreviation: String,
}

/// Facts about the project as a whole.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub name: String,
    /// Data-plane API version of the classic `/openai/deployments/...` examples (the v1 API takes none).
    pub classic_api_version: String,
    /// Entra ID token scope the scripts and examples request.
    pub token_scope: String,
    /// The spec's file name (not the path as typed), for headers and READMEs.
    pub spec_name: String,
    pub generator_version: String,
    pub catalog_date: String,
    /// The catalog layers the plan used (embedded data, overlays), stated in the README.
    pub catalogs: Vec<crate::catalog::CatalogLayer>,
    pub location: String,
    pub location_display: String,
    pub location_abbreviation: String,
    /// Sorted by tag name.
    pub tags: Vec<Tag>,
    /// Length of the random suffix of globally unique names.
    pub suffix_length: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResourceGroups {
    pub gateway: String,
    pub openai: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Network {
    pub vnet_name: String,
    pub address_space: String,
    pub gateway_subnet: Subnet,
    /// Private-endpoint subnet, in private mode only.
    pub endpoints_subnet: Option<Subnet>,
    /// NSG of the private-endpoint subnet: HTTPS from the gateway subnet only.
    pub endpoints_nsg: Option<EndpointsNsg>,
    pub nsg_name: String,
    /// Inbound rules of the gateway subnet's NSG, by priority.
    pub nsg_rules: Vec<NsgRule>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Subnet {
    pub name: String,
    pub cidr: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EndpointsNsg {
    pub name: String,
    pub rules: Vec<NsgRule>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NsgRule {
    pub name: String,
    pub priority: u32,
    /// `Allow` or `Deny`.
    pub access: String,
    /// `Tcp` or `*`.
    pub protocol: String,
    /// A service tag (`GatewayManager`) or a CIDR.
    pub source: String,
    /// A single port or range (`443`, `65200-65535`, `*`).
    pub destination_ports: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublicIp {
    pub name: String,
    /// Zones as strings (`"1"`), empty for none.
    pub zones: Vec<String>,
    /// DNS label before the target's random suffix; the gateway answers at
    /// `<label>-<suffix>.<location>.cloudapp.azure.com`.
    pub domain_label_prefix: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct WafPolicy {
    pub name: String,
    pub mode: String,
    pub rule_set_type: String,
    pub rule_set_version: String,
    /// Inspect request bodies (`requestBodyCheck`).
    pub request_body_check: bool,
    /// Refuse bodies over `max_request_body_kb` (`requestBodyEnforcement`).
    pub request_body_enforcement: bool,
    pub max_request_body_kb: u32,
    /// Largest image that fits the body limit once base64-encoded (three quarters of it), in KB.
    pub max_inline_image_kb: u32,
    /// How deep into a body the rules look; the whole accepted body.
    pub request_body_inspect_limit_kb: u32,
    pub file_upload_limit_mb: u32,
    /// The prompt exclusions first, then the spec's own.
    pub exclusions: Vec<WafExclusion>,
    /// JSON fields whose values the managed rules skip because they carry prompt text (empty when off).
    pub prompt_fields: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WafExclusion {
    pub match_variable: String,
    pub operator: String,
    pub selector: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Gateway {
    pub name: String,
    /// `https` with a host name, else `http` on the public IP's DNS name.
    pub url_scheme: String,
    /// The HTTPS host name, when there is one.
    pub host_name: Option<String>,
    /// `https://<host name>`, when there is one; otherwise the URL is the public IP's DNS name.
    pub https_url: Option<String>,
    pub sku: String,
    pub zones: Vec<String>,
    /// Fixed instance count, or `None` with `autoscale`.
    pub capacity: Option<u32>,
    pub autoscale: Option<Autoscale>,
    /// Request and response buffering (`globalConfiguration`).
    pub buffering: Buffering,
    pub frontend_ip_name: String,
    pub ip_configuration_name: String,
    pub ports: Vec<FrontendPort>,
    pub listeners: Vec<Listener>,
    pub certificate: Option<Certificate>,
    pub ssl_policy: String,
    /// One per deployment, sorted by deployment name.
    pub pools: Vec<Pool>,
    /// What paths without a deployment name reach.
    pub default_pool: DefaultPool,
    /// The deployment of the README's first examples: the spec's first with a chat or responses API
    /// (else its first).
    pub example_deployment: String,
    pub url_path_map_name: String,
    /// One per distinct (timeout, affinity), sorted by name.
    pub backend_settings: Vec<BackendSettings>,
    /// Path rules in evaluation order: Application Gateway takes the first match, so every deployment's
    /// stateful rule comes before its general one.
    pub path_rules: Vec<PathRule>,
    /// Sorted by name.
    pub rewrite_rule_sets: Vec<RewriteRuleSet>,
    pub probe: Probe,
    pub routing_rules: Vec<RoutingRule>,
    pub redirect: Option<Redirect>,
    /// What the gateway waits for on the first deployment.
    pub depends_on: Vec<Dependency>,
}

/// `globalConfiguration`: request buffering on (the WAF buffers requests anyway), response buffering off
/// so server-sent events (`stream: true`) reach the client as they are produced.
#[derive(Debug, Clone, Serialize)]
pub struct Buffering {
    pub request: bool,
    pub response: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Autoscale {
    pub min: u32,
    pub max: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct FrontendPort {
    pub name: String,
    pub port: u16,
}

#[derive(Debug, Clone, Serialize)]
pub struct Listener {
    pub name: String,
    pub port_name: String,
    /// `Http` or `Https`.
    pub protocol: String,
    pub host_name: Option<String>,
    pub certificate_name: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Certificate {
    pub name: String,
    /// Key Vault secret ID as the spec gives it, or `None` for a PFX certificate.
    pub key_vault_secret_id: Option<String>,
    /// The same secret in parts, for targets that build its URL from the cloud they deploy to.
    pub key_vault_secret: Option<KeyVaultSecret>,
    /// A PFX certificate is an input of the generated project, supplied when it is deployed (with its
    /// password); this is the spec's `pfx_file` as written, relative to the spec, for the README only:
    /// no generated file refers to it.
    pub pfx_file: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyVaultSecret {
    pub vault_name: String,
    /// `<name>` or `<name>/<version>`.
    pub secret_path: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pool {
    /// The deployment name: the key of this pool.
    pub deployment: String,
    pub name: String,
    /// Classic route: `/openai/deployments/<deployment>/*`.
    pub path: String,
    /// Base of the v1 route: `/d/<deployment>/openai/v1/` (the OpenAI SDK's `base_url` after the host).
    pub v1_base: String,
    /// Regions (account keys) serving the deployment, sorted.
    pub regions: Vec<String>,
    /// Custom-subdomain prefixes of those accounts, in the same order (targets append their suffix).
    pub subdomain_prefixes: Vec<String>,
    /// Catalog kind of the model (`chat`, `embedding`, ...).
    pub kind: String,
    pub model: String,
    /// APIs the model answers, in the order examples prefer them.
    pub apis: Vec<String>,
    /// Seconds the gateway waits for an answer, and where that figure comes from.
    pub request_timeout: u32,
    pub timeout_from: String,
    /// A 429 answer of one account is rewritten so the client retries at once (on the next account).
    pub fast_retry: bool,
    /// The deployment has its own stateful route (cookie affinity).
    pub stateful_route: bool,
    /// Registration or quota tier the model needs: `registration` / `quota_tier`, and where to apply.
    pub gating: Option<String>,
    pub gating_url: Option<String>,
    /// The call the smoke test makes through the gateway, for APIs with a cheap synchronous call.
    pub smoke_test: Option<SmokeTest>,
}

/// Accounts behind paths that name no deployment.
#[derive(Debug, Clone, Serialize)]
pub struct DefaultPool {
    pub name: String,
    /// Sorted; every one serves `deployments`.
    pub regions: Vec<String>,
    pub subdomain_prefixes: Vec<String>,
    pub deployments: Vec<String>,
    /// Deployments those accounts lack: reachable only under `/d/<deployment>/openai/v1/`.
    pub lacking: Vec<String>,
    pub backend_settings: String,
}

/// A request through the gateway: `POST <url><v1_base><path>` with `body`.
#[derive(Debug, Clone, Serialize)]
pub struct SmokeTest {
    pub api: String,
    /// Path after the v1 base, e.g. `chat/completions`.
    pub path: String,
    /// JSON body (names the deployment as `model`).
    pub body: String,
    /// The same request streamed (`"stream": true`), for APIs that stream server-sent events.
    pub stream_body: Option<String>,
    /// The classic route (`/openai/deployments/D/...?api-version=`) serves this API too, so the smoke test
    /// calls it there as well.
    pub classic: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct BackendSettings {
    pub name: String,
    pub port: u16,
    pub protocol: String,
    pub request_timeout: u32,
    pub cookie_affinity: bool,
    pub affinity_cookie_name: String,
    pub pick_host_name_from_backend_address: bool,
}

/// One rule of the URL path map.
#[derive(Debug, Clone, Serialize)]
pub struct PathRule {
    pub name: String,
    pub deployment: String,
    /// `stateful` (affinity, state-carrying v1 paths) or `model` (classic and v1 routes).
    pub route: String,
    pub paths: Vec<String>,
    /// Backend pool name.
    pub pool: String,
    /// Backend settings name.
    pub backend_settings: String,
    /// Rewrite rule set name; every rule strips `/d/<deployment>` from v1 paths.
    pub rewrite_rule_set: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RewriteRuleSet {
    pub name: String,
    pub rules: Vec<RewriteRule>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RewriteRule {
    /// Unique within the gateway.
    pub name: String,
    pub sequence: u32,
    /// All must hold.
    pub conditions: Vec<RewriteCondition>,
    /// New URL path (the query string is kept).
    pub url_path: Option<String>,
    pub response_headers: Vec<HeaderValue>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RewriteCondition {
    /// `var_uri_path`, `var_http_status`, ...
    pub variable: String,
    pub pattern: String,
    pub ignore_case: bool,
    pub negate: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeaderValue {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Probe {
    pub name: String,
    pub protocol: String,
    pub path: String,
    pub interval: u32,
    pub timeout: u32,
    pub unhealthy_threshold: u32,
    pub match_status_codes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoutingRule {
    pub name: String,
    pub priority: u32,
    pub listener_name: String,
    /// `PathBasedRouting` (to the URL path map) or `Basic` (to the redirect).
    pub rule_type: String,
    pub redirect_name: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Redirect {
    pub name: String,
    pub target_listener_name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GatewayIdentity {
    pub name: String,
    pub key_vault_name: String,
    /// Resource group of the vault when the spec gives it; otherwise the target asks for it as an input.
    pub key_vault_resource_group: Option<String>,
    pub role_name: String,
    pub role_definition_id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DnsRecord {
    pub zone_name: String,
    /// Create the zone in the gateway's resource group (`true`) or use an existing one.
    pub create_zone: bool,
    /// Resource group of an existing zone.
    pub zone_resource_group: Option<String>,
    /// Relative record name (`@` for the apex).
    pub record_name: String,
    pub ttl: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Account {
    /// Region name: the account's stable key.
    pub key: String,
    pub name: String,
    pub location: String,
    pub location_display: String,
    pub abbreviation: String,
    /// Custom subdomain before the target's random suffix.
    pub subdomain_prefix: String,
    /// Deployment keys of this account, sorted.
    pub deployments: Vec<String>,
    /// Deployment names of this account, in the same order.
    pub deployment_names: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Deployment {
    /// `<region>/<deployment>`.
    pub key: String,
    /// Account key (region).
    pub account: String,
    pub name: String,
    pub model: String,
    pub version: String,
    pub sku: String,
    pub capacity: u32,
    pub version_upgrade_option: String,
    pub rai_policy_name: Option<String>,
    /// Azure may change the version by itself (`version_upgrade_option` other than `NoAutoUpgrade`): the
    /// targets must not push the spec's version back on a later deployment.
    pub azure_manages_version: bool,
    /// Catalog lifecycle of the model version on the planning date (`GA`, `Legacy`, ...).
    pub lifecycle: String,
    /// Published retirement date of the model version (`YYYY-MM-DD`), where the catalog has one.
    pub retirement_date: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoleAssignment {
    /// `<principal>/<role>/<region>`; the principal is `deployer` for the deploying identity.
    pub key: String,
    pub account: String,
    /// The identity that deploys: the targets fill in its object ID (`principal_id` is empty).
    pub deployer: bool,
    pub principal_id: String,
    /// `None` for the deployer, whose kind (user or service principal) is known only at deploy time.
    pub principal_type: Option<String>,
    pub role: String,
    pub role_name: String,
    pub role_definition_id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Access {
    /// `firewall` or `private`.
    pub mode: String,
    pub public_network_access: bool,
    /// Extra public addresses allowed straight to the accounts, besides the gateway's IP.
    pub allowed_ips: Vec<String>,
    pub local_auth: bool,
    /// The deploying identity gets the OpenAI User role on every account.
    pub assign_deployer: bool,
    /// Principal IDs (lowercase, sorted) the spec itself gives the deployer's role: when the deploying
    /// identity is one of them, the targets skip its own assignment, which would duplicate theirs (Azure
    /// refuses it with RoleAssignmentExists). Empty when `assign_deployer` is off.
    pub deployer_listed_as: Vec<String>,
    /// `kind` of the accounts (`AIServices` or `OpenAI`).
    pub account_kind: String,
    /// Azure may upgrade the accounts' kind by itself (`OpenAI` to `AIServices`, Microsoft Foundry): a later
    /// deployment must not roll it back.
    pub azure_may_upgrade_kind: bool,
    /// Outbound access of the accounts is restricted (data-loss prevention): they call nothing on their own.
    pub restrict_outbound: bool,
    /// Account timeouts for Terraform, e.g. `60m`.
    pub timeouts: Timeouts,
    pub purge_on_destroy: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Timeouts {
    pub create: String,
    pub update: String,
    pub delete: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PrivateLink {
    /// Every private DNS zone of the accounts' `account` sub-resource, sorted: each is linked to the
    /// gateway's network and registers every endpoint.
    pub dns_zones: Vec<String>,
    /// Name of each zone's link to the gateway's network.
    pub vnet_link_name: String,
    /// One per account, sorted by region.
    pub endpoints: Vec<PrivateEndpoint>,
    /// What the endpoints wait for on the first deployment.
    pub depends_on: Vec<Dependency>,
}

/// Something a resource must wait for on the first deployment beyond what its references imply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dependency {
    /// Logical kind of what is waited for, as in `ResourceGraph::logical_resources`.
    pub kind: String,
    /// Its key, or `None` for every resource of that kind.
    pub key: Option<String>,
    /// Why the first deployment needs the order.
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PrivateEndpoint {
    pub account: String,
    pub account_name: String,
    pub name: String,
    pub connection_name: String,
    pub nic_name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnostics {
    /// Create a workspace (`Some`) or use `workspace_id`.
    pub workspace: Option<Workspace>,
    pub workspace_id: Option<String>,
    pub gateway_setting_name: String,
    pub gateway_log_categories: Vec<String>,
    pub account_setting_name: String,
    pub account_log_categories: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Workspace {
    pub name: String,
    pub retention_days: u32,
}

/// A resource as the parity and no-churn checks see it: kind and stable key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LogicalResource {
    pub kind: &'static str,
    pub key: String,
    pub name: String,
}
