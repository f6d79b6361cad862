//! The Application Gateway: listeners, certificate, one pool and path rule per deployment, backend settings
//! and probe (pipeline stage 4, part of `graph::build`).
//!
//! Input: the `Plan`. Output: the `Gateway` of the graph.

use super::network::port_80;
use super::routing;
use super::types::*;
use super::{KEY_VAULT_ROLE_KEY, SSL_POLICY, naming};
use crate::catalog::expand::Plan;
use crate::diag::Diagnostic;

pub(super) fn build_gateway(
    plan: &Plan,
    name: String,
    zones: Vec<String>,
) -> Result<Gateway, Vec<Diagnostic>> {
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
        let key_vault_secret = c.key_vault_secret_id.as_deref().map(|id| KeyVaultSecret {
            vault_name: naming::key_vault_name(id).unwrap_or_default().to_string(),
            secret_path: naming::key_vault_secret_path(id)
                .unwrap_or_default()
                .to_string(),
        });
        Certificate {
            name: "gateway-certificate".into(),
            key_vault_secret_id: c.key_vault_secret_id.clone(),
            key_vault_secret,
            pfx_file: c.pfx_file.clone(),
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
    let routing = routing::build(plan)?;
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
    let certificate_from_key_vault = certificate
        .as_ref()
        .is_some_and(|c| c.key_vault_secret.is_some());
    Ok(Gateway {
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
        buffering: Buffering {
            request: true,
            response: false,
        },
        frontend_ip_name: "public".into(),
        ip_configuration_name: "gateway-ip".into(),
        ports,
        listeners,
        certificate,
        ssl_policy: SSL_POLICY.into(),
        pools: routing.pools,
        default_pool: routing.default_pool,
        example_deployment: plan
            .deployments
            .iter()
            .find(|d| {
                d.apis
                    .iter()
                    .any(|a| a.api == "chat_completions" || a.api == "responses")
            })
            .or(plan.deployments.first())
            .map(|d| d.name.clone())
            .unwrap_or_default(),
        url_path_map_name: "openai-deployments".into(),
        backend_settings: routing.backend_settings,
        path_rules: routing.path_rules,
        rewrite_rule_sets: routing.rewrite_rule_sets,
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
        depends_on: gateway_dependencies(certificate_from_key_vault),
    })
}

/// The first deployment creates the gateway last: its pools must not route to an account whose deployment
/// does not exist yet, and it reads a Key Vault certificate with a role that must exist first. Both
/// targets wait for every deployment: the role assignment, created early, has them to propagate meanwhile.
fn gateway_dependencies(certificate_from_key_vault: bool) -> Vec<Dependency> {
    let mut deps = vec![
        Dependency {
            kind: "cognitive_deployment".into(),
            key: None,
            reason: "its pools route to every deployment (DeploymentNotFound otherwise)".into(),
        },
        // The NSG on the gateway's subnet, with its rules and on the subnet: Azure refuses a v2 gateway in a
        // subnet whose NSG blocks GatewayManager (only the default rules, before the allow rule exists), and
        // on destroy the gateway must go before that rule does.
        Dependency {
            kind: "network_security_group".into(),
            key: Some("gateway".into()),
            reason: "its subnet's NSG must admit GatewayManager on 65200-65535 first (ApplicationGatewaySubnetInboundTrafficBlockedByNetworkSecurityGroup otherwise)".into(),
        },
    ];
    if certificate_from_key_vault {
        deps.push(Dependency {
            kind: "role_assignment".into(),
            key: Some(KEY_VAULT_ROLE_KEY.into()),
            reason: "it reads its Key Vault certificate with this role (ApplicationGatewayKeyVaultSecretAccessDenied otherwise)".into(),
        });
    }
    deps
}
