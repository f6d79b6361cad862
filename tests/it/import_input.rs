//! What `aoaigen catalog import` takes as input and what it refuses: files it cannot read, text that is
//! not UTF-8 JSON of the model list's shape (PowerShell's encodings included), names Azure would not give,
//! numbers beyond the overlay's types. Every refusal is located, says what to do, and writes nothing.

use crate::catalog_import::{import, import_ok, sample, stderr};
use crate::cli::aoaigen;

/// Bad input: a located message (file and JSON path, or line:column), exit 1, and nothing written, even
/// when other files of the same run were fine.
#[test]
fn bad_input_is_located_and_nothing_is_written() {
    let cases: Vec<(&str, String, &str)> = vec![
        ("not-json", "[{\"kind\": \"OpenAI\",\n  \"model\": }]".into(), "bad.json:2:12: not JSON"),
        ("empty-file", "  \n".into(), "bad.json: the file is empty"),
        ("empty-list", "[]".into(), "bad.json: the list is empty"),
        ("wrong-shape", "{\"models\": []}".into(), "bad.json: $: "),
        (
            "missing-version",
            r#"[{"kind": "OpenAI", "model": {"name": "gpt-5.1", "format": "OpenAI"}}]"#.into(),
            "bad.json: [0].model: \"version\" is a required property",
        ),
        (
            "capacity-not-a-number",
            r#"[{"kind": "OpenAI", "model": {"name": "m", "version": "1", "format": "OpenAI", "skus": [{"name": "Standard", "capacity": {"default": "ten"}}]}}]"#.into(),
            "bad.json: [0].model.skus[0].capacity.default: ",
        ),
        (
            "unknown-sku",
            r#"[{"kind": "OpenAI", "model": {"name": "m", "version": "1", "format": "OpenAI", "skus": [{"name": "Standard"}, {"name": "GlobalStandrd"}]}}]"#.into(),
            "bad.json: [0].model.skus[1].name: unknown SKU name `GlobalStandrd`",
        ),
        (
            "bad-date",
            r#"[{"kind": "OpenAI", "model": {"name": "m", "version": "1", "format": "OpenAI", "deprecation": {"inference": "soon"}}}]"#.into(),
            "bad.json: [0].model.deprecation.inference: `soon` is not a date-time",
        ),
        (
            "no-openai-models",
            r#"[{"kind": "AIServices", "model": {"name": "m", "version": "1", "format": "Meta"}}]"#.into(),
            "bad.json: lists no Azure OpenAI models",
        ),
        (
            "capacity-beyond-32-bits",
            r#"[{"kind": "OpenAI", "model": {"name": "gpt-x", "version": "1", "format": "OpenAI", "skus": [{"name": "Standard", "capacity": {"default": 1000000000000000000000000000000}}]}}]"#.into(),
            "bad.json: [0].model.skus[0].capacity.default: ",
        ),
        (
            "control-characters-in-a-name",
            r#"[{"kind": "OpenAI", "model": {"name": "gpt\u001b[2J", "version": "1", "format": "OpenAI"}}]"#.into(),
            "bad.json: [0].model.name: `gpt\\u{1b}[2J` is not a model name",
        ),
        (
            "a-path-as-a-version",
            r#"[{"kind": "OpenAI", "model": {"name": "gpt-x", "version": "../1", "format": "OpenAI"}}]"#.into(),
            "bad.json: [0].model.version: `../1` is not a model version",
        ),
        (
            "a-very-long-name",
            format!(r#"[{{"kind": "OpenAI", "model": {{"name": "{}", "version": "1", "format": "OpenAI"}}}}]"#, "a".repeat(5000)),
            "bad.json: [0].model.name: `aaaa",
        ),
    ];
    for (name, text, expected) in cases {
        let d = tempfile::tempdir().unwrap();
        let existing = "# an overlay the user already has\n";
        std::fs::write(d.path().join("bad.json"), &text).unwrap();
        let good = sample("eastus2");
        let o = import(d.path(), &["--region", "eastus2", &good, "bad.json"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{name}: {err}");
        assert!(
            err.contains(expected),
            "{name}: expected `{expected}` in:\n{err}"
        );
        assert!(err.contains("nothing was written"), "{name}: {err}");
        assert!(
            !err.contains("bug"),
            "{name}: bad input is not a bug: {err}"
        );
        assert!(!err.contains('\u{1b}'), "{name}: printed raw: {err}");
        assert!(
            !d.path().join("aoaigen-catalog.yaml").exists(),
            "{name}: wrote the overlay"
        );
        // An existing overlay is left as it was.
        std::fs::write(d.path().join("kept.yaml"), existing).unwrap();
        let o = import(
            d.path(),
            &["--region", "eastus2", "--out", "kept.yaml", "bad.json"],
        );
        assert_eq!(o.status.code(), Some(1), "{name}");
        assert_eq!(
            std::fs::read_to_string(d.path().join("kept.yaml")).unwrap(),
            existing,
            "{name}"
        );
        let leftovers: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 2, "{name}: {leftovers:?}");
    }
}

#[test]
fn a_file_without_a_region_name_needs_region() {
    let d = tempfile::tempdir().unwrap();
    std::fs::copy(sample("eastus2"), d.path().join("models.json")).unwrap();
    let o = import(d.path(), &["models.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("models.json: cannot tell which region it lists: pass --region"),
        "{}",
        stderr(&o)
    );
    let o = import(d.path(), &["--region", "atlantis", "models.json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// A missing file is named as missing, whatever its name says about a region.
#[test]
fn a_missing_input_is_named_as_missing() {
    let d = tempfile::tempdir().unwrap();
    for args in [
        &["nowhere.json"][..],
        &["--region", "eastus2", "nowhere.json"][..],
    ] {
        let o = import(d.path(), args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains("nowhere.json: cannot read"), "{args:?}: {err}");
        assert!(!err.contains("cannot tell which region"), "{args:?}: {err}");
    }
}

/// What PowerShell writes: a UTF-8 byte-order mark is still the model list; UTF-16 is named, with the fix.
#[test]
fn a_byte_order_mark_is_read_and_utf16_is_named() {
    let d = tempfile::tempdir().unwrap();
    let json = std::fs::read(sample("eastus2")).unwrap();
    let plain = import_ok(d.path(), &["--region", "eastus2", &sample("eastus2")]);
    std::fs::remove_file(d.path().join("aoaigen-catalog.yaml")).unwrap();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(&json);
    std::fs::write(d.path().join("eastus2.json"), bom).unwrap();
    let with_bom = import_ok(d.path(), &["eastus2.json"]);
    // The same facts; only the recorded file hash differs.
    let facts = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .lines()
            .filter(|l| !l.contains("sha256") && !l.contains("name: "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(facts(&with_bom), facts(&plain));
    std::fs::remove_file(d.path().join("aoaigen-catalog.yaml")).unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            String::from_utf8(json)
                .unwrap()
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    std::fs::write(d.path().join("eastus2.json"), utf16).unwrap();
    let o = import(d.path(), &["eastus2.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("eastus2.json: UTF-16 text; save the model list as UTF-8"),
        "{}",
        stderr(&o)
    );
}

/// A hand-edited overlay cannot bring names the import would refuse (they reach tables and IaC).
#[test]
fn an_overlay_with_a_name_azure_would_not_give_is_refused() {
    let d = tempfile::tempdir().unwrap();
    import_ok(d.path(), &["--region", "eastus2", &sample("eastus2")]);
    let text = std::fs::read_to_string(d.path().join("aoaigen-catalog.yaml")).unwrap();
    let edited = text.replacen("gpt-5.1:", "\"gpt-5.1\\e[2J\":", 1);
    assert_ne!(edited, text);
    std::fs::write(d.path().join("aoaigen-catalog.yaml"), edited).unwrap();
    let o = aoaigen(
        &["catalog", "models", "--catalog", "aoaigen-catalog.yaml"],
        d.path(),
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("aoaigen-catalog.yaml:"), "located: {err}");
    assert!(!err.contains('\u{1b}'), "raw escape: {err}");
    assert!(!String::from_utf8_lossy(&o.stdout).contains('\u{1b}'));
}

/// A directory's file names reach messages: one line each, escaped, whatever the name holds.
#[cfg(unix)]
#[test]
fn file_names_from_a_directory_are_quoted_on_one_line() {
    let d = tempfile::tempdir().unwrap();
    let inputs = d.path().join("lists");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::write(inputs.join("x\nerror: forged \u{1b}[2J.json"), "[]").unwrap();
    let o = import(d.path(), &["lists"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot tell which region"), "{err}");
    assert!(
        !err.lines().any(|l| l.starts_with("error: forged")),
        "a file name started a line of its own:\n{err}"
    );
    assert!(!err.contains('\u{1b}'), "raw escape:\n{err}");
    assert!(err.contains("x\\u{a}error: forged"), "{err}");
}
