//! Diagrams that scale: small gateways drawn in full, large ones summarised within Mermaid's default
//! limits, the detail in the pools-by-region table. CI renders these diagrams in a browser with Mermaid
//! itself (.ci/run, mermaid_check); with AOAIGEN_DIAGRAM_DIR set, the largest generated spec and the
//! maximal diagram are written there for it.

#[path = "../../benches/support/generated.rs"]
mod generated;

use aoaigen::diagram::{
    DETAIL_MAX_EDGES, DETAIL_MAX_FANOUT, MERMAID_MAX_EDGES, MERMAID_MAX_TEXT, diagram, edge_count,
};
use aoaigen::graph::ResourceGraph;
use aoaigen::render::Target;

use crate::common::{render_example, render_text, text, today};

/// Mermaid measures `maxTextSize` in UTF-16 code units (JavaScript's `length`).
fn js_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Every label line (between quotes, split at `<br/>`) fits the diagram's `wrappingWidth` at
/// `PX_PER_CHAR`, so Mermaid never wraps a label; CI's browser check is the independent proof.
fn assert_labels_fit(m: &str) {
    let width: usize = m
        .lines()
        .find_map(|l| l.trim().strip_prefix("wrappingWidth: "))
        .expect("a wrappingWidth in the front matter")
        .parse()
        .unwrap();
    for (i, part) in m.split('"').enumerate() {
        if i % 2 == 1 {
            for line in part.split("<br/>") {
                assert!(
                    line.chars().count() * 14 <= width,
                    "`{line}` is wider than {width} px"
                );
            }
        }
    }
}

fn largest() -> (String, ResourceGraph) {
    let spec = generated::spec_text(&generated::largest_models(today()));
    let (g, _) = render_text(&spec, Target::Terraform);
    (spec, g)
}

#[test]
fn small_gateways_are_drawn_in_full_with_capacities() {
    let (g, _) = render_example("https-keyvault", Target::Terraform);
    let d = diagram(&g);
    assert!(!d.summary);
    for (j, a) in g.accounts.iter().enumerate() {
        assert!(
            d.mermaid
                .contains(&format!("account{j}[(\"{}<br/>", a.name)),
            "{}",
            a.name
        );
    }
    // Every deployment is an edge labelled with its capacity there; every pool names its SKU.
    for dep in &g.deployments {
        assert!(
            d.mermaid
                .contains(&format!("\"{}k\" --> account", dep.capacity)),
            "{}",
            dep.key
        );
    }
    for p in &g.gateway.pools {
        let sku = &g
            .deployments
            .iter()
            .find(|x| x.name == p.deployment)
            .unwrap()
            .sku;
        assert!(
            d.mermaid.contains(&format!("{}<br/>", p.path)),
            "{}",
            p.path
        );
        assert!(d.mermaid.contains(&format!(" · {sku}<br/>")), "{sku}");
    }
    let default = 1 + g.gateway.default_pool.regions.len();
    assert_eq!(
        edge_count(&d.mermaid),
        1 + g.gateway.pools.len() + g.deployments.len() + default
    );
    assert_labels_fit(&d.mermaid);
}

