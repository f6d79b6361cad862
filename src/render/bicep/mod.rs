//! Bicep target: `ResourceGraph` -> `RenderedProject` (a subscription-scope `main.bicep`, its modules,
//! `main.bicepparam`, `bicepconfig.json`, the README and the helper scripts).
//!
//! Input: the fully decided graph. Output: relative path -> bytes. The templates under `templates/bicep/` get a
//! `BicepContext`; `main.bicep` holds the graph's collections as literal arrays of objects (every string
//! through the `bicep` filter) and the modules loop over them, so adding a region or a model adds array
//! entries and never renames a resource or a module deployment.

use serde::Serialize;

use super::{
    CommonContext, Depends, DeployInputs, RenderError, RenderedProject, Renderer, ScriptOutputs,
    Target, escape, finish,
};
use crate::graph::{
    Account, Dependency, Deployment, KEY_VAULT_ROLE_KEY, ResourceGraph, RoleAssignment,
};

/// API versions of every resource type the Bicep target declares or references: the `primary` (newest
/// stable) ones of the ARM schema index, so every body can be checked against its schema. One place, so a
/// test can compare them with `tests/data/arm/index.json`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ApiVersions {
    pub cognitive_services: &'static str,
    pub network: &'static str,
    pub dns: &'static str,
    pub private_dns: &'static str,
    pub role_assignments: &'static str,
    pub identities: &'static str,
    pub key_vault: &'static str,
    pub log_analytics: &'static str,
    pub diagnostic_settings: &'static str,
    pub resource_groups: &'static str,
}

pub const API: ApiVersions = ApiVersions {
    cognitive_services: "2026-05-01",
    network: "2025-07-01",
    dns: "2018-05-01",
    private_dns: "2024-06-01",
    role_assignments: "2022-04-01",
    identities: "2024-11-30",
    key_vault: "2026-02-01",
    log_analytics: "2025-07-01",
    diagnostic_settings: "2021-05-01-preview",
    resource_groups: "2025-04-01",
};

/// Every resource type the templates can emit (declared or `existing`), with its API version from [`API`].
pub fn api_versions() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "Microsoft.CognitiveServices/accounts",
            API.cognitive_services,
        ),
        (
            "Microsoft.CognitiveServices/accounts/deployments",
            API.cognitive_services,
        ),
        ("Microsoft.Network/applicationGateways", API.network),
        (
            "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies",
            API.network,
        ),
        ("Microsoft.Network/publicIPAddresses", API.network),
        ("Microsoft.Network/virtualNetworks", API.network),
        ("Microsoft.Network/virtualNetworks/subnets", API.network),
        ("Microsoft.Network/networkSecurityGroups", API.network),
        ("Microsoft.Network/privateEndpoints", API.network),
        (
            "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
            API.network,
        ),
        ("Microsoft.Network/dnsZones", API.dns),
        ("Microsoft.Network/dnsZones/A", API.dns),
        ("Microsoft.Network/privateDnsZones", API.private_dns),
        (
            "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
            API.private_dns,
        ),
        (
            "Microsoft.Authorization/roleAssignments",
            API.role_assignments,
        ),
        (
            "Microsoft.ManagedIdentity/userAssignedIdentities",
            API.identities,
        ),
        ("Microsoft.KeyVault/vaults", API.key_vault),
        (
            "Microsoft.OperationalInsights/workspaces",
            API.log_analytics,
        ),
        (
            "Microsoft.Insights/diagnosticSettings",
            API.diagnostic_settings,
        ),
        ("Microsoft.Resources/resourceGroups", API.resource_groups),
    ]
}

