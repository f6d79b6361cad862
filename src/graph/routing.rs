//! The gateway's routing table (pipeline stage 4, part of `graph::build`): backend pools, the URL path
//! map's rules, backend settings per (timeout, affinity), and the rewrite rule sets.
//!
//! Input: the `Plan`. Output: `Routing` for the `Gateway`, or located errors when Application Gateway v2's
//! limits would be exceeded.
//!
//! Every deployment D answers at two route shapes: the classic `/openai/deployments/D/*` and the v1
//! `/d/D/openai/v1/*`, whose `/d/D` a URL rewrite strips before the request reaches D's pool. Calls that
//! carry state (stored responses, files, batches, assistants, ...) match an earlier rule with cookie
//! affinity, so one client stays on one account for them.

use super::naming;
use super::types::*;
use crate::catalog::expand::{Plan, PlannedDeployment};
use crate::diag::Diagnostic;

/// Application Gateway v2 limits (Azure subscription limits, "Application Gateway limits").
pub const MAX_BACKEND_POOLS: usize = 100;
pub const MAX_BACKEND_SETTINGS: usize = 100;
pub const MAX_PATH_RULES_PER_MAP: usize = 100;
pub const MAX_REWRITE_RULE_SETS: usize = 400;
pub const MAX_REWRITE_ACTIONS_PER_SET: usize = 40;
pub const MAX_REWRITE_CONDITIONS_PER_SET: usize = 40;

/// v1 paths whose calls refer to state kept in one account.
pub const STATEFUL_V1_PATHS: &[&str] = &[
    "responses",
    "conversations",
    "files",
    "uploads",
    "batches",
    "assistants",
    "threads",
    "vector_stores",
    "containers",
];

/// `retry-after-ms` put on throttled answers by fast retry: small but not zero, because the OpenAI SDKs
/// honour a server delay only when it is above zero (openai-python `_calculate_retry_timeout`).
pub const FAST_RETRY_AFTER_MS: &str = "100";
/// `retry-after` (whole seconds) for clients that read only the standard header.
pub const FAST_RETRY_AFTER_S: &str = "1";

const AFFINITY_COOKIE: &str = "AOAIGEN-AFFINITY";
const STRIP_SET: &str = "openai-v1";
const FAST_RETRY_SET: &str = "openai-v1-fast-retry";

pub struct Routing {
    pub pools: Vec<Pool>,
    pub default_pool: DefaultPool,
    pub backend_settings: Vec<BackendSettings>,
    pub path_rules: Vec<PathRule>,
    pub rewrite_rule_sets: Vec<RewriteRuleSet>,
}

