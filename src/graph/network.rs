//! The gateway's network: address space, subnets, NSG rules (pipeline stage 4, part of `graph::build`).
//!
//! Input: the `Plan`. Output: the `Network` of the graph, with every CIDR settled here.

use super::naming;
use super::types::*;
use crate::catalog::expand::Plan;
use crate::net;

pub(super) fn build_network(plan: &Plan, private: bool) -> Network {
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
pub(super) fn port_80(plan: &Plan) -> bool {
    let f = &plan.spec.gateway.frontend;
    let https = f.https.as_ref();
    f.http.unwrap_or(https.is_none()) || https.is_some_and(|h| h.redirect_http)
}
