//! The Terraform side of the parity check: facts from the evaluated HCL of a rendered project.

use aoaigen::render::RenderedProject;
use serde_json::{Map, Value, json};

use super::{Facts, KINDS, canon, principal, reference, sorted};
use crate::support::tf_eval::{Instance, TfProject, blocks, one_block};

/// Canonical form of a reference inside `⟨⟩`: `azurerm_public_ip.gateway.ip_address` -> `<public_ip:pip-x>.ip`.
fn resolve(p: &TfProject, inst: &[Instance], r: &str) -> Option<String> {
    if r == "random_string.suffix.result" {
        return Some("<suffix>".into());
    }
    // The deploying identity: the Terraform caller, or the Bicep deployment's parameter.
    if r.starts_with("data.azurerm_client_config.") && r.ends_with(".object_id") {
        return Some("<deployer>".into());
    }
    if r.starts_with("var.") {
        return Some("<input>".into());
    }
    if let Some(d) = r.strip_prefix("data.") {
        let mut it = d.splitn(3, '.');
        let (t, n, attr) = (it.next()?, it.next()?, it.next()?);
        let name = p.data_attr(t, n, "name")?;
        let kind = KINDS.iter().find(|(tf, _, _)| *tf == t)?.2;
        return Some(reference(kind, name.as_str()?, attr, true));
    }
    let (rtype, rest) = r.split_once('.')?;
    let kind = KINDS.iter().find(|(tf, _, _)| *tf == rtype)?.2;
    let end = rest.find(['[', '.'])?;
    let label = &rest[..end];
    let mut rest = &rest[end..];
    let mut key = None;
    if let Some(r2) = rest.strip_prefix("[\"") {
        let close = r2.find("\"]")?;
        key = Some(r2[..close].to_string());
        rest = &r2[close + 2..];
    }
    let attr = rest.strip_prefix('.').unwrap_or(rest);
    let i = inst
        .iter()
        .find(|i| i.rtype == rtype && i.name == label && i.key == key)?;
    Some(reference(kind, i.get("name").as_str()?, attr, true))
}

