//! The deployed system over time, read from the rendered text of both targets: the first deployment does
//! not race (issue 13 item 5), and a later deployment does not undo what Azure changed by itself (item 4).

use std::collections::BTreeSet;

use aoaigen::render::{RenderedProject, Target};
use serde_json::Value;

use crate::common::{render_example, render_text, text, write_project};
use crate::parity;
use crate::support::bicep_arm::eval::{BicepProject, Evaluated, ResourceInstance};
use crate::support::tf_eval::{Instance, TfProject};

/// One model per upgrade option, Key Vault certificate, private mode, `OpenAI` accounts.
const SPEC: &str = "version: 1
name: drift
location: swedencentral
models:
  - { model: gpt-5.1, deployment: chat-default, regions: [swedencentral, francecentral] }
  - { model: gpt-5.1, deployment: chat-expiry, version_upgrade: on-expiry, regions: [swedencentral] }
  - { model: text-embedding-3-small, deployment: embed-pinned, version_upgrade: never, regions: [swedencentral] }
gateway:
  frontend:
    http: false
    https:
      hostname: ai.example.com
      certificate: { key_vault_secret_id: 'https://kv-drift.vault.azure.net/secrets/gw', key_vault_resource_group: rg-kv }
access:
  network: private
accounts:
  kind: OpenAI
";

/// The same without `accounts.kind`, for checks that do not depend on it.
fn spec_default_kind() -> String {
    SPEC.replace("accounts:\n  kind: OpenAI\n", "")
}

fn tf(p: &RenderedProject) -> Vec<Instance> {
    TfProject::from_files(&p.files).instances()
}

fn bicep(p: &RenderedProject) -> Evaluated {
    BicepProject::from_files(&p.files).evaluate()
}

/// Item 4: with `version_upgrade` other than never, Terraform ignores the version after creating the
/// deployment and Bicep sends none, so neither pushes back a version Azure upgraded; a pinned deployment
/// keeps the spec's version in both.
#[test]
fn azure_version_upgrades_are_not_pushed_back() {
    let (g, t) = render_text(&spec_default_kind(), Target::Terraform);
    let inst = tf(&t);
    let deployments: Vec<&Instance> = inst
        .iter()
        .filter(|i| i.rtype == "azurerm_cognitive_deployment")
        .collect();
    assert_eq!(deployments.len(), g.deployments.len());
    for i in &deployments {
        let option = i.get("version_upgrade_option").as_str().unwrap();
        let ignored = i.ignore_changes.iter().any(|c| c == "model[0].version");
        assert_eq!(
            ignored,
            option != "NoAutoUpgrade",
            "{:?}: {option}, ignore_changes {:?}",
            i.key,
            i.ignore_changes
        );
        assert!(
            !i.block("model")["version"].is_null(),
            "{:?}: Terraform creates the spec's version",
            i.key
        );
    }
    let (_, b) = render_text(&spec_default_kind(), Target::Bicep);
    let e = bicep(&b);
    let bd: Vec<_> = e
        .resources
        .iter()
        .filter(|r| r.rtype == "Microsoft.CognitiveServices/accounts/deployments")
        .collect();
    assert_eq!(bd.len(), g.deployments.len());
    for r in bd {
        let option = r.at("/properties/versionUpgradeOption");
        let version = r.at("/properties/model/version");
        assert_eq!(
            version.is_null(),
            option != "NoAutoUpgrade",
            "{}: {option} sends version {version}",
            r.at("/name")
        );
    }
}

