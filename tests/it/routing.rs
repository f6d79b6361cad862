//! The routing table, asserted from the spec's side on the RENDERED output of both targets (read and routed
//! by tests/it/routing_table.rs): each deployment reachable by both route shapes, to exactly the accounts
//! that serve it, with its timeout; stateful routes with cookie affinity; 429 answers of multi-account pools
//! rewritten for fast retry; response buffering off.

use aoaigen::render::Target;

use crate::common::{examples, render_example, render_text, root};
use crate::routing_table::{Table, bicep_table, route, terraform_table};

fn tables(spec: &str) -> (Table, Table) {
    let (_, tf) = render_text(spec, Target::Terraform);
    let (_, bicep) = render_text(spec, Target::Bicep);
    (terraform_table(&tf), bicep_table(&bicep))
}

// ------------------------------------------------------------------------------------------ the specs

/// Three models with different APIs and account sets; explicit regions, so the expected accounts are the
/// spec's own lists.
fn mixed_spec(network: &str, extra: &str) -> String {
    format!(
        "version: 1\nname: routes\nlocation: swedencentral\nmodels:\n  - model: gpt-5.1\n    deployment: chat-main\n    capacity: 10\n    request_timeout: 1200\n    regions: [swedencentral, francecentral, germanywestcentral]\n  - model: gpt-5.1-codex\n    deployment: codex\n    capacity: 10\n    regions: [swedencentral, eastus2]\n  - model: text-embedding-3-large\n    capacity: 10\n    regions: [francecentral]\ngateway:\n  frontend:\n    https:\n      hostname: ai.example.com\n      certificate: {{ key_vault_secret_id: \"https://kv-routes.vault.azure.net/secrets/gw\", key_vault_resource_group: rg-kv }}\n{extra}access:\n  network: {network}\n"
    )
}

/// (deployment, regions as the spec lists them, sorted), for the mixed spec.
fn mixed_deployments() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        (
            "chat-main",
            vec!["francecentral", "germanywestcentral", "swedencentral"],
        ),
        ("codex", vec!["eastus2", "swedencentral"]),
        ("text-embedding-3-large", vec!["francecentral"]),
    ]
}

#[test]
fn both_targets_render_the_same_routing_table() {
    for ex in examples() {
        let (_, tf) = render_example(&ex, Target::Terraform);
        let (_, bicep) = render_example(&ex, Target::Bicep);
        assert_eq!(terraform_table(&tf), bicep_table(&bicep), "{ex}");
    }
    let (tf, bicep) = tables(&mixed_spec("private", ""));
    assert_eq!(tf, bicep);
}

#[test]
fn every_deployment_is_reachable_by_both_route_shapes() {
    for network in ["private", "firewall"] {
        let (tf, bicep) = tables(&mixed_spec(network, ""));
        for t in [&tf, &bicep] {
            for (d, regions) in mixed_deployments() {
                let classic = route(t, &format!("/openai/deployments/{d}/chat/completions"), 200);
                assert_eq!(classic.regions, regions, "{d} classic");
                assert_eq!(
                    classic.backend_path,
                    format!("/openai/deployments/{d}/chat/completions")
                );
                let v1 = route(t, &format!("/d/{d}/openai/v1/embeddings"), 200);
                assert_eq!(v1.regions, regions, "{d} v1");
                assert_eq!(
                    v1.backend_path, "/openai/v1/embeddings",
                    "{d}: /d/{d} is stripped"
                );
                assert!(v1.keeps_query, "{d}: the query string reaches the account");
                // Path rules are case-insensitive; so is the strip.
                let upper = route(
                    t,
                    &format!("/D/{}/openai/v1/embeddings", d.to_uppercase()),
                    200,
                );
                assert_eq!(upper.regions, regions, "{d} upper case");
                assert_eq!(upper.backend_path, "/openai/v1/embeddings");
            }
        }
    }
}

#[test]
fn examples_route_each_deployment_to_the_regions_their_spec_lists() {
    for ex in examples() {
        let spec_text =
            std::fs::read_to_string(root().join(format!("examples/{ex}.yaml"))).unwrap();
        let spec = aoaigen::spec::yaml::load(&spec_text).unwrap().value;
        let (_, tf) = render_example(&ex, Target::Terraform);
        let t = terraform_table(&tf);
        for m in spec["models"].as_array().unwrap() {
            let d = m.get("deployment").unwrap_or(&m["model"]).as_str().unwrap();
            let v1 = route(&t, &format!("/d/{d}/openai/v1/chat/completions"), 200);
            let classic = route(
                &t,
                &format!("/openai/deployments/{d}/chat/completions"),
                200,
            );
            assert_eq!(v1.regions, classic.regions, "{ex} {d}");
            let Some(listed) = m.get("regions") else {
                continue; // every region offering the model: the catalog decides, see the catalog tests
            };
            let mut want: Vec<String> = listed
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().or(r["name"].as_str()).unwrap().to_string())
                .collect();
            want.sort();
            assert_eq!(v1.regions, want, "{ex} {d}");
        }
    }
}

