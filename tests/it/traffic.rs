//! What issue 12 asks of the gateway's traffic, beyond the routing table (tests/it/routing.rs): the WAF lets
//! prompts through and inspects the rest, the deploying identity may call, the checks warn where callers or
//! tokens are at risk, and the scripts and README call each deployment with an API its model has.

use aoaigen::diag::Severity;
use aoaigen::render::{RenderedProject, Target};
use hcl_edit::structure::Body;
use serde_json::Value;

use crate::bicep_literal::{Lit, literal};
use crate::common::{render_example, render_text, text, today};
use crate::support::bicep_arm::resource_bodies;

/// (severity, code) of every diagnostic of `spec`.
fn diagnostics(spec: &str) -> Vec<(Severity, &'static str, String)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, spec).unwrap();
    aoaigen::pipeline::analyse(&path, today())
        .report
        .diagnostics
        .into_iter()
        .map(|d| (d.severity, d.code, d.path))
        .collect()
}

fn has(diags: &[(Severity, &'static str, String)], severity: Severity, code: &str) -> bool {
    diags.iter().any(|(s, c, _)| *s == severity && *c == code)
}

const HTTPS: &str = "gateway:\n  frontend:\n    https:\n      hostname: ai.example.com\n      certificate: { key_vault_secret_id: \"https://kv-x.vault.azure.net/secrets/gw\", key_vault_resource_group: rg-kv }\n";

fn spec(models: &str, rest: &str) -> String {
    format!("version: 1\nname: traffic\nlocation: swedencentral\nmodels:\n{models}{rest}")
}

const ONE_MODEL: &str = "  - model: gpt-4.1-mini\n    capacity: 10\n    regions: [swedencentral]\n";

#[test]
fn a_spec_with_only_an_http_listener_is_warned_about_tokens_in_clear_text() {
    let d = diagnostics(&spec(ONE_MODEL, ""));
    assert!(has(&d, Severity::Warning, "http-only"), "{d:?}");
    let d = diagnostics(&spec(ONE_MODEL, HTTPS));
    assert!(!has(&d, Severity::Warning, "http-only"), "{d:?}");
}

#[test]
fn nobody_allowed_to_call_is_a_warning() {
    let d = diagnostics(&spec(
        ONE_MODEL,
        &format!("{HTTPS}access:\n  assign_deployer: false\n"),
    ));
    assert!(
        d.iter().any(|(s, c, p)| *s == Severity::Warning
            && *c == "no-callers"
            && p == "access.assign_deployer"),
        "{d:?}"
    );
    let d = diagnostics(&spec(ONE_MODEL, HTTPS));
    assert!(
        !has(&d, Severity::Warning, "no-callers"),
        "the deployer gets the role by default: {d:?}"
    );
}

#[test]
fn deployment_names_that_break_the_routing_are_located_errors() {
    for name in ["chat-", "chat."] {
        let models = format!(
            "  - model: gpt-4.1-mini\n    deployment: \"{name}\"\n    capacity: 10\n    regions: [swedencentral]\n"
        );
        let d = diagnostics(&spec(&models, HTTPS));
        assert!(
            d.iter().any(|(s, c, p)| *s == Severity::Error
                && *c == "deployment-name-breaks-routing"
                && p == "models[0].deployment"),
            "{name}: {d:?}"
        );
    }
}

#[test]
fn gated_models_draw_a_warning_with_the_link() {
    let models =
        "  - model: computer-use-preview\n    capacity: 10\n    regions: [swedencentral]\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, spec(models, HTTPS)).unwrap();
    let a = aoaigen::pipeline::analyse(&path, today());
    let d = a
        .report
        .diagnostics
        .iter()
        .find(|d| d.code == "gated-model")
        .expect("gated-model warning");
    assert_eq!(d.severity, Severity::Warning);
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .contains("https://aka.ms/oai/cuaaccess")
    );
    // The generated README lists it under the prerequisites.
    let p = aoaigen::render::render(a.graph.as_ref().unwrap(), Target::Terraform).unwrap();
    let readme = text(&p, "README.md");
    let prerequisites =
        &readme[readme.find("## Prerequisites").unwrap()..readme.find("## Deploy").unwrap()];
    assert!(
        prerequisites.contains("computer-use-preview")
            && prerequisites.contains("https://aka.ms/oai/cuaaccess")
    );
}

#[test]
fn timeouts_beyond_the_public_endpoint_limit_are_warned_only_when_asked_for() {
    let long = "  - model: gpt-5.1\n    capacity: 10\n    request_timeout: 900\n    regions: [swedencentral]\n";
    let d = diagnostics(&spec(long, HTTPS));
    assert!(
        d.iter().any(|(s, c, p)| *s == Severity::Warning
            && *c == "timeout-over-external-limit"
            && p == "models[0].request_timeout"),
        "{d:?}"
    );
    // The catalog's 900 s for a reasoning model is capped silently; private endpoints allow it.
    let default = "  - model: gpt-5.1\n    capacity: 10\n    regions: [swedencentral]\n";
    assert!(!has(
        &diagnostics(&spec(default, HTTPS)),
        Severity::Warning,
        "timeout-over-external-limit"
    ));
    let private = format!("{HTTPS}access:\n  network: private\n");
    assert!(!has(
        &diagnostics(&spec(long, &private)),
        Severity::Warning,
        "timeout-over-external-limit"
    ));
}

#[test]
fn a_bare_route_that_misses_deployments_is_a_warning() {
    let models = "  - model: gpt-4.1-mini\n    capacity: 10\n    regions: [swedencentral]\n  - model: text-embedding-3-large\n    capacity: 10\n    regions: [francecentral]\n";
    assert!(has(
        &diagnostics(&spec(models, HTTPS)),
        Severity::Warning,
        "partial-default-route"
    ));
    let models = "  - model: gpt-4.1-mini\n    capacity: 10\n    regions: [swedencentral]\n  - model: text-embedding-3-large\n    capacity: 10\n    regions: [swedencentral]\n";
    assert!(!has(
        &diagnostics(&spec(models, HTTPS)),
        Severity::Warning,
        "partial-default-route"
    ));
}

#[test]
fn the_path_rule_limit_is_checked_before_rendering() {
    // 51 chat deployments need 102 path rules (a stateful and a general rule each); Application Gateway v2
    // allows 100 per URL path map.
    let mut models = String::new();
    for i in 0..51 {
        models.push_str(&format!("  - model: gpt-4.1-mini\n    deployment: chat-{i}\n    capacity: 1\n    regions: [swedencentral]\n"));
    }
    let d = diagnostics(&spec(&models, HTTPS));
    assert!(has(&d, Severity::Error, "gateway-limit"), "{d:?}");
    // One rule per deployment without stateful routes: fits.
    let d = diagnostics(&spec(
        &models,
        &format!("{HTTPS}  routing: {{ stateful_affinity: false }}\n"),
    ));
    assert!(!has(&d, Severity::Error, "gateway-limit"), "{d:?}");
}

// ------------------------------------------------------------------------------------------ WAF

/// (match variable, operator, selector) of the WAF policy's exclusions, from the rendered Terraform.
fn terraform_exclusions(p: &RenderedProject) -> Vec<(String, String, String)> {
    let body: Body = text(p, "gateway.tf").parse().unwrap();
    let policy = body
        .blocks()
        .find(|b| {
            b.labels
                .first()
                .is_some_and(|l| l.as_str() == "azurerm_web_application_firewall_policy")
        })
        .unwrap();
    let managed = policy
        .body
        .blocks()
        .find(|b| b.ident.as_str() == "managed_rules")
        .unwrap();
    let s = |b: &hcl_edit::structure::Block, k: &str| {
        b.body
            .get_attribute(k)
            .unwrap()
            .value
            .as_str()
            .unwrap()
            .to_string()
    };
    managed
        .body
        .blocks()
        .filter(|b| b.ident.as_str() == "exclusion")
        .map(|b| {
            (
                s(b, "match_variable"),
                s(b, "selector_match_operator"),
                s(b, "selector"),
            )
        })
        .collect()
}

fn bicep_waf(p: &RenderedProject) -> Value {
    resource_bodies("gateway.bicep", &text(p, "modules/gateway.bicep"))
        .into_iter()
        .find(|(symbol, _)| symbol == "wafPolicy")
        .unwrap()
        .1
}

#[test]
fn prompt_fields_are_excluded_and_everything_else_stays_inspected() {
    let (_, tf) = render_example("https-keyvault", Target::Terraform);
    let (_, bicep) = render_example("https-keyvault", Target::Bicep);
    let exclusions = terraform_exclusions(&tf);
    let waf = bicep_waf(&bicep);
    let from_bicep: Vec<(String, String, String)> = waf["properties"]["managedRules"]["exclusions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            (
                s("matchVariable"),
                s("selectorMatchOperator"),
                s("selector"),
            )
        })
        .collect();
    assert_eq!(exclusions, from_bicep);
    // How the WAF may name the JSON values that carry prompt text: by their own name, or by their path in
    // any notation. Every one must be excluded from the rules' evaluation (values, not only names).
    let excluded = |arg: &str| {
        exclusions.iter().any(|(var, op, sel)| {
            var == "RequestArgValues"
                && match op.as_str() {
                    "Contains" => arg.contains(sel.as_str()),
                    "Equals" => arg == sel,
                    "StartsWith" => arg.starts_with(sel.as_str()),
                    _ => false,
                }
        })
    };
    for arg in [
        "messages",
        "messages.0.content",
        "messages[0].content",
        "json.messages.array_0.content.array_1.text",
        "input",
        "input.0.content.0.text",
        "instructions",
        "prompt",
        "tools.0.function.description",
        "response_format.json_schema.schema",
        "prediction.content",
        "items.0.content",
    ] {
        assert!(excluded(arg), "prompt field `{arg}` would be inspected");
    }
    for arg in [
        "model",
        "temperature",
        "max_output_tokens",
        "store",
        "api-version",
    ] {
        assert!(!excluded(arg), "`{arg}` must stay inspected");
    }
    // The whole accepted body is inspected, in both targets (azurerm's default inspects only 128 KB).
    let s = &waf["properties"]["policySettings"];
    assert_eq!(s["requestBodyCheck"], true);
    assert_eq!(s["requestBodyEnforcement"], true);
    assert_eq!(
        s["requestBodyInspectLimitInKB"],
        s["maxRequestBodySizeInKb"]
    );
    let flat = text(&tf, "gateway.tf")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("max_request_body_size_in_kb = 2000 request_body_inspect_limit_in_kb = 2000")
    );
}

