//! Hostile output directories (issue 14): a tampered manifest, planted symlinks, a corrupt manifest, a
//! user's directory where a generated file goes, and `--target all` refused halfway. Nothing outside the
//! output directory may change, and a refused render changes nothing at all.

use std::path::Path;

use crate::fsutil::{
    Entry, SPEC_A, SPEC_B, expect_code, files_with_mtimes, render, rendered, stderr, tree,
};

fn sha(bytes: &[u8]) -> String {
    aoaigen::output::manifest::sha256(bytes)
}

fn edit_manifest(dir: &Path, f: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>)) {
    let path = dir.join(".aoaigen-manifest.json");
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    f(m["files"].as_object_mut().unwrap());
    std::fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
}

/// Issue 14 item 1: `../victim` and absolute paths in the manifest, with matching hashes, with and without
/// `--force`, are never deleted, and neither are their (then empty) parent directories.
#[test]
fn a_tampered_manifest_cannot_delete_outside_the_output() {
    let dir = rendered(SPEC_A, "terraform");
    let root = dir.path();
    std::fs::write(root.join("victim.txt"), "precious").unwrap();
    std::fs::create_dir_all(root.join("outside/sub")).unwrap();
    std::fs::write(root.join("outside/sub/v.txt"), "precious").unwrap();
    let abs = root.join("abs.txt");
    std::fs::write(&abs, "precious").unwrap();
    let hash = sha(b"precious");
    for extra in [&[][..], &["--force"][..]] {
        edit_manifest(&root.join("gen"), |files| {
            for p in [
                "../victim.txt".to_string(),
                "../outside/sub/v.txt".to_string(),
                "scripts/../../victim.txt".to_string(),
                abs.to_string_lossy().into_owned(),
            ] {
                files.insert(p, hash.clone().into());
            }
        });
        let o = render(root, "aoai.yaml", "terraform", "gen", extra);
        for f in ["victim.txt", "outside/sub/v.txt", "abs.txt"] {
            assert_eq!(
                std::fs::read_to_string(root.join(f)).ok().as_deref(),
                Some("precious"),
                "{f} outside the output was touched (with {extra:?})"
            );
        }
        expect_code(&o, 0, "render with a tampered manifest");
        assert!(
            stderr(&o).contains("../victim.txt"),
            "the ignored manifest entries are reported:\n{}",
            stderr(&o)
        );
    }
}

