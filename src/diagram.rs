//! The Mermaid diagram of a resource graph and the pools-by-region table that goes with it, shared by
//! `aoaigen plan --format mermaid` and the generated READMEs.
//!
//! Input: a `ResourceGraph`. Output: a `Diagram` (Mermaid text, whether it is a summary, and the rows of
//! the pools-by-region table); arithmetic over the graph only.
//!
//! Size: a small gateway is drawn in full (gateway -> one node per pool -> one node per account, the
//! edges labelled with the capacity there). A pool fanning out to many accounts draws a column thousands
//! of pixels high, and a large spec (100 pools in 28 regions) would pass Mermaid's default limits
//! (`maxEdges` 500, `maxTextSize` 50,000 characters), so that Mermaid refuses it. Above `DETAIL_MAX_EDGES`
//! account edges, or `DETAIL_MAX_FANOUT` accounts on one pool, the diagram is a summary instead: each pool
//! points at its group of regions (pools serving the same regions share one group node, naming the regions
//! by their abbreviations), and the table holds each region's deployments with SKU and capacity. A summary
//! has at most 3 + 2 x pools edges (203 for Application Gateway's 100 pools): the pools, and the default
//! route for paths that name no deployment.
//!
//! Labels: Mermaid wraps a node label wider than `wrappingWidth` (200 px by default) anywhere, even inside
//! a word such as a URL path, and edge labels at a fixed 200 px. So edge labels stay short (a capacity),
//! and the diagram sets `wrappingWidth` from its longest label line, so no node label wraps at all.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::graph::ResourceGraph;

/// Most pool -> account edges a diagram draws one by one.
pub const DETAIL_MAX_EDGES: usize = 30;
/// Most accounts one pool fans out to in a full diagram.
pub const DETAIL_MAX_FANOUT: usize = 8;
/// Mermaid's default `maxEdges` and `maxTextSize` (mermaid 11 `defaultConfig`), which viewers keep.
pub const MERMAID_MAX_EDGES: usize = 500;
pub const MERMAID_MAX_TEXT: usize = 50_000;
/// Region abbreviations per line in a summary's region-group node.
const ABBREVIATIONS_PER_LINE: usize = 10;
/// An upper bound of a character's width in Mermaid's default font (16 px), in pixels.
const PX_PER_CHAR: usize = 14;

/// A diagram and the table that details it.
#[derive(Debug, Clone, Serialize)]
pub struct Diagram {
    /// The Mermaid source (with a front-matter config), ending in a newline.
    pub mermaid: String,
    /// True when regions are summarised in groups rather than drawn one by one.
    pub summary: bool,
    /// Deployments served by each account, in account (region) order.
    pub regions: Vec<RegionRow>,
}

