use super::*;

const PROVIDER: &str = r#"
provider "azurerm" {
  features {}
  subscription_id = "00000000-0000-0000-0000-000000000000"
}
"#;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tf-schema")
        .join(name)
}

/// Errors of one inline snippet, which must have been checked as a covered block.
fn errors_of(src: &str) -> Vec<String> {
    let r = check_tf_source("t.tf", src);
    assert!(r.blocks_checked >= 1, "nothing checked: {:?}", r.errors);
    r.errors
}

fn assert_has(errors: &[String], needle: &str) {
    assert!(
        errors.iter().any(|e| e.contains(needle)),
        "expected an error containing {needle:?}, got {errors:#?}"
    );
}

#[test]
fn good_sample_passes() {
    let r = check_tf_dir(&fixture("good"));
    assert_eq!(r.errors, Vec::<String>::new());
    assert_eq!(r.blocks_checked, 9);
}

#[test]
fn bad_scale_sample_fails() {
    let r = check_tf_dir(&fixture("bad-scale"));
    assert_eq!(r.blocks_checked, 2);
    assert_has(
        &r.errors,
        "main.tf:26: azurerm_cognitive_deployment.gpt4o: unknown argument or block \"scale\"",
    );
    assert_has(
        &r.errors,
        "main.tf:16: azurerm_cognitive_deployment.gpt4o: missing required block \"sku\"",
    );
    assert_eq!(r.errors.len(), 2, "{:#?}", r.errors);
}

#[test]
fn unknown_argument() {
    let e = errors_of(
        r#"resource "azurerm_resource_group" "rg" {
  name     = "rg"
  location = "eastus2"
  locaton  = "x"
}"#,
    );
    assert_eq!(
        e,
        [
            "t.tf:4: azurerm_resource_group.rg: unknown argument or block \"locaton\" (did you mean \"location\"?)"
        ]
    );
}

#[test]
fn missing_required_argument() {
    let e = errors_of("resource \"azurerm_resource_group\" \"rg\" {\n  name = \"rg\"\n}\n");
    assert_eq!(
        e,
        ["t.tf:1: azurerm_resource_group.rg: missing required argument \"location\""]
    );
}

#[test]
fn id_is_rejected() {
    let e = errors_of(
        "resource \"azurerm_resource_group\" \"rg\" {\n  id = \"x\"\n  name = \"rg\"\n  location = \"l\"\n}\n",
    );
    assert_eq!(
        e,
        ["t.tf:2: azurerm_resource_group.rg: \"id\" is set by the provider, never write it"]
    );
}

#[test]
fn computed_only_attribute_is_rejected() {
    let e = errors_of(
        r#"resource "azurerm_cognitive_account" "a" {
  name                = "a"
  location            = "l"
  resource_group_name = "rg"
  kind                = "OpenAI"
  sku_name            = "S0"
  endpoint            = "https://x"
}"#,
    );
    assert_has(
        &e,
        "t.tf:7: azurerm_cognitive_account.a: \"endpoint\" is computed by the provider (read-only), it cannot be set",
    );
}

#[test]
fn wrong_literal_types() {
    let e = errors_of(
        r#"resource "azurerm_log_analytics_workspace" "w" {
  name                         = ["w"]
  location                     = "l"
  resource_group_name          = "rg"
  retention_in_days            = "thirty"
  local_authentication_enabled = "yes"
  tags                         = "x"
}"#,
    );
    assert_has(
        &e,
        "t.tf:2: azurerm_log_analytics_workspace.w: \"name\" expects a string, got a list",
    );
    assert_has(
        &e,
        "t.tf:5: azurerm_log_analytics_workspace.w: \"retention_in_days\" expects a number, got the string \"thirty\"",
    );
    assert_has(
        &e,
        "t.tf:6: azurerm_log_analytics_workspace.w: \"local_authentication_enabled\" expects a bool, got the string \"yes\"",
    );
    assert_has(
        &e,
        "t.tf:7: azurerm_log_analytics_workspace.w: \"tags\" expects a map, got a string",
    );
    assert_eq!(e.len(), 4, "{e:#?}");
}

#[test]
fn expressions_are_not_type_checked() {
    let e = errors_of(
        r#"resource "azurerm_log_analytics_workspace" "w" {
  name                = "${var.a}"
  location            = var.location
  resource_group_name = lower("RG")
  retention_in_days   = var.x ? 30 : 60
  tags                = merge(var.tags, { a = "b" })
}"#,
    );
    assert_eq!(e, Vec::<String>::new());
}

