//! Any valid spec works, not only the examples: random specs built from the catalog (any current model,
//! any pay-per-token SKU it offers, any subset of its regions) and from the spec's options (listeners,
//! certificates, DNS, private mode, diagnostics, WAF, scaling, zones, roles) must validate without error
//! and render Terraform and Bicep that parse and match their schemas.

use aoaigen::render::Target;
use proptest::prelude::*;

use crate::common::{today, write_project};
use crate::support::{bicep_arm::check_bicep_dir, tf_schema::check_tf_dir};

/// (model, version, sku, regions) for every current deployable combination in the catalog.
fn combinations() -> Vec<(String, String, String, Vec<String>)> {
    let c = aoaigen::catalog::embedded();
    let mut out = Vec::new();
    for (model, m) in &c.models {
        for (version, v) in &m.versions {
            if v.regions_unknown || v.lifecycle_on(today()) == aoaigen::catalog::Lifecycle::Retired
            {
                continue;
            }
            for sku in ["GlobalStandard", "DataZoneStandard", "Standard"] {
                if let Some(s) = v.skus.get(sku).filter(|s| !s.regions.is_empty()) {
                    out.push((
                        model.clone(),
                        version.clone(),
                        sku.to_string(),
                        s.regions.clone(),
                    ));
                }
            }
        }
    }
    out
}

#[derive(Debug, Clone)]
struct Options {
    https: u8,
    private: bool,
    diagnostics: u8,
    standard_gateway: bool,
    capacity: Option<u8>,
    zones: bool,
    roles: u8,
    cookie_affinity: bool,
}

fn options() -> impl Strategy<Value = Options> {
    (
        0u8..4,
        any::<bool>(),
        0u8..3,
        any::<bool>(),
        proptest::option::of(1u8..10),
        any::<bool>(),
        0u8..3,
        any::<bool>(),
    )
        .prop_map(
            |(
                https,
                private,
                diagnostics,
                standard_gateway,
                capacity,
                zones,
                roles,
                cookie_affinity,
            )| Options {
                https,
                private,
                diagnostics,
                standard_gateway,
                capacity,
                zones,
                roles,
                cookie_affinity,
            },
        )
}

fn spec(models: &[(usize, Vec<usize>)], o: &Options) -> String {
    let combos = combinations();
    let mut s = String::from(
        "version: 1\nname: any-valid\nlocation: swedencentral\ntags: { owner: \"it's \\\"me\\\"\" }\nmodels:\n",
    );
    for (i, (combo, picks)) in models.iter().enumerate() {
        let (model, version, sku, regions) = &combos[*combo % combos.len()];
        let mut chosen: Vec<&String> = picks.iter().map(|p| &regions[p % regions.len()]).collect();
        chosen.sort();
        chosen.dedup();
        let list: Vec<String> = chosen.iter().map(|r| r.to_string()).collect();
        s.push_str(&format!(
            "  - model: {model}\n    version: \"{version}\"\n    sku: {sku}\n    capacity: 1\n    deployment: d{i}-{}\n    regions: [{}]\n",
            model.replace('.', "-"),
            list.join(", ")
        ));
    }
    s.push_str("gateway:\n");
    if o.standard_gateway {
        s.push_str("  sku: Standard_v2\n");
    }
    match o.capacity {
        Some(c) => s.push_str(&format!("  capacity: {c}\n")),
        None => s.push_str("  autoscale: { min: 1, max: 5 }\n"),
    }
    if !o.zones {
        s.push_str("  zones: []\n");
    }
    s.push_str(&format!(
        "  routing: {{ cookie_affinity: {} }}\n",
        o.cookie_affinity
    ));
    match o.https {
        1 => s.push_str("  frontend:\n    https:\n      hostname: ai.contoso.com\n      certificate: { key_vault_secret_id: \"https://kv-contoso.vault.azure.net/secrets/gw\", key_vault_resource_group: rg-kv }\n      dns_zone: contoso.com\n      redirect_http: true\n"),
        2 => s.push_str("  frontend:\n    http: true\n    https:\n      hostname: contoso.com\n      certificate: { key_vault_secret_id: \"https://kv-contoso.vault.azure.net/secrets/gw/abc\" }\n      dns_zone: { name: contoso.com, resource_group: rg-dns }\n"),
        3 => s.push_str("  frontend:\n    https:\n      hostname: ai.contoso.com\n      certificate: { key_vault_secret_id: \"https://kv-contoso.vault.azure.net/secrets/gw\" }\n"),
        _ => {}
    }
    s.push_str(&format!(
        "access:\n  network: {}\n  role_assignments:\n",
        if o.private { "private" } else { "firewall" }
    ));
    for r in 0..o.roles {
        s.push_str(&format!("    - {{ principal_id: 00000000-0000-0000-0000-00000000000{r}, principal_type: Group, role: openai-contributor }}\n"));
    }
    if o.roles == 0 {
        s.push_str("    []\n");
    }
    match o.diagnostics {
        1 => s.push_str("diagnostics: { log_analytics: { retention_days: 60 } }\n"),
        2 => s.push_str("diagnostics: { workspace_id: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w }\n"),
        _ => {}
    }
    s.replace("  role_assignments:\n    []\n", "  role_assignments: []\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn any_valid_spec_renders_clean_in_both_targets(
        models in proptest::collection::vec((any::<usize>(), proptest::collection::vec(any::<usize>(), 1..4)), 1..4),
        o in options(),
    ) {
        let text = spec(&models, &o);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spec.yaml");
        std::fs::write(&path, &text).unwrap();
        let a = aoaigen::pipeline::analyse(&path, today());
        prop_assert!(a.report.errors() == 0, "valid spec refused:\n{text}\n{}", a.report.render_human(false));
        let g = a.graph.unwrap();
        for target in [Target::Terraform, Target::Bicep] {
            let p = aoaigen::render::render(&g, target).unwrap();
            let out = dir.path().join(target.as_str());
            write_project(&p, &out);
            match target {
                Target::Terraform => {
                    let r = check_tf_dir(&out);
                    prop_assert!(r.errors.is_empty(), "{text}\n{}", r.errors.join("\n"));
                }
                Target::Bicep => {
                    let r = check_bicep_dir(&out);
                    prop_assert!(r.is_clean(), "{text}\n{r}");
                }
            }
        }
    }
}
