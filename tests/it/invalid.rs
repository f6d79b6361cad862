//! Bad specs through the real binary: every fixture in `tests/fixtures/invalid/` exits 1 with a located
//! message (snapshot-tested), and `render` writes nothing for it; JSON diagnostics; warnings and
//! `--deny-warnings`; and inputs that are not specs at all (a directory, an unreadable path, 10 MB, bytes that
//! are not UTF-8, deep nesting, an alias bomb).
//!
//! There are no timing assertions here (speed belongs in benchmarks). Every run of the binary has a generous
//! wall-clock guard only to turn a hang into a failure instead of a stuck test suite.

use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{TODAY, root};

/// A run that takes this long is a hang, not a slow run.
const HANG: Duration = Duration::from_secs(20);

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the binary in `cwd` like a user would (no colour, fixed date), killing it after `HANG`.
fn run(args: &[&str], cwd: &Path) -> Run {
    let io = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (io.path().join("stdout"), io.path().join("stderr"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_aoaigen"))
        .args(args)
        .current_dir(cwd)
        .env("AOAIGEN_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).unwrap())
        .stderr(File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "hang: `aoaigen {}` ran for more than {HANG:?}",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
    Run {
        code: status.code(),
        stdout: read(&out_path),
        stderr: read(&err_path),
    }
}

/// Whether `text` names `file` with a line and column (`file:12:5`), as codespan's `┌─` header does.
fn located(text: &str, file: &str) -> bool {
    text.match_indices(&format!("{file}:")).any(|(i, m)| {
        let rest = &text[i + m.len()..];
        let line: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let after = &rest[line.len()..];
        !line.is_empty()
            && after.starts_with(':')
            && after[1..].starts_with(|c: char| c.is_ascii_digit())
    })
}

/// The whole-file errors: there is no line to point at, so the message names the file only.
const WHOLE_FILE: &[&str] = &["empty.yaml", "comments-only.yaml"];

#[test]
fn invalid_fixtures() {
    let mut count = 0;
    insta::with_settings!({snapshot_path => root().join("snapshots"), prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::glob!("../fixtures/invalid", "*.yaml", |path| {
            count += 1;
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let rel = format!("tests/fixtures/invalid/{name}");
            let text = std::fs::read_to_string(path).unwrap();
            if name != "empty.yaml" {
                assert!(text.starts_with("# "), "{rel}: the first line must be a comment saying what is wrong");
            }

            let v = run(&["validate", "--spec", &rel], &root());
            assert_eq!(v.code, Some(1), "{rel}: validate should exit 1:\n{}", v.stderr);
            assert!(v.stderr.contains("error["), "{rel}: no error in:\n{}", v.stderr);
            assert!(!v.stderr.contains("panicked"), "{rel}: panic:\n{}", v.stderr);
            if WHOLE_FILE.contains(&name.as_str()) {
                assert!(v.stderr.contains(&rel), "{rel}: the message does not name the file:\n{}", v.stderr);
            } else {
                assert!(located(&v.stderr, &rel), "{rel}: no `{rel}:<line>:<col>` in:\n{}", v.stderr);
            }
            insta::assert_snapshot!(v.stderr);

            let out = tempfile::tempdir().unwrap();
            let target = out.path().join("out");
            let r = run(
                &["render", "--spec", &rel, "--target", "all", "--out", target.to_str().unwrap()],
                &root(),
            );
            assert_eq!(r.code, Some(1), "{rel}: render should exit 1:\n{}", r.stderr);
            assert!(!target.exists(), "{rel}: render wrote to --out for an invalid spec");
            assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "{rel}: render wrote something");
        });
    });
    eprintln!("invalid fixtures checked: {count}");
    assert!(count >= 35, "only {count} invalid fixtures");
}

#[test]
fn json_diagnostics_are_machine_readable() {
    let rel = "tests/fixtures/invalid/several-errors.yaml";
    let r = run(&["validate", "--spec", rel, "--format", "json"], &root());
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("stdout is JSON");
    assert_eq!(doc["valid"], false);
    let v = &doc["files"][0];
    assert_eq!(v["file"], rel);
    let errors = v["errors"].as_u64().unwrap();
    assert!(errors >= 5, "{v}");
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(
        diags.iter().filter(|d| d["severity"] == "error").count() as u64,
        errors
    );
    for d in diags {
        assert!(d["code"].is_string() && d["message"].is_string(), "{d}");
        assert!(d["span"]["line"].as_u64().unwrap() >= 1, "{d}");
        assert!(d["span"]["column"].as_u64().unwrap() >= 1, "{d}");
    }
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    for c in [
        "unknown-model",
        "unknown-version",
        "unknown-region",
        "invalid-guid",
    ] {
        assert!(codes.contains(&c), "{c} missing from {codes:?}");
    }
}

#[test]
fn json_diagnostics_for_a_whole_file_error() {
    let r = run(
        &[
            "validate",
            "--spec",
            "tests/fixtures/invalid/empty.yaml",
            "--format",
            "json",
        ],
        &root(),
    );
    assert_eq!(r.code, Some(1));
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("stdout is JSON");
    let v = &doc["files"][0];
    assert_eq!(v["diagnostics"][0]["code"], "empty-spec");
    assert!(v["diagnostics"][0]["span"].is_null());
}

/// Each warning the issue lists, in one otherwise valid spec: reported on stderr, fatal only with
/// `--deny-warnings`.
#[test]
fn warnings_fail_only_with_deny_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let spec = "version: 1\nname: demo\nlocation: swedencentral\nmodels:\n  - model: gpt-4o-mini\n    regions: [swedencentral]\n  - model: gpt-5.1\n    capacity: 5000\n    regions: [swedencentral]\ngateway:\n  network: { address_space: 10.40.0.0/16, gateway_subnet: 10.40.0.0/26 }\naccess:\n  local_auth: true\n";
    std::fs::write(dir.path().join("aoai.yaml"), spec).unwrap();
    let ok = run(&["validate", "--spec", "aoai.yaml"], dir.path());
    assert_eq!(ok.code, Some(0), "{}", ok.stderr);
    for needle in [
        "warning[deprecated-model]",
        "retires on 2027-04-14",
        "warning[capacity-above-quota]",
        "warning[local-auth]",
        "warning[subnet-small]",
        "aoai.yaml:13:15",
        "warning[http-only]",
        "0 errors, 5 warnings",
    ] {
        assert!(
            ok.stderr.contains(needle),
            "`{needle}` missing:\n{}",
            ok.stderr
        );
    }
    assert!(
        !ok.stdout.contains("warning["),
        "warnings go to stderr:\n{}",
        ok.stdout
    );
    let denied = run(
        &["validate", "--spec", "aoai.yaml", "--deny-warnings"],
        dir.path(),
    );
    assert_eq!(denied.code, Some(1), "{}", denied.stderr);

    let r = run(
        &[
            "render",
            "--spec",
            "aoai.yaml",
            "--target",
            "terraform",
            "--out",
            "out",
            "--deny-warnings",
        ],
        dir.path(),
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        !dir.path().join("out").exists(),
        "--deny-warnings still wrote"
    );
    let r = run(
        &[
            "render",
            "--spec",
            "aoai.yaml",
            "--target",
            "terraform",
            "--out",
            "out",
        ],
        dir.path(),
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains("warning[local-auth]"), "{}", r.stderr);
}

/// Runs `validate` and `render` on a spec path in `cwd`; both must exit 1 with `needles` in stderr and
/// nothing written.
fn rejects(what: &str, spec: &str, cwd: &Path, needles: &[&str]) -> String {
    let v = run(&["validate", "--spec", spec], cwd);
    assert_eq!(v.code, Some(1), "{what}: {}", v.stderr);
    assert!(!v.stderr.contains("panicked"), "{what}: {}", v.stderr);
    for n in needles {
        assert!(
            v.stderr.contains(n),
            "{what}: `{n}` missing from:\n{}",
            v.stderr
        );
    }
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("out");
    let r = run(
        &[
            "render",
            "--spec",
            spec,
            "--target",
            "all",
            "--out",
            target.to_str().unwrap(),
        ],
        cwd,
    );
    assert_eq!(r.code, Some(1), "{what}: {}", r.stderr);
    assert!(!target.exists(), "{what}: render wrote to --out");
    v.stderr
}

#[test]
fn a_directory_as_the_spec() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("specs")).unwrap();
    rejects(
        "directory",
        "specs",
        dir.path(),
        &["error[not-a-file]", "`specs` is a directory"],
    );
}

