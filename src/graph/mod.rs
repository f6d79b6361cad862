//! Building the resource graph (pipeline stage 4).
//!
//! Input: a `Plan` (spec with catalog facts settled). Output: a `ResourceGraph`: every resource both targets
//! render, with names, CIDRs, routing, defaults and dependencies decided here and nowhere else. Failures at
//! this stage (a name that ends up too long) are located diagnostics like any other.

mod checks;
mod gateway;
pub mod naming;
mod network;
pub mod routing;
mod types;

pub use checks::{Preflight, QuotaRow};
pub use types::*;

use crate::catalog::expand::Plan;
use crate::diag::Diagnostic;
use crate::spec::model::{AccountKind, DnsZoneRef, GatewaySku, NetworkMode, Role, VersionUpgrade};

/// Built-in role that lets the gateway's identity read the certificate secret.
pub const KEY_VAULT_SECRETS_USER: &str = "4633458b-17de-408a-b874-0445c86b69e6";
/// The private DNS zones of a Cognitive Services account's `account` sub-resource: an `AIServices`
/// (Foundry) account answers at `<subdomain>.cognitiveservices.azure.com`, `.openai.azure.com` and
/// `.services.ai.azure.com`, and an `OpenAI` account is upgraded to that kind by Microsoft, so every
/// endpoint registers in all three (Microsoft Learn, "Azure Private Endpoint private DNS zone values").
pub const PRIVATE_DNS_ZONES: [&str; 3] = [
    "privatelink.cognitiveservices.azure.com",
    "privatelink.openai.azure.com",
    "privatelink.services.ai.azure.com",
];
/// Logical key of the gateway identity's role assignment on the Key Vault.
pub const KEY_VAULT_ROLE_KEY: &str = "gateway/key-vault-secrets-user";
/// API version of the classic-route examples: the newest dated version of Microsoft's v1 API page
/// ("API version changelog"), after which new features come only to the v1 API, which takes none.
pub const CLASSIC_API_VERSION: &str = "2025-04-01-preview";
/// Entra ID scope of the data-plane tokens: the audience the Azure OpenAI endpoint names in its 401
/// answer ("audience is incorrect (https://cognitiveservices.azure.com)"), valid for `OpenAI` and
/// `AIServices` accounts alike.
pub const TOKEN_SCOPE: &str = "https://cognitiveservices.azure.com/.default";
/// JSON fields of the OpenAI APIs whose values carry prompt text: the WAF's prompt exclusions.
pub const PROMPT_FIELDS: &[&str] = &[
    "messages",
    "input",
    "instructions",
    "prompt",
    "tools",
    "content",
    "text",
    "items",
    "response_format",
    "prediction",
    "suffix",
];
/// TLS policy: TLS 1.2+ with strong ciphers only.
pub const SSL_POLICY: &str = "AppGwSslPolicy20220101S";

