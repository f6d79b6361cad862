//! Interrupted and concurrent renders (issue 14 items 3 and 4): a render stopped at any filesystem step
//! leaves a tree that the next render accepts without `--force` and that `--check` then passes, with no
//! leftovers; renders into one directory are serialised by a lock.
//!
//! The binary honours `AOAIGEN_TEST_FAULT=exit:N` (the process exits with code 86 just before its N-th
//! write, rename, unlink, mkdir or rmdir in the output, as a kill would leave it) and `error:N` (that
//! step fails with an I/O error, as on a full disk).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::fsutil::{
    Entry, SPEC_A, SPEC_B, copy_tree, expect_code, render, render_command, stderr, tree, with_spec,
};

/// The tree a clean `render --target all` of `spec` (as `aoai.yaml`) produces.
fn clean_tree(spec: &str) -> BTreeMap<String, Entry> {
    let dir = with_spec(spec);
    expect_code(
        &render(dir.path(), "aoai.yaml", "all", "gen", &[]),
        0,
        "clean render",
    );
    tree(&dir.path().join("gen"))
}

#[test]
fn a_render_killed_at_any_step_is_recovered_by_the_next_render() {
    let (tree_a, tree_b) = (clean_tree(SPEC_A), clean_tree(SPEC_B));
    let dir = with_spec(SPEC_A);
    let root = dir.path();
    expect_code(&render(root, "aoai.yaml", "all", "pristine", &[]), 0, "A");
    let gen_dir = root.join("gen");
    let mut steps = 0;
    for n in 1.. {
        let o = render_b_with_fault(root, &format!("exit:{n}"));
        if o.status.code() == Some(0) {
            break;
        }
        steps = n;
        expect_code(&o, 86, &format!("killed at step {n}"));
        // Before recovery: with a journal or staged files left, --check names the interrupted render;
        // without, the tree is all A or all B and --check passes for that spec.
        let left = tree(&gen_dir)
            .into_keys()
            .any(|k| k.starts_with(".aoaigen-journal") || k.starts_with(".aoaigen-stage-"));
        let c = render(root, "aoai.yaml", "all", "gen", &["--check"]);
        if left {
            expect_code(&c, 1, &format!("--check with leftovers of step {n}"));
            assert!(
                stderr(&c).contains("interrupted"),
                "step {n}: {}",
                stderr(&c)
            );
        } else if c.status.code() != Some(0) {
            std::fs::write(root.join("aoai.yaml"), SPEC_A).unwrap();
            let c = render(root, "aoai.yaml", "all", "gen", &["--check"]);
            expect_code(&c, 0, &format!("step {n}: the tree is neither A nor B"));
        }
        // Recover towards B on even steps and back to A on odd ones: both without --force.
        let (spec, expected) = if n % 2 == 0 {
            (SPEC_B, &tree_b)
        } else {
            (SPEC_A, &tree_a)
        };
        std::fs::write(root.join("aoai.yaml"), spec).unwrap();
        expect_code(
            &render(root, "aoai.yaml", "all", "gen", &[]),
            0,
            &format!("render after a kill at step {n}"),
        );
        expect_code(
            &render(root, "aoai.yaml", "all", "gen", &["--check"]),
            0,
            &format!("--check after a kill at step {n}"),
        );
        assert!(
            tree(&gen_dir) == *expected,
            "step {n}: the recovered tree differs from a clean render: {:?}",
            diff_keys(&tree(&gen_dir), expected)
        );
    }
    // Files change, appear (francecentral) and go (monitoring.tf) in both targets: many steps.
    assert!(steps >= 20, "only {steps} fault points were exercised");
    eprintln!("fault points exercised: {steps}");
}

