//! A reader for the routing table of both rendered targets, and a router that sends requests through it
//! the way Application Gateway does (used by tests/it/routing.rs).
//!
//! Terraform is read with hcl-edit (locals.tf and the gateway resource), Bicep with the literal reader
//! (main.bicep) and the resource-body builder of tests/support (the gateway module). Both become one
//! `Table`. A request takes the first path rule whose pattern matches (case-insensitive; `*` only at the
//! end), else the URL path map's default; the rule set's conditions are evaluated with an RE2-compatible
//! regex engine on the rendered patterns.

use std::collections::BTreeMap;

use aoaigen::render::RenderedProject;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::Body;
use serde_json::{Value, json};

use crate::bicep_literal::{Lit, literal};
use crate::common::text;
use crate::support::bicep_arm::resource_bodies;

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: String,
    pub paths: Vec<String>,
    pub pool: String,
    pub settings: String,
    pub rewrite: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rewrite {
    pub sequence: u64,
    /// (variable, pattern, ignore_case, negate)
    pub conditions: Vec<(String, String, bool, bool)>,
    pub url_path: Option<String>,
    pub keeps_query: bool,
    pub response_headers: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Pool name -> regions (account keys).
    pub pools: BTreeMap<String, Vec<String>>,
    /// Backend settings name -> (request timeout, cookie affinity).
    pub settings: BTreeMap<String, (u64, bool)>,
    pub rules: Vec<Rule>,
    pub default_pool: String,
    pub default_settings: String,
    pub rewrites: BTreeMap<String, Vec<Rewrite>>,
    pub request_buffering: bool,
    pub response_buffering: bool,
}

#[derive(Debug, PartialEq)]
pub struct Outcome {
    pub regions: Vec<String>,
    pub timeout: u64,
    pub affinity: bool,
    /// The path the account receives.
    pub backend_path: String,
    pub keeps_query: bool,
    /// Response headers set when the account answers with the routed status.
    pub response_headers: Vec<(String, String)>,
}

fn matches(pattern: &str, path: &str) -> bool {
    let (p, l) = (pattern.to_ascii_lowercase(), path.to_ascii_lowercase());
    match p.strip_suffix('*') {
        Some(prefix) => l.starts_with(prefix),
        None => l == p,
    }
}

/// Routes `path` (without query) answered with `status` through the table.
pub fn route(t: &Table, path: &str, status: u16) -> Outcome {
    let rule = t
        .rules
        .iter()
        .find(|r| r.paths.iter().any(|p| matches(p, path)));
    let (pool, settings, rewrite) = match rule {
        Some(r) => (&r.pool, &r.settings, Some(&r.rewrite)),
        None => (&t.default_pool, &t.default_settings, None),
    };
    let (timeout, affinity) = t.settings[settings];
    let mut out = Outcome {
        regions: t.pools[pool].clone(),
        timeout,
        affinity,
        backend_path: path.to_string(),
        keeps_query: true,
        response_headers: vec![],
    };
    let Some(set) = rewrite else {
        return out;
    };
    let mut rules = t.rewrites[set].clone();
    rules.sort_by_key(|r| r.sequence);
    for r in rules {
        let mut captures: Vec<String> = vec![];
        let holds = r
            .conditions
            .iter()
            .all(|(var, pattern, ignore_case, negate)| {
                let value = match var.as_str() {
                    "var_uri_path" => path.to_string(),
                    "var_http_status" => status.to_string(),
                    other => panic!("condition on {other}: teach the test what it means"),
                };
                let re = regex::RegexBuilder::new(pattern)
                    .case_insensitive(*ignore_case)
                    .build()
                    .unwrap_or_else(|e| panic!("`{pattern}` is not RE2-like: {e}"));
                let hit = match re.captures(&value) {
                    Some(c) => {
                        if var == "var_uri_path" {
                            captures = c
                                .iter()
                                .map(|m| m.map_or(String::new(), |m| m.as_str().to_string()))
                                .collect();
                        }
                        true
                    }
                    None => false,
                };
                hit != *negate
            });
        if !holds {
            continue;
        }
        if let Some(new) = &r.url_path {
            let mut p = new.clone();
            for (i, c) in captures.iter().enumerate().skip(1) {
                p = p.replace(&format!("{{var_uri_path_{i}}}"), c);
            }
            assert!(!p.contains('{'), "unresolved server variable in `{new}`");
            out.backend_path = p;
            out.keeps_query = r.keeps_query;
        }
        out.response_headers.extend(r.response_headers.clone());
    }
    out
}

/// Path rules from their data array; `keys` name the pool, settings and rewrite set fields.
fn rules(v: &Value, [pool, settings, rewrite]: [&str; 3]) -> Vec<Rule> {
    let s = |r: &Value, k: &str| {
        r[k].as_str()
            .unwrap_or_else(|| panic!("rule without {k}"))
            .to_string()
    };
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| Rule {
            name: s(r, "name"),
            paths: r["paths"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap().into())
                .collect(),
            pool: s(r, pool),
            settings: s(r, settings),
            rewrite: s(r, rewrite),
        })
        .collect()
}