pub fn build(plan: &Plan) -> Result<ResourceGraph, Vec<Diagnostic>> {
    let spec = &plan.spec;
    let name = spec.name.as_str();
    let loc = &plan.location;
    let abbr = loc.abbreviation.as_str();

    let mut accounts: Vec<Account> = Vec::new();
    let mut deployments: Vec<Deployment> = Vec::new();
    for d in &plan.deployments {
        for r in &d.regions {
            let key = format!("{}/{}", r.name, d.name);
            match accounts.iter_mut().find(|a| a.key == r.name) {
                Some(a) => a.deployments.push(key.clone()),
                None => {
                    let account_name = naming::regional("oai", name, &r.abbreviation);
                    accounts.push(Account {
                        key: r.name.clone(),
                        subdomain_prefix: account_name.clone(),
                        name: account_name,
                        location: r.name.clone(),
                        location_display: r.display_name.clone(),
                        abbreviation: r.abbreviation.clone(),
                        deployments: vec![key.clone()],
                        deployment_names: vec![],
                    });
                }
            }
            deployments.push(Deployment {
                key,
                account: r.name.clone(),
                name: d.name.clone(),
                model: d.model.clone(),
                version: d.version.clone(),
                sku: d.sku.as_str().to_string(),
                capacity: r.capacity,
                version_upgrade_option: d.version_upgrade.azure_value().to_string(),
                azure_manages_version: d.version_upgrade != VersionUpgrade::Never,
                rai_policy_name: d.content_filter.clone(),
                lifecycle: d.lifecycle.as_str().to_string(),
                retirement_date: d.retirement_date.clone(),
            });
        }
    }
    accounts.sort_by(|a, b| a.key.cmp(&b.key));
    for a in &mut accounts {
        a.deployments.sort();
        a.deployment_names = a
            .deployments
            .iter()
            .map(|k| k.split_once('/').map_or(k.as_str(), |(_, d)| d).to_string())
            .collect();
    }
    deployments.sort_by(|a, b| a.key.cmp(&b.key));

    let mut errors = Vec::new();
    for a in &accounts {
        let subdomain_len = a.subdomain_prefix.len() + 1 + naming::SUFFIX_LEN;
        if !naming::valid_account_name(&a.name) || subdomain_len > 64 {
            errors.push(Diagnostic::error(
                "name-too-long",
                "name",
                format!(
                    "the account name `{}` with its suffix would exceed 64 characters",
                    a.name
                ),
            ));
        }
    }
    let gateway_name = naming::regional("agw", name, abbr);
    if gateway_name.len() > 80 {
        errors.push(Diagnostic::error(
            "name-too-long",
            "name",
            format!("the gateway name `{gateway_name}` exceeds 80 characters"),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut role_assignments = Vec::new();
    for r in &spec.access.role_assignments {
        for a in &accounts {
            role_assignments.push(RoleAssignment {
                key: format!(
                    "{}/{}/{}",
                    r.principal_id.to_ascii_lowercase(),
                    r.role.key(),
                    a.key
                ),
                account: a.key.clone(),
                deployer: false,
                principal_id: r.principal_id.to_ascii_lowercase(),
                principal_type: Some(r.principal_type.as_str().to_string()),
                role: r.role.key().to_string(),
                role_name: r.role.display_name().to_string(),
                role_definition_id: r.role.definition_id().to_string(),
            });
        }
    }
    // The deploying identity is known only at deploy time. When the spec lists it with the role it would get,
    // a second assignment of the same role at the same scope is refused (RoleAssignmentExists; in Bicep both
    // have the same `guid()` name), so the targets skip the deployer's own when it is one of these.
    let mut deployer_listed_as: Vec<String> = if spec.access.assign_deployer {
        spec.access
            .role_assignments
            .iter()
            .filter(|r| r.role == Role::OpenaiUser)
            .map(|r| r.principal_id.to_ascii_lowercase())
            .collect()
    } else {
        Vec::new()
    };
    deployer_listed_as.sort();
    deployer_listed_as.dedup();
    if spec.access.assign_deployer {
        let role = Role::OpenaiUser;
        for a in &accounts {
            role_assignments.push(RoleAssignment {
                key: format!("deployer/{}/{}", role.key(), a.key),
                account: a.key.clone(),
                deployer: true,
                principal_id: String::new(),
                principal_type: None,
                role: role.key().to_string(),
                role_name: role.display_name().to_string(),
                role_definition_id: role.definition_id().to_string(),
            });
        }
    }
    role_assignments.sort_by(|a, b| a.key.cmp(&b.key));

    let private = spec.access.network == NetworkMode::Private;
    let network = network::build_network(plan, private);
    let zones: Vec<String> = match &spec.gateway.zones {
        Some(z) => z.iter().map(u8::to_string).collect(),
        None if loc.availability_zones => vec!["1".into(), "2".into(), "3".into()],
        None => vec![],
    };
    let gateway = gateway::build_gateway(plan, gateway_name, zones.clone())?;
    let identity = gateway
        .certificate
        .as_ref()
        .and_then(|c| c.key_vault_secret_id.as_ref())
        .map(|id| GatewayIdentity {
            name: naming::regional("id", name, abbr),
            key_vault_name: naming::key_vault_name(id).unwrap_or_default().to_string(),
            key_vault_resource_group: spec
                .gateway
                .frontend
                .https
                .as_ref()
                .and_then(|h| h.certificate.as_ref())
                .and_then(|c| c.key_vault_resource_group.clone()),
            role_name: "Key Vault Secrets User".to_string(),
            role_definition_id: KEY_VAULT_SECRETS_USER.to_string(),
        });
    let dns = spec.gateway.frontend.https.as_ref().and_then(|h| {
        let host = h.hostname.as_deref()?;
        let (zone, create, rg) = match h.dns_zone.as_ref()? {
            DnsZoneRef::Create(z) => (z.clone(), true, None),
            DnsZoneRef::Existing(e) => (e.name.clone(), false, Some(e.resource_group.clone())),
        };
        let record = if host == zone {
            "@".to_string()
        } else {
            host.strip_suffix(&format!(".{zone}"))
                .unwrap_or(host)
                .to_string()
        };
        Some(DnsRecord {
            zone_name: zone,
            create_zone: create,
            zone_resource_group: rg,
            record_name: record,
            ttl: 300,
        })
    });
    let private_link = private.then(|| PrivateLink {
        dns_zones: PRIVATE_DNS_ZONES.iter().map(|z| z.to_string()).collect(),
        depends_on: vec![Dependency {
            kind: "cognitive_deployment".into(),
            key: None,
            reason: "an account still provisioning refuses endpoints (AccountProvisioningStateInvalid, azurerm issue 31712); its deployments exist once it has finished".into(),
        }],
        vnet_link_name: format!("link-{}", network.vnet_name),
        endpoints: accounts
            .iter()
            .map(|a| PrivateEndpoint {
                account: a.key.clone(),
                account_name: a.name.clone(),
                name: format!("pe-{}", a.name),
                connection_name: format!("psc-{}", a.name),
                nic_name: format!("nic-pe-{}", a.name),
            })
            .collect(),
    });
    let diagnostics = spec.diagnostics.as_ref().map(|d| Diagnostics {
        workspace: d.log_analytics.as_ref().map(|l| Workspace {
            name: naming::regional("log", name, abbr),
            retention_days: l.retention_days,
        }),
        workspace_id: d.workspace_id.clone(),
        gateway_setting_name: "diag-gateway".to_string(),
        // ApplicationGatewayPerformanceLog exists for v1 gateways only; v2 has metrics instead.
        gateway_log_categories: vec![
            "ApplicationGatewayAccessLog".into(),
            "ApplicationGatewayFirewallLog".into(),
        ],
        account_setting_name: "diag-openai".to_string(),
        account_log_categories: vec!["Audit".into(), "RequestResponse".into()],
    });
    let waf_policy = (spec.gateway.sku == GatewaySku::WafV2).then(|| {
        let w = &spec.gateway.waf;
        let (t, v) = w.rule_set.type_and_version();
        let prompt_fields: Vec<String> = if w.prompt_exclusions {
            PROMPT_FIELDS.iter().map(|f| f.to_string()).collect()
        } else {
            vec![]
        };
        // Contains, not Equals: the WAF names a nested JSON value by its path (a field inside
        // `messages[0]` is not named `messages`), so only a containing match reaches it.
        let mut exclusions: Vec<WafExclusion> = prompt_fields
            .iter()
            .map(|f| WafExclusion {
                match_variable: "RequestArgValues".into(),
                operator: "Contains".into(),
                selector: f.clone(),
            })
            .collect();
        for e in &w.exclusions {
            let e = WafExclusion {
                match_variable: format!("{:?}", e.match_variable),
                operator: format!("{:?}", e.operator),
                selector: e.selector.clone(),
            };
            if !exclusions.contains(&e) {
                exclusions.push(e);
            }
        }
        WafPolicy {
            name: naming::regional("waf", name, abbr),
            mode: format!("{:?}", w.mode),
            rule_set_type: t.to_string(),
            rule_set_version: v.to_string(),
            request_body_check: w.inspect_body,
            request_body_enforcement: true,
            max_request_body_kb: w.max_request_body_kb,
            max_inline_image_kb: w.max_request_body_kb * 3 / 4,
            request_body_inspect_limit_kb: w.max_request_body_kb,
            file_upload_limit_mb: 100,
            exclusions,
            prompt_fields,
        }
    });

    let role_assignments_empty = role_assignments.is_empty();
    let has_identity = identity.is_some();
    Ok(ResourceGraph {
        meta: Meta {
            name: name.to_string(),
            classic_api_version: CLASSIC_API_VERSION.to_string(),
            token_scope: TOKEN_SCOPE.to_string(),
            spec_name: plan.spec_name.clone(),
            generator_version: env!("CARGO_PKG_VERSION").to_string(),
            catalog_date: plan.catalog_date.clone(),
            catalogs: plan.catalogs.clone(),
            location: loc.name.clone(),
            location_display: loc.display_name.clone(),
            location_abbreviation: abbr.to_string(),
            tags: spec
                .tags
                .iter()
                .map(|(k, v)| Tag {
                    name: k.clone(),
                    value: v.clone(),
                })
                .collect(),
            suffix_length: naming::SUFFIX_LEN,
        },
        resource_groups: ResourceGroups {
            gateway: naming::resource_group(name, "gw"),
            openai: naming::resource_group(name, "oai"),
        },
        network,
        public_ip: PublicIp {
            name: naming::regional("pip", name, abbr),
            zones,
            domain_label_prefix: format!("agw-{name}"),
        },
        waf_policy,
        gateway,
        identity,
        dns,
        accounts,
        deployments,
        role_assignments,
        access: Access {
            mode: if private { "private" } else { "firewall" }.to_string(),
            public_network_access: !private,
            allowed_ips: ip_rules(&spec.access.allowed_ips),
            local_auth: spec.access.local_auth,
            assign_deployer: spec.access.assign_deployer,
            deployer_listed_as,
            account_kind: spec.accounts.kind.as_str().to_string(),
            azure_may_upgrade_kind: spec.accounts.kind == AccountKind::OpenAI,
            restrict_outbound: true,
            timeouts: Timeouts {
                create: spec.accounts.timeouts.create.clone(),
                update: spec.accounts.timeouts.update.clone(),
                delete: spec.accounts.timeouts.delete.clone(),
            },
            purge_on_destroy: spec.accounts.purge_on_destroy,
        },
        private_link,
        diagnostics,
        quota: checks::quota_rows(plan),
        preflight: Preflight {
            resource_group: naming::resource_group(name, "oai"),
            creates_role_assignments: !role_assignments_empty || has_identity,
        },
        purge_scope: PurgeScope {
            name_prefix: format!("oai-{name}-"),
            resource_group: naming::resource_group(name, "oai"),
            regions: plan
                .openai_regions
                .iter()
                .map(|(n, a)| RegionAbbreviation {
                    name: n.clone(),
                    abbreviation: a.clone(),
                })
                .collect(),
        },
    })
}

/// The accounts' IP rules for the spec's validated `allowed_ips`, in spec order without repeats: trimmed,
/// and `/31` and `/32` ranges as plain addresses, as Azure AI services IP rules refuse those prefixes.
fn ip_rules(allowed: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for ip in allowed {
        let net = crate::net::parse_public(ip).expect("validated in spec::check");
        for rule in crate::net::ip_rule_entries(net) {
            if !out.contains(&rule) {
                out.push(rule);
            }
        }
    }
    out
}

impl ResourceGraph {
    /// Every logical resource with its kind and stable key: what both targets must declare.
    pub fn logical_resources(&self) -> Vec<LogicalResource> {
        let mut out = Vec::new();
        let mut push = |kind: &'static str, key: &str, name: &str| {
            out.push(LogicalResource {
                kind,
                key: key.to_string(),
                name: name.to_string(),
            })
        };
        push("resource_group", "gateway", &self.resource_groups.gateway);
        push("resource_group", "openai", &self.resource_groups.openai);
        push("virtual_network", "gateway", &self.network.vnet_name);
        push("subnet", "gateway", &self.network.gateway_subnet.name);
        if let Some(s) = &self.network.endpoints_subnet {
            push("subnet", "endpoints", &s.name);
        }
        push("network_security_group", "gateway", &self.network.nsg_name);
        for r in &self.network.nsg_rules {
            push(
                "network_security_rule",
                &format!("gateway/{}", r.name),
                &r.name,
            );
        }
        if let Some(n) = &self.network.endpoints_nsg {
            push("network_security_group", "endpoints", &n.name);
            for r in &n.rules {
                push(
                    "network_security_rule",
                    &format!("endpoints/{}", r.name),
                    &r.name,
                );
            }
        }
        push("public_ip", "gateway", &self.public_ip.name);
        if let Some(w) = &self.waf_policy {
            push("waf_policy", "gateway", &w.name);
        }
        push("application_gateway", "gateway", &self.gateway.name);
        if let Some(i) = &self.identity {
            push("user_assigned_identity", "gateway", &i.name);
            push("role_assignment", KEY_VAULT_ROLE_KEY, &i.key_vault_name);
        }
        if let Some(d) = &self.dns {
            if d.create_zone {
                push("dns_zone", "gateway", &d.zone_name);
            }
            push("dns_a_record", "gateway", &d.record_name);
        }
        for a in &self.accounts {
            push("cognitive_account", &a.key, &a.name);
        }
        for d in &self.deployments {
            push("cognitive_deployment", &d.key, &d.name);
        }
        for r in &self.role_assignments {
            push("role_assignment", &r.key, &r.role_name);
        }
        if let Some(p) = &self.private_link {
            for z in &p.dns_zones {
                push("private_dns_zone", z, z);
                push(
                    "private_dns_zone_virtual_network_link",
                    z,
                    &p.vnet_link_name,
                );
            }
            for e in &p.endpoints {
                push("private_endpoint", &e.account, &e.name);
            }
        }
        if let Some(d) = &self.diagnostics {
            if let Some(w) = &d.workspace {
                push("log_analytics_workspace", "gateway", &w.name);
            }
            push("diagnostic_setting", "gateway", &d.gateway_setting_name);
            for a in &self.accounts {
                push("diagnostic_setting", &a.key, &d.account_setting_name);
            }
        }
        out.sort();
        out
    }
}
