//! Bicep must build (issue 13 item 1): every linter rule the generated bicepconfig.json raises to error has
//! a check (tests/support/bicep_arm/lint.rs) that is at least as strict as the rule, every generated .bicep
//! file of every example, valid fixture and hostile spec passes all of them, and the Bicep string escaping
//! can never put a host name the no-hardcoded-env-urls rule refuses into the source.

use std::collections::BTreeSet;

use aoaigen::render::{RenderedProject, Target};
use proptest::prelude::*;
use serde_json::Value;

use crate::bicep_literal::{Lit, literal};
use crate::common::{
    examples, render_example, render_path, render_text, valid_fixtures, write_project,
};
use crate::support::bicep_arm::check_bicep_dir;
use crate::support::bicep_arm::lint::{PROVEN, host_matches, lint};

fn facts() -> Value {
    serde_json::from_str(include_str!("../data/bicep/linter.json")).unwrap()
}

fn hosts() -> Vec<String> {
    facts()["no-hardcoded-env-urls"]["disallowed_hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap().to_string())
        .collect()
}

/// Specs whose values hold what the rules look for: host names in tags, tag keys and the gateway's host
/// name (in any case, next to escapes, with a dotless ı), keywords and long keys.
fn hostile() -> Vec<(String, RenderedProject)> {
    let specs = [
        "version: 1\nname: hosts\nlocation: swedencentral\ntags:\n  url: 'https://management.azure.com/subscriptions'\n  login.microsoftonline.com: 'VAULT.AZURE.NET'\n  tab: \"\\ttrafficmanager.net\"\n  dotless: 'graph.w\u{131}ndows.net'\n  'true': 'a.core.windows.net.b'\nmodels:\n  - model: gpt-5.1\n    regions: [swedencentral]\ngateway:\n  frontend:\n    https:\n      hostname: api.trafficmanager.net\n      certificate: { key_vault_secret_id: 'https://kv-hosts.vault.azure.net/secrets/gw/0123abcd', key_vault_resource_group: rg-kv }\n",
        "version: 1\nname: keys\nlocation: swedencentral\ntags: { 'null': x, 'false': y }\nmodels:\n  - model: gpt-5.1\n    regions: [swedencentral]\naccess:\n  network: private\n",
    ];
    specs
        .iter()
        .map(|s| {
            (
                s.lines().nth(1).unwrap().to_string(),
                render_text(s, Target::Bicep).1,
            )
        })
        .collect()
}

fn every_project() -> Vec<(String, RenderedProject)> {
    let mut v: Vec<(String, RenderedProject)> = examples()
        .into_iter()
        .map(|e| (e.clone(), render_example(&e, Target::Bicep).1))
        .collect();
    v.extend(
        valid_fixtures()
            .into_iter()
            .map(|p| (p.display().to_string(), render_path(&p, Target::Bicep).1)),
    );
    v.extend(hostile());
    v
}

#[test]
fn every_rule_raised_to_error_has_a_proof() {
    let proven: BTreeSet<&str> = PROVEN.iter().copied().collect();
    for (name, p) in every_project() {
        let config: Value = serde_json::from_slice(&p.files["bicepconfig.json"]).unwrap();
        let at_error: BTreeSet<&str> = config["analyzers"]["core"]["rules"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, v)| v["level"] == "error")
            .map(|(k, _)| k.as_str())
            .collect();
        let unproven: Vec<&&str> = at_error.difference(&proven).collect();
        assert!(
            unproven.is_empty(),
            "{name}: raised to error without a proof: {unproven:?}"
        );
        let stale: Vec<&&str> = proven.difference(&at_error).collect();
        assert!(
            stale.is_empty(),
            "{name}: proven but not raised to error: {stale:?}"
        );
    }
}

#[test]
fn no_generated_bicep_breaks_a_rule_raised_to_error() {
    let facts = facts();
    let hosts = hosts();
    for (name, p) in every_project() {
        let dir = tempfile::tempdir().unwrap();
        write_project(&p, dir.path());
        let report = check_bicep_dir(dir.path());
        assert!(report.is_clean(), "{name}: {report}");
        for (path, bytes) in &p.files {
            let src = String::from_utf8(bytes.clone()).unwrap();
            if path.ends_with(".bicep") {
                let findings = lint(&src, &facts);
                assert!(findings.is_empty(), "{name}: {path}: {findings:#?}");
            } else if path.ends_with(".bicepparam") {
                for h in &hosts {
                    assert_eq!(host_matches(&src, h), 0, "{name}: {path} holds {h}");
                }
            }
        }
    }
}

