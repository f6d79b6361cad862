//! Semantic invariants checked against independent sources (issue 13 item 3): Azure's documented limits
//! and defaults and Microsoft's built-in role list, pinned in tests/data/azure with their sources, held
//! against the rendered text of both targets for every example and valid fixture.

use std::collections::BTreeMap;

use aoaigen::render::Target;
use serde_json::Value;

use crate::common::render_text;
use crate::parity::{self, Facts, bicep, terraform};

fn azure(file: &str) -> Value {
    let path = crate::common::root().join("tests/data/azure").join(file);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn every_spec() -> Vec<(String, Facts, Facts)> {
    parity::specs()
        .into_iter()
        .map(|s| {
            let (t, b) = parity::both(&s);
            (s, t, b)
        })
        .collect()
}

fn both_of_text(spec: &str) -> (Facts, Facts) {
    (
        terraform::facts(&render_text(spec, Target::Terraform).1),
        bicep::facts(&render_text(spec, Target::Bicep).1),
    )
}

/// Routing rule priorities are required on v2, unique per gateway, and within Azure's range.
#[test]
fn routing_rule_priorities_are_unique_and_in_azures_range() {
    let range = &azure("application-gateway-v2.json")["request_routing_rule_priority"];
    let (min, max) = (
        range["min"].as_u64().unwrap(),
        range["max"].as_u64().unwrap(),
    );
    for (spec, t, b) in every_spec() {
        for (side, f) in [("terraform", &t), ("bicep", &b)] {
            let mut by_gateway: BTreeMap<String, Vec<u64>> = BTreeMap::new();
            for (k, v) in f.iter().filter(|(k, _)| k.starts_with("rule/")) {
                let gw = k.split('/').nth(1).unwrap().to_string();
                let p = v["priority"]
                    .as_u64()
                    .unwrap_or_else(|| panic!("{spec} {side}: {k} has no priority"));
                assert!(
                    (min..=max).contains(&p),
                    "{spec} {side}: {k} priority {p} outside {min}..={max}"
                );
                by_gateway.entry(gw).or_default().push(p);
            }
            assert!(
                !by_gateway.is_empty(),
                "{spec} {side}: no routing rules read"
            );
            for (gw, mut ps) in by_gateway {
                let n = ps.len();
                ps.sort();
                ps.dedup();
                assert_eq!(ps.len(), n, "{spec} {side}: {gw} repeats a priority");
            }
        }
    }
}

const ROLES: &str = "version: 1
name: roles
location: swedencentral
models:
  - model: gpt-5.1
    regions: [swedencentral]
gateway:
  frontend:
    https:
      hostname: ai.example.com
      certificate: { key_vault_secret_id: 'https://kv-roles.vault.azure.net/secrets/gw', key_vault_resource_group: rg-kv }
access:
  role_assignments:
    - { principal_id: 11111111-1111-1111-1111-111111111111, role: openai-user }
    - { principal_id: 22222222-2222-2222-2222-222222222222, role: openai-contributor }
    - { principal_id: 33333333-3333-3333-3333-333333333333, role: cognitive-services-user }
";

/// Every role definition both targets assign is Microsoft's built-in role of that name.
#[test]
fn role_definitions_are_microsofts_built_in_roles() {
    let pinned = azure("built-in-roles.json");
    let roles = pinned["roles"].as_object().unwrap();
    let expected = [
        (
            "11111111-1111-1111-1111-111111111111",
            "Cognitive Services OpenAI User",
        ),
        (
            "22222222-2222-2222-2222-222222222222",
            "Cognitive Services OpenAI Contributor",
        ),
        (
            "33333333-3333-3333-3333-333333333333",
            "Cognitive Services User",
        ),
        (
            "<identity:id-roles-sdc>.principal",
            "Key Vault Secrets User",
        ),
        // The deploying identity may call the accounts from the start (access.assign_deployer).
        ("<deployer>", "Cognitive Services OpenAI User"),
    ];
    let (t, b) = both_of_text(ROLES);
    for (side, f) in [("terraform", &t), ("bicep", &b)] {
        let assigned: Vec<(String, String)> = f
            .keys()
            .filter_map(|k| k.strip_prefix("role/"))
            .map(|k| {
                let (rest, guid) = k.rsplit_once('/').unwrap();
                let principal = rest.rsplit_once('/').map_or(rest, |(_, p)| p);
                (principal.to_string(), guid.to_string())
            })
            .collect();
        assert_eq!(assigned.len(), expected.len(), "{side}: {assigned:?}");
        for (principal, role) in expected {
            let guid = assigned
                .iter()
                .find(|(p, _)| p == principal)
                .map(|(_, g)| g.as_str());
            assert_eq!(
                guid,
                roles[role].as_str(),
                "{side}: {principal} should get {role}"
            );
        }
    }
    // And every role any example or fixture assigns is on the list.
    for (spec, t, b) in every_spec() {
        for f in [&t, &b] {
            for k in f.keys().filter_map(|k| k.strip_prefix("role/")) {
                let guid = k.rsplit('/').next().unwrap();
                assert!(
                    roles.values().any(|g| g == guid),
                    "{spec}: {guid} is not a pinned built-in role"
                );
            }
        }
    }
}

/// A spec without `health_probe` gets the probe DESIGN §3 documents (path `/status-0123456789abcdef`),
/// with Azure's documented default probe timings (interval 30 s, timeout 30 s, 3 failures), in both targets.
#[test]
fn the_default_probe_is_the_documented_one() {
    let azure_default = &azure("application-gateway-v2.json")["default_health_probe"];
    let spec = "version: 1\nname: probe\nlocation: swedencentral\nmodels:\n  - model: gpt-5.1\n    regions: [swedencentral]\n";
    let (t, b) = both_of_text(spec);
    for (side, f) in [("terraform", &t), ("bicep", &b)] {
        let probes: Vec<&Value> = f
            .iter()
            .filter(|(k, _)| k.starts_with("probe/"))
            .map(|(_, v)| v)
            .collect();
        assert_eq!(probes.len(), 1, "{side}");
        let p = probes[0];
        assert_eq!(
            p["path"], "/status-0123456789abcdef",
            "{side}: DESIGN §3 default path"
        );
        for (ours, theirs) in [
            ("interval", "interval"),
            ("timeout", "timeout"),
            ("threshold", "unhealthy_threshold"),
        ] {
            assert_eq!(p[ours], azure_default[theirs], "{side}: {ours}");
        }
        assert_eq!(p["protocol"], "Https", "{side}");
        assert_eq!(p["match"], serde_json::json!(["200-399"]), "{side}");
    }
}

/// `--check` names a generated file that has gone stale (the spec no longer produces it) and one edited
/// by hand.
#[test]
fn check_reports_stale_generated_files_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("aoaigen.yaml");
    let base = "version: 1\nname: stale\nlocation: swedencentral\nmodels:\n  - model: gpt-5.1\n    regions: [swedencentral]\n";
    std::fs::write(
        &spec,
        format!("{base}diagnostics: {{ log_analytics: {{ retention_days: 30 }} }}\n"),
    )
    .unwrap();
    let run = |check: bool| {
        let mut args = vec![
            "render",
            "--spec",
            "aoaigen.yaml",
            "--target",
            "terraform",
            "--out",
            "gen",
        ];
        if check {
            args.push("--check");
        }
        std::process::Command::new(env!("CARGO_BIN_EXE_aoaigen"))
            .args(&args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    assert!(run(false).status.success());
    std::fs::write(&spec, base).unwrap();
    std::fs::write(dir.path().join("gen/gateway.tf"), "# edited by hand\n").unwrap();
    let o = run(true);
    assert_eq!(o.status.code(), Some(1));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    for name in ["monitoring.tf", "gateway.tf"] {
        assert!(all.contains(name), "--check does not name {name}:\n{all}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("gen/gateway.tf")).unwrap(),
        "# edited by hand\n",
        "--check must not write"
    );
}