/// One account: the region's deployments with SKU and capacity.
#[derive(Debug, Clone, Serialize)]
pub struct RegionRow {
    pub region: String,
    pub display_name: String,
    pub account: String,
    pub deployments: Vec<RegionDeployment>,
    /// Sum of the capacities, thousands of tokens per minute.
    pub total: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegionDeployment {
    pub deployment: String,
    pub model: String,
    pub sku: String,
    pub capacity: u32,
}

/// The Mermaid text of `diagram(g)`.
pub fn mermaid(g: &ResourceGraph) -> String {
    diagram(g).mermaid
}

pub fn diagram(g: &ResourceGraph) -> Diagram {
    let edges: usize = g
        .gateway
        .pools
        .iter()
        .map(|p| p.regions.len())
        .sum::<usize>()
        + g.gateway.default_pool.regions.len();
    let fanout = g
        .gateway
        .pools
        .iter()
        .map(|p| p.regions.len())
        .max()
        .unwrap_or(0);
    let summary = edges > DETAIL_MAX_EDGES || fanout > DETAIL_MAX_FANOUT;
    Diagram {
        mermaid: flowchart(g, summary),
        summary,
        regions: region_rows(g),
    }
}

/// Labels are quoted; every value in them comes from restricted name alphabets, and `"`, `<`, `>` and
/// line breaks are removed defensively so that no value can end a label or open markup.
fn q(s: &str) -> String {
    s.replace(['"', '<', '>', '\n', '\r'], "")
}

fn flowchart(g: &ResourceGraph, summary: bool) -> String {
    let mut body = String::new();
    let mut line = |s: String| {
        body.push_str("  ");
        body.push_str(&s);
        body.push('\n');
    };
    line(format!(
        "clients([\"Clients with Entra ID tokens\"]) --> gateway[\"{}<br/>{} · {}\"]",
        q(&g.gateway.name),
        q(&g.gateway.sku),
        q(&g.meta.location)
    ));
    // Capacity per (region, deployment) and the deployment's model line, from the graph's deployments.
    let mut capacity: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    for d in &g.deployments {
        capacity.insert((d.account.as_str(), d.name.as_str()), d.capacity);
    }
    let mut groups: Vec<&[String]> = Vec::new();
    for (i, p) in g.gateway.pools.iter().enumerate() {
        let first = g.deployments.iter().find(|d| d.name == p.deployment);
        let total: u64 = p
            .regions
            .iter()
            .map(|r| {
                u64::from(
                    capacity
                        .get(&(r.as_str(), p.deployment.as_str()))
                        .copied()
                        .unwrap_or(0),
                )
            })
            .sum();
        let n = p.regions.len();
        line(format!(
            "gateway --> pool{i}[\"{}<br/>{} {} · {}<br/>{n} region{} · {total}k TPM\"]",
            q(&p.path),
            q(first.map_or("", |d| d.model.as_str())),
            q(first.map_or("", |d| d.version.as_str())),
            q(first.map_or("", |d| d.sku.as_str())),
            if n == 1 { "" } else { "s" },
        ));
        if summary {
            let k = group_of(&mut groups, &p.regions);
            line(format!("pool{i} --> regions{k}"));
        } else {
            for r in &p.regions {
                let j = g.accounts.iter().position(|a| &a.key == r).unwrap_or(0);
                let c = capacity
                    .get(&(r.as_str(), p.deployment.as_str()))
                    .copied()
                    .unwrap_or(0);
                line(format!("pool{i} -- \"{c}k\" --> account{j}"));
            }
        }
    }
    // Paths that name no deployment (/openai/v1/... with the model in the body) reach the default pool.
    let d = &g.gateway.default_pool;
    line(format!(
        "gateway -- \"other paths\" --> default[\"{}<br/>{} region{}\"]",
        q(&d.name),
        d.regions.len(),
        if d.regions.len() == 1 { "" } else { "s" }
    ));
    if summary {
        let k = group_of(&mut groups, &d.regions);
        line(format!("default --> regions{k}"));
    } else {
        for r in &d.regions {
            let j = g.accounts.iter().position(|a| &a.key == r).unwrap_or(0);
            line(format!("default --> account{j}"));
        }
    }
    if summary {
        for (k, regions) in groups.iter().enumerate() {
            let abbreviations: Vec<String> = regions
                .iter()
                .map(|r| {
                    g.accounts
                        .iter()
                        .find(|a| &a.key == r)
                        .map_or_else(|| q(r), |a| q(&a.abbreviation))
                })
                .collect();
            let rows: Vec<String> = abbreviations
                .chunks(ABBREVIATIONS_PER_LINE)
                .map(|c| c.join(" "))
                .collect();
            line(format!(
                "regions{k}[(\"{} region{}<br/>{}\")]",
                regions.len(),
                if regions.len() == 1 { "" } else { "s" },
                rows.join("<br/>")
            ));
        }
    } else {
        for (j, a) in g.accounts.iter().enumerate() {
            line(format!(
                "account{j}[(\"{}<br/>{}\")]",
                q(&a.name),
                q(&a.location)
            ));
        }
    }
    let longest = body
        .split(['"', '\n'])
        .flat_map(|s| s.split("<br/>"))
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(0);
    let width = (longest * PX_PER_CHAR).max(200);
    let mut out =
        format!("---\nconfig:\n  flowchart:\n    wrappingWidth: {width}\n---\nflowchart LR\n");
    if summary {
        out.push_str(&format!(
            "  %% summary: {} deployments in {} regions; regions are grouped by the pools they serve\n",
            g.deployments.len(),
            g.accounts.len()
        ));
    }
    out.push_str(&body);
    out
}

/// The index of the group node for `regions`, added when no pool drew it yet.
fn group_of<'a>(groups: &mut Vec<&'a [String]>, regions: &'a [String]) -> usize {
    match groups.iter().position(|r| *r == regions) {
        Some(k) => k,
        None => {
            groups.push(regions);
            groups.len() - 1
        }
    }
}

fn region_rows(g: &ResourceGraph) -> Vec<RegionRow> {
    g.accounts
        .iter()
        .map(|a| {
            let deployments: Vec<RegionDeployment> = g
                .deployments
                .iter()
                .filter(|d| d.account == a.key)
                .map(|d| RegionDeployment {
                    deployment: d.name.clone(),
                    model: d.model.clone(),
                    sku: d.sku.clone(),
                    capacity: d.capacity,
                })
                .collect();
            RegionRow {
                region: a.location.clone(),
                display_name: a.location_display.clone(),
                account: a.name.clone(),
                total: deployments.iter().map(|d| u64::from(d.capacity)).sum(),
                deployments,
            }
        })
        .collect()
}

/// Edges of a flowchart as Mermaid counts them (`-->` links, labelled or not).
pub fn edge_count(mermaid: &str) -> usize {
    mermaid.matches("-->").count()
}
