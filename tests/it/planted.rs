//! What a repository can plant in the output directory beyond a manifest: a journal whose staging or target
//! directory is a symlink out of the output, names that would write their own lines to a log, stage-like
//! names that are not staging directories, a directory where the lock goes, a file where the output
//! directory goes. Nothing outside the output may change, and every message says what to do.

use std::path::Path;

use crate::fsutil::{SPEC_A, expect_code, render, rendered, stderr, stdout, tree, with_spec};

fn sha(bytes: &[u8]) -> String {
    aoaigen::output::manifest::sha256(bytes)
}

/// `root/outside` with a file of generated shape, and the tree's picture to compare with later.
fn outside(root: &Path) -> std::collections::BTreeMap<String, crate::fsutil::Entry> {
    std::fs::create_dir_all(root.join("outside")).unwrap();
    std::fs::write(root.join("outside/README.md"), "precious").unwrap();
    std::fs::write(root.join("outside/main.tf"), "precious").unwrap();
    tree(&root.join("outside"))
}

fn plant_journal(out: &Path, json: &str) {
    std::fs::write(out.join(".aoaigen-journal.json"), json).unwrap();
}

/// Runs the render and asserts it is refused as a planted journal, with `outside` unchanged.
#[track_caller]
fn refused_and_outside_intact(
    root: &Path,
    target: &str,
    before: &std::collections::BTreeMap<String, crate::fsutil::Entry>,
) {
    let o = render(root, "aoai.yaml", target, "gen", &[]);
    assert_eq!(
        tree(&root.join("outside")),
        *before,
        "a planted journal changed files outside the output:\n{}",
        stderr(&o)
    );
    expect_code(&o, 1, "a planted journal");
    assert!(
        stderr(&o).contains("is not a journal aoaigen wrote"),
        "{}",
        stderr(&o)
    );
}

/// A staging directory that is a symlink out of the output: finishing the "switch" would move a file from
/// outside into the output (a rename out of someone else's directory).
#[cfg(unix)]
#[test]
fn a_journal_cannot_take_files_from_outside_through_a_symlinked_stage() {
    let dir = rendered(SPEC_A, "terraform");
    let root = dir.path();
    let before = outside(root);
    std::os::unix::fs::symlink("../outside", root.join("gen/.aoaigen-stage-abc")).unwrap();
    plant_journal(
        &root.join("gen"),
        r#"{"stage": ".aoaigen-stage-abc", "trees": [{"dir": "", "install": ["README.md"], "remove": []}]}"#,
    );
    refused_and_outside_intact(root, "terraform", &before);
}

/// The same through a symlink inside a real staging directory.
#[cfg(unix)]
#[test]
fn a_journal_cannot_take_files_from_outside_through_a_symlink_in_the_stage() {
    let dir = rendered(SPEC_A, "terraform");
    let root = dir.path();
    let before = outside(root);
    std::fs::create_dir_all(root.join("gen/.aoaigen-stage-abc")).unwrap();
    std::fs::create_dir_all(root.join("gen/terraform")).unwrap();
    std::os::unix::fs::symlink(
        "../../outside",
        root.join("gen/.aoaigen-stage-abc/terraform"),
    )
    .unwrap();
    plant_journal(
        &root.join("gen"),
        r#"{"stage": ".aoaigen-stage-abc", "trees": [{"dir": "terraform", "install": ["README.md"], "remove": []}]}"#,
    );
    refused_and_outside_intact(root, "terraform", &before);
}

/// A target directory that is a symlink out of the output: the journal's files would be written there and
/// its stale files deleted there (with the hash of the file outside, which anyone who knows it can give).
#[cfg(unix)]
#[test]
fn a_journal_cannot_write_or_delete_through_a_symlinked_target_directory() {
    let dir = rendered(SPEC_A, "terraform");
    let root = dir.path();
    let before = outside(root);
    std::fs::create_dir_all(root.join("gen/.aoaigen-stage-abc/terraform")).unwrap();
    std::fs::write(
        root.join("gen/.aoaigen-stage-abc/terraform/evil.tf"),
        "pwned",
    )
    .unwrap();
    std::os::unix::fs::symlink("../outside", root.join("gen/terraform")).unwrap();
    plant_journal(
        &root.join("gen"),
        &format!(
            r#"{{"stage": ".aoaigen-stage-abc", "trees": [{{"dir": "terraform", "install": ["evil.tf"], "remove": [["main.tf", "{}"]]}}]}}"#,
            sha(b"precious")
        ),
    );
    refused_and_outside_intact(root, "terraform", &before);
}

