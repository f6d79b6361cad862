//! Building the resource graph (pipeline stage 4).
//!
//! Input: a `Plan` (spec with catalog facts settled). Output: a `ResourceGraph`: every resource both targets
//! render, with names, CIDRs, routing, defaults and dependencies decided here and nowhere else. Failures at
//! this stage (a name that ends up too long) are located diagnostics like any other.

pub mod naming;
mod types;

pub use types::*;

use crate::catalog::expand::Plan;
use crate::diag::Diagnostic;
use crate::net;
use crate::spec::model::{DnsZoneRef, GatewaySku, NetworkMode};

/// Built-in role that lets the gateway's identity read the certificate secret.
pub const KEY_VAULT_SECRETS_USER: &str = "4633458b-17de-408a-b874-0445c86b69e6";
/// The private DNS zone of Azure OpenAI private endpoints.
pub const OPENAI_PRIVATE_ZONE: &str = "privatelink.openai.azure.com";
/// GA data-plane API version for the scripts' and README's example calls.
pub const API_VERSION: &str = "2024-10-21";
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
                principal_id: r.principal_id.to_ascii_lowercase(),
                principal_type: r.principal_type.as_str().to_string(),
                role: r.role.key().to_string(),
                role_name: r.role.display_name().to_string(),
                role_definition_id: r.role.definition_id().to_string(),
            });
        }
    }
    role_assignments.sort_by(|a, b| a.key.cmp(&b.key));

    let private = spec.access.network == NetworkMode::Private;
    let network = build_network(plan, private);
    let zones: Vec<String> = match &spec.gateway.zones {
        Some(z) => z.iter().map(u8::to_string).collect(),
        None if loc.availability_zones => vec!["1".into(), "2".into(), "3".into()],
        None => vec![],
    };
    let gateway = build_gateway(plan, gateway_name, zones.clone());
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
        dns_zone: OPENAI_PRIVATE_ZONE.to_string(),
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
        gateway_log_categories: vec![
            "ApplicationGatewayAccessLog".into(),
            "ApplicationGatewayFirewallLog".into(),
            "ApplicationGatewayPerformanceLog".into(),
        ],
        account_setting_name: "diag-openai".to_string(),
        account_log_categories: vec!["Audit".into(), "RequestResponse".into()],
    });
    let waf_policy = (spec.gateway.sku == GatewaySku::WafV2).then(|| {
        let w = &spec.gateway.waf;
        let (t, v) = w.rule_set.type_and_version();
        WafPolicy {
            name: naming::regional("waf", name, abbr),
            mode: format!("{:?}", w.mode),
            rule_set_type: t.to_string(),
            rule_set_version: v.to_string(),
            max_request_body_kb: w.max_request_body_kb,
            file_upload_limit_mb: 100,
            exclusions: w
                .exclusions
                .iter()
                .map(|e| WafExclusion {
                    match_variable: format!("{:?}", e.match_variable),
                    operator: format!("{:?}", e.operator),
                    selector: e.selector.clone(),
                })
                .collect(),
        }
    });

    Ok(ResourceGraph {
        meta: Meta {
            name: name.to_string(),
            api_version: API_VERSION.to_string(),
            spec_name: plan.spec_name.clone(),
            generator_version: env!("CARGO_PKG_VERSION").to_string(),
            catalog_date: plan.catalog_date.clone(),
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
            allowed_ips: spec.access.allowed_ips.clone(),
            local_auth: spec.access.local_auth,
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

fn build_network(plan: &Plan, private: bool) -> Network {
    let spec = &plan.spec;
    let n = &spec.gateway.network;
    let abbr = &plan.location.abbreviation;
    let space = net::parse_cidr(&n.address_space).expect("validated in spec::check");
    let gateway = n
        .gateway_subnet
        .as_deref()
        .map(|g| net::parse_cidr(g).expect("validated"))
        .unwrap_or_else(|| net::default_gateway_subnet(space));
    let endpoints = private.then(|| {
        let cidr = n
            .endpoints_subnet
            .as_deref()
            .map(|e| net::parse_cidr(e).expect("validated"))
            .or_else(|| net::default_endpoints_subnet(space, gateway))
            .expect("validated");
        Subnet {
            name: "snet-private-endpoints".to_string(),
            cidr: cidr.to_string(),
        }
    });
    let mut rules = vec![
        NsgRule {
            name: "AllowGatewayManager".into(),
            priority: 100,
            access: "Allow".into(),
            protocol: "Tcp".into(),
            source: "GatewayManager".into(),
            destination_ports: "65200-65535".into(),
            description: "Application Gateway v2 infrastructure traffic (required)".into(),
        },
        NsgRule {
            name: "AllowAzureLoadBalancer".into(),
            priority: 110,
            access: "Allow".into(),
            protocol: "*".into(),
            source: "AzureLoadBalancer".into(),
            destination_ports: "*".into(),
            description: "Azure load balancer health probes".into(),
        },
    ];
    let https = spec.gateway.frontend.https.is_some();
    if https {
        rules.push(NsgRule {
            name: "AllowHttpsInbound".into(),
            priority: 120,
            access: "Allow".into(),
            protocol: "Tcp".into(),
            source: "Internet".into(),
            destination_ports: "443".into(),
            description: "Clients to the HTTPS listener".into(),
        });
    }
    if port_80(plan) {
        rules.push(NsgRule {
            name: "AllowHttpInbound".into(),
            priority: 130,
            access: "Allow".into(),
            protocol: "Tcp".into(),
            source: "Internet".into(),
            destination_ports: "80".into(),
            description: if https {
                "Clients to the HTTP listener (redirected to HTTPS)"
            } else {
                "Clients to the HTTP listener"
            }
            .into(),
        });
    }
    let endpoints_nsg = endpoints.as_ref().map(|_| EndpointsNsg {
        name: naming::regional("nsg-pe", &spec.name, abbr),
        rules: vec![
            NsgRule {
                name: "AllowGatewayHttpsInbound".into(),
                priority: 100,
                access: "Allow".into(),
                protocol: "Tcp".into(),
                source: gateway.to_string(),
                destination_ports: "443".into(),
                description: "The gateway to the accounts' private endpoints".into(),
            },
            // The default AllowVnetInBound would let every host in the network reach the endpoints.
            NsgRule {
                name: "DenyOtherInbound".into(),
                priority: 4000,
                access: "Deny".into(),
                protocol: "*".into(),
                source: "*".into(),
                destination_ports: "*".into(),
                description: "Nothing else reaches the private endpoints".into(),
            },
        ],
    });
    Network {
        endpoints_nsg,
        vnet_name: naming::regional("vnet", &spec.name, abbr),
        address_space: space.to_string(),
        gateway_subnet: Subnet {
            name: "snet-agw".to_string(),
            cidr: gateway.to_string(),
        },
        endpoints_subnet: endpoints,
        nsg_name: naming::regional("nsg", &spec.name, abbr),
        nsg_rules: rules,
    }
}

/// Port 80 is open for a plain HTTP listener or for the redirect to HTTPS.
fn port_80(plan: &Plan) -> bool {
    let f = &plan.spec.gateway.frontend;
    let https = f.https.as_ref();
    f.http.unwrap_or(https.is_none()) || https.is_some_and(|h| h.redirect_http)
}

fn build_gateway(plan: &Plan, name: String, zones: Vec<String>) -> Gateway {
    let spec = &plan.spec;
    let g = &spec.gateway;
    let https = g.frontend.https.as_ref();
    let redirect = https.is_some_and(|h| h.redirect_http);
    let mut ports = Vec::new();
    let mut listeners = Vec::new();
    let mut rules = Vec::new();
    let certificate = https.map(|h| {
        let c = h
            .certificate
            .as_ref()
            .expect("validated: https has a certificate");
        Certificate {
            name: "gateway-certificate".into(),
            key_vault_secret_id: c.key_vault_secret_id.clone(),
            pfx_path: c.pfx_file.clone(),
        }
    });
    if let Some(h) = https {
        ports.push(FrontendPort {
            name: "port-443".into(),
            port: 443,
        });
        listeners.push(Listener {
            name: "https".into(),
            port_name: "port-443".into(),
            protocol: "Https".into(),
            host_name: h.hostname.clone(),
            certificate_name: Some("gateway-certificate".into()),
        });
        rules.push(RoutingRule {
            name: "https".into(),
            priority: 100,
            listener_name: "https".into(),
            rule_type: "PathBasedRouting".into(),
            redirect_name: None,
        });
    }
    // After HTTPS: clients and policy checks meet TLS first; port 80 is a redirect or the spec's choice.
    if port_80(plan) {
        ports.push(FrontendPort {
            name: "port-80".into(),
            port: 80,
        });
        listeners.push(Listener {
            name: "http".into(),
            port_name: "port-80".into(),
            protocol: "Http".into(),
            host_name: None,
            certificate_name: None,
        });
        rules.push(RoutingRule {
            name: "http".into(),
            priority: 110,
            listener_name: "http".into(),
            rule_type: if redirect {
                "Basic"
            } else {
                "PathBasedRouting"
            }
            .into(),
            redirect_name: redirect.then(|| "http-to-https".to_string()),
        });
    }
    let mut pools: Vec<Pool> = plan
        .deployments
        .iter()
        .map(|d| {
            let mut served: Vec<(String, String)> = d
                .regions
                .iter()
                .map(|r| {
                    (
                        r.name.clone(),
                        naming::regional("oai", &spec.name, &r.abbreviation),
                    )
                })
                .collect();
            served.sort();
            let (regions, subdomain_prefixes) = served.into_iter().unzip();
            Pool {
                kind: d.kind.clone(),
                smoke_test: smoke_test(&d.kind),
                deployment: d.name.clone(),
                name: format!("pool-{}", d.name),
                path_rule_name: format!("path-{}", d.name),
                path: format!("/openai/deployments/{}/*", d.name),
                regions,
                subdomain_prefixes,
            }
        })
        .collect();
    let default_pool = pools.first().map(|p| p.name.clone()).unwrap_or_default();
    pools.sort_by(|a, b| a.deployment.cmp(&b.deployment));
    let (capacity, autoscale) = match (g.capacity, &g.autoscale) {
        (Some(c), _) => (Some(c), None),
        (None, Some(a)) => (
            None,
            Some(Autoscale {
                min: a.min,
                max: a.max.unwrap_or(a.min.max(2)),
            }),
        ),
        (None, None) => (None, Some(Autoscale { min: 1, max: 2 })),
    };
    let r = &g.routing;
    Gateway {
        name,
        url_scheme: if https.is_some() { "https" } else { "http" }.into(),
        host_name: https.and_then(|h| h.hostname.clone()),
        https_url: https
            .and_then(|h| h.hostname.as_ref())
            .map(|h| format!("https://{h}")),
        sku: g.sku.as_str().to_string(),
        zones,
        capacity,
        autoscale,
        frontend_ip_name: "public".into(),
        ip_configuration_name: "gateway-ip".into(),
        ports,
        listeners,
        certificate,
        ssl_policy: SSL_POLICY.into(),
        pools,
        default_pool,
        url_path_map_name: "openai-deployments".into(),
        backend_settings: BackendSettings {
            name: "openai-https".into(),
            port: 443,
            protocol: "Https".into(),
            request_timeout: r.request_timeout,
            cookie_affinity: r.cookie_affinity,
            affinity_cookie_name: "AOAIGEN-AFFINITY".into(),
            pick_host_name_from_backend_address: true,
        },
        probe: Probe {
            name: "openai-probe".into(),
            protocol: "Https".into(),
            path: r.health_probe.path.clone(),
            interval: r.health_probe.interval,
            timeout: r.health_probe.timeout,
            unhealthy_threshold: r.health_probe.unhealthy_threshold,
            match_status_codes: r.health_probe.match_status.clone(),
        },
        routing_rules: rules,
        redirect: redirect.then(|| Redirect {
            name: "http-to-https".into(),
            target_listener_name: "https".into(),
        }),
    }
}

fn smoke_test(kind: &str) -> Option<SmokeTest> {
    match kind {
        "chat" => Some(SmokeTest {
            path: "chat/completions".into(),
            body: r#"{"messages":[{"role":"user","content":"Reply with OK."}]}"#.into(),
        }),
        "completion" => Some(SmokeTest {
            path: "completions".into(),
            body: r#"{"prompt":"Reply with OK.","max_tokens":5}"#.into(),
        }),
        "embedding" => Some(SmokeTest {
            path: "embeddings".into(),
            body: r#"{"input":"aoaigen smoke test"}"#.into(),
        }),
        _ => None,
    }
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
            push(
                "role_assignment",
                "gateway/key-vault-secrets-user",
                &i.key_vault_name,
            );
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
            push("private_dns_zone", "openai", &p.dns_zone);
            push(
                "private_dns_zone_virtual_network_link",
                "openai",
                &p.vnet_link_name,
            );
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