#[test]
fn a_missing_spec() {
    let dir = tempfile::tempdir().unwrap();
    rejects(
        "missing",
        "nope.yaml",
        dir.path(),
        &[
            "error[unreadable]",
            "cannot read `nope.yaml`",
            "aoaigen init",
        ],
    );
}

/// A path that cannot be read whoever runs the tests: its parent is a file (ENOTDIR), so even root fails.
#[test]
fn a_path_through_a_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("spec.yaml"), "version: 1\n").unwrap();
    rejects(
        "not a directory",
        "spec.yaml/aoai.yaml",
        dir.path(),
        &["error[unreadable]", "cannot read `spec.yaml/aoai.yaml`"],
    );
}

/// `chmod 000` stops reads only for ordinary users: as root (CI containers) the file stays readable, and
/// the test then checks only that the spec is judged on its content, not the permission message.
#[cfg(unix)]
#[test]
fn an_unreadable_spec_unless_running_as_root() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("locked.yaml");
    std::fs::write(&path, "version: 1\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        eprintln!(
            "running as root: chmod 000 does not stop reads; checking the content error instead"
        );
        rejects(
            "locked (root)",
            "locked.yaml",
            dir.path(),
            &["missing required key"],
        );
    } else {
        rejects(
            "locked",
            "locked.yaml",
            dir.path(),
            &[
                "error[unreadable]",
                "cannot read `locked.yaml`",
                "permission",
            ],
        );
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn a_ten_megabyte_spec() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("version: 1\nname: demo\nlocation: swedencentral\ntags:\n");
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!(
            "  tag-{i:08}: \"some value that fills the file up\"\n"
        ));
        i += 1;
    }
    std::fs::write(dir.path().join("big.yaml"), text).unwrap();
    rejects(
        "10 MB",
        "big.yaml",
        dir.path(),
        &[
            "error[file-too-large]",
            "big.yaml",
            "limited to 1048576 bytes",
        ],
    );
}

