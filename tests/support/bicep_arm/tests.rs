use super::*;

fn fixtures(sub: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/bicep-arm"
    ))
    .join(sub)
}

fn only_error(rep: &BicepReport) -> &str {
    assert_eq!(rep.schema_errors.len(), 1, "{rep}");
    &rep.schema_errors[0]
}

#[test]
fn good_project_passes() {
    let rep = check_bicep_dir(&fixtures("good"));
    assert!(rep.is_clean(), "{rep}");
    assert_eq!(rep.files_parsed, 5, "{rep}");
    assert_eq!(rep.resources_checked, 15, "{rep}");
}

#[test]
fn good_project_finds_loops_children_conditions_and_skips_existing() {
    let at = |file: &str, symbol: &str| {
        let src = std::fs::read_to_string(fixtures("good").join(file)).unwrap();
        let all = parse::collect(&src);
        let r = all
            .iter()
            .find(|r| r.symbol == symbol)
            .unwrap_or_else(|| panic!("{symbol}"));
        (r.rtype.clone(), r.line, r.existing)
    };
    let rg = ("Microsoft.Resources/resourceGroups".to_string(), 60, false);
    assert_eq!(at("main.bicep", "rgRegion"), rg);
    let rule = "Microsoft.Network/networkSecurityGroups/securityRules";
    assert_eq!(
        at("modules/network.bicep", "nsg::allowLoadBalancer"),
        (rule.into(), 60, false)
    );
    let dep = "Microsoft.CognitiveServices/accounts/deployments";
    assert_eq!(
        at("modules/openai-account.bicep", "deployments"),
        (dep.into(), 60, false)
    );
    let diag = "Microsoft.Insights/diagnosticSettings";
    assert_eq!(
        at("modules/openai-account.bicep", "diagnostics"),
        (diag.into(), 89, false)
    );
    assert_eq!(
        at("modules/gateway.bicep", "keyVault"),
        ("Microsoft.KeyVault/vaults".into(), 39, true)
    );

    let kinds = bicep_resource_kinds(&fixtures("good"));
    assert_eq!(kinds.len(), 15);
    assert!(kinds.contains(&(rule.into(), "nsg::allowLoadBalancer".into())));
    assert!(!kinds.iter().any(|(_, s)| s == "keyVault"));
}

/// (file, substrings of its single report line, schema errors expected)
const BAD: &[(&str, &[&str], usize)] = &[
    (
        "misspelled-property.bicep",
        &[
            "misspelled-property.bicep:13: Microsoft.CognitiveServices/accounts@2026-05-01 (account) /properties/disableLocalAuthx: unknown property 'disableLocalAuthx' (did you mean 'disableLocalAuth'?)",
        ],
        1,
    ),
    (
        "wrong-enum.bicep",
        &[
            "wrong-enum.bicep:11: Microsoft.Network/applicationGateways@2025-07-01 (gateway) /properties/sku/tier: \"WAF_v3\" is not one of",
            "WAF_v2",
        ],
        1,
    ),
    (
        "wrong-type.bicep",
        &[
            "wrong-type.bicep:11: Microsoft.CognitiveServices/accounts/deployments@2026-05-01 (deployment) /sku/capacity: \"50\" is not of type \"integer\"",
        ],
        1,
    ),
    (
        "missing-required.bicep",
        &[
            "missing-required.bicep:9: Microsoft.Authorization/roleAssignments@2022-04-01 (callerRole) /properties: \"principalId\" is a required property",
        ],
        1,
    ),
    (
        "ternary-enum.bicep",
        &[
            "ternary-enum.bicep:13: Microsoft.CognitiveServices/accounts@2026-05-01 (account) /properties/publicNetworkAccess: \"Off\" is not one of",
        ],
        1,
    ),
    (
        "loop-item-typo.bicep",
        &[
            "loop-item-typo.bicep:18: Microsoft.CognitiveServices/accounts@2026-05-01 (account) /properties/networkAcls/ipRules/0/valeu: unknown property 'valeu' (did you mean 'value'?)",
            "/properties/networkAcls/ipRules/0: \"value\" is a required property",
        ],
        2,
    ),
    (
        "nested-child.bicep",
        &[
            "nested-child.bicep:18: Microsoft.Network/networkSecurityGroups/securityRules@2025-07-01 (nsgs::denyAll) /properties/prority: unknown property 'prority' (did you mean 'priority'?)",
            "(nsgs::denyAll) /properties: \"priority\" is a required property",
        ],
        2,
    ),
];