#[test]
fn stateful_routes_keep_affinity_and_stateless_ones_balance() {
    let (tf, bicep) = tables(&mixed_spec("private", ""));
    for t in [&tf, &bicep] {
        for d in ["chat-main", "codex"] {
            for call in [
                "responses",
                "responses/resp_123/input_items",
                "files",
                "batches/b1",
                "conversations/c1",
            ] {
                let o = route(t, &format!("/d/{d}/openai/v1/{call}"), 200);
                assert!(o.affinity, "{d} {call} must stay on one account");
                assert_eq!(o.backend_path, format!("/openai/v1/{call}"));
            }
            assert!(!route(t, &format!("/d/{d}/openai/v1/chat/completions"), 200).affinity);
            assert!(!route(t, &format!("/openai/deployments/{d}/chat/completions"), 200).affinity);
        }
        // Embeddings keep no state: no stateful route, balanced like the rest.
        assert!(!route(t, "/d/text-embedding-3-large/openai/v1/files", 200).affinity);
        // Paths without a deployment name carry files, batches, assistants: affinity.
        assert!(route(t, "/openai/files", 200).affinity);
    }
    // Turned off in the spec: no route keeps a client on one account.
    let (tf, _) = tables(&mixed_spec(
        "private",
        "  routing: { stateful_affinity: false }\n",
    ));
    assert!(!route(&tf, "/d/codex/openai/v1/responses", 200).affinity);
    assert!(!route(&tf, "/openai/files", 200).affinity);
}

#[test]
fn every_deployment_waits_as_long_as_chosen() {
    // Private endpoints: the spec's value, else the catalog family (capabilities.yaml: reasoning 900 s,
    // embedding 120 s).
    let (tf, bicep) = tables(&mixed_spec("private", ""));
    for t in [&tf, &bicep] {
        for (d, want) in [
            ("chat-main", 1200),
            ("codex", 900),
            ("text-embedding-3-large", 120),
        ] {
            assert_eq!(
                route(t, &format!("/d/{d}/openai/v1/responses"), 200).timeout,
                want,
                "{d}"
            );
            assert_eq!(
                route(t, &format!("/openai/deployments/{d}/embeddings"), 200).timeout,
                want,
                "{d}"
            );
        }
        // The bare route serves francecentral's deployments (chat-main, embeddings): the longer wait.
        assert_eq!(route(t, "/openai/v1/chat/completions", 200).timeout, 1200);
    }
    // Public endpoints: catalog defaults capped at Application Gateway's 240 s; the spec's value stands.
    let (tf, _) = tables(&mixed_spec("firewall", ""));
    assert_eq!(route(&tf, "/d/codex/openai/v1/responses", 200).timeout, 240);
    assert_eq!(
        route(&tf, "/d/chat-main/openai/v1/responses", 200).timeout,
        1200
    );
    // A gateway-wide value applies to every model without its own.
    let (tf, bicep) = tables(&mixed_spec(
        "private",
        "  routing: { request_timeout: 77 }\n",
    ));
    for t in [&tf, &bicep] {
        assert_eq!(route(t, "/d/codex/openai/v1/responses", 200).timeout, 77);
        assert_eq!(
            route(t, "/d/chat-main/openai/v1/responses", 200).timeout,
            1200
        );
    }
}

#[test]
fn paths_without_a_deployment_reach_accounts_that_serve_the_same_models() {
    let (tf, bicep) = tables(&mixed_spec("private", ""));
    for t in [&tf, &bicep] {
        // No account serves all three; francecentral and swedencentral serve two each (chat-main with
        // embeddings, chat-main with codex): the tie goes to the first region name.
        let o = route(t, "/openai/v1/chat/completions", 200);
        assert_eq!(o.regions, ["francecentral"]);
        assert_eq!(o.backend_path, "/openai/v1/chat/completions");
    }
    let (_, p) = render_example("reference-parity", Target::Terraform);
    let o = route(&terraform_table(&p), "/openai/v1/chat/completions", 200);
    assert_eq!(
        o.regions,
        ["francecentral", "swedencentral"],
        "gpt-5.1's accounts, the spec's first model"
    );
}

#[test]
fn throttled_answers_of_multi_account_pools_ask_for_an_immediate_retry() {
    let (tf, bicep) = tables(&mixed_spec("private", ""));
    let fast = vec![
        ("retry-after-ms".to_string(), "100".to_string()),
        ("retry-after".to_string(), "1".to_string()),
    ];
    for t in [&tf, &bicep] {
        for d in ["chat-main", "codex"] {
            assert_eq!(
                route(t, &format!("/d/{d}/openai/v1/chat/completions"), 429).response_headers,
                fast,
                "{d}"
            );
            assert_eq!(
                route(t, &format!("/openai/deployments/{d}/chat/completions"), 429)
                    .response_headers,
                fast
            );
            // Only 429s; stateful routes keep Azure's retry-after (a retry returns to the same account).
            assert!(
                route(t, &format!("/d/{d}/openai/v1/chat/completions"), 200)
                    .response_headers
                    .is_empty()
            );
            assert!(
                route(t, &format!("/d/{d}/openai/v1/responses"), 429)
                    .response_headers
                    .is_empty()
            );
        }
        // One account: nowhere else to go.
        assert!(
            route(t, "/d/text-embedding-3-large/openai/v1/embeddings", 429)
                .response_headers
                .is_empty()
        );
    }
    let (tf, _) = tables(&mixed_spec("private", "  routing: { fast_retry: false }\n"));
    assert!(
        route(&tf, "/d/chat-main/openai/v1/chat/completions", 429)
            .response_headers
            .is_empty()
    );
}

#[test]
fn response_buffering_is_off_for_server_sent_events() {
    for ex in examples() {
        for t in [
            terraform_table(&render_example(&ex, Target::Terraform).1),
            bicep_table(&render_example(&ex, Target::Bicep).1),
        ] {
            assert!(!t.response_buffering, "{ex}");
            assert!(t.request_buffering, "{ex}: the WAF buffers requests anyway");
        }
    }
}