/// Item 4: Microsoft upgrades eligible `OpenAI` accounts to Foundry (`AIServices`), which azurerm (since
/// 4.56) applies in place in either direction: with `OpenAI` accounts Terraform ignores the kind (and the
/// project setting the upgrade turns on); `AIServices`, the default, leaves nothing to upgrade.
#[test]
fn azure_kind_upgrades_are_not_rolled_back() {
    let (_, t) = render_text(SPEC, Target::Terraform);
    for i in tf(&t)
        .iter()
        .filter(|i| i.rtype == "azurerm_cognitive_account")
    {
        assert_eq!(i.get("kind"), "OpenAI");
        let ignored: BTreeSet<&str> = i.ignore_changes.iter().map(String::as_str).collect();
        assert!(
            ignored.contains("kind") && ignored.contains("project_management_enabled"),
            "{ignored:?}"
        );
    }
    let default = spec_default_kind();
    for target in [Target::Terraform, Target::Bicep] {
        let (_, p) = render_text(&default, target);
        let kinds: BTreeSet<String> = match target {
            Target::Terraform => tf(&p)
                .iter()
                .filter(|i| i.rtype == "azurerm_cognitive_account")
                .map(|i| {
                    // A Foundry account has no kind left to upgrade: only project management is ignored.
                    assert_eq!(i.ignore_changes, ["project_management_enabled"]);
                    i.get("kind").as_str().unwrap().to_string()
                })
                .collect(),
            Target::Bicep => bicep(&p)
                .resources
                .iter()
                .filter(|r| r.rtype == "Microsoft.CognitiveServices/accounts" && !r.existing)
                .map(|r| r.at("/kind").as_str().unwrap().to_string())
                .collect(),
        };
        assert_eq!(
            kinds,
            BTreeSet::from(["AIServices".to_string()]),
            "{target:?}"
        );
    }
    // The README says what happens, per target.
    let (_, b) = render_text(SPEC, Target::Bicep);
    assert!(
        text(&b, "README.md")
            .contains("set `accounts.kind: AIServices` in the spec and regenerate")
    );
}