#[test]
fn every_bad_file_reports_its_mistake() {
    for (file, wanted, count) in BAD {
        let rep = check_bicep_dir(&fixtures("bad").join(file));
        assert!(
            rep.parse_errors.is_empty() && rep.without_schema.is_empty(),
            "{file}\n{rep}"
        );
        assert_eq!(rep.schema_errors.len(), *count, "{file}\n{rep}");
        for w in *wanted {
            assert!(
                rep.schema_errors.iter().any(|e| e.contains(w)),
                "{file}: no `{w}` in\n{rep}"
            );
        }
    }
}

#[test]
fn bad_parse_error_and_no_schema() {
    let rep = check_bicep_dir(&fixtures("bad/parse-error.bicep"));
    assert_eq!(rep.resources_checked, 0);
    assert!(
        rep.parse_errors
            .iter()
            .any(|e| e.starts_with("parse-error.bicep:2:1: ERROR node near `resource account")),
        "{rep}"
    );

    let rep = check_bicep_dir(&fixtures("bad/no-schema.bicep"));
    assert_eq!(
        (rep.resources_checked, rep.schema_errors.len()),
        (0, 0),
        "{rep}"
    );
    assert_eq!(
        rep.without_schema,
        [
            "no-schema.bicep:3: Microsoft.CognitiveServices/accounts@2024-10-01 (account); schemas exist for 2025-06-01, 2026-05-01"
        ]
    );
}

#[test]
fn bad_folder_as_a_whole() {
    let rep = check_bicep_dir(&fixtures("bad"));
    assert_eq!(rep.files_parsed, 9, "{rep}");
    assert_eq!(rep.resources_checked, 8, "{rep}");
    assert_eq!(rep.schema_errors.len(), 9, "{rep}");
    assert_eq!(rep.without_schema.len(), 1, "{rep}");
    assert!(
        !rep.parse_errors.is_empty()
            && rep
                .parse_errors
                .iter()
                .all(|e| e.starts_with("parse-error.bicep:")),
        "{rep}"
    );
}

#[test]
fn interpolated_value_is_accepted_but_typo_key_is_reported() {
    let src = "param prefix string\n\
resource pip 'Microsoft.Network/publicIPAddresses@2025-07-01' = {\n\
  name: 'pip-${prefix}'\n\
  location: 'eastus2'\n\
  sku: {\n\
    name: '${prefix}Standard'\n\
  }\n\
  properties: {\n\
    publicIPAllocationMethod: 'Static'\n\
    idleTimeoutInMinuts: 4\n\
  }\n\
}\n";
    let rep = check_bicep_source("inline.bicep", src);
    let err = only_error(&rep);
    assert!(err.starts_with("inline.bicep:10: Microsoft.Network/publicIPAddresses@2025-07-01 (pip) /properties/idleTimeoutInMinuts: unknown property 'idleTimeoutInMinuts' (did you mean 'idleTimeoutInMinutes'?)"), "{err}");
    let bodies = resource_bodies("inline.bicep", src);
    assert_eq!(bodies.len(), 1);
    assert_eq!(bodies[0].1["sku"]["name"], parse::SENTINEL);
    assert_eq!(bodies[0].1["properties"]["idleTimeoutInMinuts"], 4);
}