const DEPLOYMENT: &str = r#"resource "azurerm_cognitive_deployment" "d" {
  name                 = "gpt"
  cognitive_account_id = "x"
  model {
    format = "OpenAI"
    name   = "gpt-4o"
  }
  SKU
}"#;

#[test]
fn bad_enum_value() {
    let e = errors_of(&DEPLOYMENT.replace("SKU", "sku {\n    name = \"Foo\"\n  }"));
    assert_eq!(
        e,
        ["t.tf:9: azurerm_cognitive_deployment.d: sku: \"name\" = \"Foo\" is not an allowed value (Standard, \
          DataZoneBatch, DataZoneProvisionedManaged, DataZoneStandard, GlobalBatch, GlobalProvisionedManaged, \
          GlobalStandard, ProvisionedManaged)"
            .replace("          ", "")]
    );
}

#[test]
fn int_range_violation() {
    let e = errors_of(&DEPLOYMENT.replace(
        "SKU",
        "sku {\n    name = \"Standard\"\n    capacity = 0\n  }",
    ));
    assert_has(&e, "sku: \"capacity\" = 0 must be >= 1");
}

#[test]
fn dynamic_block_content_is_checked() {
    let e = errors_of(&DEPLOYMENT.replace(
        "SKU",
        "dynamic \"sku\" {\n    for_each = var.skus\n    content {\n      name  = sku.value\n      bogus = 1\n    }\n  }",
    ));
    assert_eq!(
        e,
        ["t.tf:12: azurerm_cognitive_deployment.d: sku: unknown argument or block \"bogus\""]
    );
}

#[test]
fn dynamic_block_satisfies_required_block() {
    let e = errors_of(&DEPLOYMENT.replace(
        "SKU",
        "dynamic \"sku\" {\n    for_each = var.skus\n    content {\n      name = sku.value\n    }\n  }",
    ));
    assert_eq!(e, Vec::<String>::new());
    let e = errors_of(&DEPLOYMENT.replace("SKU", "dynamic \"skew\" {\n    for_each = []\n  }"));
    assert_has(
        &e,
        "t.tf:8: azurerm_cognitive_deployment.d: unknown dynamic block \"skew\"",
    );
    assert_has(&e, "missing required block \"sku\"");
}

#[test]
fn too_many_single_blocks() {
    let e = errors_of(&DEPLOYMENT.replace(
        "SKU",
        "sku {\n    name = \"Standard\"\n  }\n  sku {\n    name = \"Standard\"\n  }",
    ));
    assert_has(
        &e,
        "t.tf:8: azurerm_cognitive_deployment.d: at most one \"sku\" block allowed, found 2",
    );
}

#[test]
fn exactly_one_of_violation() {
    let base = r#"resource "azurerm_role_assignment" "r" {
  scope        = "x"
  principal_id = "p"
  ROLE
}"#;
    let both = errors_of(&base.replace(
        "ROLE",
        "role_definition_id = \"a\"\n  role_definition_name = \"b\"",
    ));
    assert_eq!(
        both,
        ["t.tf:1: azurerm_role_assignment.r: exactly one of \"role_definition_id\", \"role_definition_name\" \
          must be set, found \"role_definition_id\", \"role_definition_name\""
            .replace("          ", "")]
    );
    let none = errors_of(&base.replace("ROLE", ""));
    assert_eq!(
        none,
        ["t.tf:1: azurerm_role_assignment.r: exactly one of \"role_definition_id\", \"role_definition_name\" \
          must be set, found none"
            .replace("          ", "")]
    );
}

#[test]
fn nested_exactly_one_of_and_required_with() {
    let e = errors_of(
        r#"resource "azurerm_private_endpoint" "pe" {
  name                = "pe"
  location            = "l"
  resource_group_name = "rg"
  subnet_id           = "s"
  private_service_connection {
    name                 = "c"
    is_manual_connection = false
  }
}"#,
    );
    assert_has(
        &e,
        "t.tf:6: azurerm_private_endpoint.pe: private_service_connection: exactly one of \"private_connection_resource_alias\", \"private_connection_resource_id\" must be set, found none",
    );
    let e = errors_of(
        r#"resource "azurerm_cognitive_account" "a" {
  name                = "a"
  location            = "l"
  resource_group_name = "rg"
  kind                = "OpenAI"
  sku_name            = "S0"
  network_acls {
    default_action = "Deny"
  }
}"#,
    );
    assert_eq!(
        e,
        [
            "t.tf:1: azurerm_cognitive_account.a: \"network_acls\" requires \"custom_subdomain_name\" to be set too"
        ]
    );
}

