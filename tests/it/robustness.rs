//! Property tests: random text and mutated example specs go through loading, validation, catalog expansion
//! and graph building. Whatever the input, the outcome is a result (a valid spec / a graph) or at least one
//! error diagnostic: never a panic, never "invalid" without saying why.
//!
//! Each property prints how many cases it ran (`cargo test robustness -- --nocapture`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use aoaigen::spec::{self, Source};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::common::{root, today};

fn config(cases: u32) -> Config {
    Config {
        cases,
        // Shrunk failures are printed; no regression files are written into the source tree.
        failure_persistence: None,
        ..Config::default()
    }
}

/// Validation (and, for a valid spec, catalog expansion) of `text`: a spec, or at least one error.
fn check_text(text: &str) {
    let source = Source {
        display_name: "fuzz.yaml".into(),
        dir: std::env::temp_dir(),
        text: text.to_string(),
    };
    let (validated, diags) = spec::validate(source);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    match validated {
        None => assert!(errors > 0, "rejected without an error: {diags:?}"),
        Some(v) => {
            if errors == 0 {
                let (plan, more) =
                    aoaigen::catalog::expand::expand(&v, aoaigen::catalog::embedded(), today());
                assert!(
                    plan.is_some() || more.iter().any(|d| d.is_error()),
                    "no plan and no error: {more:?}"
                );
            }
        }
    }
    for d in &diags {
        if let Some(s) = &d.span {
            assert!(s.line >= 1 && s.column >= 1, "{d:?}");
        }
    }
}

/// The whole pipeline on `bytes` written to `dir/spec.yaml`: a graph, or at least one error diagnostic; the
/// human and JSON reports render.
fn check_file(dir: &Path, bytes: &[u8]) {
    let path = dir.join("spec.yaml");
    std::fs::write(&path, bytes).unwrap();
    let a = aoaigen::pipeline::analyse(&path, today());
    assert!(
        a.graph.is_some() || a.report.errors() > 0,
        "neither a graph nor an error: {:?}",
        a.report.diagnostics
    );
    let human = a.report.render_human(false);
    if a.report.errors() > 0 {
        assert!(human.contains("error["), "{human}");
    }
    let _: serde_json::Value = serde_json::from_str(&a.report.render_json()).unwrap();
}

