//! Inputs at the edges (issue 14 items 8-10): closed pipes and full disks, huge numbers of diagnostics on
//! one long line, numbers the schema admits but the spec's types cannot hold, control characters.

use std::process::Stdio;

use crate::common::root;
use crate::fsutil::{
    SPEC_A, command, expect_code, render, render_command, stderr, tree, with_spec,
};

/// `aoaigen validate --spec tests/fixtures/invalid/<name>` from the repo root.
fn validate_fixture(name: &str) -> std::process::Output {
    crate::fsutil::run(
        &[
            "validate",
            "--spec",
            &format!("tests/fixtures/invalid/{name}"),
        ],
        &root(),
        &[],
    )
}

/// Issue 14 item 10: each value is a located validation error saying what to write, not an internal bug.
#[test]
fn numbers_the_types_cannot_hold_are_located_validation_errors() {
    for (file, at, needle) in [
        (
            "capacity-too-large.yaml",
            ":7:15",
            "must be at most 4294967295",
        ),
        ("capacity-decimal.yaml", ":7:15", "whole number"),
        ("request-timeout-exponent.yaml", ":10:22", "whole number"),
        ("retention-days-exponent.yaml", ":9:36", "whole number"),
    ] {
        let o = validate_fixture(file);
        let err = stderr(&o);
        expect_code(&o, 1, file);
        assert!(
            err.contains(&format!("{file}{at}")) && err.contains(needle) && !err.contains("bug"),
            "{file}: expected `{at}` and `{needle}` in:\n{err}"
        );
    }
}

#[test]
fn control_characters_are_named_and_never_printed_raw() {
    for (file, needle) in [
        ("nul-byte.yaml", "U+0000"),
        ("raw-control-character.yaml", "U+001B"),
        ("terminal-escapes.yaml", "\\u{1b}"),
    ] {
        let o = validate_fixture(file);
        expect_code(&o, 1, file);
        let err = stderr(&o);
        assert!(err.contains(needle), "{file}: no `{needle}` in:\n{err}");
        assert!(
            !err.contains("indentation"),
            "{file}: misleading hint:\n{err}"
        );
        let raw: Vec<char> = err
            .chars()
            .filter(|c| c.is_control() && *c != '\n')
            .collect();
        assert!(
            raw.is_empty(),
            "{file}: raw control characters {raw:?} in:\n{err}"
        );
    }
}

/// A line break inside a spec value or key is printed as `\u{a}`: otherwise a value could print a line that
/// looks like one of aoaigen's own (`error: …`) in a CI log.
#[test]
fn line_breaks_in_values_cannot_forge_output_lines() {
    let o = validate_fixture("line-break-values.yaml");
    expect_code(&o, 1, "line-break-values.yaml");
    let err = stderr(&o);
    let forged: Vec<&str> = err
        .lines()
        .filter(|l| l.trim_start().starts_with("error: forged"))
        .collect();
    assert!(forged.is_empty(), "forged lines {forged:?} in:\n{err}");
    assert!(err.contains("gpt\\u{a}error: forged model"), "{err}");
}

#[test]
fn a_directory_as_pfx_file_is_not_a_file() {
    let o = validate_fixture("pfx-is-directory.yaml");
    expect_code(&o, 1, "pfx_file: .");
    let err = stderr(&o);
    assert!(
        err.contains("is a directory") && !err.contains("does not exist"),
        "{err}"
    );
}