#[test]
fn a_render_failing_at_any_step_leaves_the_previous_tree_or_finishes_next_time() {
    let (tree_a, tree_b) = (clean_tree(SPEC_A), clean_tree(SPEC_B));
    let dir = with_spec(SPEC_A);
    let root = dir.path();
    expect_code(&render(root, "aoai.yaml", "all", "pristine", &[]), 0, "A");
    let gen_dir = root.join("gen");
    // Every third step: the kill test above covers every step; this one proves the exit code and that a
    // failed step cleans up or is finished (the library test in `output` fails every step in-process).
    for n in (1..).step_by(3) {
        let o = render_b_with_fault(root, &format!("error:{n}"));
        if o.status.code() == Some(0) {
            assert!(n > 20, "only {n} fault points");
            break;
        }
        expect_code(&o, 4, &format!("I/O error at step {n}"));
        let err = stderr(&o);
        assert!(err.contains("injected"), "step {n}: {err}");
        let now = tree(&gen_dir);
        if now != tree_a {
            // Failed after the switch was committed: the next run finishes it.
            assert!(err.contains("finish"), "step {n}: tree changed but: {err}");
        }
        expect_code(
            &render(root, "aoai.yaml", "all", "gen", &[]),
            0,
            "next render",
        );
        assert!(
            tree(&gen_dir) == tree_b,
            "step {n}: {:?}",
            diff_keys(&tree(&gen_dir), &tree_b)
        );
    }
}

/// Resets `gen` to the pristine render of A and renders B into it with `AOAIGEN_TEST_FAULT=<fault>`.
fn render_b_with_fault(root: &std::path::Path, fault: &str) -> std::process::Output {
    let gen_dir = root.join("gen");
    let _ = std::fs::remove_dir_all(&gen_dir);
    copy_tree(&root.join("pristine"), &gen_dir);
    std::fs::write(root.join("aoai.yaml"), SPEC_B).unwrap();
    render_command(root, "aoai.yaml", "all", "gen", &[])
        .env("AOAIGEN_TEST_FAULT", fault)
        .output()
        .unwrap()
}

fn diff_keys(a: &BTreeMap<String, Entry>, b: &BTreeMap<String, Entry>) -> Vec<String> {
    a.keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// A render waits for the lock held by another render and then completes; the lock file goes with it.
#[test]
fn a_render_waits_for_the_lock() {
    let dir = with_spec(SPEC_A);
    let root = dir.path();
    let gen_dir = root.join("gen");
    std::fs::create_dir(&gen_dir).unwrap();
    let lock = std::fs::File::create(gen_dir.join(".aoaigen.lock")).unwrap();
    lock.lock().unwrap();
    let err_path = root.join("stderr.txt");
    let mut child = render_command(root, "aoai.yaml", "all", "gen", &[])
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while started.elapsed() < Duration::from_millis(1500) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the render did not wait for the lock: {}",
            std::fs::read_to_string(&err_path).unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        std::fs::read_to_string(&err_path)
            .unwrap()
            .contains("waiting"),
        "no message about the wait"
    );
    assert!(
        !gen_dir.join("terraform").exists(),
        "wrote while the lock was held"
    );
    drop(lock);
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(0),
        "{}",
        std::fs::read_to_string(&err_path).unwrap()
    );
    assert!(
        !gen_dir.join(".aoaigen.lock").exists(),
        "the lock file stayed"
    );
}

/// Issue 14 item 4: concurrent renders of two specs into one directory end with the tree of one of them.
#[test]
fn concurrent_renders_end_with_one_complete_tree() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("a.yaml"), SPEC_A).unwrap();
    std::fs::write(root.join("b.yaml"), SPEC_B).unwrap();
    let clean = |spec: &str| {
        let out = format!("clean-{spec}");
        expect_code(&render(root, spec, "all", &out, &[]), 0, "clean");
        tree(&root.join(out))
    };
    let (tree_a, tree_b) = (clean("a.yaml"), clean("b.yaml"));
    let gen_dir = root.join("gen");
    for round in 0..4 {
        let children: Vec<_> = ["a.yaml", "b.yaml", "a.yaml", "b.yaml"]
            .iter()
            .map(|spec| {
                render_command(root, spec, "all", "gen", &[])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let o = c.wait_with_output().unwrap();
            expect_code(&o, 0, &format!("round {round}"));
        }
        let now = tree(&gen_dir);
        let spec = if now == tree_a {
            "a.yaml"
        } else if now == tree_b {
            "b.yaml"
        } else {
            panic!(
                "round {round}: the tree matches neither spec: {:?}",
                diff_keys(&now, &tree_a)
            );
        };
        expect_code(
            &render(root, spec, "all", "gen", &["--check"]),
            0,
            "--check",
        );
    }
}