pub fn build(plan: &Plan) -> Result<Routing, Vec<Diagnostic>> {
    let spec = &plan.spec;
    let r = &spec.gateway.routing;
    let mut settings: Vec<(u32, bool)> = Vec::new();
    let mut use_settings = |timeout: u32, affinity: bool| {
        if !settings.contains(&(timeout, affinity)) {
            settings.push((timeout, affinity));
        }
        settings_name(timeout, affinity)
    };
    let mut pools: Vec<Pool> = Vec::new();
    let mut stateful_rules = Vec::new();
    let mut model_rules = Vec::new();
    for d in &plan.deployments {
        let mut served: Vec<(String, String)> = d
            .regions
            .iter()
            .map(|reg| {
                let prefix = naming::regional("oai", &spec.name, &reg.abbreviation);
                (reg.name.clone(), prefix)
            })
            .collect();
        served.sort();
        let (regions, subdomain_prefixes): (Vec<String>, Vec<String>) = served.into_iter().unzip();
        let stateful_route =
            r.stateful_affinity && !r.cookie_affinity && d.apis.iter().any(|a| a.stateful);
        let fast_retry = regions.len() >= 2 && !r.cookie_affinity && r.fast_retry != Some(false);
        let pool_name = format!("pool-{}", d.name);
        let v1_base = format!("/d/{}/openai/v1/", d.name);
        if stateful_route {
            stateful_rules.push(PathRule {
                name: format!("state-{}", d.name),
                deployment: d.name.clone(),
                route: "stateful".into(),
                paths: STATEFUL_V1_PATHS
                    .iter()
                    .map(|p| format!("{v1_base}{p}*"))
                    .collect(),
                pool: pool_name.clone(),
                backend_settings: use_settings(d.request_timeout, true),
                rewrite_rule_set: STRIP_SET.into(),
            });
        }
        model_rules.push(PathRule {
            name: format!("api-{}", d.name),
            deployment: d.name.clone(),
            route: "model".into(),
            paths: vec![
                format!("/openai/deployments/{}/*", d.name),
                format!("{v1_base}*"),
            ],
            pool: pool_name.clone(),
            backend_settings: use_settings(d.request_timeout, r.cookie_affinity),
            rewrite_rule_set: if fast_retry {
                FAST_RETRY_SET
            } else {
                STRIP_SET
            }
            .into(),
        });
        pools.push(Pool {
            deployment: d.name.clone(),
            name: pool_name,
            path: format!("/openai/deployments/{}/*", d.name),
            v1_base,
            regions,
            subdomain_prefixes,
            kind: d.kind.clone(),
            model: d.model.clone(),
            apis: d.apis.iter().map(|a| a.api.clone()).collect(),
            request_timeout: d.request_timeout,
            timeout_from: d.timeout_from.clone(),
            fast_retry,
            stateful_route,
            gating: d.gating.as_ref().map(|g| g.kind.as_str().to_string()),
            gating_url: d.gating.as_ref().map(|g| g.url.clone()),
            smoke_test: smoke_test(d),
        });
    }
    pools.sort_by(|a, b| a.deployment.cmp(&b.deployment));
    stateful_rules.sort_by(|a, b| a.deployment.cmp(&b.deployment));
    model_rules.sort_by(|a, b| a.deployment.cmp(&b.deployment));

    let bare = &plan.bare_route;
    let default_timeout = plan
        .deployments
        .iter()
        .filter(|d| bare.deployments.contains(&d.name))
        .map(|d| d.request_timeout)
        .max()
        .unwrap_or(300);
    let default_pool = DefaultPool {
        name: "openai-default".into(),
        subdomain_prefixes: bare
            .regions
            .iter()
            .map(|reg| {
                let abbr = plan
                    .deployments
                    .iter()
                    .flat_map(|d| &d.regions)
                    .find(|p| &p.name == reg)
                    .map_or("", |p| p.abbreviation.as_str());
                naming::regional("oai", &spec.name, abbr)
            })
            .collect(),
        regions: bare.regions.clone(),
        deployments: bare.deployments.clone(),
        lacking: bare.lacking.clone(),
        backend_settings: use_settings(default_timeout, r.cookie_affinity || r.stateful_affinity),
    };
    settings.sort();
    let backend_settings = settings
        .iter()
        .map(|&(timeout, affinity)| BackendSettings {
            name: settings_name(timeout, affinity),
            port: 443,
            protocol: "Https".into(),
            request_timeout: timeout,
            cookie_affinity: affinity,
            affinity_cookie_name: AFFINITY_COOKIE.into(),
            pick_host_name_from_backend_address: true,
        })
        .collect::<Vec<_>>();
    let mut path_rules = stateful_rules;
    path_rules.extend(model_rules);
    let rewrite_rule_sets = rewrite_sets(&path_rules);

    let mut errors = Vec::new();
    let limit = |what: &str, n: usize, max: usize, help: &str| {
        Diagnostic::error(
            "gateway-limit",
            "models",
            format!("the routing needs {n} {what}; Application Gateway v2 allows {max}"),
        )
        .with_help(help.to_string())
    };
    if pools.len() + 1 > MAX_BACKEND_POOLS {
        errors.push(limit(
            "backend pools (one per deployment and one for paths without a deployment)",
            pools.len() + 1,
            MAX_BACKEND_POOLS,
            "split the models over two specs (two gateways)",
        ));
    }
    if path_rules.len() > MAX_PATH_RULES_PER_MAP {
        errors.push(limit("path rules (one per deployment, and one more for each deployment with stateful APIs)", path_rules.len(), MAX_PATH_RULES_PER_MAP, "set `gateway.routing.stateful_affinity: false` (one rule per deployment), or split the models over two specs"));
    }
    if backend_settings.len() > MAX_BACKEND_SETTINGS {
        errors.push(limit(
            "backend settings (one per distinct request timeout and affinity)",
            backend_settings.len(),
            MAX_BACKEND_SETTINGS,
            "use fewer distinct `request_timeout` values",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Routing {
        pools,
        default_pool,
        backend_settings,
        path_rules,
        rewrite_rule_sets,
    })
}

fn settings_name(timeout: u32, affinity: bool) -> String {
    if affinity {
        format!("openai-{timeout}s-affinity")
    } else {
        format!("openai-{timeout}s")
    }
}

/// The rule sets the path rules use: the `/d/<deployment>` strip, alone or with fast retry on 429.
fn rewrite_sets(rules: &[PathRule]) -> Vec<RewriteRuleSet> {
    // The path rule picked the pool from the original path (no reroute); only the request to the account
    // loses `/d/<deployment>`, and its query string stays as it came.
    let strip = |name: &str| RewriteRule {
        name: name.into(),
        sequence: 100,
        conditions: vec![RewriteCondition {
            variable: "var_uri_path".into(),
            pattern: "^/d/[^/]+(/openai/.*)$".into(),
            ignore_case: true,
            negate: false,
        }],
        url_path: Some("{var_uri_path_1}".into()),
        response_headers: vec![],
    };
    let mut sets = Vec::new();
    if rules.iter().any(|r| r.rewrite_rule_set == STRIP_SET) {
        sets.push(RewriteRuleSet {
            name: STRIP_SET.into(),
            rules: vec![strip("v1-strip-deployment")],
        });
    }
    if rules.iter().any(|r| r.rewrite_rule_set == FAST_RETRY_SET) {
        sets.push(RewriteRuleSet {
            name: FAST_RETRY_SET.into(),
            rules: vec![
                strip("fast-retry-strip-deployment"),
                RewriteRule {
                    name: "fast-retry-on-429".into(),
                    sequence: 200,
                    conditions: vec![RewriteCondition {
                        variable: "var_http_status".into(),
                        pattern: "^429$".into(),
                        ignore_case: false,
                        negate: false,
                    }],
                    url_path: None,
                    response_headers: vec![
                        HeaderValue {
                            name: "retry-after-ms".into(),
                            value: FAST_RETRY_AFTER_MS.into(),
                        },
                        HeaderValue {
                            name: "retry-after".into(),
                            value: FAST_RETRY_AFTER_S.into(),
                        },
                    ],
                },
            ],
        });
    }
    sets.sort_by(|a, b| a.name.cmp(&b.name));
    sets
}

/// The cheapest synchronous call each API allows, on the v1 route; none for APIs that need a file, a
/// WebSocket or a long job.
fn smoke_test(d: &PlannedDeployment) -> Option<SmokeTest> {
    let model = serde_json::Value::String(d.name.clone());
    d.apis.iter().find_map(|a| {
        let body = match a.api.as_str() {
            "chat_completions" => serde_json::json!({"model": model, "messages": [{"role": "user", "content": "Reply with OK."}]}),
            "responses" => serde_json::json!({"model": model, "input": "Reply with OK."}),
            "completions" => serde_json::json!({"model": model, "prompt": "Reply with OK.", "max_tokens": 5}),
            "embeddings" => serde_json::json!({"model": model, "input": "aoaigen smoke test"}),
            "audio_speech" => serde_json::json!({"model": model, "input": "OK", "voice": "alloy"}),
            _ => return None,
        };
        let stream_body = matches!(a.api.as_str(), "chat_completions" | "responses").then(|| {
            let mut streamed = body.clone();
            streamed["stream"] = serde_json::Value::Bool(true);
            streamed.to_string()
        });
        Some(SmokeTest {
            api: a.api.clone(),
            path: a.v1_path.clone(),
            body: body.to_string(),
            stream_body,
            classic: matches!(
                a.api.as_str(),
                "chat_completions" | "embeddings" | "completions"
            ),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrite_sets_fit_the_gateway_limits() {
        let rule = |set: &str| PathRule {
            name: "r".into(),
            deployment: "d".into(),
            route: "model".into(),
            paths: vec![],
            pool: "p".into(),
            backend_settings: "s".into(),
            rewrite_rule_set: set.into(),
        };
        let sets = rewrite_sets(&[rule(STRIP_SET), rule(FAST_RETRY_SET)]);
        assert!(sets.len() <= MAX_REWRITE_RULE_SETS);
        let mut names = Vec::new();
        for s in &sets {
            let actions: usize = s
                .rules
                .iter()
                .map(|r| r.response_headers.len() + usize::from(r.url_path.is_some()))
                .sum();
            let conditions: usize = s.rules.iter().map(|r| r.conditions.len()).sum();
            assert!(
                actions <= MAX_REWRITE_ACTIONS_PER_SET
                    && conditions <= MAX_REWRITE_CONDITIONS_PER_SET
            );
            names.extend(s.rules.iter().map(|r| r.name.clone()));
        }
        // Rewrite rule names are unique within a gateway (ARM: ApplicationGatewayRewriteRule.name).
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(n, names.len());
    }
}