/// Context of every Bicep template: the common context (flattened) plus what only Bicep needs.
#[derive(Debug, Clone, Serialize)]
pub struct BicepContext<'a> {
    #[serde(flatten)]
    pub common: CommonContext<'a>,
    /// Default name of the subscription deployment (`aoaigen-<name>`), used by the scripts and the README.
    pub deployment_name: String,
    pub api: ApiVersions,
    /// Tags as Bicep object entries, key and value already escaped (bare keys where Bicep allows them).
    pub tags: Vec<BicepEntry>,
    /// The graph's accounts with their deployments and role assignments, for main.bicep's nested data.
    pub accounts: Vec<AccountEntry<'a>>,
    /// `dependsOn` lists, by module: the graph's dependencies as module symbols of main.bicep.
    pub depends: Depends,
    /// Environment variables main.bicepparam reads with `readEnvironmentVariable` (no default): deploy.sh
    /// names the unset ones before `az` stops at the first with a Bicep error.
    pub env_inputs: Vec<&'static str>,
}

/// The environment inputs of main.bicepparam, in the order it reads them.
fn env_inputs(g: &ResourceGraph, inputs: DeployInputs) -> Vec<&'static str> {
    let mut out = Vec::new();
    if inputs.certificate {
        out.extend([
            "AOAIGEN_CERTIFICATE_PFX_BASE64",
            "AOAIGEN_CERTIFICATE_PASSWORD",
        ]);
    }
    if inputs.key_vault_resource_group {
        out.push("AOAIGEN_KEY_VAULT_RESOURCE_GROUP");
    }
    if g.access.assign_deployer {
        out.push("AOAIGEN_DEPLOYER_OBJECT_ID");
    }
    out
}

/// The main.bicep modules that stand for the graph's dependencies.
fn modules(deps: &[Dependency]) -> Result<Vec<String>, RenderError> {
    let mut out = Vec::new();
    for d in deps {
        match (d.kind.as_str(), d.key.as_deref()) {
            // Each account's module instance ends only once its deployments exist.
            ("cognitive_deployment", None) => out.push("openai".to_string()),
            ("role_assignment", Some(KEY_VAULT_ROLE_KEY)) => out.push("keyVaultAccess".to_string()),
            // The NSG is declared with its rules and set on the subnet in the network module, whose outputs
            // (the subnet ID) the gateway module takes: ARM already waits, and a dependsOn would be one the
            // linter calls unnecessary.
            ("network_security_group", Some("gateway")) => {}
            (kind, key) => {
                return Err(RenderError {
                    template: "bicep dependencies".into(),
                    message: format!("no Bicep module for the dependency on {kind} {key:?}"),
                });
            }
        }
    }
    Ok(out)
}

/// One account and what belongs to it, grouped once here rather than filtered per account in a template.
#[derive(Debug, Clone, Serialize)]
pub struct AccountEntry<'a> {
    pub account: &'a Account,
    pub deployments: Vec<&'a Deployment>,
    /// Roles of the principals the spec lists.
    pub role_assignments: Vec<&'a RoleAssignment>,
    /// The deploying identity's roles, kept apart: main.bicep leaves them out when the spec lists that
    /// identity with the same role (`Access::deployer_listed_as`).
    pub deployer_role_assignments: Vec<&'a RoleAssignment>,
}

/// One `key: value` line of a Bicep object literal, both sides ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct BicepEntry {
    pub key: String,
    pub value: String,
}

/// An object key: bare when Bicep's lexer reads it as an identifier, else a quoted literal. The keywords
/// `true`, `false` and `null` are tokens of their own, and an identifier longer than 255 characters is an
/// error (Azure/bicep `Lexer.IsValidIdentifier`, `LanguageConstants.NonContextualKeywords` and
/// `MaxIdentifierLength`).
pub fn object_key(name: &str) -> String {
    let mut chars = name.chars();
    let ident = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(name, "true" | "false" | "null")
        && name.len() <= 255;
    if ident {
        name.to_string()
    } else {
        escape::bicep_string(name)
    }
}

