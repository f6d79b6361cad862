//! The overlay as users meet it after `aoaigen catalog import`: the schema its modeline names, and what
//! `plan` and `validate` say about facts that come from it.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::cli::aoaigen;
use crate::common::root;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn samples() -> String {
    root()
        .join("tests/data/az/model-list")
        .display()
        .to_string()
}

fn import_into(cwd: &Path, out: &str) -> Output {
    let o = aoaigen(&["catalog", "import", &samples(), "--out", out], cwd);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    o
}

/// The path after `$schema=` in the file's first line, resolved as editors do: against its directory.
fn modeline_target(file: &Path) -> PathBuf {
    let text = std::fs::read_to_string(file).unwrap();
    let first = text.lines().next().unwrap();
    let rel = first
        .strip_prefix("# yaml-language-server: $schema=")
        .unwrap_or_else(|| panic!("no modeline: {first}"));
    assert!(
        !rel.contains("://"),
        "the modeline names a URL that does not resolve: {rel}"
    );
    file.parent().unwrap().join(rel)
}

#[test]
fn the_overlay_modeline_names_a_schema_written_beside_it() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("specs")).unwrap();
    let o = import_into(d.path(), "specs/catalog.yaml");
    assert!(
        stderr(&o).contains("wrote specs/aoaigen-catalog.schema.json (editor completion)"),
        "{}",
        stderr(&o)
    );
    let overlay = d.path().join("specs/catalog.yaml");
    let schema_path = modeline_target(&overlay);
    let schema = std::fs::read_to_string(&schema_path).unwrap();
    let printed = aoaigen(&["schema", "--catalog"], d.path());
    assert_eq!(schema, String::from_utf8(printed.stdout).unwrap());
    // The overlay meets the schema its modeline names.
    let v = jsonschema::options()
        .build(&serde_json::from_str(&schema).unwrap())
        .unwrap();
    let doc = aoaigen::spec::yaml::load(&std::fs::read_to_string(&overlay).unwrap())
        .unwrap()
        .value;
    assert!(v.is_valid(&doc));
    // Nothing else was written; a second import finds the schema current.
    let mut names: Vec<String> = std::fs::read_dir(d.path().join("specs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["aoaigen-catalog.schema.json", "catalog.yaml"]);
    let o = import_into(d.path(), "specs/catalog.yaml");
    assert!(stderr(&o).contains("is up to date"), "{}", stderr(&o));
}

/// A schema file that differs is kept; a symlink in its place is not written through.
#[test]
fn an_existing_schema_file_or_symlink_is_left_alone() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("aoaigen-catalog.schema.json"), "{}").unwrap();
    let o = import_into(d.path(), "aoaigen-catalog.yaml");
    assert!(
        stderr(&o).contains("kept the existing aoaigen-catalog.schema.json: it differs from this aoaigen's schema (`aoaigen schema --catalog > aoaigen-catalog.schema.json` replaces it)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(d.path().join("aoaigen-catalog.schema.json")).unwrap(),
        "{}"
    );
    #[cfg(unix)]
    {
        let e = tempfile::tempdir().unwrap();
        let outside = e.path().join("elsewhere.json");
        std::os::unix::fs::symlink(&outside, e.path().join("aoaigen-catalog.schema.json")).unwrap();
        let o = import_into(e.path(), "aoaigen-catalog.yaml");
        assert!(!outside.exists(), "wrote through the symlink");
        assert!(stderr(&o).contains("kept the existing"), "{}", stderr(&o));
    }
}
