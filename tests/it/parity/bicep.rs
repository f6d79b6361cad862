//! The Bicep side of the parity check: facts from the evaluated main.bicep and module instances.

use aoaigen::render::RenderedProject;
use serde_json::{Map, Value, json};

use super::{Facts, KINDS, canon, last_arg, principal, reference, sorted};
use crate::support::bicep_arm::eval::{BicepProject, ResourceInstance};

/// Canonical form of a reference inside `⟨⟩`: `Microsoft.Network/publicIPAddresses:pip-x.properties.ipAddress`
/// -> `<public_ip:pip-x>.ip`, a main.bicep parameter -> `<input>`, `uniqueString()` suffixes -> `<suffix>`.
fn resolve(r: &str) -> Option<String> {
    if r.contains("uniqueString(") {
        return Some("<suffix>".into());
    }
    // The AzureCloud value of environment().suffixes.keyvaultDns (ARM template functions reference).
    if r == "environment().suffixes.keyvaultDns" {
        return Some(".vault.azure.net".into());
    }
    if r.to_ascii_lowercase().contains("deployer") && r.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Some("<deployer>".into());
    }
    if r.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Some("<input>".into());
    }
    let (rtype, rest) = r.split_once(':')?;
    let kind = KINDS
        .iter()
        .find(|(_, arm, _)| arm.eq_ignore_ascii_case(rtype))?
        .2;
    // `Type:"name".attr`: the name is quoted, as names hold dots.
    let close = rest[1..].find('"')? + 1;
    let name = &rest[1..close];
    let attr = rest[close + 1..].strip_prefix('.').unwrap_or("");
    Some(reference(kind, name, attr, false))
}

fn strip_ref(v: &Value, kind: &str) -> String {
    let s = v.as_str().unwrap_or_else(|| panic!("not a reference: {v}"));
    s.strip_prefix(&format!("<{kind}:"))
        .and_then(|x| x.strip_suffix('>'))
        .unwrap_or_else(|| panic!("not a {kind} reference: {s}"))
        .to_string()
}

