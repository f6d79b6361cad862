//! `aoaigen plan` (table, JSON, Mermaid) and `aoaigen completions`, as users run them, against the graph.

use std::path::PathBuf;

use aoaigen::report::capacity_rows;

use crate::cli::aoaigen;
use crate::common::{examples, graph_of, root};

fn stdout_of(args: &[&str]) -> String {
    let o = aoaigen(args, &root());
    assert_eq!(
        o.status.code(),
        Some(0),
        "aoaigen {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn spec_of(ex: &str) -> String {
    format!("examples/{ex}.yaml")
}

fn graph_of_example(ex: &str) -> aoaigen::graph::ResourceGraph {
    let _cwd = crate::common::CwdGuard::enter(&root());
    graph_of(&PathBuf::from(spec_of(ex)))
}

/// Each row's total is the sum of its deployments' capacities in the graph, the rows cover every
/// deployment exactly once, and the grand total is the graph's.
#[test]
fn plan_totals_equal_the_sum_over_the_graph_deployments() {
    for ex in examples() {
        let g = graph_of_example(&ex);
        let rows = capacity_rows(&g);
        assert_eq!(rows.len(), g.gateway.pools.len(), "{ex}");
        for r in &rows {
            let ds: Vec<_> = g
                .deployments
                .iter()
                .filter(|d| d.name == r.deployment)
                .collect();
            assert!(!ds.is_empty(), "{ex}: {} has no deployments", r.deployment);
            let sum: u64 = ds.iter().map(|d| u64::from(d.capacity)).sum();
            assert_eq!(r.total, sum, "{ex}: total of {}", r.deployment);
            assert_eq!(r.region_count, ds.len(), "{ex}: {}", r.deployment);
            for d in &ds {
                assert_eq!(
                    (&r.model, &r.version, &r.sku),
                    (&d.model, &d.version, &d.sku),
                    "{ex}: {}",
                    d.key
                );
                assert_eq!(r.retirement_date, d.retirement_date, "{ex}: {}", d.key);
                assert_eq!(r.lifecycle, d.lifecycle, "{ex}: {}", d.key);
            }
        }
        let covered: usize = rows.iter().map(|r| r.region_count).sum();
        assert_eq!(
            covered,
            g.deployments.len(),
            "{ex}: rows cover every deployment"
        );
        let grand: u64 = rows.iter().map(|r| r.total).sum();
        let graph_sum: u64 = g.deployments.iter().map(|d| u64::from(d.capacity)).sum();
        assert_eq!(grand, graph_sum, "{ex}: grand total");
    }
}

/// `plan --format json` is valid JSON and is the graph the library builds.
#[test]
fn plan_json_is_the_graph() {
    for ex in examples() {
        let out = stdout_of(&["plan", "--spec", &spec_of(&ex), "--format", "json"]);
        let v: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{ex}: invalid JSON: {e}"));
        let g = graph_of_example(&ex);
        assert_eq!(v, serde_json::to_value(&g).unwrap(), "{ex}");
        let ds = v["deployments"].as_array().unwrap();
        assert_eq!(ds.len(), g.deployments.len(), "{ex}");
        for d in ds {
            assert!(d["lifecycle"].is_string(), "{ex}: {d}");
            assert!(d.get("retirement_date").is_some(), "{ex}: {d}");
        }
    }
}

/// The Mermaid diagram of every example, as `plan --format mermaid` prints it (CI also parses these with
/// the real Mermaid parser: .ci/run, mermaid_check).
#[test]
fn plan_mermaid_snapshots() {
    for ex in examples() {
        let out = stdout_of(&["plan", "--spec", &spec_of(&ex), "--format", "mermaid"]);
        let g = graph_of_example(&ex);
        assert_eq!(out, aoaigen::report::mermaid(&g), "{ex}");
        assert!(out.contains("\nflowchart LR\n"), "{ex}");
        for (i, _) in g.gateway.pools.iter().enumerate() {
            assert!(out.contains(&format!("--> pool{i}[")), "{ex}: pool{i}");
        }
        insta::with_settings!({snapshot_path => root().join("snapshots"), prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(format!("{ex}@plan-mermaid"), out);
        });
    }
}

/// The table (not a terminal: no colour) names every deployment with its total and retirement date.
#[test]
fn plan_table_lists_every_deployment_and_its_total() {
    for ex in examples() {
        let out = stdout_of(&["plan", "--spec", &spec_of(&ex)]);
        assert!(!out.contains('\u{1b}'), "{ex}: colour outside a terminal");
        let g = graph_of_example(&ex);
        assert!(
            out.contains("total k TPM") && out.contains("retires"),
            "{ex}"
        );
        for r in capacity_rows(&g) {
            let line = out
                .lines()
                .find(|l| l.contains(&format!(" {} ", r.deployment)))
                .unwrap_or_else(|| panic!("{ex}: no row for {}:\n{out}", r.deployment));
            let cells: Vec<&str> = line.split(['│', '┆']).map(str::trim).collect();
            assert!(
                cells.contains(&r.total.to_string().as_str()),
                "{ex}: total {} of {} in {line}",
                r.total,
                r.deployment
            );
            let retires = r.retirement_date.as_deref().unwrap_or("not published");
            assert!(line.contains(retires), "{ex}: {retires} in {line}");
        }
    }
}

#[test]
fn completions_mention_render_for_every_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let out = stdout_of(&["completions", shell]);
        assert!(!out.trim().is_empty(), "{shell}: empty completions");
        assert!(out.contains("render"), "{shell}: no `render` in:\n{out}");
        assert!(out.contains("aoaigen"), "{shell}");
    }
}