#[test]
fn ternary_false_branch_with_wrong_enum() {
    let src = "param open bool\n\
resource account 'Microsoft.CognitiveServices/accounts@2026-05-01' = {\n\
  name: 'oai-x'\n\
  location: 'eastus2'\n\
  kind: 'OpenAI'\n\
  sku: {\n\
    name: 'S0'\n\
  }\n\
  properties: {\n\
    networkAcls: {\n\
      defaultAction: open ? 'Allow' : 'Block'\n\
    }\n\
  }\n\
}\n";
    let bodies = resource_bodies("t.bicep", src);
    let actions: Vec<_> = bodies
        .iter()
        .map(|(_, b)| b["properties"]["networkAcls"]["defaultAction"].clone())
        .collect();
    assert_eq!(actions, ["Allow", "Block"]);
    let rep = check_bicep_source("t.bicep", src);
    let err = only_error(&rep);
    assert!(err.starts_with("t.bicep:11: Microsoft.CognitiveServices/accounts@2026-05-01 (account) /properties/networkAcls/defaultAction: \"Block\" is not one of"), "{err}");
}

#[test]
fn optional_properties_object_case_insensitive_type_and_read_only_keys() {
    // userAssignedIdentities' `properties` has no required member, so ARM accepts the body without it.
    let ok = "resource id 'microsoft.managedidentity/USERASSIGNEDIDENTITIES@2024-11-30' = {\n  name: 'id-x'\n  location: 'eastus2'\n  tags: null\n}\n";
    let rep = check_bicep_source("ok.bicep", ok);
    assert!(rep.is_clean() && rep.resources_checked == 1, "{rep}");

    let bad = "resource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n  name: 'x'\n  id: 'y'\n}\n";
    let rep = check_bicep_source("ra.bicep", bad);
    assert!(
        rep.schema_errors
            .iter()
            .any(|e| e.contains("/id: 'id' is read-only")),
        "{rep}"
    );
    assert!(
        rep.schema_errors
            .iter()
            .any(|e| e.contains("\"properties\" is a required property")),
        "{rep}"
    );
}

#[test]
fn literals_escapes_and_any() {
    let src = "resource pip 'Microsoft.Network/publicIPAddresses@2025-07-01' = {\n\
  name: '[not-an-expression]'\n\
  location: 'it\\'s \\u{41}\\n'\n\
  tags: {\n\
    'a-b': '\\${x}'\n\
    n: -3\n\
  }\n\
  properties: {\n\
    idleTimeoutInMinutes: any('4')\n\
  }\n\
}\n";
    let (_, body) = &resource_bodies("l.bicep", src)[0];
    assert_eq!(body["name"], "[[not-an-expression]");
    assert_eq!(body["location"], "it's A\n");
    assert_eq!(body["tags"]["a-b"], "${x}");
    assert_eq!(body["tags"]["n"], -3);
    let rep = check_bicep_source("l.bicep", src);
    assert_eq!(rep.schema_errors.len(), 2, "{rep}");
    assert!(rep.schema_errors.iter().any(|e| e.contains("l.bicep:9: Microsoft.Network/publicIPAddresses@2025-07-01 (pip) /properties/idleTimeoutInMinutes: \"4\" is not of type \"integer\"")), "{rep}");
    assert!(rep.schema_errors.iter().any(|e| e.contains("l.bicep:6: Microsoft.Network/publicIPAddresses@2025-07-01 (pip) /tags/n: -3 is not of type \"string\"")), "{rep}");
}

#[test]
fn parse_error_lines_name_error_and_missing_nodes() {
    let errs = parse_errors(
        "m.bicep",
        "param a string\nresource x 'A.B/c@1' = {\n  name: 'x'\n",
    );
    assert!(!errs.is_empty());
    assert!(
        errs.iter().all(|e| e.starts_with("m.bicep:")
            && (e.contains(": ERROR node near `") || e.contains(": MISSING `"))),
        "{errs:?}"
    );
    assert!(parse_errors("ok.bicep", "param a string = 'x'\n").is_empty());
}
