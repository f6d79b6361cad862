//! The parsers against saved excerpts of the real pages (tests/data/catalog-refresh), each named for the
//! page, commit and ms.date it was cut from. Expected values were read off the excerpts by hand.
use super::*;

fn excerpt(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/catalog-refresh")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn has(rows: &[Availability], sku: &str, model: &str, version: &str, region: &str) -> bool {
    rows.iter()
        .any(|r| r.sku == sku && r.model == model && r.version == version && r.region == region)
}

#[test]
fn standard_matrix_excerpt() {
    let text = excerpt("deployments-standard.excerpt.md");
    assert_eq!(ms_date(&text).as_deref(), Some("2026-10-05"));
    let rows = parse_matrix(&text).unwrap();
    // Global Standard, Europe tab: the gpt-6-sol row has ✅ in 11 of 12 columns, - in northeurope.
    assert!(has(
        &rows,
        "GlobalStandard",
        "gpt-6-sol",
        "2026-09-22",
        "swedencentral"
    ));
    assert!(!has(
        &rows,
        "GlobalStandard",
        "gpt-6-sol",
        "2026-09-22",
        "northeurope"
    ));
    assert!(has(
        &rows,
        "GlobalStandard",
        "gpt-5.5",
        "2026-04-24",
        "northeurope"
    ));
    // Data Zone Standard, Asia Pacific tab (the APAC data zone).
    assert!(has(
        &rows,
        "DataZoneStandard",
        "gpt-6.1-sol",
        "2026-09-29",
        "southeastasia"
    ));
    assert!(
        rows.iter()
            .filter(|r| r.sku == "DataZoneStandard" && r.model == "gpt-6.1-sol")
            .all(|r| r.tab == "Asia Pacific")
    );
    // Standard/Regional.
    assert!(has(&rows, "Standard", "whisper", "001", "uaenorth"));
    assert!(!has(
        &rows,
        "Standard",
        "text-embedding-3-small",
        "1",
        "southafricanorth"
    ));
    // The "other Foundry Models" table in the excerpt (DeepSeek) is not Azure OpenAI.
    assert!(!rows.iter().any(|r| r.model.starts_with("DeepSeek")));
    // Every ✅ of the excerpt, counted by hand: 11 + 12 (Europe GS) + 5 (APAC DZ) + 1 + 1 (MEA Std).
    assert_eq!(rows.len(), 30);
}

#[test]
fn provisioned_and_batch_excerpts() {
    let p = parse_matrix(&excerpt("deployments-provisioned.excerpt.md")).unwrap();
    assert!(has(
        &p,
        "GlobalProvisionedManaged",
        "gpt-6-astra",
        "2026-09-03",
        "uaenorth"
    ));
    assert!(has(
        &p,
        "DataZoneProvisionedManaged",
        "gpt-5.2",
        "2025-12-11",
        "koreacentral"
    ));
    assert!(has(
        &p,
        "ProvisionedManaged",
        "gpt-5.6-sol",
        "2026-07-09",
        "westus"
    ));
    assert!(!has(
        &p,
        "ProvisionedManaged",
        "gpt-5.6-sol",
        "2026-07-09",
        "eastus"
    ));
    let b = parse_matrix(&excerpt("deployments-batch.excerpt.md")).unwrap();
    assert!(has(
        &b,
        "GlobalBatch",
        "gpt-5.4-mini",
        "2026-03-17",
        "southafricanorth"
    ));
    assert!(has(
        &b,
        "DataZoneBatch",
        "o4-mini",
        "2025-04-16",
        "westeurope"
    ));
    assert!(
        !b.iter()
            .any(|r| r.tab == "Asia Pacific" && r.sku == "DataZoneBatch")
    );
}

#[test]
fn retirement_schedule_excerpt() {
    let text = excerpt("retirement-schedule.excerpt.md");
    assert_eq!(ms_date(&text).as_deref(), Some("2026-10-05"));
    let rows = parse_retirements(&text).unwrap();
    let row = |m: &str, v: &str| {
        rows.iter()
            .find(|r| r.model == m && r.version == v)
            .unwrap_or_else(|| panic!("{m} {v}"))
            .clone()
    };
    let o3pro = row("o3-pro", "2025-06-10");
    assert_eq!(o3pro.lifecycle, "Deprecated");
    assert_eq!(o3pro.retirement_date.as_deref(), Some("2026-11-19"));
    assert_eq!(o3pro.replacement.as_deref(), Some("gpt-5.6-sol"));
    let rt2 = row("gpt-realtime-2", "2026-05-06");
    assert_eq!(
        (rt2.lifecycle.as_str(), rt2.retirement_date),
        ("Preview", None)
    );
    let sora = row("sora-2", "2025-10-06");
    assert_eq!(sora.replacement.as_deref(), Some("sora-2"));
    assert_eq!(sora.replacement_version.as_deref(), Some("2025-12-08"));
    assert_eq!(row("gpt-4.1", "2025-04-14").replacement, None);
    // The fine-tuning table after `#### Fine-tuned models` is a different table: not read.
    assert_eq!(rows.len(), 6);
}

#[test]
fn quota_tier_excerpt() {
    let rows = parse_quota_tier(&excerpt("quota-tier-1.excerpt.md")).unwrap();
    let tpm = |m: &str, s: &str| {
        rows.iter()
            .find(|r| r.model == m && r.sku == s)
            .and_then(|r| r.tokens_per_minute)
    };
    assert_eq!(tpm("gpt-6-sol", "GlobalStandard"), Some(1_000_000));
    assert_eq!(tpm("gpt-6-sol", "DataZoneStandard"), Some(333_000));
    assert_eq!(tpm("gpt-image-2", "GlobalStandard"), None);
    // `<sup>` footnote markers are not part of the name.
    assert!(rows.iter().any(|r| r.model == "gpt-chat-latest"));
}

#[test]
fn shape_changes_are_errors_with_a_line() {
    let bad_cell = "## Global Standard\n# [Europe](#tab/az-europe)\n| **Model** | **Version** | **a** |\n| :--- | :--- | :---: |\n| m | 1 | yes |\n";
    let e = parse_matrix(bad_cell).unwrap_err();
    assert_eq!(e.line, 5);
    assert!(e.message.contains("neither"), "{e}");
    let short_row = bad_cell.replace("| m | 1 | yes |", "| m | 1 |");
    assert!(
        parse_matrix(&short_row)
            .unwrap_err()
            .message
            .contains("cells")
    );
    let unknown_section = bad_cell
        .replace("Global Standard", "Global Turbo")
        .replace("yes", "✅");
    assert!(
        parse_matrix(&unknown_section)
            .unwrap_err()
            .message
            .contains("unknown section")
    );
    let bad_lifecycle = "### Azure OpenAI\n\n| Model | Version | Lifecycle | Retirement date | Replacement |\n|---|---|---|---|---|\n| m | 1 | Sunset | 2026-01-01 | — |\n";
    assert_eq!(parse_retirements(bad_lifecycle).unwrap_err().line, 5);
    assert!(parse_retirements("# nothing here\n").is_err());
    assert!(
        parse_quota_tier(
            "| Model Name | Deployment Type | RPM | TPM |\n|--|--|--|--|\n| m | Turbo | 1 | 2 |\n"
        )
        .is_err()
    );
}