#[test]
fn prompt_exclusions_and_body_inspection_can_be_turned_off() {
    let (_, p) = render_text(
        &spec(
            ONE_MODEL,
            &format!("{HTTPS}  waf: {{ prompt_exclusions: false, inspect_body: false }}\n"),
        ),
        Target::Bicep,
    );
    let waf = bicep_waf(&p);
    assert_eq!(
        waf["properties"]["managedRules"]["exclusions"],
        Value::Array(vec![])
    );
    assert_eq!(
        waf["properties"]["policySettings"]["requestBodyCheck"],
        false
    );
    assert_eq!(
        waf["properties"]["policySettings"]["requestBodyEnforcement"],
        true
    );
}

// ------------------------------------------------------------------------------------------ callers

#[test]
fn the_deploying_identity_gets_the_openai_user_role_in_both_targets() {
    let (g, tf) = render_example("minimal", Target::Terraform);
    let (_, bicep) = render_example("minimal", Target::Bicep);
    let openai_user = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd";
    assert!(text(&tf, "access.tf").contains("data \"azurerm_client_config\" \"current\" {}"));
    let locals = text(&tf, "locals.tf")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for a in &g.accounts {
        assert!(
            locals.contains(&format!("\"deployer/openai-user/{}\" = {{ account = \"{}\" # The identity running Terraform, so the smoke test and the README examples work right away. principal_id = data.azurerm_client_config.current.object_id principal_type = null role_definition_id = \"{openai_user}\" }}", a.key, a.key)),
            "{}: no deployer role in locals.tf",
            a.key
        );
    }
    let main = text(&bicep, "main.bicep");
    assert!(main.contains("\nparam deployerObjectId string\n"));
    for account in literal(&main, "accounts").as_array() {
        let roles = account.get("roleAssignments").as_array();
        let deployer = roles
            .iter()
            .find(|r| r.get("key").str().starts_with("deployer/"))
            .expect("deployer role");
        assert_eq!(
            deployer.get("principalId"),
            &Lit::Ref("deployerObjectId".into())
        );
        assert_eq!(deployer.get("roleDefinitionId").str(), openai_user);
    }
    assert!(text(&bicep, "main.bicepparam").contains(
        "param deployerObjectId = readEnvironmentVariable('AOAIGEN_DEPLOYER_OBJECT_ID')"
    ));
    assert!(text(&bicep, "scripts/deploy.sh").contains("az ad signed-in-user show"));
    // Off: no deployer role, no data source, no parameter.
    let (g, tf) = render_text(
        &spec(
            ONE_MODEL,
            &format!("{HTTPS}access:\n  assign_deployer: false\n"),
        ),
        Target::Terraform,
    );
    assert!(g.role_assignments.is_empty());
    assert!(!text(&tf, "access.tf").contains("azurerm_client_config"));
}