// ------------------------------------------------------------------------------------------ Terraform

fn to_json(e: &Expression) -> Value {
    match e {
        Expression::String(s) => Value::String(s.value().to_string()),
        Expression::Number(n) => serde_json::to_value(n.value().as_u64()).unwrap(),
        Expression::Bool(b) => Value::Bool(*b.value()),
        Expression::Null(_) => Value::Null,
        Expression::Array(a) => Value::Array(a.iter().map(to_json).collect()),
        Expression::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_string(),
                        ObjectKey::Expression(e) => to_json(e).as_str().unwrap().to_string(),
                    };
                    (key, to_json(v.expr()))
                })
                .collect(),
        ),
        other => Value::String(other.to_string().trim().to_string()),
    }
}

fn attr(body: &Body, name: &str) -> Value {
    to_json(
        &body
            .get_attribute(name)
            .unwrap_or_else(|| panic!("no attribute {name}"))
            .value,
    )
}

fn blocks<'a>(
    body: &'a Body,
    ident: &'a str,
) -> impl Iterator<Item = &'a hcl_edit::structure::Block> {
    body.blocks().filter(move |b| b.ident.as_str() == ident)
}

pub fn terraform_table(p: &RenderedProject) -> Table {
    let locals_body: Body = text(p, "locals.tf").parse().unwrap();
    let locals = &blocks(&locals_body, "locals").next().unwrap().body;
    let gateway_src: Body = text(p, "gateway.tf").parse().unwrap();
    let gw = &gateway_src
        .blocks()
        .find(|b| {
            b.labels
                .first()
                .is_some_and(|l| l.as_str() == "azurerm_application_gateway")
        })
        .unwrap()
        .body;
    // The dynamic blocks read these fields of the locals: pin the wiring, then read the locals.
    let flat = gateway_src
        .to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for wiring in [
        "name = path_rule.value.name paths = path_rule.value.paths backend_address_pool_name = path_rule.value.backend_pool backend_http_settings_name = path_rule.value.backend_settings rewrite_rule_set_name = path_rule.value.rewrite_rule_set",
        "name = backend_http_settings.key",
        "request_timeout = backend_http_settings.value.request_timeout cookie_based_affinity = backend_http_settings.value.cookie_affinity ? \"Enabled\" : \"Disabled\"",
        "default_backend_address_pool_name = local.default_backend_pool.name default_backend_http_settings_name = local.default_backend_pool.backend_settings",
        "for_each = local.path_rules",
    ] {
        assert!(flat.contains(wiring), "gateway.tf lacks `{wiring}`");
    }
    let accounts = |v: &Value| -> Vec<String> {
        v["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect()
    };
    let mut pools = BTreeMap::new();
    for (_, pool) in attr(locals, "backend_pools").as_object().unwrap() {
        pools.insert(pool["name"].as_str().unwrap().to_string(), accounts(pool));
    }
    let default = attr(locals, "default_backend_pool");
    pools.insert(
        default["name"].as_str().unwrap().to_string(),
        accounts(&default),
    );
    let settings = attr(locals, "backend_settings")
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                (
                    v["request_timeout"].as_u64().unwrap(),
                    v["cookie_affinity"].as_bool().unwrap(),
                ),
            )
        })
        .collect();
    let rules = rules(
        &attr(locals, "path_rules"),
        ["backend_pool", "backend_settings", "rewrite_rule_set"],
    );
    let mut rewrites = BTreeMap::new();
    for set in blocks(gw, "rewrite_rule_set") {
        let rules = blocks(&set.body, "rewrite_rule")
            .map(|r| {
                let url = blocks(&r.body, "url").next();
                Rewrite {
                    sequence: attr(&r.body, "rule_sequence").as_u64().unwrap(),
                    conditions: blocks(&r.body, "condition")
                        .map(|c| {
                            (
                                attr(&c.body, "variable").as_str().unwrap().into(),
                                attr(&c.body, "pattern").as_str().unwrap().into(),
                                attr(&c.body, "ignore_case").as_bool().unwrap(),
                                attr(&c.body, "negate").as_bool().unwrap(),
                            )
                        })
                        .collect(),
                    url_path: url.map(|u| attr(&u.body, "path").as_str().unwrap().into()),
                    // azurerm sends no modifiedQueryString only with components = "path_only".
                    keeps_query: url.is_none_or(|u| attr(&u.body, "components") == "path_only"),
                    response_headers: blocks(&r.body, "response_header_configuration")
                        .map(|h| {
                            (
                                attr(&h.body, "header_name").as_str().unwrap().into(),
                                attr(&h.body, "header_value").as_str().unwrap().into(),
                            )
                        })
                        .collect(),
                }
            })
            .collect();
        rewrites.insert(attr(&set.body, "name").as_str().unwrap().to_string(), rules);
    }
    let global = &blocks(gw, "global").next().expect("no global block").body;
    Table {
        pools,
        settings,
        rules,
        default_pool: default["name"].as_str().unwrap().into(),
        default_settings: default["backend_settings"].as_str().unwrap().into(),
        rewrites,
        request_buffering: attr(global, "request_buffering_enabled").as_bool().unwrap(),
        response_buffering: attr(global, "response_buffering_enabled")
            .as_bool()
            .unwrap(),
    }
}