/// File names in the output come from the repository: `--check` prints them escaped, so a name cannot
/// forge a line of its own ("gen: up to date") or send escape sequences to the terminal.
#[cfg(unix)]
#[test]
fn check_prints_planted_names_on_one_line_and_escaped() {
    let dir = rendered(SPEC_A, "terraform");
    let root = dir.path();
    let forged = "gen: up to date (17 files)";
    std::fs::write(root.join(format!("gen/x\n{forged}\n\u{1b}[2J.tf")), "").unwrap();
    std::fs::write(root.join("gen/main.tf"), "changed").unwrap();
    let o = render(root, "aoai.yaml", "terraform", "gen", &["--check"]);
    expect_code(&o, 1, "check with a planted name");
    let (err, out) = (stderr(&o), stdout(&o));
    assert!(
        !err.lines().any(|l| l.starts_with(forged)),
        "a file name started a line of its own:\n{err}"
    );
    assert!(
        !err.contains('\u{1b}') && !out.contains('\u{1b}'),
        "raw escape:\n{err}"
    );
    assert!(
        err.contains("x\\u{a}gen: up to date"),
        "the name is shown escaped:\n{err}"
    );
}

/// Names a render never finishes or deletes (a file or a symlink called like a staging directory, a journal
/// that is a directory) are reported as what they are, not as an interrupted render that `render` would
/// finish: it would not, and `--check` would fail forever.
#[cfg(unix)]
#[test]
fn stage_like_names_that_are_not_stages_are_not_called_interrupted() {
    let dir = rendered(SPEC_A, "terraform");
    let root = dir.path();
    std::fs::write(root.join("gen/.aoaigen-stage-file"), "").unwrap();
    std::os::unix::fs::symlink("/", root.join("gen/.aoaigen-stage-link")).unwrap();
    let o = render(root, "aoai.yaml", "terraform", "gen", &["--check"]);
    expect_code(&o, 1, "check");
    for name in [".aoaigen-stage-file", ".aoaigen-stage-link"] {
        let line = stderr(&o)
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_default()
            .to_string();
        assert!(
            line.contains("not generated by aoaigen") && !line.contains("interrupted"),
            "{name}: {line}"
        );
    }
    // And a render indeed leaves them, so the advice to delete them is the right one.
    expect_code(
        &render(root, "aoai.yaml", "terraform", "gen", &[]),
        0,
        "render",
    );
    assert!(root.join("gen/.aoaigen-stage-file").exists());
}

/// A directory by the journal's name: `--check` says to delete it, as `render` (which refuses it) does.
#[test]
fn a_journal_that_is_a_directory_is_in_the_way_not_interrupted() {
    let dir = rendered(SPEC_A, "terraform");
    let root = dir.path();
    std::fs::create_dir(root.join("gen/.aoaigen-journal.json")).unwrap();
    let o = render(root, "aoai.yaml", "terraform", "gen", &["--check"]);
    expect_code(&o, 1, "check");
    let err = stderr(&o);
    assert!(
        err.contains(".aoaigen-journal.json: not generated by aoaigen (directory)"),
        "{err}"
    );
    assert!(!err.contains("interrupted"), "{err}");
    let o = render(root, "aoai.yaml", "terraform", "gen", &[]);
    expect_code(&o, 1, "render");
    assert!(
        stderr(&o).contains("is not a journal aoaigen wrote (it is a directory)"),
        "{}",
        stderr(&o)
    );
}

/// A journal naming a path of its own making: the refusal quotes it on one line, escaped.
#[test]
fn a_planted_journal_is_quoted_escaped() {
    let dir = rendered(SPEC_A, "terraform");
    let root = dir.path();
    plant_journal(
        &root.join("gen"),
        r#"{"stage": ".aoaigen-stage-abc", "trees": [{"dir": "", "install": ["x\nerror: forged \u001b[2J.tf"], "remove": []}]}"#,
    );
    let o = render(root, "aoai.yaml", "terraform", "gen", &[]);
    expect_code(&o, 1, "render");
    let err = stderr(&o);
    assert!(err.contains("is not a journal aoaigen wrote"), "{err}");
    assert!(
        !err.lines().any(|l| l.starts_with("error: forged")),
        "a path started a line of its own:\n{err}"
    );
    assert!(!err.contains('\u{1b}'), "raw escape:\n{err}");
    assert!(err.contains("x\\u{a}error: forged"), "{err}");
}

/// `--out` naming a file: one difference saying so, not every generated file "missing".
#[test]
fn check_of_a_file_in_place_of_the_output_says_so() {
    let dir = with_spec(SPEC_A);
    let root = dir.path();
    std::fs::write(root.join("gen"), "a file").unwrap();
    let o = render(root, "aoai.yaml", "all", "gen", &["--check"]);
    expect_code(&o, 1, "check");
    let err = stderr(&o);
    assert!(
        err.contains("gen/: is a file where aoaigen generates a directory"),
        "{err}"
    );
    assert!(!err.contains("missing"), "{err}");
    assert!(err.contains("1 difference"), "{err}");
}

/// A directory where the lock file goes: the message names it.
#[test]
fn a_directory_in_place_of_the_lock_is_named() {
    let dir = rendered(SPEC_A, "terraform");
    let root = dir.path();
    std::fs::create_dir(root.join("gen/.aoaigen.lock")).unwrap();
    let o = render(root, "aoai.yaml", "terraform", "gen", &[]);
    expect_code(&o, 4, "render");
    assert!(stderr(&o).contains("gen/.aoaigen.lock"), "{}", stderr(&o));
}