#[test]
fn deprecated_attribute_is_rejected() {
    let e = errors_of(
        r#"resource "random_string" "s" {
  length = 6
  number = true
}"#,
    );
    assert_eq!(e, ["t.tf:3: random_string.s: \"number\" is deprecated"]);
}

#[test]
fn uncovered_type_is_rejected_and_other_providers_skipped() {
    let r = check_tf_source(
        "t.tf",
        "resource \"azurerm_storage_account\" \"s\" {}\nresource \"null_resource\" \"n\" {}\n",
    );
    assert_eq!(
        r.errors,
        ["t.tf:1: azurerm_storage_account.s: resource type not covered by the schema"]
    );
    assert_eq!(r.blocks_checked, 0);
}

#[test]
fn provider_rules() {
    let e = errors_of("provider \"azurerm\" {\n  features {}\n}\n");
    assert_eq!(
        e,
        [
            "t.tf:1: provider.azurerm: missing required argument \"subscription_id\" (mandatory since azurerm 4.0)"
        ]
    );
    let e = errors_of(
        "provider \"azurerm\" {\n  subscription_id = var.s\n  skip_provider_registration = true\n}\n",
    );
    assert_has(
        &e,
        "t.tf:1: provider.azurerm: missing required block \"features\"",
    );
    assert_has(
        &e,
        "t.tf:3: provider.azurerm: \"skip_provider_registration\" was removed in azurerm 4.0",
    );
    assert_eq!(errors_of(PROVIDER), Vec::<String>::new());
}

#[test]
fn required_providers_pin() {
    let tf = |v: &str| {
        format!(
            "terraform {{\n  required_providers {{\n    azurerm = {{\n      source  = \"hashicorp/azurerm\"\n      version = \"{v}\"\n    }}\n  }}\n}}\n{PROVIDER}"
        )
    };
    for ok in ["~> 4.79", ">= 4.0, < 5.0", "4.79.0"] {
        assert_eq!(
            check_tf_source("t.tf", &tf(ok)).errors,
            Vec::<String>::new(),
            "{ok}"
        );
    }
    for bad in ["~> 3.73", ">= 4.0", "~> 4"] {
        let e = check_tf_source("t.tf", &tf(bad)).errors;
        assert_eq!(
            e,
            [format!(
                "t.tf:3: terraform: required_providers.azurerm version \"{bad}\" must pin azurerm major version 4 (e.g. \"~> 4.79\")"
            )]
        );
    }
    let dir = std::env::temp_dir().join(format!("tf-schema-nopin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("main.tf"), PROVIDER).unwrap();
    let r = check_tf_dir(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(r.errors.len(), 1);
    assert_has(
        &r.errors,
        "terraform: missing terraform { required_providers { azurerm",
    );
}

#[test]
fn parse_error_is_reported() {
    let r = check_tf_source(
        "t.tf",
        "resource \"azurerm_resource_group\" \"rg\" {\n  name = \n}\n",
    );
    assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
    assert!(
        r.errors[0].starts_with("t.tf:2: parse error: invalid expression"),
        "{:?}",
        r.errors
    );
}

#[test]
fn list_of_object_attribute_in_block_and_object_syntax() {
    let nsg = |rule: &str| {
        format!(
            "resource \"azurerm_network_security_group\" \"n\" {{\n  name = \"n\"\n  location = \"l\"\n  resource_group_name = \"rg\"\n{rule}\n}}\n"
        )
    };
    let block =
        "  security_rule {\n    name = \"r\"\n    priority = 100\n    directon = \"Inbound\"\n  }";
    assert_eq!(
        errors_of(&nsg(block)),
        [
            "t.tf:8: azurerm_network_security_group.n: security_rule: unknown argument or block \"directon\" (did you mean \"direction\"?)"
        ]
    );
    let object = "  security_rule = [{ name = \"r\", priority = \"high\" }]";
    assert_eq!(
        errors_of(&nsg(object)),
        [
            "t.tf:5: azurerm_network_security_group.n: \"security_rule\" set element object attribute \"priority\" expects a number, got the string \"high\""
        ]
    );
    let partial = "  security_rule = [{ name = \"r\" }]";
    assert_has(
        &errors_of(&nsg(partial)),
        "\"security_rule\" set element object is missing attributes [\"access\"",
    );
}
