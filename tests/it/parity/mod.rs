//! Property-level parity of the two targets, read from their rendered text.
//!
//! Each side evaluates its own project (`tf_eval` over the HCL, `bicep_arm::eval` over main.bicep and its
//! modules) and extracts the security-relevant settings into one normalised form ("facts": NSG rules,
//! subnets, account network ACLs / public access / local auth, deployments, TLS policy, WAF, listeners,
//! certificates, probes, backend settings, pools, path maps and routing rules, role assignments, private
//! endpoints, private DNS zones and their links, diagnostics). Neither side is derived from the graph, so a
//! template that hard-codes a value the other target takes from the spec shows up as a difference.

pub mod bicep;
pub mod terraform;

use std::collections::BTreeMap;
use std::path::PathBuf;

use aoaigen::render::Target;
use serde_json::Value;

use crate::common::{examples, render_example, render_path, root, valid_fixtures};

/// A role assignment's principal: the deploying identity (which both evaluators know by the same stand-in
/// object ID) as `<deployer>`, any other as written.
pub fn principal(id: &str) -> String {
    if id == crate::support::value::DEPLOYER_OBJECT_ID {
        "<deployer>".into()
    } else {
        id.to_string()
    }
}

/// Normalised settings, by `kind/key` (e.g. `nsg/nsg-x-we/DenyOtherInbound`).
pub type Facts = BTreeMap<String, Value>;

/// The kinds both sides name references by: (azurerm type, ARM type, canonical kind).
const KINDS: &[(&str, &str, &str)] = &[
    (
        "azurerm_public_ip",
        "Microsoft.Network/publicIPAddresses",
        "public_ip",
    ),
    (
        "azurerm_subnet",
        "Microsoft.Network/virtualNetworks/subnets",
        "subnet",
    ),
    (
        "azurerm_virtual_network",
        "Microsoft.Network/virtualNetworks",
        "vnet",
    ),
    (
        "azurerm_network_security_group",
        "Microsoft.Network/networkSecurityGroups",
        "nsg",
    ),
    (
        "azurerm_cognitive_account",
        "Microsoft.CognitiveServices/accounts",
        "account",
    ),
    (
        "azurerm_cognitive_deployment",
        "Microsoft.CognitiveServices/accounts/deployments",
        "deployment",
    ),
    (
        "azurerm_user_assigned_identity",
        "Microsoft.ManagedIdentity/userAssignedIdentities",
        "identity",
    ),
    (
        "azurerm_private_dns_zone",
        "Microsoft.Network/privateDnsZones",
        "private_dns_zone",
    ),
    (
        "azurerm_web_application_firewall_policy",
        "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies",
        "waf_policy",
    ),
    (
        "azurerm_key_vault",
        "Microsoft.KeyVault/vaults",
        "key_vault",
    ),
    (
        "azurerm_log_analytics_workspace",
        "Microsoft.OperationalInsights/workspaces",
        "workspace",
    ),
    (
        "azurerm_application_gateway",
        "Microsoft.Network/applicationGateways",
        "gateway",
    ),
    (
        "azurerm_private_endpoint",
        "Microsoft.Network/privateEndpoints",
        "private_endpoint",
    ),
    ("azurerm_dns_zone", "Microsoft.Network/dnsZones", "dns_zone"),
];

/// Attributes both sides reference: (azurerm attribute, ARM path, canonical suffix).
const ATTRS: &[(&str, &str, &str)] = &[
    ("id", "id", ""),
    ("ip_address", "properties.ipAddress", ".ip"),
    ("principal_id", "properties.principalId", ".principal"),
    ("name", "name", ".name"),
];

/// `<kind:name>` plus the canonical attribute suffix, for a reference to a named resource.
fn reference(kind: &str, name: &str, attr: &str, tf: bool) -> String {
    if attr.is_empty() {
        return format!("<{kind}:{name}>");
    }
    let suffix = ATTRS
        .iter()
        .find(|(t, b, _)| if tf { *t == attr } else { *b == attr })
        .map(|(_, _, c)| c.to_string())
        .unwrap_or_else(|| format!(".{attr}"));
    format!("<{kind}:{name}>{suffix}")
}