/// Item 4: private DNS covers every host name a Foundry account answers to (and an `OpenAI` account once
/// Microsoft upgrades it), in both targets: each zone exists, is linked to the gateway's network, and every
/// endpoint registers in it. The zone list is pinned in tests/data/azure with its source.
#[test]
fn private_dns_covers_every_account_host_name() {
    let pinned: Value =
        serde_json::from_str(include_str!("../data/azure/private-dns-zones.json")).unwrap();
    let zones: BTreeSet<String> = pinned["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z.as_str().unwrap().to_string())
        .collect();
    let mut checked = 0;
    for spec in parity::specs() {
        let (t, b) = parity::both(&spec);
        if !t.keys().any(|k| k.starts_with("private_endpoint/")) {
            assert!(
                !b.keys().any(|k| k.starts_with("private_")),
                "{spec}: Bicep has private endpoints"
            );
            continue;
        }
        checked += 1;
        for (side, f) in [("terraform", &t), ("bicep", &b)] {
            let vnet = f
                .keys()
                .find_map(|k| k.strip_prefix("private_dns_link/privatelink.openai.azure.com/"))
                .unwrap_or_else(|| panic!("{side}: no link"))
                .to_string();
            assert!(vnet.starts_with("<vnet:"), "{side}: {vnet}");
            let declared: BTreeSet<String> = f
                .keys()
                .filter_map(|k| k.strip_prefix("private_dns_zone/"))
                .map(str::to_string)
                .collect();
            assert_eq!(declared, zones, "{side}");
            for z in &zones {
                assert!(
                    f.contains_key(&format!("private_dns_link/{z}/{vnet}")),
                    "{side}: {z} is not linked to the gateway's network"
                );
            }
            let endpoints: Vec<&Value> = f
                .iter()
                .filter(|(k, _)| k.starts_with("private_endpoint/"))
                .map(|(_, v)| v)
                .collect();
            assert!(!endpoints.is_empty());
            for e in endpoints {
                let registered: BTreeSet<String> = e["zones"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|z| {
                        z.as_str()
                            .unwrap()
                            .trim_start_matches("<private_dns_zone:")
                            .trim_end_matches('>')
                            .to_string()
                    })
                    .collect();
                assert_eq!(registered, zones, "{side}: {e}");
            }
        }
    }
    assert!(
        checked >= 2,
        "the examples and fixtures hold at least two private-mode specs"
    );
}

/// Item 5: the gateway is created only after every deployment its pools route to (and, with a Key Vault
/// certificate, after its identity's role on the vault); private endpoints only after the accounts'
/// deployments, i.e. once the accounts finished provisioning. Read from both rendered projects.
#[test]
fn the_first_deployment_does_not_race() {
    for (name, t, b) in [
        (
            "drift",
            render_text(&spec_default_kind(), Target::Terraform).1,
            render_text(&spec_default_kind(), Target::Bicep).1,
        ),
        (
            "minimal",
            render_example("minimal", Target::Terraform).1,
            render_example("minimal", Target::Bicep).1,
        ),
    ] {
        // Terraform: depends_on names every resource that declares deployments.
        let inst = tf(&t);
        let deployment_resources: BTreeSet<String> = t
            .files
            .iter()
            .filter(|(k, _)| k.ends_with(".tf"))
            .flat_map(|(_, v)| {
                let s = String::from_utf8_lossy(v).into_owned();
                s.lines()
                    .filter_map(|l| l.strip_prefix("resource \"azurerm_cognitive_deployment\" \""))
                    .map(|r| {
                        format!(
                            "azurerm_cognitive_deployment.{}",
                            r.trim_end_matches("\" {")
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        assert!(!deployment_resources.is_empty());
        let gw = inst
            .iter()
            .find(|i| i.rtype == "azurerm_application_gateway")
            .unwrap();
        let deps: BTreeSet<String> = gw.depends_on.iter().cloned().collect();
        assert!(
            deps.is_superset(&deployment_resources),
            "{name}: gateway depends_on {deps:?}"
        );
        let kv = inst
            .iter()
            .any(|i| i.rtype == "azurerm_role_assignment" && i.name == "gateway_key_vault");
        assert_eq!(
            kv,
            deps.contains("azurerm_role_assignment.gateway_key_vault"),
            "{name}: {deps:?}"
        );
        for pe in inst
            .iter()
            .filter(|i| i.rtype == "azurerm_private_endpoint")
        {
            let d: BTreeSet<String> = pe.depends_on.iter().cloned().collect();
            assert!(
                d.is_superset(&deployment_resources),
                "{name}: private endpoint depends_on {d:?}"
            );
        }
        // Bicep: dependsOn names the modules that declare the deployments and the vault role.
        let e = bicep(&b);
        let symbol_of = |r: &ResourceInstance| {
            e.modules
                .iter()
                .find(|m| m.label == r.module)
                .unwrap()
                .symbol
                .clone()
        };
        let module_of = |rtype: &str| -> BTreeSet<String> {
            e.resources
                .iter()
                .filter(|r| r.rtype == rtype && !r.existing)
                .map(symbol_of)
                .collect()
        };
        let deploy_modules = module_of("Microsoft.CognitiveServices/accounts/deployments");
        assert!(!deploy_modules.is_empty());
        let gw = e.modules.iter().find(|m| m.symbol == "gateway").unwrap();
        let deps: BTreeSet<String> = gw.depends_on.iter().cloned().collect();
        assert!(
            deps.is_superset(&deploy_modules),
            "{name}: gateway dependsOn {deps:?}"
        );
        let vault_role: BTreeSet<String> = e
            .resources
            .iter()
            .filter(|r| {
                r.rtype == "Microsoft.Authorization/roleAssignments"
                    && r.at("/scope")
                        .as_str()
                        .is_some_and(|s| s.contains("Microsoft.KeyVault/vaults:"))
            })
            .map(symbol_of)
            .collect();
        assert_eq!(kv, !vault_role.is_empty(), "{name}");
        assert!(
            deps.is_superset(&vault_role),
            "{name}: gateway dependsOn {deps:?}, vault role in {vault_role:?}"
        );
        for pe in e
            .modules
            .iter()
            .filter(|m| m.file == "modules/private-endpoint.bicep")
        {
            let d: BTreeSet<String> = pe.depends_on.iter().cloned().collect();
            assert!(
                d.is_superset(&deploy_modules),
                "{name}: {} dependsOn {d:?}",
                pe.label
            );
        }
    }
}

/// Item 5, what ordering cannot do: the Bicep deploy script retries the first-deployment races Azure
/// reports (Key Vault role not yet honoured, account still provisioning for another resource provider) as
/// it does RequestConflict, and stops at once on anything else. Run against a stub `az`.
#[test]
fn the_bicep_deploy_script_retries_first_deployment_races() {
    let (_, b) = render_example("https-keyvault", Target::Bicep);
    for (failure, expect_ok, calls) in [
        (
            "ApplicationGatewayKeyVaultSecretAccessDenied: Access denied for KeyVault Secret",
            true,
            2,
        ),
        (
            "AccountProvisioningStateInvalid: Account ... in state Accepted",
            true,
            2,
        ),
        ("InvalidTemplate: something else", false, 1),
    ] {
        let dir = tempfile::tempdir().unwrap();
        write_project(&b, dir.path());
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        let count = dir.path().join("calls");
        let az = format!(
            "#!/usr/bin/env bash\nn=$(( $(cat '{c}' 2>/dev/null || echo 0) + 1 ))\necho \"$n\" > '{c}'\nif [ \"$n\" -eq 1 ]; then echo '{failure}' >&2; exit 1; fi\nexit 0\n",
            c = count.display()
        );
        std::fs::write(bin.join("az"), az).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(bin.join("az"), std::fs::Permissions::from_mode(0o755)).unwrap();
        let out = std::process::Command::new("bash")
            .arg(dir.path().join("scripts/deploy.sh"))
            .env(
                "PATH",
                format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
            )
            .env("AOAIGEN_RETRY_PAUSE", "0")
            .env(
                "AOAIGEN_DEPLOYER_OBJECT_ID",
                "44444444-4444-4444-4444-444444444444",
            )
            .output()
            .unwrap();
        assert_eq!(
            out.status.success(),
            expect_ok,
            "{failure}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            std::fs::read_to_string(&count).unwrap().trim(),
            calls.to_string(),
            "{failure}"
        );
    }
}

/// Item 4: the Bicep project leaves an upgradable deployment's version to Azure, which creates it at the
/// default version; a spec that names another version with such an option is told so at its version.
#[test]
fn a_non_default_version_azure_upgrades_is_flagged() {
    let spec = |upgrade: &str| {
        format!(
            "version: 1\nname: pin\nlocation: swedencentral\nmodels:\n  - model: gpt-4o\n    version: \"2024-08-06\"\n    version_upgrade: {upgrade}\n"
        )
    };
    let dir = tempfile::tempdir().unwrap();
    for (upgrade, flagged) in [
        ("on-new-default", true),
        ("on-expiry", true),
        ("never", false),
    ] {
        let path = dir.path().join("spec.yaml");
        std::fs::write(&path, spec(upgrade)).unwrap();
        let a = aoaigen::pipeline::analyse(&path, crate::common::today());
        let hit = a
            .report
            .diagnostics
            .iter()
            .find(|d| d.code == "version-left-to-azure");
        assert_eq!(
            hit.is_some(),
            flagged,
            "{upgrade}: {:?}",
            a.report.diagnostics
        );
        if let Some(d) = hit {
            assert_eq!(d.path, "models[0].version");
        }
    }
}

/// The gateway's subnet admits GatewayManager before the gateway is created and until it is destroyed.
/// Azure refuses a v2 gateway in a subnet whose NSG blocks 65200-65535
/// (ApplicationGatewaySubnetInboundTrafficBlockedByNetworkSecurityGroup), and an NSG whose allow rule does
/// not exist yet blocks them (its default DenyAllInBound). Terraform declares the rules as resources of their
/// own, so nothing orders them before the association or the gateway unless the project says so
/// (hashicorp/terraform-provider-azurerm#14434).
#[test]
fn the_gateway_waits_for_the_nsg_rules_of_its_subnet() {
    for name in ["minimal", "private-enterprise"] {
        let (t, b) = (
            render_example(name, Target::Terraform).1,
            render_example(name, Target::Bicep).1,
        );
        let inst = tf(&t);
        let one = |rtype: &str, n: &str| -> &Instance {
            inst.iter()
                .find(|i| i.rtype == rtype && i.name == n)
                .unwrap_or_else(|| panic!("{name}: no {rtype}.{n}"))
        };
        let gw = one("azurerm_application_gateway", "gateway");
        assert!(
            gw.depends_on
                .contains(&"azurerm_subnet_network_security_group_association.gateway".into()),
            "{name}: gateway depends_on {:?}",
            gw.depends_on
        );
        // Every association (the gateway's, and the private endpoints' in private mode) waits for its rules.
        for assoc in inst
            .iter()
            .filter(|i| i.rtype == "azurerm_subnet_network_security_group_association")
        {
            let nsg = assoc.get("network_security_group_id").as_str().unwrap();
            assert_eq!(
                nsg,
                format!("⟨azurerm_network_security_group.{}.id⟩", assoc.name)
            );
            assert_eq!(
                assoc.depends_on,
                vec![format!("azurerm_network_security_rule.{}", assoc.name)],
                "{name}: association {}",
                assoc.name
            );
        }
        let admits = |source: &Value, ports: &Value, access: &Value| {
            source == "GatewayManager" && ports == "65200-65535" && access == "Allow"
        };
        assert!(
            inst.iter()
                .filter(|i| i.rtype == "azurerm_network_security_rule" && i.name == "gateway")
                .any(|r| admits(
                    r.get("source_address_prefix"),
                    r.get("destination_port_range"),
                    r.get("access")
                )),
            "{name}: no GatewayManager rule"
        );
        // Bicep: the rules are part of the NSG, the NSG part of the subnet, and the gateway module takes the
        // subnet from the network module's outputs, which ARM deploys first.
        let e = bicep(&b);
        let nsg = e
            .resources
            .iter()
            .find(|r| r.symbol == "gatewayNsg")
            .expect("gatewayNsg");
        assert!(
            nsg.at("/properties/securityRules")
                .as_array()
                .unwrap()
                .iter()
                .any(|r| admits(
                    &r["properties"]["sourceAddressPrefix"],
                    &r["properties"]["destinationPortRange"],
                    &r["properties"]["access"]
                )),
            "{name}: gatewayNsg"
        );
        let gw = e.modules.iter().find(|m| m.symbol == "gateway").unwrap();
        let subnet_ref = gw.body["params"]["subnetId"].as_str().unwrap();
        let vnet = e
            .resources
            .iter()
            .find(|r| r.rtype == "Microsoft.Network/virtualNetworks")
            .unwrap();
        let subnet = vnet
            .at("/properties/subnets")
            .as_array()
            .unwrap()
            .iter()
            .find(|s| subnet_ref.contains(&format!("\"{}\"", s["name"].as_str().unwrap())))
            .unwrap_or_else(|| {
                panic!("{name}: the gateway's subnet {subnet_ref} is not the network's")
            })
            .clone();
        let nsg_name = nsg.at("/name");
        assert!(
            subnet["properties"]["networkSecurityGroup"]["id"]
                .as_str()
                .is_some_and(|id| id.contains(&format!("\"{}\"", nsg_name.as_str().unwrap()))),
            "{name}: {subnet}"
        );
    }
}