fn examples() -> Vec<String> {
    let mut texts: Vec<String> = crate::common::examples()
        .iter()
        .map(|e| std::fs::read_to_string(root().join(format!("examples/{e}.yaml"))).unwrap())
        .collect();
    let fixtures = root().join("tests/fixtures/invalid");
    let mut bad: Vec<PathBuf> = std::fs::read_dir(fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    bad.sort();
    texts.extend(bad.iter().map(|p| std::fs::read_to_string(p).unwrap()));
    texts
}

/// One edit to a spec's text.
#[derive(Debug, Clone)]
enum Mutation {
    FlipByte(usize, u8),
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Indent(usize, i8),
    RenameKey(usize, &'static str),
    ReplaceValue(usize, &'static str),
    Insert(usize, &'static str),
}

const KEYS: &[&str] = &[
    "version", "name", "location", "models", "model", "regions", "sku", "capacity", "gateway",
    "network", "frontend", "https", "access", "modles", "regoins", "", "a b", "<<", "? x", "- x",
];

const VALUES: &[&str] = &[
    "0",
    "-1",
    "~",
    "null",
    "[]",
    "{}",
    "[",
    "{",
    "*a",
    "&a x",
    "!!str 1",
    "!!int x",
    "yes",
    "''",
    "\"\"",
    "99999999999999999999",
    "1e400",
    "-0x8000000000000000",
    ".nan",
    "0o777",
    "2025-04-14",
    "swedencentrl",
    "Sweden Central",
    "gpt-5.11",
    "10.0.0.0/33",
    "\t",
    "|",
    ">-",
    "\"\\u00e9\"",
    "é",
    "[swedencentral, swedencentral]",
    "{name: x, capacity: 0}",
    "&b [*b]",
    "*undefined",
];

const SNIPPETS: &[&str] = &[
    "\t",
    "---\n",
    "...\n",
    ": ",
    "- ",
    "&a ",
    "*a",
    "[",
    "]",
    "{",
    "}",
    "#",
    "'",
    "\"",
    "\n  ",
    "%YAML 1.2\n",
    "!!binary ",
    "? ",
    "\u{feff}",
    "\0",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1u8..=255).prop_map(|(i, x)| Mutation::FlipByte(i, x)),
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<usize>(), -4i8..=4).prop_map(|(i, d)| Mutation::Indent(i, d)),
        (any::<usize>(), prop::sample::select(KEYS)).prop_map(|(i, k)| Mutation::RenameKey(i, k)),
        (any::<usize>(), prop::sample::select(VALUES))
            .prop_map(|(i, v)| Mutation::ReplaceValue(i, v)),
        (any::<usize>(), prop::sample::select(SNIPPETS)).prop_map(|(i, s)| Mutation::Insert(i, s)),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let mut lines: Vec<String> = text.split('\n').map(String::from).collect();
    let n = lines.len();
    match *m {
        Mutation::FlipByte(i, x) => {
            if !bytes.is_empty() {
                let i = i % bytes.len();
                bytes[i] ^= x;
            }
            return;
        }
        Mutation::Insert(i, s) => {
            let i = i % (bytes.len() + 1);
            bytes.splice(i..i, s.bytes());
            return;
        }
        Mutation::DeleteLine(i) => {
            lines.remove(i % n);
        }
        Mutation::DuplicateLine(i) => {
            let l = lines[i % n].clone();
            lines.insert(i % n, l);
        }
        Mutation::SwapLines(a, b) => lines.swap(a % n, b % n),
        Mutation::Indent(i, d) => {
            let l = &mut lines[i % n];
            if d > 0 {
                l.insert_str(0, &" ".repeat(d as usize));
            } else {
                let strip = l
                    .chars()
                    .take((-d) as usize)
                    .take_while(|c| *c == ' ')
                    .count();
                l.drain(..strip);
            }
        }
        Mutation::RenameKey(i, k) => {
            let l = &mut lines[i % n];
            if let Some(colon) = l.find(':') {
                let indent = l.len() - l.trim_start_matches([' ', '-']).len();
                if indent <= colon {
                    l.replace_range(indent..colon, k);
                }
            }
        }
        Mutation::ReplaceValue(i, v) => {
            let l = &mut lines[i % n];
            if let Some(colon) = l.find(": ") {
                l.replace_range(colon + 2.., v);
            } else if let Some(dash) = l.find("- ") {
                l.replace_range(dash + 2.., v);
            }
        }
    }
    *bytes = lines.join("\n").into_bytes();
}

/// Runs `property` on `cases` values of `strategy`, prints how many ran, and fails with the shrunk input
/// when one panics.
fn run_property<S: Strategy>(name: &str, cases: u32, strategy: S, property: impl Fn(S::Value))
where
    S::Value: std::fmt::Debug,
{
    let ran = AtomicUsize::new(0);
    let mut runner = TestRunner::new(config(cases));
    let result = runner.run(&strategy, |value| {
        ran.fetch_add(1, Ordering::Relaxed);
        property(value);
        Ok(())
    });
    let ran = ran.load(Ordering::Relaxed);
    eprintln!("robustness: {name}: {ran} cases run");
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    assert!(
        ran >= cases as usize,
        "{name}: only {ran} of {cases} cases ran"
    );
}

/// Any Unicode text.
#[test]
fn arbitrary_text_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    run_property("arbitrary text", 4000, any::<String>(), |text| {
        check_text(&text);
        check_file(dir.path(), text.as_bytes());
    });
}

/// Any bytes, through the whole pipeline from a file (not UTF-8, NUL, BOMs...).
#[test]
fn arbitrary_bytes_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    run_property(
        "arbitrary bytes",
        2000,
        prop::collection::vec(any::<u8>(), 0..512),
        |bytes| check_file(dir.path(), &bytes),
    );
}

/// Text made of YAML's structural characters, so the parser gets past the first byte.
#[test]
fn yaml_shaped_text_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    run_property(
        "yaml-shaped text",
        3000,
        "[a-z0-9 :\\-\\[\\]{},&*!|>'\"#?\n\t.~/%@`]{0,300}",
        |text: String| {
            check_text(&text);
            check_file(dir.path(), text.as_bytes());
        },
    );
}

/// The examples and the invalid fixtures with up to six edits each, through validation and through the
/// whole pipeline from a file (bytes, so flipped bytes may also break UTF-8).
#[test]
fn mutated_specs_never_panic() {
    let texts = examples();
    assert!(texts.len() >= 35);
    let dir = tempfile::tempdir().unwrap();
    run_property(
        "mutated specs",
        5000,
        (
            any::<prop::sample::Index>(),
            prop::collection::vec(mutation(), 1..=6),
        ),
        |(which, edits)| {
            let mut bytes = texts[which.index(texts.len())].clone().into_bytes();
            for m in &edits {
                apply(&mut bytes, m);
            }
            check_text(&String::from_utf8_lossy(&bytes));
            check_file(dir.path(), &bytes);
        },
    );
}

/// The unmutated inputs: the examples are valid, every fixture is rejected.
#[test]
fn the_mutation_corpus_itself() {
    for e in crate::common::examples() {
        let path = root().join(format!("examples/{e}.yaml"));
        let a = aoaigen::pipeline::analyse(&path, today());
        assert!(a.graph.is_some(), "{e}: {}", a.report.render_human(false));
    }
    let dir = tempfile::tempdir().unwrap();
    for text in examples() {
        check_text(&text);
        check_file(dir.path(), text.as_bytes());
    }
}