/// The checks are not vacuous: each finds the construct its rule refuses.
#[test]
fn each_check_finds_what_its_rule_refuses() {
    let facts = facts();
    let cases: &[(&str, &str)] = &[
        (
            "no-hardcoded-env-urls",
            "var u = 'https://MyVault.VAULT.azure.NET/secrets/x'\noutput o string = u\n",
        ),
        ("no-unused-params", "param p string\n"),
        ("no-unused-vars", "var v = 1\n"),
        (
            "no-unused-existing-resources",
            "resource kv 'Microsoft.KeyVault/vaults@2026-02-01' existing = {\n  name: 'kv'\n}\n",
        ),
        (
            "no-unnecessary-dependson",
            "resource a 'Microsoft.Network/publicIPAddresses@2025-07-01' = {\n  name: 'a'\n  location: 'x'\n}\nvar aid = a.id\nresource b 'Microsoft.Network/publicIPAddresses@2025-07-01' = {\n  name: aid\n  location: 'x'\n  dependsOn: [a]\n}\n",
        ),
        (
            "outputs-should-not-contain-secrets",
            "output adminPassword string = 'x'\n",
        ),
        (
            "outputs-should-not-contain-secrets",
            "@secure()\nparam s string\noutput o string = s\n",
        ),
        (
            "prefer-interpolation",
            "param a string\noutput o string = concat(a, 'b')\n",
        ),
        (
            "secure-parameter-default",
            "@secure()\nparam s string = 'x'\noutput o int = length(s)\n",
        ),
        (
            "secure-secrets-in-params",
            "param dbPassword string\noutput o int = length(dbPassword)\n",
        ),
        (
            "simplify-interpolation",
            "param a string\noutput o string = '${a}'\n",
        ),
        ("simplify-json-null", "output o object = json('null')\n"),
        (
            "use-parent-property",
            "resource c 'Microsoft.Network/virtualNetworks/subnets@2025-07-01' = {\n  name: 'vnet/subnet'\n}\n",
        ),
        (
            "use-resource-symbol-reference",
            "output o object = reference('x')\n",
        ),
        (
            "use-safe-access",
            "param o object\noutput x string = contains(o, 'a') ? o.a : 'b'\n",
        ),
        (
            "use-secure-value-for-secure-inputs",
            "resource g 'Microsoft.Network/applicationGateways@2025-07-01' = {\n  name: 'g'\n  properties: {\n    sslCertificates: [\n      {\n        name: 'c'\n        properties: {\n          password: 'literal'\n        }\n      }\n    ]\n  }\n}\n",
        ),
        (
            "use-stable-resource-identifiers",
            "param n string = newGuid()\noutput o string = n\n",
        ),
        (
            "adminusername-should-not-be-literal",
            "var v = { adminUsername: 'root' }\noutput o object = v\n",
        ),
        (
            "protect-commandtoexecute-secrets",
            "var v = { commandToExecute: 'x' }\noutput o object = v\n",
        ),
        (
            "use-stable-vm-image",
            "var v = { imageReference: {} }\noutput o object = v\n",
        ),
        (
            "artifacts-parameters",
            "param _artifactsLocation string\noutput o string = _artifactsLocation\n",
        ),
        (
            "secure-params-in-nested-deploy",
            "resource d 'Microsoft.Resources/deployments@2025-04-01' = {\n  name: 'd'\n}\n",
        ),
    ];
    for (rule, src) in cases {
        let found = lint(src, &facts);
        assert!(
            found.iter().any(|(r, _)| r == rule),
            "{rule} not found in:\n{src}\n{found:#?}"
        );
    }
    let many = |decl: &str, n: usize| {
        (0..n)
            .map(|i| decl.replace('#', &i.to_string()))
            .collect::<String>()
    };
    for (rule, src) in [
        ("max-outputs", many("output o# int = #\n", 65)),
        ("max-params", many("param p# int\n", 257)),
        ("max-variables", many("var v# = #\n", 257)),
        (
            "max-resources",
            many(
                "resource r# 'Microsoft.Network/publicIPAddresses@2025-07-01' = {\n  name: 'r#'\n}\n",
                801,
            ),
        ),
    ] {
        assert!(
            lint(&src, &facts).iter().any(|(r, _)| *r == rule),
            "{rule} not found"
        );
    }
}

fn piece() -> impl Strategy<Value = String> {
    let hosts = hosts();
    prop_oneof![
        proptest::sample::select(hosts),
        Just(".".to_string()),
        Just("\t".to_string()),
        Just("ı".to_string()),
        Just("${".to_string()),
        Just("'".to_string()),
        "\\PC{0,4}",
        "[a-zA-Z.]{0,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever a spec value holds, its Bicep literal holds no refused host name and reads back unchanged.
    #[test]
    fn bicep_strings_never_hold_a_refused_host(parts in proptest::collection::vec(piece(), 0..8)) {
        let s: String = parts.concat();
        let lit = aoaigen::render::escape::bicep_string(&s);
        for h in hosts() {
            prop_assert_eq!(host_matches(&lit, &h), 0, "{} in {}", h, lit);
        }
        prop_assert_eq!(literal(&format!("\nvar x = {lit}\n"), "x"), Lit::Str(s));
    }
}