#[test]
fn allowed_ips_that_private_mode_cannot_honour_draw_a_warning() {
    // Private mode disables the accounts' public endpoint, so neither target writes the addresses anywhere.
    let private = format!("{HTTPS}access:\n  network: private\n  allowed_ips: [203.0.113.7]\n");
    let d = diagnostics(&spec(ONE_MODEL, &private));
    assert!(
        d.iter().any(|(s, c, p)| *s == Severity::Warning
            && *c == "unused-setting"
            && p == "access.allowed_ips"),
        "{d:?}"
    );
    let (_, tf) = render_text(&spec(ONE_MODEL, &private), Target::Terraform);
    assert!(!text(&tf, "openai.tf").contains("ip_rules"));
    let firewall = format!("{HTTPS}access:\n  allowed_ips: [203.0.113.7]\n");
    let d = diagnostics(&spec(ONE_MODEL, &firewall));
    assert!(!has(&d, Severity::Warning, "unused-setting"), "{d:?}");
}

// ------------------------------------------------------------------------------------------ scripts

#[test]
fn the_smoke_test_calls_each_deployment_with_an_api_of_its_model() {
    let models = "  - model: gpt-5.1-codex\n    capacity: 10\n    regions: [swedencentral]\n  - model: gpt-4.1-mini\n    capacity: 10\n    regions: [swedencentral, francecentral]\n  - model: text-embedding-3-large\n    capacity: 10\n    regions: [swedencentral]\n";
    let (_, p) = render_text(&spec(models, HTTPS), Target::Terraform);
    let smoke = text(&p, "scripts/smoke-test.sh");
    // The codex model has no Chat Completions API (Microsoft's reasoning-models page): Responses only.
    assert!(smoke.contains("call 'gpt-5.1-codex' 'responses' '{\"model\":\"gpt-5.1-codex\",\"input\":\"Reply with OK.\"}' no"), "{smoke}");
    assert!(smoke.contains("call 'gpt-4.1-mini' 'chat/completions' "));
    assert!(smoke.contains("call 'text-embedding-3-large' 'embeddings' '{\"model\":\"text-embedding-3-large\",\"input\":\"aoaigen smoke test\"}' yes"));
    assert!(!smoke.contains("call 'text-embedding-3-large' 'chat/completions'"));
    // v1 calls take no api-version; the classic route uses the newest dated one.
    assert!(smoke.contains("\"${url}/d/${deployment}/openai/v1/${path}\""));
    assert!(smoke.contains("classic_api_version='2025-04-01-preview'"));
    assert!(!smoke.contains("2024-10-21"));
    assert!(smoke.contains("--no-buffer") && smoke.contains("grep -q '^data: '"));
    let readme = text(&p, "README.md");
    // The spec's first model answers only the Responses API: the streaming and SDK examples use it.
    assert!(
        readme.contains("curl -N -sS \"$url/d/gpt-5.1-codex/openai/v1/responses\""),
        "streaming example"
    );
    assert!(readme.contains("base_url=f\"{gateway}/d/gpt-5.1-codex/openai/v1/\""));
    assert!(readme.contains("client.responses.create(model=\"gpt-5.1-codex\""));
    assert!(
        readme.contains("from openai import AzureOpenAI")
            && readme.contains("api_version=\"2025-04-01-preview\"")
    );
    assert!(readme.contains("curl -sS \"$url/d/gpt-5.1-codex/openai/v1/responses\""));
    assert!(!readme.contains("/d/text-embedding-3-large/openai/v1/chat/completions"));
}

#[test]
fn the_project_readme_documents_the_call_patterns() {
    let readme = std::fs::read_to_string(crate::common::root().join("README.md")).unwrap();
    for needle in [
        "/d/<deployment>/openai/v1/",
        "curl -N",
        "base_url=",
        "AzureOpenAI(",
        "retry-after-ms",
        "assign_deployer",
        "prompt_exclusions",
    ] {
        assert!(readme.contains(needle), "README.md lacks {needle}");
    }
}