/// Bicep sources: template path under `templates/bicep/` = output path.
const BICEP_FILES: &[&str] = &[
    "main.bicep",
    "main.bicepparam",
    "modules/network.bicep",
    "modules/gateway.bicep",
    "modules/openai-account.bicep",
];
const SCRIPTS: &[&str] = &[
    "status.sh",
    "purge-deleted.sh",
    "smoke-test.sh",
    "preflight.sh",
];

pub fn render(g: &ResourceGraph) -> Result<RenderedProject, RenderError> {
    let out = ScriptOutputs {
        gateway_url: "gatewayUrl",
        gateway_name: "gatewayName",
        gateway_resource_group: "gatewayResourceGroup",
        openai_resource_group: "openaiResourceGroup",
        account_names: "accountNamesText",
    };
    let common = CommonContext::new(g, Target::Bicep, "//", out);
    let ctx = BicepContext {
        env_inputs: env_inputs(g, common.inputs),
        common,
        deployment_name: format!("aoaigen-{}", g.meta.name),
        api: API,
        accounts: g
            .accounts
            .iter()
            .map(|a| AccountEntry {
                account: a,
                deployments: g
                    .deployments
                    .iter()
                    .filter(|d| d.account == a.key)
                    .collect(),
                role_assignments: g
                    .role_assignments
                    .iter()
                    .filter(|r| r.account == a.key && !r.deployer)
                    .collect(),
                deployer_role_assignments: g
                    .role_assignments
                    .iter()
                    .filter(|r| r.account == a.key && r.deployer)
                    .collect(),
            })
            .collect(),
        depends: Depends::new(g, modules)?,
        tags: g
            .meta
            .tags
            .iter()
            .map(|t| BicepEntry {
                key: object_key(&t.name),
                value: escape::bicep_string(&t.value),
            })
            .collect(),
    };

    // Optional modules exist only when the graph has their resources, like Terraform's optional blocks.
    let mut files: Vec<&str> = BICEP_FILES.to_vec();
    if g.identity.is_some() {
        files.extend(["modules/identity.bicep", "modules/key-vault-access.bicep"]);
    }
    if g.dns.is_some() {
        files.push("modules/dns.bicep");
    }
    if g.private_link.is_some() {
        files.push("modules/private-endpoint.bicep");
    }
    if g.diagnostics
        .as_ref()
        .is_some_and(|d| d.workspace.is_some())
    {
        files.push("modules/monitoring.bicep");
    }

    let mut renderer = Renderer::new(&ctx)?;
    let mut project = RenderedProject::default();
    for file in files {
        let text = renderer.render(&format!("bicep/{file}"))?;
        project.files.insert(file.to_string(), finish(&text));
    }
    // JSON cannot hold a comment: the manifest records that this file is generated.
    project.files.insert(
        "bicepconfig.json".into(),
        finish(&renderer.render("bicep/bicepconfig.json")?),
    );

    renderer.set("header", &ctx.common.header_with("#"));
    for script in SCRIPTS {
        let text = renderer.render(&format!("common/scripts/{script}"))?;
        project
            .files
            .insert(format!("scripts/{script}"), finish(&text));
    }
    project.files.insert(
        "scripts/deploy.sh".into(),
        finish(&renderer.render("bicep/scripts/deploy.sh")?),
    );
    project.files.insert(
        "README.md".into(),
        finish(&renderer.render("common/README.md")?),
    );
    Ok(project)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_keys() {
        assert_eq!(object_key("owner"), "owner");
        assert_eq!(object_key("cost-center"), "'cost-center'");
        assert_eq!(object_key("1x"), "'1x'");
        assert_eq!(object_key("it's"), r"'it\'s'");
        assert_eq!(object_key("true"), "'true'");
        assert_eq!(object_key("null"), "'null'");
        assert_eq!(object_key(&"a".repeat(255)), "a".repeat(255));
        assert_eq!(
            object_key(&"a".repeat(256)),
            format!("'{}'", "a".repeat(256))
        );
    }
}
