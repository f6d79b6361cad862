//! Traffic facts of the plan (part of pipeline stage 3): which APIs each deployment answers, how long the
//! gateway waits for it, whether its model is gated, and which accounts answer paths that name no
//! deployment.
//!
//! Input: the expanded deployments, the validated spec and the capability data. Output: those facts set on
//! the `PlannedDeployment`s, the plan's `BareRoute`, and located warnings (gated models, timeouts beyond
//! Application Gateway's limit for backends outside its network, a bare route that misses deployments).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::Catalog;
use super::capabilities::{Api, CapabilityCatalog, Gating, Stated};
use super::expand::PlannedDeployment;
use crate::diag::Diagnostic;
use crate::spec::Validated;
use crate::spec::model::NetworkMode;
use crate::spec::yaml::warning_at;

/// Application Gateway's maximum request timeout to a backend outside its virtual network (an account's
/// public endpoint), per the Application Gateway limits table: "Request timeout maximum to external
/// backend: 4 minutes"; private backends allow 24 hours.
pub const EXTERNAL_BACKEND_TIMEOUT_MAX: u32 = 240;

/// An API a deployment answers, with what the gateway and the examples need to know of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedApi {
    /// `chat_completions`, `responses`, ...
    pub api: String,
    /// Path after `/openai/v1/`.
    pub v1_path: String,
    /// Calls can refer to state kept in one account.
    pub stateful: bool,
}

/// What paths without a deployment name (`/openai/v1/...`, `/openai/files`, ...) reach.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BareRoute {
    /// Accounts (regions) behind those paths, sorted: they all serve the same deployments.
    pub regions: Vec<String>,
    /// Deployments every one of those accounts serves, sorted.
    pub deployments: Vec<String>,
    /// Deployments those accounts do not serve, sorted: reachable only under `/d/<deployment>/`.
    pub lacking: Vec<String>,
}

/// Sets APIs, timeout and gating on deployment `i` of the spec: the APIs the spec states for an `unlisted`
/// model, else those an overlay recorded where it runs, else the capability data's.
pub fn settle(
    d: &mut PlannedDeployment,
    i: usize,
    v: &Validated,
    catalog: &Catalog,
    caps: &CapabilityCatalog,
) {
    let m = &v.spec.models[i];
    let listed = listed_apis(catalog, d);
    let stated = Stated {
        spec: m.apis.as_deref().filter(|_| m.unlisted),
        overlay: listed.as_deref(),
    };
    let c = caps.for_deployment(&d.model, &d.kind, stated);
    d.apis = c
        .apis
        .iter()
        .map(|a| PlannedApi {
            api: a.as_str().to_string(),
            v1_path: caps.v1_path(*a).to_string(),
            stateful: caps.stateful(*a),
        })
        .collect();
    d.gating = c.gating.clone();
    let own = v.spec.models[i].request_timeout;
    let gateway_wide = v.spec.gateway.routing.request_timeout;
    let public = v.spec.access.network == NetworkMode::Firewall;
    (d.request_timeout, d.timeout_from) = match (own, gateway_wide) {
        (Some(t), _) => (t, format!("/models/{i}/request_timeout")),
        (None, Some(t)) => (t, "/gateway/routing/request_timeout".to_string()),
        // A default above what the gateway can wait for a public endpoint would only pretend.
        (None, None) if public && c.timeout_seconds > EXTERNAL_BACKEND_TIMEOUT_MAX => (
            EXTERNAL_BACKEND_TIMEOUT_MAX,
            format!(
                "catalog: {} family ({} s), capped for public endpoints",
                c.timeout_family, c.timeout_seconds
            ),
        ),
        (None, None) => (
            c.timeout_seconds,
            format!("catalog: {} family", c.timeout_family),
        ),
    };
}

/// The APIs an overlay recorded for the deployment's version in its regions: those listed by every region
/// that records any (a call may be balanced to each of them), in the first one's order. `None` when none of
/// its regions comes from an overlay that recorded APIs.
fn listed_apis(catalog: &Catalog, d: &PlannedDeployment) -> Option<Vec<Api>> {
    let v = catalog.models.get(&d.model)?.versions.get(&d.version)?;
    let mut sets = d.regions.iter().filter_map(|r| v.region_apis.get(&r.name));
    let first = sets.next()?;
    let rest: Vec<&Vec<Api>> = sets.collect();
    Some(
        first
            .iter()
            .copied()
            .filter(|a| rest.iter().all(|s| s.contains(a)))
            .collect(),
    )
}

/// The accounts behind paths that name no deployment: those serving every deployment; else the group of
/// accounts with the same, largest set of deployments (ties: the group serving the spec's first
/// deployment, then the first by region name). Never a pool whose accounts serve different models.
pub fn bare_route(deployments: &[PlannedDeployment]) -> BareRoute {
    let mut served: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for d in deployments {
        for r in &d.regions {
            served
                .entry(r.name.clone())
                .or_default()
                .insert(d.name.clone());
        }
    }
    let mut groups: BTreeMap<BTreeSet<String>, Vec<String>> = BTreeMap::new();
    for (region, set) in served {
        groups.entry(set).or_default().push(region);
    }
    let first = deployments.first().map(|d| d.name.as_str());
    let Some((set, regions)) = groups.into_iter().max_by(|(a, ra), (b, rb)| {
        a.len()
            .cmp(&b.len())
            .then_with(|| {
                let has = |s: &BTreeSet<String>| first.is_some_and(|f| s.contains(f));
                has(a).cmp(&has(b))
            })
            // max_by keeps the last of equals: prefer the first region name by reversing.
            .then_with(|| rb.cmp(ra))
    }) else {
        return BareRoute::default();
    };
    let mut lacking: Vec<String> = deployments
        .iter()
        .filter(|d| !set.contains(&d.name))
        .map(|d| d.name.clone())
        .collect();
    lacking.sort();
    BareRoute {
        regions,
        deployments: set.into_iter().collect(),
        lacking,
    }
}

