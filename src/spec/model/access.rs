//! The `access`, `accounts` and `diagnostics` sections of the spec.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Network access and identities.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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
    /// Give the identity that deploys (Terraform: the signed-in principal of `azurerm_client_config`;
    /// Bicep: `deployer()`) the Cognitive Services OpenAI User role on every account, so the smoke test
    /// and the README examples work right after deploying; default `true`.
    #[serde(default = "super::default_true")]
    pub assign_deployer: bool,
}

impl Default for AccessSpec {
    fn default() -> Self {
        Self {
            network: NetworkMode::default(),
            allowed_ips: vec![],
            local_auth: false,
            role_assignments: vec![],
            assign_deployer: true,
        }
    }
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
    /// Kind of the accounts: `AIServices` (default), a Microsoft Foundry resource, the kind Microsoft upgrades
    /// eligible `OpenAI` accounts to on its own; or `OpenAI`. Both serve `<subdomain>.openai.azure.com`.
    /// With `OpenAI`, Terraform leaves a kind Azure upgraded alone, while a Bicep deployment would roll
    /// the upgrade back (the generated README says what to do).
    #[serde(default)]
    #[schemars(example = &"AIServices")]
    pub kind: AccountKind,
    /// Terraform timeouts of accounts and deployments (ARM has none; the Bicep scripts retry instead).
    #[serde(default)]
    pub timeouts: TimeoutsSpec,
    /// Purge accounts when Terraform destroys them, so their names and quota free up at once; default `false`.
    #[serde(default)]
    pub purge_on_destroy: bool,
}

/// Kind of the Cognitive Services accounts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum AccountKind {
    /// A Microsoft Foundry resource: nothing left for Azure to upgrade.
    #[default]
    AIServices,
    /// An Azure OpenAI resource, which Microsoft may upgrade to `AIServices` (Foundry) by itself.
    OpenAI,
}

impl AccountKind {
    /// The ARM `kind` and azurerm `kind` value.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::AIServices => "AIServices",
            AccountKind::OpenAI => "OpenAI",
        }
    }
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