/// Issue 14 item 2: a symlink planted at the old fixed temp names is not written through.
#[cfg(unix)]
#[test]
fn planted_temp_name_symlinks_are_not_written_through() {
    let dir = rendered(SPEC_A, "terraform");
    let root = dir.path();
    std::fs::write(root.join("victim.txt"), "precious").unwrap();
    let gen_dir = root.join("gen");
    for (rel, e) in tree(&gen_dir) {
        if let Entry::File { .. } = e {
            let p = gen_dir.join(&rel);
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            for what in ["tmp", "bak"] {
                let link = p.with_file_name(format!(".{name}.aoaigen-{what}"));
                std::os::unix::fs::symlink(root.join("victim.txt"), link).unwrap();
            }
        }
    }
    std::fs::write(root.join("aoai.yaml"), SPEC_B).unwrap();
    let o = render(root, "aoai.yaml", "terraform", "gen", &[]);
    expect_code(&o, 0, "render over planted symlinks");
    assert_eq!(
        std::fs::read_to_string(root.join("victim.txt")).unwrap(),
        "precious"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(root.join("victim.txt"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o111, 0, "the victim was chmod'ed through a symlink");
}

/// Issue 14 item 2: a symlinked directory on the way to generated files (`scripts -> ../elsewhere`) is
/// refused with a clear error, with and without `--force`, and nothing lands in its target.
#[cfg(unix)]
#[test]
fn a_symlinked_subdirectory_is_refused() {
    let dir = rendered(SPEC_A, "terraform");
    let root = dir.path();
    let gen_dir = root.join("gen");
    std::fs::remove_dir_all(gen_dir.join("scripts")).unwrap();
    std::fs::create_dir(root.join("elsewhere")).unwrap();
    std::os::unix::fs::symlink("../elsewhere", gen_dir.join("scripts")).unwrap();
    std::fs::write(root.join("aoai.yaml"), SPEC_B).unwrap();
    let before = files_with_mtimes(&gen_dir);
    for extra in [&[][..], &["--force"][..]] {
        let o = render(root, "aoai.yaml", "terraform", "gen", extra);
        expect_code(&o, 1, "render through a symlinked directory");
        let err = stderr(&o);
        assert!(err.contains("scripts") && err.contains("symlink"), "{err}");
        assert_eq!(
            std::fs::read_dir(root.join("elsewhere")).unwrap().count(),
            0,
            "files were written through the symlink"
        );
        assert_eq!(
            files_with_mtimes(&gen_dir),
            before,
            "a refused render changed the output"
        );
    }
}

/// Symlinks in place of generated files are refused (even with `--force`) and their targets untouched.
#[cfg(unix)]
#[test]
fn a_symlink_in_place_of_a_generated_file_is_refused() {
    let dir = rendered(SPEC_A, "terraform");
    let root = dir.path();
    let gen_dir = root.join("gen");
    std::fs::write(root.join("victim.txt"), "precious").unwrap();
    std::fs::remove_file(gen_dir.join("outputs.tf")).unwrap();
    std::os::unix::fs::symlink("../victim.txt", gen_dir.join("outputs.tf")).unwrap();
    std::fs::write(root.join("aoai.yaml"), SPEC_B).unwrap();
    for extra in [&[][..], &["--force"][..]] {
        let o = render(root, "aoai.yaml", "terraform", "gen", extra);
        expect_code(&o, 1, "render over a symlinked file");
        let err = stderr(&o);
        assert!(
            err.contains("outputs.tf") && err.contains("symlink"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(root.join("victim.txt")).unwrap(),
            "precious"
        );
    }
}

/// Issue 14 item 7: `--target all` writes both targets or neither; here the Bicep project has a hand
/// edit, so the Terraform project must not be written either.
#[test]
fn target_all_is_all_or_nothing() {
    let dir = rendered(SPEC_A, "all");
    let root = dir.path();
    let main = root.join("gen/bicep/main.bicep");
    let mut text = std::fs::read_to_string(&main).unwrap();
    text.push_str("// edited by hand\n");
    std::fs::write(&main, text).unwrap();
    let before = files_with_mtimes(&root.join("gen"));
    std::fs::write(root.join("aoai.yaml"), SPEC_B).unwrap();
    let o = render(root, "aoai.yaml", "all", "gen", &[]);
    expect_code(&o, 1, "render with a hand edit in one target");
    assert!(stderr(&o).contains("main.bicep"), "{}", stderr(&o));
    assert_eq!(
        files_with_mtimes(&root.join("gen")),
        before,
        "one target was written although the other was refused"
    );
}

/// Issue 14 item 10: a corrupt manifest stops a render with a clear message, and `--force` recovers.
#[test]
fn a_corrupt_manifest_is_recovered_with_force() {
    let dir = rendered(SPEC_A, "terraform");
    let root = dir.path();
    let manifest = root.join("gen/.aoaigen-manifest.json");
    std::fs::write(&manifest, "{ not json").unwrap();
    let o = render(root, "aoai.yaml", "terraform", "gen", &[]);
    expect_code(&o, 1, "render with a corrupt manifest");
    let err = stderr(&o);
    assert!(
        err.contains(".aoaigen-manifest.json") && err.contains("--force"),
        "{err}"
    );
    expect_code(
        &render(root, "aoai.yaml", "terraform", "gen", &["--force"]),
        0,
        "--force rebuilds the manifest",
    );
    expect_code(
        &render(root, "aoai.yaml", "terraform", "gen", &["--check"]),
        0,
        "--check after the recovery",
    );
}

/// Issue 14 item 10: `--force` never hides or replaces a user's directory where a generated file goes.
#[test]
fn force_never_replaces_a_directory() {
    let dir = rendered(SPEC_A, "terraform");
    let root = dir.path();
    let gen_dir = root.join("gen");
    std::fs::remove_file(gen_dir.join("outputs.tf")).unwrap();
    std::fs::create_dir(gen_dir.join("outputs.tf")).unwrap();
    std::fs::write(gen_dir.join("outputs.tf/mine.txt"), "mine").unwrap();
    let o = render(root, "aoai.yaml", "terraform", "gen", &["--force"]);
    expect_code(&o, 1, "render --force over a directory");
    let err = stderr(&o);
    assert!(
        err.contains("outputs.tf") && err.contains("directory"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(gen_dir.join("outputs.tf/mine.txt")).unwrap(),
        "mine"
    );
    assert!(
        tree(&gen_dir).keys().all(|k| !k.contains("aoaigen-bak")),
        "the directory was moved aside"
    );
}

/// Writes `.aoaigen-journal.json` in `dir` with `trees` and the staging directory `.aoaigen-stage-abc`.
fn plant_journal(dir: &Path, trees: serde_json::Value) {
    let j = serde_json::json!({ "stage": ".aoaigen-stage-abc", "trees": trees });
    std::fs::write(
        dir.join(".aoaigen-journal.json"),
        serde_json::to_vec(&j).unwrap(),
    )
    .unwrap();
}

/// The journal is data from the directory like the manifest: a planted one whose staging directory, a
/// directory inside it, or a target directory is a symlink is refused (with and without `--force`), and
/// nothing outside the output is moved in or deleted. Once the journal is deleted, as the error says, the
/// next render works and `--check` names the leftover symlink as an extra entry (render cannot finish it).
#[cfg(unix)]
#[test]
fn a_planted_journal_cannot_reach_outside_the_output() {
    use std::os::unix::fs::symlink;
    let precious = |root: &Path, rel: &str| {
        assert_eq!(
            std::fs::read_to_string(root.join(rel)).ok().as_deref(),
            Some("precious"),
            "{rel} outside the output was moved or deleted"
        );
    };
    let refused = |o: &std::process::Output, what: &str| {
        expect_code(o, 1, what);
        let err = stderr(o);
        assert!(
            err.contains(".aoaigen-journal.json") && err.contains("symlink"),
            "{what}: {err}"
        );
    };

    // The staging directory is a symlink to a directory outside holding a file of generated shape.
    let dir = rendered(SPEC_A, "all");
    let root = dir.path();
    let gen_dir = root.join("gen");
    std::fs::create_dir_all(root.join("outside/terraform")).unwrap();
    std::fs::write(root.join("outside/terraform/stolen.tf"), "precious").unwrap();
    symlink("../outside", gen_dir.join(".aoaigen-stage-abc")).unwrap();
    plant_journal(
        &gen_dir,
        serde_json::json!([{ "dir": "terraform", "install": ["stolen.tf"], "remove": [] }]),
    );
    for extra in [&[][..], &["--force"][..]] {
        refused(
            &render(root, "aoai.yaml", "all", "gen", extra),
            "symlinked staging directory",
        );
        precious(root, "outside/terraform/stolen.tf");
        assert!(!gen_dir.join("terraform/stolen.tf").exists());
    }
    std::fs::remove_file(gen_dir.join(".aoaigen-journal.json")).unwrap();
    expect_code(
        &render(root, "aoai.yaml", "all", "gen", &[]),
        0,
        "render after the journal was deleted",
    );
    precious(root, "outside/terraform/stolen.tf");
    let c = render(root, "aoai.yaml", "all", "gen", &["--check"]);
    expect_code(
        &c,
        1,
        "--check with a symlink named like a staging directory",
    );
    assert!(
        stderr(&c).contains("gen/.aoaigen-stage-abc: not generated by aoaigen (symlink)"),
        "{}",
        stderr(&c)
    );
    std::fs::remove_file(gen_dir.join(".aoaigen-stage-abc")).unwrap();

    // A real staging directory whose target directory inside is a symlink to outside.
    std::fs::create_dir_all(gen_dir.join(".aoaigen-stage-abc")).unwrap();
    symlink(
        "../../outside/terraform",
        gen_dir.join(".aoaigen-stage-abc/terraform"),
    )
    .unwrap();
    plant_journal(
        &gen_dir,
        serde_json::json!([{ "dir": "terraform", "install": ["stolen.tf"], "remove": [] }]),
    );
    refused(
        &render(root, "aoai.yaml", "all", "gen", &[]),
        "symlink inside the staging directory",
    );
    precious(root, "outside/terraform/stolen.tf");

    // A target directory the journal names is a symlink to outside: its `remove` entry (with the
    // victim's hash) must not delete the victim.
    let dir = rendered(SPEC_A, "terraform");
    let root = dir.path();
    let gen_dir = root.join("gen");
    std::fs::create_dir(root.join("victims")).unwrap();
    std::fs::write(root.join("victims/v.tf"), "precious").unwrap();
    symlink("../victims", gen_dir.join("bicep")).unwrap();
    std::fs::create_dir(gen_dir.join(".aoaigen-stage-abc")).unwrap();
    plant_journal(
        &gen_dir,
        serde_json::json!([{ "dir": "bicep", "install": [], "remove": [["v.tf", sha(b"precious")]] }]),
    );
    refused(
        &render(root, "aoai.yaml", "terraform", "gen", &[]),
        "symlinked target directory",
    );
    precious(root, "victims/v.tf");
}
