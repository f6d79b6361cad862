//! What the project asks of the subscription, settled for `aoaigen plan` and `scripts/preflight.sh`.
//!
//! Input: the `Plan` and the accounts and role assignments the graph builds. Output: the capacity asked per
//! region, SKU and model next to the catalog's default quota (`QuotaRow`), and the facts the preflight
//! script checks live (`Preflight`). Nothing here talks to Azure.

use serde::Serialize;

use crate::catalog::expand::Plan;

/// Capacity the spec asks for one model and SKU from one quota pool: a region's own, or one the catalog
/// says the subscription (or a data zone) shares.
#[derive(Debug, Clone, Serialize)]
pub struct QuotaRow {
    /// The region's name, `subscription`, or `<zone> data zone`.
    pub scope: String,
    /// The regions drawing on the pool, sorted.
    pub regions: Vec<String>,
    pub sku: String,
    pub model: String,
    /// Sum over the deployments of this model and SKU drawing on the pool, thousands of tokens per minute.
    pub asked: u64,
    /// The catalog's default quota of the pool, where it knows one; see `default_from`.
    pub default_quota: Option<u32>,
    /// `catalog` (a default quota) or `overlay` (Azure's default capacity of a new deployment, from an
    /// imported model list: not a quota).
    pub default_from: &'static str,
    /// `asked` exceeds `default_quota`: the subscription needs more than the default.
    pub over: bool,
}

/// Sorted by scope, SKU and model.
pub fn quota_rows(plan: &Plan) -> Vec<QuotaRow> {
    let mut rows: Vec<QuotaRow> = Vec::new();
    for d in &plan.deployments {
        for r in &d.regions {
            let sku = d.sku.as_str();
            match rows
                .iter_mut()
                .find(|q| q.scope == r.quota_scope && q.sku == sku && q.model == d.model)
            {
                Some(q) => {
                    q.asked += u64::from(r.capacity);
                    if q.default_quota.is_none() {
                        (q.default_quota, q.default_from) = (r.default_quota, r.default_from);
                    }
                    if !q.regions.contains(&r.name) {
                        q.regions.push(r.name.clone());
                        q.regions.sort();
                    }
                }
                None => rows.push(QuotaRow {
                    scope: r.quota_scope.clone(),
                    regions: vec![r.name.clone()],
                    sku: sku.to_string(),
                    model: d.model.clone(),
                    asked: u64::from(r.capacity),
                    default_quota: r.default_quota,
                    default_from: r.default_from,
                    over: false,
                }),
            }
        }
    }
    for q in &mut rows {
        q.over = q.default_quota.is_some_and(|d| q.asked > u64::from(d));
    }
    rows.sort_by(|a, b| (&a.scope, &a.sku, &a.model).cmp(&(&b.scope, &b.sku, &b.model)));
    rows
}

/// Facts `scripts/preflight.sh` needs besides the accounts and deployments themselves.
#[derive(Debug, Clone, Serialize)]
pub struct Preflight {
    /// Resource group of the accounts: where the role assignments go.
    pub resource_group: String,
    /// Deploying creates role assignments, so the deploying identity needs
    /// `Microsoft.Authorization/roleAssignments/write`.
    pub creates_role_assignments: bool,
}
