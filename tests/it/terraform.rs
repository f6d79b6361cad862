//! Terraform target: every example's output parses, matches the azurerm 4.79 / random 3.7 schema, is
//! snapshot-pinned and byte-stable, and carries the guarantees the issue lists.

use aoaigen::render::Target;

use crate::common::{examples, render_example, render_text, snapshot_project, text, write_project};
use crate::support::tf_schema::check_tf_dir;

#[test]
fn examples_match_the_azurerm_schema() {
    for ex in examples() {
        let (_, p) = render_example(&ex, Target::Terraform);
        let dir = tempfile::tempdir().unwrap();
        write_project(&p, dir.path());
        let report = check_tf_dir(dir.path());
        assert!(
            report.errors.is_empty(),
            "{ex}: schema errors:\n{}",
            report.errors.join("\n")
        );
        assert!(
            report.blocks_checked >= 15,
            "{ex}: only {} blocks checked",
            report.blocks_checked
        );
    }
}

#[test]
fn examples_snapshots() {
    for ex in examples() {
        let (_, p) = render_example(&ex, Target::Terraform);
        snapshot_project(&ex, Target::Terraform, &p);
    }
}

#[test]
fn rendering_twice_gives_the_same_bytes() {
    for ex in examples() {
        let (_, a) = render_example(&ex, Target::Terraform);
        let (_, b) = render_example(&ex, Target::Terraform);
        assert_eq!(a, b, "{ex}");
    }
}

#[test]
fn secure_defaults_and_routing_are_generated() {
    let (g, p) = render_example("reference-parity", Target::Terraform);
    let versions = text(&p, "versions.tf");
    assert!(versions.contains(r#"version = "~> 4.79""#));
    let providers = text(&p, "providers.tf");
    assert!(providers.contains("subscription_id = var.subscription_id"));
    assert!(
        !p.files
            .values()
            .any(|b| String::from_utf8_lossy(b).contains("prevent_deletion_if_contains_resources"))
    );
    let openai = text(&p, "openai.tf");
    for needle in [
        "custom_subdomain_name         = \"${each.value.name}-${random_string.suffix.result}\"",
        "local_auth_enabled            = false",
        "default_action = \"Deny\"",
        "ip_rules       = concat([azurerm_public_ip.gateway.ip_address], local.allowed_ips)",
        "sku {",
        "timeouts {",
    ] {
        assert!(openai.contains(needle), "openai.tf lacks {needle}");
    }
    assert!(
        !openai.contains("scale {"),
        "the azurerm 3.x scale block is gone in 4.x"
    );
    let flat = |t: String| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let gateway = flat(text(&p, "gateway.tf"));
    for needle in [
        "pick_host_name_from_backend_address = true",
        "request_timeout = backend_http_settings.value.request_timeout",
        "probe {",
        "firewall_policy_id",
        "dynamic \"path_rule\"",
        "default_backend_address_pool_name = local.default_backend_pool.name",
        "global { request_buffering_enabled = true response_buffering_enabled = false }",
    ] {
        assert!(gateway.contains(needle), "gateway.tf lacks {needle}");
    }
    let locals_text = text(&p, "locals.tf");
    let locals = flat(locals_text.clone());
    // One pool per deployment holding exactly the accounts that serve it (the routing tests read the
    // whole table); the bare paths reach gpt-5.1's accounts, the spec's first deployment's group.
    assert!(locals.contains(
        r#""gpt-5.1" = { name = "pool-gpt-5.1" accounts = ["francecentral", "swedencentral"] }"#
    ));
    assert!(locals.contains(
        r#""gpt-5.4-mini" = { name = "pool-gpt-5.4-mini" accounts = ["australiaeast"] }"#
    ));
    assert!(locals.contains(r#"default_backend_pool = { name = "openai-default" accounts = ["francecentral", "swedencentral"]"#));
    assert!(locals_text.contains("\"GatewayManager\"") && locals_text.contains("\"65200-65535\""));
    // One listed principal and the deploying identity, on each of the four accounts.
    assert_eq!(g.role_assignments.len(), 8);
    // The listed principal has the OpenAI User role: the deploying identity's own is skipped when it is that
    // principal (tests/it/roles.rs).
    assert!(text(&p, "access.tf").contains("for_each = { for key, r in local.role_assignments : key => r if !(startswith(key, \"deployer/\") && local.deployer_listed) }"));
}

#[test]
fn hostile_free_text_is_escaped_and_unchanged() {
    let hostile = "a\"b\\c ${d} %{e}\nf 'g' é€ 日本";
    let spec = format!(
        "version: 1\nname: hostile\nlocation: swedencentral\ntags:\n  {key}: {val}\nmodels:\n  - model: gpt-5.1\n    regions: [swedencentral]\n",
        key = serde_json::to_string("k\"${x}é").unwrap(),
        val = serde_json::to_string(hostile).unwrap()
    );
    let (_, p) = render_text(&spec, Target::Terraform);
    let dir = tempfile::tempdir().unwrap();
    write_project(&p, dir.path());
    let report = check_tf_dir(dir.path());
    assert!(report.errors.is_empty(), "{}", report.errors.join("\n"));
    // Parse locals.tf and read the tag back: the value must be unchanged.
    let body: hcl_edit::structure::Body = text(&p, "locals.tf").parse().unwrap();
    let locals = body.get_blocks("locals").next().unwrap();
    let tags = locals.body.get_attribute("tags").unwrap();
    let obj = tags.value.as_object().unwrap();
    let (k, v) = obj.iter().next().unwrap();
    let key = match k {
        hcl_edit::expr::ObjectKey::Expression(e) => string_literal(e),
        hcl_edit::expr::ObjectKey::Ident(i) => i.to_string(),
    };
    assert_eq!(key, "k\"${x}é");
    assert_eq!(string_literal(v.expr()), hostile);
}

/// The value of an HCL string literal, with HCL's `$${` / `%%{` escapes undone.
fn string_literal(e: &hcl_edit::expr::Expression) -> String {
    match e {
        hcl_edit::expr::Expression::String(s) => s.value().to_string(),
        hcl_edit::expr::Expression::StringTemplate(t) => {
            let mut out = String::new();
            for el in t.iter() {
                match el {
                    hcl_edit::template::Element::Literal(l) => out.push_str(l.value()),
                    other => panic!("interpolation in a literal: {other:?}"),
                }
            }
            out
        }
        other => panic!("not a string: {other:?}"),
    }
}