pub fn facts(project: &RenderedProject) -> Facts {
    let e = BicepProject::from_files(&project.files).evaluate();
    let res: Vec<ResourceInstance> = e
        .resources
        .iter()
        .filter(|r| !r.existing)
        .map(|r| {
            let mut c = r.clone();
            c.body = canon(&Value::Object(r.body.clone()), &resolve)
                .as_object()
                .unwrap()
                .clone();
            c
        })
        .collect();
    let mut f = Facts::new();
    for r in &res {
        let at = |p: &str| r.at(p);
        let name = at("/name").as_str().unwrap_or_default().to_string();
        match r.rtype.as_str() {
            "Microsoft.Network/networkSecurityGroups" => {
                for rule in at("/properties/securityRules").as_array().unwrap() {
                    let p = &rule["properties"];
                    f.insert(
                        format!("nsg/{name}/{}", rule["name"].as_str().unwrap()),
                        json!({
                            "priority": p["priority"], "direction": p["direction"], "access": p["access"],
                            "protocol": p["protocol"], "source_ports": p["sourcePortRange"],
                            "destination_ports": p["destinationPortRange"], "source": p["sourceAddressPrefix"],
                            "destination": p["destinationAddressPrefix"],
                        }),
                    );
                }
            }
            "Microsoft.Network/virtualNetworks" => {
                for s in at("/properties/subnets").as_array().unwrap() {
                    let p = &s["properties"];
                    let mut v = json!({
                        "cidr": p["addressPrefix"],
                        "private_endpoint_policies": match &p["privateEndpointNetworkPolicies"] {
                            Value::Null => json!("Disabled"),
                            x => x.clone(),
                        },
                    });
                    if !p["networkSecurityGroup"].is_null() {
                        v["nsg"] = json!(strip_ref(&p["networkSecurityGroup"]["id"], "nsg"));
                    }
                    f.insert(format!("subnet/{}", s["name"].as_str().unwrap()), v);
                }
            }
            "Microsoft.CognitiveServices/accounts" => {
                let p = at("/properties");
                let acl = &p["networkAcls"];
                let ips: Vec<Value> = acl["ipRules"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x["value"].clone())
                    .collect();
                f.insert(
                    format!("account/{name}"),
                    json!({
                        "location": at("/location"), "kind": at("/kind"), "sku": at("/sku/name"),
                        "subdomain": p["customSubDomainName"],
                        "local_auth": !p["disableLocalAuth"].as_bool().unwrap(),
                        "public_network_access": p["publicNetworkAccess"] == "Enabled",
                        "outbound_restricted": p["restrictOutboundNetworkAccess"],
                        "identity": at("/identity/type"),
                        "acl_default": acl["defaultAction"], "acl_bypass": acl["bypass"],
                        "ip_rules": sorted(&json!(ips)),
                    }),
                );
            }
            "Microsoft.CognitiveServices/accounts/deployments" => {
                let m = at("/properties/model");
                f.insert(
                    format!("deployment/{}/{name}", at("/parent").as_str().unwrap()),
                    json!({
                        "model": m["name"], "format": m["format"],
                        "version": if m["version"].is_null() { json!("(kept as Azure upgrades it)") } else { m["version"].clone() },
                        "upgrade": at("/properties/versionUpgradeOption"), "rai_policy": at("/properties/raiPolicyName"),
                        "sku": at("/sku/name"), "capacity": at("/sku/capacity"),
                    }),
                );
            }
            "Microsoft.Authorization/roleAssignments" => {
                let guid = last_arg(&at("/properties/roleDefinitionId"));
                f.insert(
                    format!(
                        "role/{}/{}/{guid}",
                        at("/scope").as_str().unwrap(),
                        principal(at("/properties/principalId").as_str().unwrap())
                    ),
                    json!({ "principal_type": at("/properties/principalType") }),
                );
            }
            "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies" => {
                let ps = at("/properties/policySettings");
                let mr = at("/properties/managedRules");
                let sets: Vec<Value> = mr["managedRuleSets"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| json!({ "type": s["ruleSetType"], "version": s["ruleSetVersion"] }))
                    .collect();
                let excl: Vec<Value> = mr["exclusions"].as_array().unwrap().iter()
                    .map(|x| json!({ "variable": x["matchVariable"], "operator": x["selectorMatchOperator"], "selector": x["selector"] }))
                    .collect();
                f.insert(
                    format!("waf/{name}"),
                    json!({
                        "enabled": ps["state"] == "Enabled", "mode": ps["mode"], "body_check": ps["requestBodyCheck"],
                        "body_enforcement": ps["requestBodyEnforcement"], "inspect_limit_kb": ps["requestBodyInspectLimitInKB"],
                        "max_body_kb": ps["maxRequestBodySizeInKb"], "file_upload_mb": ps["fileUploadLimitInMb"],
                        "rule_sets": sorted(&json!(sets)), "exclusions": json!(excl),
                    }),
                );
            }
            "Microsoft.Network/applicationGateways" => gateway(r, &mut f),
            "Microsoft.Network/privateEndpoints" => {
                let c = &at("/properties/privateLinkServiceConnections")[0]["properties"];
                // The zone group is a child resource of the same module instance.
                let zones: Vec<Value> = res
                    .iter()
                    .filter(|z| {
                        z.module == r.module
                            && z.rtype == "Microsoft.Network/privateEndpoints/privateDnsZoneGroups"
                    })
                    .flat_map(|z| {
                        z.at("/properties/privateDnsZoneConfigs")
                            .as_array()
                            .unwrap()
                            .clone()
                    })
                    .map(|c| c["properties"]["privateDnsZoneId"].clone())
                    .collect();
                f.insert(
                    format!("private_endpoint/{name}"),
                    json!({
                        "subnet": at("/properties/subnet/id"), "target": c["privateLinkServiceId"],
                        "group_ids": sorted(&c["groupIds"]), "manual": false, "zones": sorted(&json!(zones)),
                    }),
                );
            }
            "Microsoft.Network/privateDnsZones" => {
                f.insert(format!("private_dns_zone/{name}"), json!({}));
            }
            "Microsoft.Network/privateDnsZones/virtualNetworkLinks" => {
                f.insert(
                    format!(
                        "private_dns_link/{}/{}",
                        strip_ref(&at("/parent"), "private_dns_zone"),
                        at("/properties/virtualNetwork/id").as_str().unwrap()
                    ),
                    json!({ "registration": at("/properties/registrationEnabled") }),
                );
            }
            "Microsoft.Network/publicIPAddresses" => {
                f.insert(
                    format!("public_ip/{name}"),
                    json!({
                        "sku": at("/sku/name"), "allocation": at("/properties/publicIPAllocationMethod"),
                        "zones": sorted(&at("/zones")), "dns_label": at("/properties/dnsSettings/domainNameLabel"),
                    }),
                );
            }
            "Microsoft.Insights/diagnosticSettings" => {
                let cats = |k: &str| -> Value {
                    sorted(&json!(
                        at(k)
                            .as_array()
                            .unwrap()
                            .iter()
                            .filter(|x| x["enabled"] == true)
                            .map(|x| x["category"].clone())
                            .collect::<Vec<_>>()
                    ))
                };
                f.insert(
                    format!("diagnostics/{}/{name}", at("/scope").as_str().unwrap()),
                    json!({ "workspace": at("/properties/workspaceId"), "logs": cats("/properties/logs"), "metrics": cats("/properties/metrics") }),
                );
            }
            _ => {}
        }
    }
    f
}