/// minimal.yaml: one pool in 28 regions used to be a 4,000-pixel column of accounts.
#[test]
fn a_wide_pool_is_summarised_and_detailed_in_the_table() {
    let (g, p) = render_example("minimal", Target::Bicep);
    assert!(g.gateway.pools[0].regions.len() > DETAIL_MAX_FANOUT);
    let d = diagram(&g);
    assert!(d.summary);
    assert!(!d.mermaid.contains("account0"), "accounts drawn one by one");
    assert!(
        d.mermaid
            .contains(&format!("regions0[(\"{} regions<br/>", g.accounts.len()))
    );
    let group = d.mermaid.split("regions0[(\"").nth(1).unwrap();
    let group = &group[..group.find('"').unwrap()];
    let named: Vec<&str> = group
        .split("<br/>")
        .skip(1)
        .flat_map(str::split_whitespace)
        .collect();
    for a in &g.accounts {
        assert!(
            named.contains(&a.abbreviation.as_str()),
            "{} not in {group}",
            a.abbreviation
        );
    }
    assert_labels_fit(&d.mermaid);
    // The generated README carries the same diagram and a row per region with SKU and capacity.
    let readme = text(&p, "README.md");
    assert!(readme.contains(&format!("```mermaid\n{}```", d.mermaid)));
    assert!(readme.contains("## Pools by region"));
    for dep in &g.deployments {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| {} (", dep.account)))
            .unwrap_or_else(|| panic!("no row for {}", dep.account));
        assert!(
            row.contains(&format!("`{}` ({}, {})", dep.name, dep.sku, dep.capacity)),
            "{row}"
        );
    }
}

#[test]
fn the_largest_generated_spec_is_summarised_within_mermaid_limits() {
    let (spec, g) = largest();
    assert!(
        g.deployments.len() > 500,
        "{} deployments",
        g.deployments.len()
    );
    let d = diagram(&g);
    assert!(d.summary);
    let edges = edge_count(&d.mermaid);
    assert!(edges <= 3 + 2 * g.gateway.pools.len(), "{edges} edges");
    assert!(edges < MERMAID_MAX_EDGES && js_len(&d.mermaid) < MERMAID_MAX_TEXT);
    assert_labels_fit(&d.mermaid);
    let rows: usize = d.regions.iter().map(|r| r.deployments.len()).sum();
    assert_eq!(
        rows,
        g.deployments.len(),
        "the table holds every deployment"
    );
    if let Some(dir) = std::env::var_os("AOAIGEN_DIAGRAM_DIR") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("largest-generated.yaml"), spec).unwrap();
    }
}

/// The worst case the validator lets through: Application Gateway's 100 pools, 64-character
/// deployment names, every pool in every region, every pool serving its own set of regions.
#[test]
fn the_maximal_diagram_stays_within_mermaid_limits() {
    let (_, mut g) = largest();
    let template = g.gateway.pools[0].clone();
    let dep = g.deployments[0].clone();
    let all: Vec<String> = g.accounts.iter().map(|a| a.key.clone()).collect();
    g.gateway.pools.clear();
    g.deployments.clear();
    for i in 0..100 {
        let name = format!("{i:02}-{}", "d".repeat(61));
        assert_eq!(name.len(), 64);
        let regions: Vec<String> = all.iter().skip(i % 3).cloned().collect();
        for r in &regions {
            let mut d = dep.clone();
            d.account = r.clone();
            d.name = name.clone();
            d.key = format!("{r}/{name}");
            g.deployments.push(d);
        }
        let mut p = template.clone();
        p.path = format!("/openai/deployments/{name}/*");
        p.name = format!("pool-{name}");
        p.deployment = name;
        p.regions = regions;
        g.gateway.pools.push(p);
    }
    let d = diagram(&g);
    assert!(d.summary);
    let (edges, len) = (edge_count(&d.mermaid), js_len(&d.mermaid));
    assert!(edges < MERMAID_MAX_EDGES, "{edges} edges");
    assert!(len < MERMAID_MAX_TEXT * 9 / 10, "{len} characters");
    assert_labels_fit(&d.mermaid);
    if let Some(dir) = std::env::var_os("AOAIGEN_DIAGRAM_DIR") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("maximal.mmd"), &d.mermaid).unwrap();
    }
}

#[test]
fn the_threshold_is_what_the_module_says() {
    // Just over the edge budget, with a small fan-out, is still a summary.
    let (_, g) = largest();
    let mut small = g.clone();
    small.gateway.pools.retain(|p| p.regions.len() > 2);
    for p in &mut small.gateway.pools {
        p.regions.truncate(2);
    }
    small.gateway.default_pool.regions.clear();
    let keep = DETAIL_MAX_EDGES / 2;
    small.gateway.pools.truncate(keep);
    assert!(!diagram(&small).summary, "{keep} pools of 2 regions");
    let mut over = small.clone();
    let mut extra = over.gateway.pools[0].clone();
    extra.deployment.push('x');
    over.gateway.pools.push(extra);
    assert!(
        diagram(&over).summary,
        "{} account edges",
        DETAIL_MAX_EDGES + 2
    );
}