/// Rewrites every `⟨...⟩` in the strings of `v` with `f` (unchanged where `f` gives `None`).
pub fn canon(v: &Value, f: &dyn Fn(&str) -> Option<String>) -> Value {
    match v {
        Value::String(s) => {
            let mut out = String::new();
            let mut rest = s.as_str();
            while let Some(i) = rest.find('⟨') {
                out.push_str(&rest[..i]);
                let after = &rest[i + '⟨'.len_utf8()..];
                let Some(j) = after.find('⟩') else {
                    out.push_str(&rest[i..]);
                    rest = "";
                    break;
                };
                let inner = &after[..j];
                match f(inner) {
                    Some(r) => out.push_str(&r),
                    None => out.push_str(&format!("⟨{inner}⟩")),
                }
                rest = &after[j + '⟩'.len_utf8()..];
            }
            out.push_str(rest);
            Value::String(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(|x| canon(x, f)).collect()),
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, x)| (k.clone(), canon(x, f))).collect())
        }
        other => other.clone(),
    }
}

/// A list in a stable order (for settings whose order carries no meaning).
pub fn sorted(v: &Value) -> Value {
    let mut a = v.as_array().cloned().unwrap_or_default();
    a.sort_by_key(|x| x.to_string());
    Value::Array(a)
}

/// The last quoted argument of a call kept as a reference: `resourceId('T', 'gw', 'port-443')` -> `port-443`.
pub fn last_arg(v: &Value) -> String {
    let s = v.as_str().unwrap_or_else(|| panic!("not a reference: {v}"));
    let end = s
        .rfind('\'')
        .unwrap_or_else(|| panic!("no quoted argument in {s}"));
    let start = s[..end].rfind('\'').unwrap();
    s[start + 1..end].to_string()
}

/// The settings of one spec in both targets.
pub fn both(spec: &str) -> (Facts, Facts) {
    let (tf, bicep) = if let Some(ex) = spec.strip_prefix("examples/") {
        (
            render_example(ex, Target::Terraform).1,
            render_example(ex, Target::Bicep).1,
        )
    } else {
        let spec = PathBuf::from(spec);
        (
            render_path(&spec, Target::Terraform).1,
            render_path(&spec, Target::Bicep).1,
        )
    };
    (terraform::facts(&tf), bicep::facts(&bicep))
}

/// Every example (`examples/<name>`) and valid fixture (its path), as `both` takes them.
pub fn specs() -> Vec<String> {
    let mut v: Vec<String> = examples()
        .into_iter()
        .map(|e| format!("examples/{e}"))
        .collect();
    v.extend(
        valid_fixtures()
            .into_iter()
            .map(|p| p.display().to_string()),
    );
    v
}

fn diff(t: &Facts, b: &Facts) -> String {
    let mut out = String::new();
    for k in t
        .keys()
        .chain(b.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        match (t.get(k), b.get(k)) {
            (Some(x), Some(y)) if x == y => {}
            (x, y) => out.push_str(&format!(
                "{k}:\n  terraform: {}\n  bicep:     {}\n",
                x.map_or("(absent)".into(), Value::to_string),
                y.map_or("(absent)".into(), Value::to_string)
            )),
        }
    }
    out
}

#[test]
fn both_targets_deploy_the_same_security_settings() {
    let _ = root();
    for spec in specs() {
        let (t, b) = both(&spec);
        assert!(
            t.len() >= 15,
            "{spec}: too few settings read from Terraform: {t:#?}"
        );
        let d = diff(&t, &b);
        assert!(d.is_empty(), "{spec}: the targets differ:\n{d}");
    }
}

/// The extraction itself is checked against one hand-verified fact per kind, so a side that silently
/// yields nothing for a kind cannot make the comparison pass.
#[test]
fn the_extraction_reads_every_kind() {
    let (t, b) = both("examples/private-enterprise");
    for kind in [
        "nsg/",
        "subnet/",
        "account/",
        "deployment/",
        "role/",
        "waf/",
        "gateway/",
        "listener/",
        "certificate/",
        "pool/",
        "backend/",
        "probe/",
        "path_map/",
        "rule/",
        "private_endpoint/",
        "private_dns_zone/",
        "private_dns_link/",
        "public_ip/",
        "diagnostics/",
        "rewrite/",
    ] {
        for (side, f) in [("terraform", &t), ("bicep", &b)] {
            assert!(
                f.keys().any(|k| k.starts_with(kind)),
                "{side}: no {kind} facts: {:#?}",
                f.keys().collect::<Vec<_>>()
            );
        }
    }
    assert_eq!(
        t["nsg/nsg-pe-fabrikam-ai-we/DenyOtherInbound"]["access"], "Deny",
        "{:#?}",
        t
    );
}