pub fn facts(project: &RenderedProject) -> Facts {
    let p = TfProject::from_files(&project.files);
    let raw = p.instances();
    // Every reference canonical before anything is read.
    let inst: Vec<Instance> = raw
        .iter()
        .map(|i| {
            let mut c = i.clone();
            c.body = canon(&Value::Object(i.body.clone()), &|r| resolve(&p, &raw, r))
                .as_object()
                .unwrap()
                .clone();
            c
        })
        .collect();
    let mut f = Facts::new();
    let mut subnets: Map<String, Value> = Map::new();
    for i in &inst {
        let s = |k: &str| i.get(k).clone();
        match i.rtype.as_str() {
            "azurerm_network_security_rule" => {
                f.insert(
                    format!("nsg/{}/{}", s("network_security_group_name").as_str().unwrap(), s("name").as_str().unwrap()),
                    json!({
                        "priority": s("priority"), "direction": s("direction"), "access": s("access"),
                        "protocol": s("protocol"), "source_ports": s("source_port_range"),
                        "destination_ports": s("destination_port_range"), "source": s("source_address_prefix"),
                        "destination": s("destination_address_prefix"),
                    }),
                );
            }
            "azurerm_subnet" => {
                let e = subnets
                    .entry(s("name").as_str().unwrap().to_string())
                    .or_insert(json!({}));
                e["cidr"] = s("address_prefixes")[0].clone();
                e["private_endpoint_policies"] = match s("private_endpoint_network_policies") {
                    Value::Null => json!("Disabled"),
                    v => v,
                };
            }
            "azurerm_subnet_network_security_group_association" => {
                let sub = s("subnet_id");
                let name = strip_ref(&sub, "subnet");
                let e = subnets.entry(name).or_insert(json!({}));
                e["nsg"] = json!(strip_ref(&s("network_security_group_id"), "nsg"));
            }
            "azurerm_cognitive_account" => {
                let acl = i.block("network_acls");
                f.insert(
                    format!("account/{}", s("name").as_str().unwrap()),
                    json!({
                        "location": s("location"), "kind": s("kind"), "sku": s("sku_name"),
                        "subdomain": s("custom_subdomain_name"),
                        "local_auth": s("local_auth_enabled"),
                        "public_network_access": s("public_network_access_enabled"),
                        "outbound_restricted": s("outbound_network_access_restricted"),
                        "identity": i.block("identity")["type"],
                        "acl_default": acl["default_action"], "acl_bypass": acl["bypass"],
                        "ip_rules": sorted(acl.get("ip_rules").unwrap_or(&json!([]))),
                    }),
                );
            }
            "azurerm_cognitive_deployment" => {
                let model = i.block("model");
                let sku = i.block("sku");
                let managed = i.ignore_changes.iter().any(|c| c == "model[0].version");
                f.insert(
                    format!("deployment/{}/{}", s("cognitive_account_id").as_str().unwrap(), s("name").as_str().unwrap()),
                    json!({
                        "model": model["name"], "format": model["format"],
                        "version": if managed { json!("(kept as Azure upgrades it)") } else { model["version"].clone() },
                        "upgrade": s("version_upgrade_option"), "rai_policy": s("rai_policy_name"),
                        "sku": sku["name"], "capacity": sku["capacity"],
                    }),
                );
            }
            "azurerm_role_assignment" => {
                let role = s("role_definition_id");
                let guid = role
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string();
                f.insert(
                    format!(
                        "role/{}/{}/{guid}",
                        s("scope").as_str().unwrap(),
                        principal(s("principal_id").as_str().unwrap())
                    ),
                    json!({ "principal_type": s("principal_type") }),
                );
            }
            "azurerm_web_application_firewall_policy" => {
                let ps = i.block("policy_settings");
                let mr = i.block("managed_rules");
                let sets: Vec<Value> = blocks(mr, "managed_rule_set")
                    .iter()
                    .map(|b| json!({ "type": b["type"], "version": b["version"] }))
                    .collect();
                let excl: Vec<Value> = blocks(mr, "exclusion")
                    .iter()
                    .map(|b| json!({ "variable": b["match_variable"], "operator": b["selector_match_operator"], "selector": b["selector"] }))
                    .collect();
                f.insert(
                    format!("waf/{}", s("name").as_str().unwrap()),
                    json!({
                        "enabled": ps["enabled"], "mode": ps["mode"], "body_check": ps["request_body_check"],
                        "body_enforcement": ps["request_body_enforcement"], "inspect_limit_kb": ps["request_body_inspect_limit_in_kb"],
                        "max_body_kb": ps["max_request_body_size_in_kb"], "file_upload_mb": ps["file_upload_limit_in_mb"],
                        "rule_sets": sorted(&json!(sets)), "exclusions": json!(excl),
                    }),
                );
            }
            "azurerm_application_gateway" => gateway(i, &mut f),
            "azurerm_private_endpoint" => {
                let psc = i.block("private_service_connection");
                let zones: Vec<Value> = blocks(&i.body, "private_dns_zone_group")
                    .iter()
                    .flat_map(|g| g["private_dns_zone_ids"].as_array().unwrap().clone())
                    .collect();
                f.insert(
                    format!("private_endpoint/{}", s("name").as_str().unwrap()),
                    json!({
                        "subnet": s("subnet_id"), "target": psc["private_connection_resource_id"],
                        "group_ids": sorted(&psc["subresource_names"]), "manual": psc["is_manual_connection"],
                        "zones": sorted(&json!(zones)),
                    }),
                );
            }
            "azurerm_private_dns_zone" => {
                f.insert(
                    format!("private_dns_zone/{}", s("name").as_str().unwrap()),
                    json!({}),
                );
            }
            "azurerm_private_dns_zone_virtual_network_link" => {
                f.insert(
                    format!(
                        "private_dns_link/{}/{}",
                        s("private_dns_zone_name").as_str().unwrap(),
                        s("virtual_network_id").as_str().unwrap()
                    ),
                    json!({ "registration": s("registration_enabled") }),
                );
            }
            "azurerm_public_ip" => {
                f.insert(
                    format!("public_ip/{}", s("name").as_str().unwrap()),
                    json!({ "sku": s("sku"), "allocation": s("allocation_method"), "zones": sorted(&s("zones")), "dns_label": s("domain_name_label") }),
                );
            }
            "azurerm_monitor_diagnostic_setting" => {
                let logs: Vec<Value> = blocks(&i.body, "enabled_log")
                    .iter()
                    .map(|b| b["category"].clone())
                    .collect();
                let metrics: Vec<Value> = blocks(&i.body, "enabled_metric")
                    .iter()
                    .map(|b| b["category"].clone())
                    .collect();
                f.insert(
                    format!("diagnostics/{}/{}", s("target_resource_id").as_str().unwrap(), s("name").as_str().unwrap()),
                    json!({ "workspace": s("log_analytics_workspace_id"), "logs": sorted(&json!(logs)), "metrics": sorted(&json!(metrics)) }),
                );
            }
            _ => {}
        }
    }
    for (k, v) in subnets {
        f.insert(format!("subnet/{k}"), v);
    }
    f
}

/// `<kind:name>` -> `name`.
fn strip_ref(v: &Value, kind: &str) -> String {
    let s = v.as_str().unwrap();
    s.strip_prefix(&format!("<{kind}:"))
        .and_then(|x| x.strip_suffix('>'))
        .unwrap_or_else(|| panic!("not a {kind} reference: {s}"))
        .to_string()
}

