//! Human views of a resource graph: the capacity and routing table and the Mermaid diagram, shared by
//! `aoaigen plan` and the generated READMEs.
//!
//! Input: a `ResourceGraph`. Output: plain data rows and diagram text; no decisions, only arithmetic over
//! the graph (the totals are sums of the graph's deployments).

use serde::Serialize;

use crate::graph::ResourceGraph;

/// One deployment across its regions.
#[derive(Debug, Clone, Serialize)]
pub struct CapacityRow {
    pub deployment: String,
    pub model: String,
    pub version: String,
    pub sku: String,
    /// `swedencentral 100, uksouth 50`.
    pub regions: String,
    pub region_count: usize,
    /// Sum over the regions, thousands of tokens per minute.
    pub total: u64,
    /// Catalog lifecycle of the model version on the planning date (`GA`, `Legacy`, ...).
    pub lifecycle: String,
    /// Published retirement date of the model version, where the catalog has one.
    pub retirement_date: Option<String>,
}

/// Capacity rows in deployment-name order.
pub fn capacity_rows(g: &ResourceGraph) -> Vec<CapacityRow> {
    g.gateway
        .pools
        .iter()
        .map(|p| {
            let ds: Vec<_> = g
                .deployments
                .iter()
                .filter(|d| d.name == p.deployment)
                .collect();
            let first = ds.first();
            CapacityRow {
                deployment: p.deployment.clone(),
                model: first.map(|d| d.model.clone()).unwrap_or_default(),
                version: first.map(|d| d.version.clone()).unwrap_or_default(),
                sku: first.map(|d| d.sku.clone()).unwrap_or_default(),
                regions: ds
                    .iter()
                    .map(|d| format!("{} {}", d.account, d.capacity))
                    .collect::<Vec<_>>()
                    .join(", "),
                region_count: ds.len(),
                total: ds.iter().map(|d| u64::from(d.capacity)).sum(),
                lifecycle: first.map(|d| d.lifecycle.clone()).unwrap_or_default(),
                retirement_date: first.and_then(|d| d.retirement_date.clone()),
            }
        })
        .collect()
}

/// The Mermaid diagram (full or summarised by size): see `crate::diagram`.
pub use crate::diagram::mermaid;

/// An empty table in plan's style; colour only when `color` (a terminal).
fn new_table(color: bool) -> comfy_table::Table {
    use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    if !color {
        t.force_no_tty();
    } else {
        t.enforce_styling();
    }
    t
}

/// The capacity and routing table printed by `aoaigen plan`; colour only when `color` (a terminal).
pub fn table(g: &ResourceGraph, color: bool) -> String {
    use comfy_table::{Cell, CellAlignment, Color};
    let mut t = new_table(color);
    t.set_header(vec![
        "deployment",
        "model",
        "version",
        "SKU",
        "path",
        "regions (k TPM)",
        "total k TPM",
        "retires",
    ]);
    let rows = capacity_rows(g);
    for r in &rows {
        let path = format!("/openai/deployments/{}/*", r.deployment);
        let mut total = Cell::new(r.total).set_alignment(CellAlignment::Right);
        if color {
            total = total.fg(Color::Green);
        }
        t.add_row(vec![
            Cell::new(&r.deployment),
            Cell::new(&r.model),
            Cell::new(&r.version),
            Cell::new(&r.sku),
            Cell::new(path),
            Cell::new(&r.regions),
            total,
            Cell::new(retirement_cell(r)),
        ]);
    }
    let mut out = format!(
        "{} -> {} ({}), {} account(s)\n",
        g.meta.name,
        g.gateway.name,
        g.meta.location,
        g.accounts.len()
    );
    out.push_str(&t.to_string());
    out.push('\n');
    let d = &g.gateway.default_pool;
    out.push_str(&format!(
        "v1 route: /d/<deployment>/openai/v1/...; paths without a deployment name reach {} ({})\n",
        d.name,
        d.regions.join(", ")
    ));
    if !d.lacking.is_empty() {
        out.push_str(&format!(
            "  which lack {}: call those under /d/<deployment>/openai/v1/\n",
            d.lacking.join(", ")
        ));
    }
    out.push_str(&quota_table(g, color));
    out
}

/// Capacity asked per quota pool (a region, or the subscription or data zone where the catalog says the
/// pool is shared), SKU and model next to the catalog's default quota, so over-asks show before deploying (the subscription's real quota is what `scripts/preflight.sh` checks).
pub fn quota_table(g: &ResourceGraph, color: bool) -> String {
    use comfy_table::{Cell, CellAlignment, Color};
    let mut t = new_table(color);
    t.set_header(vec![
        "quota pool",
        "SKU",
        "model",
        "asked k TPM",
        "default quota k TPM",
        "note",
    ]);
    let mut from_overlay = false;
    for q in &g.quota {
        let overlay = q.default_from == "overlay" && q.default_quota.is_some();
        from_overlay |= overlay;
        let quota = match q.default_quota {
            None => "unknown".to_string(),
            Some(d) if overlay => format!("{d} (overlay default capacity)"),
            Some(d) => d.to_string(),
        };
        let above = q
            .asked
            .saturating_sub(u64::from(q.default_quota.unwrap_or(0)));
        let mut note = Cell::new(match (q.over, overlay) {
            (false, _) => String::new(),
            (true, false) => format!("over by {above}"),
            (true, true) => format!("{above} above default capacity"),
        });
        if color && q.over {
            note = note.fg(Color::Yellow);
        }
        let pool = if q.regions.len() == 1 && q.regions[0] == q.scope {
            q.scope.clone()
        } else {
            format!("{} ({})", q.scope, q.regions.join(" "))
        };
        t.add_row(vec![
            Cell::new(pool),
            Cell::new(&q.sku),
            Cell::new(&q.model),
            Cell::new(q.asked).set_alignment(CellAlignment::Right),
            Cell::new(quota).set_alignment(CellAlignment::Right),
            note,
        ]);
    }
    let legend = if from_overlay {
        "overlay default capacity: what Azure's model list gives a new deployment (`capacity.default`), not a \
         quota; scripts/preflight.sh checks the subscription's quota\n"
    } else {
        ""
    };
    format!(
        "quota per pool, SKU and model ({}):\n{t}\n{legend}",
        crate::pipeline::describe_layers(&g.meta.catalogs)
    )
}

/// The table's retirement cell: the published date (or `not published`), with the lifecycle when it is
/// not GA, e.g. `2026-12-01 (Legacy)`.
fn retirement_cell(r: &CapacityRow) -> String {
    let date = r.retirement_date.as_deref().unwrap_or("not published");
    if r.lifecycle.is_empty() || r.lifecycle == "GA" {
        date.to_string()
    } else {
        format!("{date} ({})", r.lifecycle)
    }
}
