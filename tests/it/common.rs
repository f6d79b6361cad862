//! Shared helpers: the examples, a fixed "today", in-process rendering, writing a project to a temp dir.

use std::path::{Path, PathBuf};

use aoaigen::graph::ResourceGraph;
use aoaigen::render::{RenderedProject, Target};

/// Tests do not age: catalog lifecycles are judged on this date.
pub const TODAY: &str = "2026-11-23";

pub fn today() -> jiff::civil::Date {
    TODAY.parse().unwrap()
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Example names (file stems), sorted.
pub fn examples() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "yaml")
                .then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    v.sort();
    assert!(v.len() >= 3, "examples/ must hold the bundled examples");
    v
}

/// The graph of a spec file, panicking with the rendered diagnostics when it is invalid.
pub fn graph_of(spec: &Path) -> ResourceGraph {
    let a = aoaigen::pipeline::analyse(spec, today());
    a.graph.unwrap_or_else(|| {
        panic!(
            "{} is invalid:\n{}",
            spec.display(),
            a.report.render_human(false)
        )
    })
}

/// Renders an example the way `aoaigen render --spec examples/<name>.yaml` does from the repo root.
pub fn render_example(name: &str, target: Target) -> (ResourceGraph, RenderedProject) {
    let spec = PathBuf::from(format!("examples/{name}.yaml"));
    let _cwd = CwdGuard::enter(&root());
    let g = graph_of(&spec);
    let p = aoaigen::render::render(&g, target).unwrap();
    (g, p)
}

/// Renders a spec by its path relative to the repo root, as `aoaigen render` does from the repo root.
pub fn render_path(spec: &Path, target: Target) -> (ResourceGraph, RenderedProject) {
    let rel = spec.strip_prefix(root()).unwrap_or(spec).to_path_buf();
    let _cwd = CwdGuard::enter(&root());
    let g = graph_of(&rel);
    let p = aoaigen::render::render(&g, target).unwrap();
    (g, p)
}

/// Renders a spec given as text (written to a temp dir as `spec.yaml`).
pub fn render_text(spec: &str, target: Target) -> (ResourceGraph, RenderedProject) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, spec).unwrap();
    let g = graph_of(&path);
    let p = aoaigen::render::render(&g, target).unwrap();
    (g, p)
}

/// A generated file's text, panicking when the project lacks it.
pub fn text(p: &RenderedProject, file: &str) -> String {
    String::from_utf8(
        p.files
            .get(file)
            .unwrap_or_else(|| panic!("{file} not generated"))
            .clone(),
    )
    .unwrap()
}

pub fn write_project(p: &RenderedProject, dir: &Path) {
    for (rel, bytes) in &p.files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// Snapshot every file of a project as `<example>@<target>__<path>` under `snapshots/`.
pub fn snapshot_project(example: &str, target: Target, p: &RenderedProject) {
    insta::with_settings!({snapshot_path => root().join("snapshots"), prepend_module_to_snapshot => false, omit_expression => true}, {
        for (rel, bytes) in &p.files {
            let name = format!("{example}@{}__{}", target.as_str(), rel.replace('/', "__"));
            insta::assert_snapshot!(name, String::from_utf8(bytes.clone()).unwrap());
        }
    });
}

/// Relative paths in the spec (examples/) resolve against the repo root; tests run in parallel threads
/// of one process, so the working directory is only ever set to this same root.
pub struct CwdGuard;

impl CwdGuard {
    pub fn enter(dir: &Path) -> Self {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| std::env::set_current_dir(dir).unwrap());
        CwdGuard
    }
}

/// The valid fixtures (tests/fixtures/valid/*.yaml), sorted, as paths from the repo root.
pub fn valid_fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures/valid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    assert!(
        v.len() >= 4,
        "tests/fixtures/valid must hold the valid fixtures"
    );
    v
}

/// The team's workspace files beside this repository (`../shared/<rel>`), for tests that compare with
/// them. They run only when `AOAIGEN_REQUIRE_SHARED=1` says the files must be there (this repository's
/// `.ci/run` sets it; a missing directory then fails the test). Otherwise the caller skips with the
/// printed reason, so `cargo test` passes in a user's fork whatever CI system (`CI=true`) runs it.
#[allow(dead_code)] // no test compares with ../shared today; this is the one way to (see the guard below)
pub fn shared_dir(rel: &str) -> Option<PathBuf> {
    let dir = root().join("../shared").join(rel);
    match shared_gate(
        std::env::var("AOAIGEN_REQUIRE_SHARED").ok().as_deref(),
        &dir,
    ) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            eprintln!(
                "SKIPPED: needs {} and AOAIGEN_REQUIRE_SHARED=1 (unset here)",
                dir.display()
            );
            None
        }
        Err(e) => panic!("{e}"),
    }
}

/// `shared_dir`'s decision: `require` is the variable's value.
pub fn shared_gate(require: Option<&str>, dir: &Path) -> Result<Option<PathBuf>, String> {
    match require {
        None | Some("" | "0") => Ok(None),
        Some("1") if dir.is_dir() => Ok(Some(dir.to_path_buf())),
        Some("1") => Err(format!(
            "AOAIGEN_REQUIRE_SHARED=1 but {} is missing",
            dir.display()
        )),
        Some(v) => Err(format!(
            "AOAIGEN_REQUIRE_SHARED must be 0 or 1, found `{v}`"
        )),
    }
}

#[test]
fn shared_files_are_required_only_when_asked() {
    let there = tempfile::tempdir().unwrap();
    let missing = there.path().join("missing");
    // CI=true (GitHub Actions) plays no part: only the explicit variable does.
    assert_eq!(shared_gate(None, there.path()), Ok(None));
    assert_eq!(shared_gate(Some("0"), &missing), Ok(None));
    assert_eq!(
        shared_gate(Some("1"), there.path()),
        Ok(Some(there.path().to_path_buf()))
    );
    assert!(
        shared_gate(Some("1"), &missing)
            .unwrap_err()
            .contains("missing")
    );
    assert!(shared_gate(Some("true"), there.path()).is_err());
}

/// No test reads ../shared or keys on `CI` except through `shared_dir` (a user's fork has no ../shared,
/// and GitHub Actions sets CI=true there too).
#[test]
fn only_shared_dir_reaches_the_shared_files() {
    let needles = [
        concat!("\"../", "shared"),
        concat!("var_os(\"", "CI\")"),
        concat!("var(\"", "CI\")"),
    ];
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(root().join("tests")) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("it/common.rs") {
            continue;
        }
        checked += 1;
        let text = std::fs::read_to_string(path).unwrap();
        for n in needles {
            assert!(
                !text.contains(n),
                "{}: `{n}` (use common::shared_dir)",
                path.display()
            );
        }
    }
    assert!(checked > 10, "{checked} test files");
}