/// Warnings about the planned traffic.
pub fn warnings(
    v: &Validated,
    deployments: &[PlannedDeployment],
    bare: &BareRoute,
) -> Vec<Diagnostic> {
    let s = &v.spans;
    let mut out = Vec::new();
    for d in deployments {
        if let Some(Gating { kind, url, .. }) = &d.gating {
            out.push(
                warning_at(
                    s,
                    "gated-model",
                    &format!("{}/model", d.pointer),
                    format!(
                        "{} {}: the deployment fails without it",
                        d.model,
                        kind.describe()
                    ),
                )
                .with_help(format!("apply or check your tier first: {url}")),
            );
        }
    }
    if v.spec.access.network == NetworkMode::Firewall {
        // Only timeouts the spec asks for: catalog defaults are capped in `settle`.
        let over: Vec<&PlannedDeployment> = deployments
            .iter()
            .filter(|d| d.request_timeout > EXTERNAL_BACKEND_TIMEOUT_MAX)
            .collect();
        if let Some(first) = over.first() {
            let list: Vec<String> = over
                .iter()
                .map(|d| format!("{} ({} s)", d.name, d.request_timeout))
                .collect();
            let at = first.timeout_from.clone();
            out.push(warning_at(s, "timeout-over-external-limit", &at, format!(
                "Application Gateway waits at most {EXTERNAL_BACKEND_TIMEOUT_MAX} s for a backend outside its network, and the accounts are reached at their public endpoints: {} will be cut off after {EXTERNAL_BACKEND_TIMEOUT_MAX} s without a byte", list.join(", ")))
                .with_help("stream long answers (only the pause between two events counts), use background mode for pro models, or set `access.network: private` (private endpoints allow up to 24 hours)"));
        }
    }
    if !bare.lacking.is_empty() {
        out.push(warning_at(s, "partial-default-route", "/models", format!(
            "paths that name no deployment (/openai/v1/..., /openai/files, ...) reach {}, which serve{} {} but not {}",
            bare.regions.join(", "),
            if bare.regions.len() == 1 { "s" } else { "" },
            bare.deployments.join(", "),
            bare.lacking.join(", ")))
            .with_help("call every deployment at https://<gateway>/d/<deployment>/openai/v1/ (base_url of the OpenAI SDK), or deploy every model in one region"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Lifecycle;
    use crate::catalog::expand::PlannedRegion;
    use crate::spec::model::{DeploymentSku, VersionUpgrade};

    fn dep(name: &str, regions: &[&str]) -> PlannedDeployment {
        PlannedDeployment {
            name: name.into(),
            model: name.into(),
            kind: "chat".into(),
            version: "1".into(),
            sku: DeploymentSku::GlobalStandard,
            lifecycle: Lifecycle::Ga,
            retirement_date: None,
            version_upgrade: VersionUpgrade::OnNewDefault,
            content_filter: None,
            regions: regions
                .iter()
                .map(|r| PlannedRegion {
                    name: r.to_string(),
                    display_name: r.to_string(),
                    abbreviation: "x".into(),
                    capacity: 1,
                    default_quota: None,
                    default_from: "catalog",
                    max_capacity: None,
                    quota_scope: r.to_string(),
                })
                .collect(),
            pointer: "/models/0".into(),
            apis: vec![],
            gating: None,
            request_timeout: 300,
            timeout_from: String::new(),
        }
    }

    #[test]
    fn bare_route_prefers_accounts_serving_everything() {
        let ds = [
            dep("a", &["x", "y", "z"]),
            dep("b", &["y", "z"]),
            dep("c", &["z", "y"]),
        ];
        let b = bare_route(&ds);
        assert_eq!(b.regions, ["y", "z"]);
        assert_eq!(b.deployments, ["a", "b", "c"]);
        assert!(b.lacking.is_empty());
    }

    #[test]
    fn bare_route_never_mixes_accounts_with_different_models() {
        // No account serves all three: the largest identical group, ties broken by the spec's first model.
        let ds = [
            dep("a", &["fr", "se"]),
            dep("b", &["au"]),
            dep("c", &["ca"]),
        ];
        let b = bare_route(&ds);
        assert_eq!(b.regions, ["fr", "se"]);
        assert_eq!(b.deployments, ["a"]);
        assert_eq!(b.lacking, ["b", "c"]);
        let ds = [
            dep("a", &["se"]),
            dep("b", &["fr", "se"]),
            dep("c", &["fr"]),
        ];
        let b = bare_route(&ds);
        // fr {b, c} and se {a, b} both serve two; se serves the first deployment.
        assert_eq!(b.regions, ["se"]);
        assert_eq!(b.lacking, ["c"]);
    }

    #[test]
    fn bare_route_ties_go_to_the_first_region_name() {
        let ds = [dep("a", &["se"]), dep("b", &["fr"])];
        // Neither group is larger; se serves the spec's first deployment.
        assert_eq!(bare_route(&ds).regions, ["se"]);
        let ds = [
            dep("a", &["se", "fr"]),
            dep("b", &["de"]),
            dep("c", &["at"]),
        ];
        assert_eq!(bare_route(&ds).regions, ["fr", "se"]);
        let ds = [dep("a", &["se"]), dep("a2", &["fr"])];
        assert_eq!(bare_route(&ds).regions, ["se"]);
    }
}
