//! Smaller defects of issue 13 item 7, each checked on the rendered text of both targets.

use aoaigen::render::Target;
use serde_json::{Value, json};

use crate::bicep_literal::{Lit, literal};
use crate::common::{render_text, text, write_project};
use crate::parity::{bicep, terraform};
use crate::support::bicep_arm::check_bicep_dir;

/// Tag keys that are Bicep keywords or longer than Bicep's 255-character identifier limit are quoted, so
/// main.bicep parses and the keys stay the spec's.
#[test]
fn bicep_keys_that_are_keywords_or_too_long_are_quoted() {
    let long = "k".repeat(300);
    let spec = format!(
        "version: 1\nname: keys\nlocation: swedencentral\ntags: {{ 'true': a, 'false': b, 'null': c, {long}: d, ok: e }}\nmodels:\n  - model: gpt-5.1\n    regions: [swedencentral]\n"
    );
    let (_, p) = render_text(&spec, Target::Bicep);
    let main = text(&p, "main.bicep");
    for k in [
        "'true': 'a'",
        "'false': 'b'",
        "'null': 'c'",
        &format!("'{long}': 'd'"),
        "ok: 'e'",
    ] {
        assert!(main.contains(k), "main.bicep lacks `{k}`");
    }
    // Bicep's lexer (Azure/bicep Lexer.cs) reads a bare key as an identifier: no keyword, at most 255 chars.
    for line in main.lines() {
        let t = line.trim_start();
        if let Some((key, _)) = t.split_once(": ")
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !key.is_empty()
        {
            assert!(
                !matches!(key, "true" | "false" | "null"),
                "bare keyword key: {line}"
            );
            assert!(key.len() <= 255, "bare key over 255 characters");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    write_project(&p, dir.path());
    let report = check_bicep_dir(dir.path());
    assert!(report.is_clean(), "{report}");
    let Lit::Obj(tags) = literal(&main, "tags") else {
        panic!()
    };
    let keys: Vec<&str> = tags.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["false", long.as_str(), "null", "ok", "true"]);
}

/// A v2 gateway has no performance log (v1 only, per Microsoft's monitoring reference): neither target asks
/// for it, and both ask for exactly the documented v2 categories.
#[test]
fn gateway_diagnostics_use_v2_categories_only() {
    let pinned: Value =
        serde_json::from_str(include_str!("../data/azure/application-gateway-v2.json")).unwrap();
    let v2 = &pinned["v2_log_categories"]["categories"];
    let spec = "version: 1\nname: logs\nlocation: swedencentral\nmodels:\n  - model: gpt-5.1\n    regions: [swedencentral]\ndiagnostics: { log_analytics: { retention_days: 30 } }\n";
    let t = terraform::facts(&render_text(spec, Target::Terraform).1);
    let b = bicep::facts(&render_text(spec, Target::Bicep).1);
    for (side, f) in [("terraform", &t), ("bicep", &b)] {
        let gw: Vec<&Value> = f
            .iter()
            .filter(|(k, _)| k.starts_with("diagnostics/<gateway:"))
            .map(|(_, v)| v)
            .collect();
        assert_eq!(gw.len(), 1, "{side}");
        assert_eq!(&gw[0]["logs"], v2, "{side}");
    }
}

/// `allowed_ips` reach the accounts as validated: trimmed, and `/31` and `/32` ranges (which Azure AI
/// services IP rules refuse, see tests/data/azure/ai-services-ip-rules.json) as plain addresses.
#[test]
fn allowed_ips_are_written_as_azure_takes_them() {
    let refused: Value =
        serde_json::from_str(include_str!("../data/azure/ai-services-ip-rules.json")).unwrap();
    let spec = "version: 1\nname: ips\nlocation: swedencentral\nmodels:\n  - model: gpt-5.1\n    regions: [swedencentral]\naccess:\n  allowed_ips: [' 203.0.113.10 ', '198.51.100.8/31', '198.51.100.20/32', '192.0.2.0/24']\n";
    let t = terraform::facts(&render_text(spec, Target::Terraform).1);
    let b = bicep::facts(&render_text(spec, Target::Bicep).1);
    let expected = json!([
        "192.0.2.0/24",
        "198.51.100.20",
        "198.51.100.8",
        "198.51.100.9",
        "203.0.113.10",
        "<public_ip:pip-ips-sdc>.ip"
    ]);
    for (side, f) in [("terraform", &t), ("bicep", &b)] {
        let acc = f.iter().find(|(k, _)| k.starts_with("account/")).unwrap().1;
        assert_eq!(acc["ip_rules"], expected, "{side}");
        for r in acc["ip_rules"].as_array().unwrap() {
            let r = r.as_str().unwrap();
            for p in refused["refused_prefix_lengths"].as_array().unwrap() {
                assert!(!r.ends_with(&format!("/{p}")), "{side}: {r}");
            }
            assert_eq!(r, r.trim(), "{side}");
        }
    }
}

/// The Bicep README says deployments are incremental (removed accounts stay and keep their quota) and how
/// to clean up; the Terraform one, which deletes what the spec drops, does not.
#[test]
fn the_bicep_readme_explains_incremental_deployments() {
    let spec = "version: 1\nname: incr\nlocation: swedencentral\nmodels:\n  - model: gpt-5.1\n    regions: [swedencentral]\n";
    let b = text(&render_text(spec, Target::Bicep).1, "README.md");
    for needle in [
        "incremental mode",
        "keeps holding its quota",
        "az cognitiveservices account delete -g rg-incr-oai",
        "scripts/purge-deleted.sh --yes",
    ] {
        assert!(b.contains(needle), "Bicep README lacks `{needle}`");
    }
    let t = text(&render_text(spec, Target::Terraform).1, "README.md");
    assert!(!t.contains("incremental mode"));
}