// ------------------------------------------------------------------------------------------ Bicep

fn lit_json(l: &Lit) -> Value {
    match l {
        Lit::Str(s) => Value::String(s.clone()),
        Lit::Int(n) => json!(n),
        Lit::Bool(b) => json!(b),
        Lit::Null => Value::Null,
        Lit::Arr(v) => Value::Array(v.iter().map(lit_json).collect()),
        Lit::Obj(v) => Value::Object(v.iter().map(|(k, v)| (k.clone(), lit_json(v))).collect()),
        Lit::Call(s) | Lit::Ref(s) => Value::String(s.clone()),
    }
}

pub fn bicep_table(p: &RenderedProject) -> Table {
    let main = text(p, "main.bicep");
    let var = |name: &str| lit_json(&literal(&main, name));
    let module = text(p, "modules/gateway.bicep");
    let flat = module.split_whitespace().collect::<Vec<_>>().join(" ");
    for wiring in [
        "pathRules: [for rule in pathRules: { name: rule.name properties: { paths: rule.paths backendAddressPool: { id: resourceId('Microsoft.Network/applicationGateways/backendAddressPools', name, rule.backendPool) } backendHttpSettings: { id: resourceId('Microsoft.Network/applicationGateways/backendHttpSettingsCollection', name, rule.backendSettings) } rewriteRuleSet: { id: resourceId('Microsoft.Network/applicationGateways/rewriteRuleSets', name, rule.rewriteRuleSet) }",
        "backendHttpSettingsCollection: [for setting in backendSettings: { name: setting.name",
        "requestTimeout: setting.requestTimeout cookieBasedAffinity: setting.cookieBasedAffinity",
        "backendAddressPools: [for pool in backendPools: { name: pool.name",
        "id: resourceId('Microsoft.Network/applicationGateways/backendAddressPools', name, defaultBackendPool)",
        "id: resourceId('Microsoft.Network/applicationGateways/backendHttpSettingsCollection', name, defaultBackendSettings)",
    ] {
        assert!(flat.contains(wiring), "gateway.bicep lacks `{wiring}`");
    }
    let main_flat = main.split_whitespace().collect::<Vec<_>>().join(" ");
    let wiring = "backendPools: backendPools defaultBackendPool: defaultBackendPool defaultBackendSettings: defaultBackendSettings backendSettings: backendSettings pathRules: pathRules";
    assert!(main_flat.contains(wiring), "main.bicep lacks `{wiring}`");
    let pools = var("backendPools")
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let regions = p["regions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_string())
                .collect();
            (p["name"].as_str().unwrap().to_string(), regions)
        })
        .collect();
    let settings = var("backendSettings")
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                (
                    s["requestTimeout"].as_u64().unwrap(),
                    s["cookieBasedAffinity"] == "Enabled",
                ),
            )
        })
        .collect();
    let rules = rules(
        &var("pathRules"),
        ["backendPool", "backendSettings", "rewriteRuleSet"],
    );
    let (_, gw) = resource_bodies("gateway.bicep", &module)
        .into_iter()
        .find(|(symbol, _)| symbol == "gateway")
        .unwrap();
    let props = &gw["properties"];
    let mut rewrites = BTreeMap::new();
    for set in props["rewriteRuleSets"].as_array().unwrap() {
        let rules = set["properties"]["rewriteRules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let url = &r["actionSet"]["urlConfiguration"];
                Rewrite {
                    sequence: r["ruleSequence"].as_u64().unwrap(),
                    conditions: r["conditions"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|c| {
                            (
                                c["variable"].as_str().unwrap().into(),
                                c["pattern"].as_str().unwrap().into(),
                                c["ignoreCase"].as_bool().unwrap(),
                                c["negate"].as_bool().unwrap(),
                            )
                        })
                        .collect(),
                    url_path: url["modifiedPath"].as_str().map(str::to_string),
                    // ARM: a null modifiedQueryString leaves the query string as it is.
                    keeps_query: url.get("modifiedQueryString").is_none_or(Value::is_null),
                    response_headers: r["actionSet"]["responseHeaderConfigurations"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|h| {
                            (
                                h["headerName"].as_str().unwrap().into(),
                                h["headerValue"].as_str().unwrap().into(),
                            )
                        })
                        .collect(),
                }
            })
            .collect();
        rewrites.insert(set["name"].as_str().unwrap().to_string(), rules);
    }
    let global = &props["globalConfiguration"];
    Table {
        pools,
        settings,
        rules,
        default_pool: var("defaultBackendPool").as_str().unwrap().into(),
        default_settings: var("defaultBackendSettings").as_str().unwrap().into(),
        rewrites,
        request_buffering: global["enableRequestBuffering"].as_bool().unwrap(),
        response_buffering: global["enableResponseBuffering"].as_bool().unwrap(),
    }
}