fn gateway(i: &Instance, f: &mut Facts) {
    let gw = i.get("name").as_str().unwrap().to_string();
    let b = &i.body;
    let ports: Map<String, Value> = blocks(b, "frontend_port")
        .iter()
        .map(|p| (p["name"].as_str().unwrap().to_string(), p["port"].clone()))
        .collect();
    let sku = one_block(b, "sku");
    let ssl = one_block(b, "ssl_policy");
    let identity = blocks(b, "identity")
        .first()
        .map(|x| json!({ "type": x["type"], "ids": sorted(&x["identity_ids"]) }));
    f.insert(
        format!("gateway/{gw}"),
        json!({
            "sku": sku["name"], "tier": sku["tier"], "capacity": sku.get("capacity"),
            "autoscale": blocks(b, "autoscale_configuration").first().map(|a| json!([a["min_capacity"], a["max_capacity"]])),
            "buffering": blocks(b, "global").first().map(|x| json!([x["request_buffering_enabled"], x["response_buffering_enabled"]])),
            "zones": sorted(i.get("zones")), "http2": i.get("http2_enabled"),
            "waf_policy": i.get("firewall_policy_id"), "force_waf": i.get("force_firewall_policy_association"),
            "identity": identity,
            "ssl_policy": json!({ "type": ssl["policy_type"], "name": ssl["policy_name"] }),
            "subnet": one_block(b, "gateway_ip_configuration")["subnet_id"],
            "public_ip": one_block(b, "frontend_ip_configuration")["public_ip_address_id"],
        }),
    );
    for l in blocks(b, "http_listener") {
        f.insert(
            format!("listener/{gw}/{}", l["name"].as_str().unwrap()),
            json!({
                "port": ports[l["frontend_port_name"].as_str().unwrap()], "protocol": l["protocol"],
                "host": l.get("host_name"), "sni": l.get("require_sni").cloned().unwrap_or(json!(false)),
                "certificate": l.get("ssl_certificate_name"),
            }),
        );
    }
    for c in blocks(b, "ssl_certificate") {
        let source = match c.get("key_vault_secret_id") {
            Some(id) => json!({ "key_vault_secret": id }),
            None => json!({ "pfx": c["data"], "password": c.get("password") }),
        };
        f.insert(
            format!("certificate/{gw}/{}", c["name"].as_str().unwrap()),
            source,
        );
    }
    for p in blocks(b, "backend_address_pool") {
        f.insert(
            format!("pool/{gw}/{}", p["name"].as_str().unwrap()),
            sorted(&p["fqdns"]),
        );
    }
    for s in blocks(b, "backend_http_settings") {
        f.insert(
            format!("backend/{gw}/{}", s["name"].as_str().unwrap()),
            json!({
                "port": s["port"], "protocol": s["protocol"],
                "pick_host": s["pick_host_name_from_backend_address"], "timeout": s["request_timeout"],
                "affinity": s["cookie_based_affinity"], "cookie": s.get("affinity_cookie_name"), "probe": s["probe_name"],
            }),
        );
    }
    for p in blocks(b, "probe") {
        f.insert(
            format!("probe/{gw}/{}", p["name"].as_str().unwrap()),
            json!({
                "protocol": p["protocol"], "path": p["path"], "interval": p["interval"], "timeout": p["timeout"],
                "threshold": p["unhealthy_threshold"], "pick_host": p["pick_host_name_from_backend_http_settings"],
                "match": one_block(p, "match")["status_code"],
            }),
        );
    }
    for m in blocks(b, "url_path_map") {
        let mut rules: Vec<Value> = blocks(m, "path_rule")
            .iter()
            .map(|r| json!({ "name": r["name"], "paths": r["paths"], "pool": r["backend_address_pool_name"], "backend": r["backend_http_settings_name"], "rewrite": r.get("rewrite_rule_set_name") }))
            .collect();
        rules.sort_by_key(|r| r["name"].to_string());
        f.insert(
            format!("path_map/{gw}/{}", m["name"].as_str().unwrap()),
            json!({ "default_pool": m["default_backend_address_pool_name"], "default_backend": m["default_backend_http_settings_name"], "rules": rules }),
        );
    }
    for set in blocks(b, "rewrite_rule_set") {
        let rules: Vec<Value> = blocks(set, "rewrite_rule")
            .iter()
            .map(|r| {
                let conditions: Vec<Value> = blocks(r, "condition")
                    .iter()
                    .map(|c| json!({ "variable": c["variable"], "pattern": c["pattern"], "ignore_case": c["ignore_case"], "negate": c["negate"] }))
                    .collect();
                let headers: Vec<Value> = blocks(r, "response_header_configuration")
                    .iter()
                    .map(|h| json!([h["header_name"], h["header_value"]]))
                    .collect();
                let path = blocks(r, "url").first().map(|u| u["path"].clone());
                json!({ "name": r["name"], "sequence": r["rule_sequence"], "conditions": conditions, "response_headers": headers, "path": path })
            })
            .collect();
        f.insert(
            format!("rewrite/{gw}/{}", set["name"].as_str().unwrap()),
            json!(rules),
        );
    }
    for r in blocks(b, "request_routing_rule") {
        f.insert(
            format!("rule/{gw}/{}", r["name"].as_str().unwrap()),
            json!({
                "priority": r["priority"], "type": r["rule_type"], "listener": r["http_listener_name"],
                "path_map": r.get("url_path_map_name"), "redirect": r.get("redirect_configuration_name"),
            }),
        );
    }
    for r in blocks(b, "redirect_configuration") {
        f.insert(
            format!("redirect/{gw}/{}", r["name"].as_str().unwrap()),
            json!({ "type": r["redirect_type"], "target": r["target_listener_name"], "path": r["include_path"], "query": r["include_query_string"] }),
        );
    }
}