/// Issue 14 item 9: thousands of errors on one long line print a bounded amount of text, and say how
/// many were left out. (The figures for 10,000 regions are in the report; no timing here.)
#[test]
fn diagnostics_are_bounded() {
    let regions: Vec<String> = (0..2000).map(|i| format!("zz{i:04}")).collect();
    let spec = format!(
        "version: 1\nname: demo\nlocation: swedencentral\nmodels:\n  - model: gpt-5.1\n    regions: [{}]\n",
        regions.join(", ")
    );
    let dir = with_spec(&spec);
    let o = crate::fsutil::run(&["validate", "--spec", "aoai.yaml"], dir.path(), &[]);
    expect_code(&o, 1, "2000 unknown regions");
    let err = stderr(&o);
    assert!(err.len() < 100_000, "{} bytes of diagnostics", err.len());
    assert!(err.contains("more error"), "no count of the rest:\n{err}");
    assert!(
        err.contains("2000 errors"),
        "the summary counts them all:\n{err}"
    );
    // The source line is 16 KB; the snippets show a window of it.
    let widest = err
        .lines()
        .filter(|l| l.contains("zz0"))
        .map(|l| l.chars().count())
        .max()
        .unwrap();
    assert!(widest < 300, "a snippet line of {widest} characters");
    assert!(err.contains("zz0000"), "the first is shown:\n{err}");
}

/// A pipe whose reading end is already closed: every write to it fails with EPIPE.
fn closed_pipe() -> Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer.into()
}

#[cfg(target_os = "linux")]
fn dev_full() -> Stdio {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap()
        .into()
}

fn no_bug(o: &std::process::Output, what: &str) {
    let err = stderr(o);
    assert!(
        !err.contains("bug") && !err.contains("panicked"),
        "{what}: {err}"
    );
}

/// Issue 14 item 8: a closed stdout ends the output quietly with the command's own exit code.
#[test]
fn closed_pipes_keep_the_exit_code() {
    let dir = with_spec(SPEC_A);
    let cwd = dir.path();
    expect_code(
        &render(cwd, "aoai.yaml", "terraform", "gen", &[]),
        0,
        "render",
    );
    std::fs::write(cwd.join("gen/outputs.tf"), "# changed\n").unwrap();
    for (args, code) in [
        (&["plan", "--spec", "aoai.yaml", "--format", "json"][..], 0),
        (&["plan", "--spec", "aoai.yaml"][..], 0),
        (&["catalog", "models"][..], 0),
        (&["catalog", "regions"][..], 0),
        (&["schema"][..], 0),
        (&["completions", "bash"][..], 0),
        (
            &["validate", "--spec", "aoai.yaml", "--format", "json"][..],
            0,
        ),
        (
            &[
                "render",
                "--spec",
                "aoai.yaml",
                "--target",
                "terraform",
                "--out",
                "gen",
                "--check",
            ][..],
            1,
        ),
    ] {
        let o = command(args, cwd, &[])
            .stdout(closed_pipe())
            .output()
            .unwrap();
        let what = format!("{} | (closed)", args.join(" "));
        expect_code(&o, code, &what);
        no_bug(&o, &what);
    }
}

/// Issue 14 item 8: a full disk behind stdout is exit 4 with a message; behind stderr it changes nothing
/// (there is nowhere to report it), and `--target all` still writes both targets.
#[cfg(target_os = "linux")]
#[test]
fn full_disks_end_with_documented_exit_codes() {
    let dir = with_spec(SPEC_A);
    let cwd = dir.path();
    let o = command(
        &["plan", "--spec", "aoai.yaml", "--format", "json"],
        cwd,
        &[],
    )
    .stdout(dev_full())
    .output()
    .unwrap();
    expect_code(&o, 4, "plan >/dev/full");
    assert!(stderr(&o).contains("standard output"), "{}", stderr(&o));
    no_bug(&o, "plan >/dev/full");

    let o = render_command(cwd, "aoai.yaml", "all", "gen", &[])
        .stderr(dev_full())
        .output()
        .unwrap();
    expect_code(&o, 0, "render 2>/dev/full");
    let written = tree(&cwd.join("gen"));
    for f in ["terraform/outputs.tf", "bicep/main.bicep"] {
        assert!(
            written.contains_key(f),
            "{f} missing after render 2>/dev/full"
        );
    }
    std::fs::write(cwd.join("bad.yaml"), "version: 2\n").unwrap();
    let o = command(&["validate", "--spec", "bad.yaml"], cwd, &[])
        .stderr(dev_full())
        .output()
        .unwrap();
    expect_code(&o, 1, "validate 2>/dev/full");
}
