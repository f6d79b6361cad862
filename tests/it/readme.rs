//! The project README is tested like code: every YAML block, the Set up commands, the default file name,
//! and the list of CI steps. Blocks added by any section are found by scanning the whole file.

use std::collections::BTreeSet;

use crate::cli::aoaigen;
use crate::common::root;

/// A fenced block: its language, its text, the line it starts on and the marker comment before it.
struct Block {
    lang: String,
    text: String,
    line: usize,
    marker: Option<String>,
}

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap()
}

/// Every fenced block of `md`. The marker is `KIND` of an `<!-- yaml: KIND -->` comment on the last
/// non-blank line before the fence.
fn blocks(md: &str) -> Vec<Block> {
    let lines: Vec<&str> = md.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(lang) = lines[i].strip_prefix("```") else {
            i += 1;
            continue;
        };
        let marker = lines[..i]
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .and_then(|l| l.trim().strip_prefix("<!--")?.strip_suffix("-->"))
            .and_then(|c| c.trim().strip_prefix("yaml:"))
            .map(|k| k.trim().to_string());
        let end = (i + 1..lines.len())
            .find(|&j| lines[j].starts_with("```"))
            .unwrap_or_else(|| panic!("README.md:{}: unclosed code block", i + 1));
        out.push(Block {
            lang: lang.trim().to_string(),
            text: lines[i + 1..end].join("\n") + "\n",
            line: i + 1,
            marker,
        });
        i = end + 1;
    }
    out
}

/// The text of the `## title` section, up to the next `## ` heading.
fn section<'a>(md: &'a str, title: &str) -> &'a str {
    let start = md
        .find(&format!("\n## {title}\n"))
        .unwrap_or_else(|| panic!("README.md has no `## {title}` section"));
    let rest = &md[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 4);
    &rest[..end]
}

fn hooks_file() -> serde_json::Value {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    aoaigen::spec::yaml::load(&text).unwrap().value
}

/// A pre-commit configuration from the README: its hooks are this repository's hooks; a `local` repo
/// runs them with `language: system` and the same entry and file selection.
fn check_pre_commit(b: &Block, config: &serde_json::Value) -> &'static str {
    let published = hooks_file();
    let published = published.as_array().unwrap();
    let repos = config["repos"]
        .as_array()
        .unwrap_or_else(|| panic!("README.md:{}: no repos", b.line));
    assert_eq!(repos.len(), 1, "README.md:{}: one repo per snippet", b.line);
    let repo = &repos[0];
    let hooks = repo["hooks"].as_array().unwrap();
    let ids: BTreeSet<&str> = hooks.iter().map(|h| h["id"].as_str().unwrap()).collect();
    let all: BTreeSet<&str> = published
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids, all,
        "README.md:{}: every hook of .pre-commit-hooks.yaml",
        b.line
    );
    if repo["repo"] == "local" {
        for h in hooks {
            let p = published.iter().find(|p| p["id"] == h["id"]).unwrap();
            assert_eq!(h["language"], "system", "README.md:{}", b.line);
            for key in ["entry", "files", "pass_filenames", "always_run", "types"] {
                assert_eq!(h[key], p[key], "README.md:{}: {} `{key}`", b.line, h["id"]);
            }
        }
        "local"
    } else {
        assert!(repo["rev"].is_string(), "README.md:{}: a rev", b.line);
        "remote"
    }
}

#[test]
fn every_yaml_block_of_the_readme_is_checked() {
    let md = readme();
    let (mut specs, mut fragments) = (0, 0);
    let mut pre_commit = BTreeSet::new();
    for b in blocks(&md)
        .iter()
        .filter(|b| b.lang == "yaml" || b.lang == "yml")
    {
        let parsed = aoaigen::spec::yaml::load(&b.text)
            .unwrap_or_else(|d| panic!("README.md:{}: not YAML: {}", b.line, d.message));
        match b.marker.as_deref() {
            Some("fragment") => fragments += 1,
            Some("pre-commit") => {
                pre_commit.insert(check_pre_commit(b, &parsed.value));
            }
            Some(other) => panic!("README.md:{}: unknown marker `yaml: {other}`", b.line),
            None => {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("aoaigen.yaml");
                std::fs::write(&path, &b.text).unwrap();
                let a = aoaigen::pipeline::analyse(&path, crate::common::today());
                assert!(
                    a.ok(true),
                    "README.md:{}: the spec must validate without errors or warnings:\n{}",
                    b.line,
                    a.report.render_human(false)
                );
                specs += 1;
            }
        }
    }
    eprintln!(
        "README YAML blocks: {specs} specs, {fragments} fragments, pre-commit {pre_commit:?}"
    );
    assert!(specs >= 1, "the spec reference block was not found");
    assert_eq!(
        pre_commit,
        BTreeSet::from(["local", "remote"]),
        "both pre-commit variants"
    );
}