fn gateway(r: &ResourceInstance, f: &mut Facts) {
    let gw = r.at("/name").as_str().unwrap().to_string();
    let p = r.at("/properties");
    let arr = |k: &str| p[k].as_array().cloned().unwrap_or_default();
    let ports: Map<String, Value> = arr("frontendPorts")
        .iter()
        .map(|x| {
            (
                x["name"].as_str().unwrap().to_string(),
                x["properties"]["port"].clone(),
            )
        })
        .collect();
    let identity = match r.at("/identity") {
        Value::Null => Value::Null,
        i => {
            let ids: Vec<Value> = i["userAssignedIdentities"]
                .as_object()
                .unwrap()
                .keys()
                .map(|k| canon(&json!(k), &resolve))
                .collect();
            json!({ "type": i["type"], "ids": sorted(&json!(ids)) })
        }
    };
    let a = &p["autoscaleConfiguration"];
    f.insert(
        format!("gateway/{gw}"),
        json!({
            "sku": p["sku"]["name"], "tier": p["sku"]["tier"], "capacity": p["sku"].get("capacity"),
            "autoscale": if a.is_null() { Value::Null } else { json!([a["minCapacity"], a["maxCapacity"]]) },
            "buffering": match &p["globalConfiguration"] {
                Value::Null => Value::Null,
                g => json!([g["enableRequestBuffering"], g["enableResponseBuffering"]]),
            },
            "zones": sorted(&r.at("/zones")), "http2": p["enableHttp2"],
            "waf_policy": p["firewallPolicy"]["id"], "force_waf": p.get("forceFirewallPolicyAssociation"),
            "identity": identity,
            "ssl_policy": json!({ "type": p["sslPolicy"]["policyType"], "name": p["sslPolicy"]["policyName"] }),
            "subnet": p["gatewayIPConfigurations"][0]["properties"]["subnet"]["id"],
            "public_ip": p["frontendIPConfigurations"][0]["properties"]["publicIPAddress"]["id"],
        }),
    );
    for l in arr("httpListeners") {
        let lp = &l["properties"];
        f.insert(
            format!("listener/{gw}/{}", l["name"].as_str().unwrap()),
            json!({
                "port": ports[&last_arg(&lp["frontendPort"]["id"])], "protocol": lp["protocol"],
                "host": lp.get("hostName"), "sni": lp.get("requireServerNameIndication").cloned().unwrap_or(json!(false)),
                "certificate": lp.get("sslCertificate").map(|c| json!(last_arg(&c["id"]))),
            }),
        );
    }
    for c in arr("sslCertificates") {
        let cp = &c["properties"];
        let source = match cp.get("keyVaultSecretId") {
            Some(id) => json!({ "key_vault_secret": id }),
            None => json!({ "pfx": cp["data"], "password": cp.get("password") }),
        };
        f.insert(
            format!("certificate/{gw}/{}", c["name"].as_str().unwrap()),
            source,
        );
    }
    for pool in arr("backendAddressPools") {
        let fqdns: Vec<Value> = pool["properties"]["backendAddresses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["fqdn"].clone())
            .collect();
        f.insert(
            format!("pool/{gw}/{}", pool["name"].as_str().unwrap()),
            sorted(&json!(fqdns)),
        );
    }
    for s in arr("backendHttpSettingsCollection") {
        let sp = &s["properties"];
        f.insert(
            format!("backend/{gw}/{}", s["name"].as_str().unwrap()),
            json!({
                "port": sp["port"], "protocol": sp["protocol"], "pick_host": sp["pickHostNameFromBackendAddress"],
                "timeout": sp["requestTimeout"], "affinity": sp["cookieBasedAffinity"], "cookie": sp.get("affinityCookieName"),
                "probe": last_arg(&sp["probe"]["id"]),
            }),
        );
    }
    for pr in arr("probes") {
        let pp = &pr["properties"];
        f.insert(
            format!("probe/{gw}/{}", pr["name"].as_str().unwrap()),
            json!({
                "protocol": pp["protocol"], "path": pp["path"], "interval": pp["interval"], "timeout": pp["timeout"],
                "threshold": pp["unhealthyThreshold"], "pick_host": pp["pickHostNameFromBackendHttpSettings"],
                "match": pp["match"]["statusCodes"],
            }),
        );
    }
    for m in arr("urlPathMaps") {
        let mp = &m["properties"];
        let mut rules: Vec<Value> = mp["pathRules"].as_array().unwrap().iter()
            .map(|x| {
                let xp = &x["properties"];
                json!({
                    "name": x["name"], "paths": xp["paths"], "pool": last_arg(&xp["backendAddressPool"]["id"]),
                    "backend": last_arg(&xp["backendHttpSettings"]["id"]),
                    "rewrite": if xp["rewriteRuleSet"].is_null() { Value::Null } else { json!(last_arg(&xp["rewriteRuleSet"]["id"])) },
                })
            })
            .collect();
        rules.sort_by_key(|x| x["name"].to_string());
        f.insert(
            format!("path_map/{gw}/{}", m["name"].as_str().unwrap()),
            json!({
                "default_pool": last_arg(&mp["defaultBackendAddressPool"]["id"]),
                "default_backend": last_arg(&mp["defaultBackendHttpSettings"]["id"]), "rules": rules,
            }),
        );
    }
    for set in arr("rewriteRuleSets") {
        let rules: Vec<Value> = set["properties"]["rewriteRules"].as_array().unwrap().iter()
            .map(|r| {
                let conditions: Vec<Value> = r["conditions"].as_array().cloned().unwrap_or_default().iter()
                    .map(|c| json!({ "variable": c["variable"], "pattern": c["pattern"], "ignore_case": c["ignoreCase"], "negate": c["negate"] }))
                    .collect();
                let a = &r["actionSet"];
                let headers: Vec<Value> = a["responseHeaderConfigurations"].as_array().cloned().unwrap_or_default().iter()
                    .map(|h| json!([h["headerName"], h["headerValue"]]))
                    .collect();
                let path = a.get("urlConfiguration").map(|u| u["modifiedPath"].clone());
                json!({ "name": r["name"], "sequence": r["ruleSequence"], "conditions": conditions, "response_headers": headers, "path": path })
            })
            .collect();
        f.insert(
            format!("rewrite/{gw}/{}", set["name"].as_str().unwrap()),
            json!(rules),
        );
    }
    let opt = |v: &Value| {
        if v.is_null() {
            Value::Null
        } else {
            json!(last_arg(&v["id"]))
        }
    };
    for x in arr("requestRoutingRules") {
        let xp = &x["properties"];
        f.insert(
            format!("rule/{gw}/{}", x["name"].as_str().unwrap()),
            json!({
                "priority": xp["priority"], "type": xp["ruleType"], "listener": last_arg(&xp["httpListener"]["id"]),
                "path_map": opt(&xp["urlPathMap"]), "redirect": opt(&xp["redirectConfiguration"]),
            }),
        );
    }
    for x in arr("redirectConfigurations") {
        let xp = &x["properties"];
        f.insert(
            format!("redirect/{gw}/{}", x["name"].as_str().unwrap()),
            json!({ "type": xp["redirectType"], "target": last_arg(&xp["targetListener"]["id"]), "path": xp["includePath"], "query": xp["includeQueryString"] }),
        );
    }
}