#[test]
fn bytes_that_are_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("latin1.yaml"),
        b"version: 1\nname: demo\nlocation: Z\xfcrich\nmodels:\n  - model: gpt-5.1\n",
    )
    .unwrap();
    let err = rejects(
        "not UTF-8",
        "latin1.yaml",
        dir.path(),
        &[
            "error[not-utf8]",
            "latin1.yaml:3:12",
            "save the file as UTF-8",
        ],
    );
    assert!(located(&err, "latin1.yaml"), "{err}");
    // Invalid bytes in the first line and a lone byte: still located.
    std::fs::write(dir.path().join("binary.yaml"), [0xff_u8, 0xfe, 0x00, 0x01]).unwrap();
    rejects(
        "binary",
        "binary.yaml",
        dir.path(),
        &["error[not-utf8]", "binary.yaml:1:1"],
    );
}

#[test]
fn ten_thousand_open_brackets() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("deep.yaml"), "[".repeat(10_000)).unwrap();
    rejects(
        "10k [",
        "deep.yaml",
        dir.path(),
        &["error[yaml-too-deep]", "deep.yaml:1:"],
    );
    std::fs::write(dir.path().join("deep-flow-map.yaml"), "{a: ".repeat(10_000)).unwrap();
    rejects(
        "10k {a:",
        "deep-flow-map.yaml",
        dir.path(),
        &["error[yaml-too-deep]", "deep-flow-map.yaml:1:"],
    );
    std::fs::write(
        dir.path().join("deep-block.yaml"),
        "- ".repeat(10_000) + "x\n",
    )
    .unwrap();
    rejects(
        "10k - -",
        "deep-block.yaml",
        dir.path(),
        &["error[yaml-too-deep]", "deep-block.yaml:1:"],
    );
}

#[test]
fn billion_laughs() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc =
        String::from("version: 1\nname: demo\nlocation: swedencentral\nlol0: &l0 \"lol\"\n");
    for i in 1..10 {
        let refs = vec![format!("*l{}", i - 1); 10].join(", ");
        doc.push_str(&format!("lol{i}: &l{i} [{refs}]\n"));
    }
    doc.push_str("models: *l9\n");
    std::fs::write(dir.path().join("lol.yaml"), doc).unwrap();
    rejects(
        "billion laughs",
        "lol.yaml",
        dir.path(),
        &["error[yaml-too-large]", "billion laughs", "lol.yaml:"],
    );
}

/// Not a regular file: a device that never ends and a FIFO nobody writes to (which would block a read
/// forever) are refused before they are opened.
#[cfg(unix)]
#[test]
fn devices_and_fifos_are_not_specs() {
    let dir = tempfile::tempdir().unwrap();
    rejects(
        "/dev/zero",
        "/dev/zero",
        dir.path(),
        &["error[not-a-file]", "`/dev/zero` is not a regular file"],
    );
    let made = Command::new("mkfifo")
        .arg("pipe.yaml")
        .current_dir(dir.path())
        .status();
    if made.is_ok_and(|s| s.success()) {
        rejects(
            "fifo",
            "pipe.yaml",
            dir.path(),
            &["error[not-a-file]", "`pipe.yaml` is not a regular file"],
        );
    } else {
        eprintln!("mkfifo is not available: the FIFO case is not checked");
    }
}