/// A block that is not a valid spec and not marked fails the test (the marker is honoured, not ignored).
#[test]
fn an_unmarked_invalid_block_would_fail() {
    let md =
        "x\n\n```yaml\nversion: 1\nname: x\n```\n\n<!-- yaml: fragment -->\n```yaml\na: 1\n```\n";
    let b = blocks(md);
    assert_eq!(b.len(), 2);
    assert_eq!(b[0].marker, None);
    assert_eq!(b[1].marker.as_deref(), Some("fragment"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("aoaigen.yaml"), &b[0].text).unwrap();
    assert!(
        !aoaigen::pipeline::analyse(&dir.path().join("aoaigen.yaml"), crate::common::today())
            .ok(true)
    );
}

/// Set up holds exactly the two commands CI runs (.ci/run, README_SETUP): install + render, then tests.
#[test]
fn set_up_is_two_commands_install_and_test() {
    let md = readme();
    let setup = section(&md, "Set up");
    let cmds: Vec<String> = blocks(setup)
        .into_iter()
        .filter(|b| b.lang == "bash")
        .map(|b| b.text.trim().to_string())
        .collect();
    assert_eq!(cmds.len(), 2, "Set up: {cmds:?}");
    assert!(
        !cmds[0].contains('\n') && !cmds[1].contains('\n'),
        "one line each: {cmds:?}"
    );
    let install = &cmds[0];
    assert!(
        install.starts_with("cargo install --locked --path . && aoaigen render "),
        "{install}"
    );
    // The render part is a valid command line on a bundled example.
    let args: Vec<&str> = install
        .split(" && ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .skip(1)
        .collect();
    let spec = args[args.iter().position(|a| *a == "--spec").unwrap() + 1];
    assert!(root().join(spec).is_file(), "{spec}");
    let out = tempfile::tempdir().unwrap();
    let mut run: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let o = run.iter().position(|a| a == "--out").unwrap();
    run[o + 1] = out.path().join("generated").to_string_lossy().into_owned();
    let r = aoaigen(&run.iter().map(String::as_str).collect::<Vec<_>>(), &root());
    assert_eq!(
        r.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(
        !String::from_utf8_lossy(&r.stderr).contains("warning"),
        "the first command draws warnings: {}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert_eq!(cmds[1], "cargo test --locked");
    assert!(
        md.contains("cargo install --locked --git"),
        "the --git install is documented"
    );
}

/// One default spec name everywhere: the CLI's defaults, init, the hooks, the README.
#[test]
fn the_default_spec_name_is_aoaigen_yaml_everywhere() {
    for cmd in ["render", "validate", "plan", "init"] {
        let h = aoaigen(&[cmd, "--help"], &root());
        let help = String::from_utf8_lossy(&h.stdout);
        assert!(
            help.contains("[default: aoaigen.yaml]"),
            "{cmd} --help:\n{help}"
        );
    }
    for file in [
        "README.md",
        ".pre-commit-hooks.yaml",
        "src/starter.rs",
        "src/cli.rs",
    ] {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        assert!(!text.contains("aoai.yaml"), "{file} names aoai.yaml");
    }
    let hooks = hooks_file();
    let files = hooks[0]["files"].as_str().unwrap();
    assert!(files.contains("aoaigen"), "{files}");
}

/// The README's CI table names every step .ci/run runs (and nothing it does not).
#[test]
fn the_ci_description_lists_every_step() {
    let md = readme();
    let ci = section(&md, "Continuous integration");
    let documented: BTreeSet<String> = ci
        .lines()
        .filter_map(|l| {
            l.strip_prefix("| `")?
                .split_once("` |")
                .map(|(n, _)| n.to_string())
        })
        .collect();
    let run = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    let steps: BTreeSet<String> = run
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("step \"")?
                .split_once('"')
                .map(|(n, _)| n.replace("$ex", "<example>"))
        })
        .collect();
    assert!(steps.len() >= 10, "{steps:?}");
    assert_eq!(
        documented, steps,
        "README `## Continuous integration` vs .ci/run steps"
    );
    for tool in ["node", "npm", "python3", "git", "bash", "cargo", "chromium"] {
        assert!(
            ci.contains(tool),
            "the CI section does not say that {tool} is needed"
        );
    }
}

/// Every Rust version the README asks for is the crate's `rust-version`: with an older toolchain
/// `cargo install` refuses the crate (std's `File::lock`, which the render lock uses, is Rust 1.89).
#[test]
fn the_readme_asks_for_the_rust_version_cargo_requires() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let required = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("Cargo.toml names a rust-version");
    let md = readme();
    let asked: Vec<&str> = regex::Regex::new(r"(?:Rust|rustc`?) (1\.\d+)(?:\+| or newer)")
        .unwrap()
        .captures_iter(&md)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    assert!(
        asked.len() >= 2,
        "Set up and the CI section state a Rust version: {asked:?}"
    );
    for v in asked {
        assert_eq!(
            v, required,
            "README.md asks for Rust {v}, Cargo.toml for {required}"
        );
    }
}
