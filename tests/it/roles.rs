//! Role assignments as Azure accepts them, read from what each target's text means once deployed.
//!
//! Azure holds at most one assignment of a role to a principal at a scope: a second one fails with
//! `RoleAssignmentExists` ("The role assignment already exists", Azure RBAC troubleshooting), and in Bicep
//! two assignments named `guid(scope, principal, role)` would be one resource declared twice. The deploying
//! identity (`access.assign_deployer`, on by default) is known only at deploy time, so a spec that also lists
//! it with the OpenAI User role must not make it a second assignment.

use std::collections::BTreeSet;

use aoaigen::render::{RenderedProject, Target};
use serde_json::{Map, Value, json};

use crate::common::render_text;
use crate::support::bicep_arm::eval::BicepProject;
use crate::support::tf_eval::TfProject;

/// Listed in the spec in upper case: Azure and both targets compare object IDs in lower case.
const LISTED: &str = "0F0F0F0F-1111-2222-3333-444444444444";
const OTHER: &str = "abcdefab-cdef-abcd-efab-cdefabcdefab";
const OPENAI_USER: &str = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd";

fn spec() -> String {
    format!(
        "version: 1\nname: roles\nlocation: swedencentral\nmodels:\n  - model: gpt-4.1-mini\n    capacity: 10\n    regions: [swedencentral, francecentral]\ngateway:\n  frontend:\n    https:\n      hostname: ai.example.com\n      certificate: {{ key_vault_secret_id: \"https://kv-x.vault.azure.net/secrets/gw\", key_vault_resource_group: rg-kv }}\naccess:\n  role_assignments:\n    - {{ principal_id: {LISTED}, role: openai-user }}\n    - {{ principal_id: {OTHER}, role: openai-contributor }}\n"
    )
}

/// (scope, principal, role GUID) of every role assignment on an account, as Terraform would create them
/// when `deployer` runs it.
fn terraform(p: &RenderedProject, deployer: &str) -> Vec<(String, String, String)> {
    TfProject::from_files(&p.files)
        .with_data(
            "data.azurerm_client_config.current.object_id",
            json!(deployer),
        )
        .instances()
        .into_iter()
        .filter(|i| i.rtype == "azurerm_role_assignment" && i.name == "openai")
        .map(|i| {
            let role = i.get("role_definition_id").as_str().unwrap();
            (
                i.get("scope").as_str().unwrap().to_string(),
                i.get("principal_id").as_str().unwrap().to_lowercase(),
                role.rsplit('/').next().unwrap().to_string(),
            )
        })
        .collect()
}

/// (name, (scope, principal, role GUID)) of every role assignment on an account, as ARM would deploy them
/// with `deployerObjectId = deployer`.
fn bicep(p: &RenderedProject, deployer: &str) -> Vec<(String, (String, String, String))> {
    let mut params = Map::new();
    params.insert("deployerObjectId".into(), json!(deployer));
    BicepProject::from_files(&p.files)
        .evaluate_with(params)
        .resources
        .into_iter()
        .filter(|r| r.symbol == "accountRoleAssignments")
        .map(|r| {
            let s = |ptr: &str| match r.at(ptr) {
                Value::String(s) => s,
                other => panic!("{ptr} of a role assignment is not text: {other}"),
            };
            let role = s("/properties/roleDefinitionId");
            let role = role
                .rsplit(['/', '\'', ' '])
                .find(|x| x.len() == 36)
                .unwrap_or(&role);
            (
                s("/name"),
                (
                    format!("{}/{}", r.module, s("/scope")),
                    s("/properties/principalId").to_lowercase(),
                    role.to_string(),
                ),
            )
        })
        .collect()
}

fn assert_unique<T: Ord + std::fmt::Debug + Clone>(what: &str, items: &[T]) {
    let set: BTreeSet<T> = items.iter().cloned().collect();
    assert_eq!(set.len(), items.len(), "{what}: duplicates in {items:#?}");
}

#[test]
fn a_deployer_the_spec_lists_with_its_role_gets_no_second_assignment() {
    let (g, tf) = render_text(&spec(), Target::Terraform);
    let (_, bi) = render_text(&spec(), Target::Bicep);
    let accounts = g.accounts.len();
    assert_eq!(accounts, 2);
    let listed = LISTED.to_lowercase();

    // The deployer is the listed principal (Azure gives its object ID in lower case).
    let t = terraform(&tf, &listed);
    assert_unique("terraform", &t);
    assert_eq!(t.len(), 2 * accounts, "{t:#?}");
    let b = bicep(&bi, &listed);
    let names: Vec<&String> = b.iter().map(|(n, _)| n).collect();
    assert_unique("bicep names", &names);
    let assignments: Vec<_> = b.iter().map(|(_, a)| a.clone()).collect();
    assert_unique("bicep", &assignments);
    assert_eq!(b.len(), 2 * accounts, "{b:#?}");
    // ... and it still holds the OpenAI User role on every account, through the spec's own assignment.
    for side in [
        t.iter()
            .filter(|(_, p, r)| *p == listed && r == OPENAI_USER)
            .count(),
        assignments
            .iter()
            .filter(|(_, p, r)| *p == listed && r == OPENAI_USER)
            .count(),
    ] {
        assert_eq!(side, accounts);
    }

    // Anyone else who deploys gets the role besides the listed principals.
    for deployer in [OTHER, "99999999-8888-7777-6666-555555555555"] {
        let t = terraform(&tf, deployer);
        assert_unique("terraform", &t);
        assert_eq!(t.len(), 3 * accounts, "{deployer}: {t:#?}");
        assert_eq!(
            t.iter()
                .filter(|(_, p, r)| p == deployer && r == OPENAI_USER)
                .count(),
            accounts
        );
        let b = bicep(&bi, deployer);
        assert_unique("bicep", &b);
        assert_eq!(b.len(), 3 * accounts, "{deployer}: {b:#?}");
    }
}

#[test]
fn without_listed_openai_users_the_deployer_assignment_is_unconditional() {
    let yaml = spec().replace("role: openai-user", "role: cognitive-services-user");
    let (g, tf) = render_text(&yaml, Target::Terraform);
    assert!(g.access.deployer_listed_as.is_empty());
    let access = crate::common::text(&tf, "access.tf");
    assert!(
        access.contains("for_each = local.role_assignments\n"),
        "{access}"
    );
    let (_, bi) = render_text(&yaml, Target::Bicep);
    let main = crate::common::text(&bi, "main.bicep");
    assert!(!main.contains("deployerListed"), "{main}");
    // The listed principal holds another role: both it and the deployer's OpenAI User role are created.
    let listed = LISTED.to_lowercase();
    assert_eq!(terraform(&tf, &listed).len(), 3 * g.accounts.len());
    assert_eq!(bicep(&bi, &listed).len(), 3 * g.accounts.len());
}
