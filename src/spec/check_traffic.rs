//! Semantic checks about the traffic the gateway will carry: deployment names that break the routing
//! scheme, APIs stated for a model the catalog knows, tokens sent in clear text, nobody allowed to call,
//! WAF exclusion counts.
//!
//! Input: a structurally valid spec. Output: located errors and warnings (run with `check::check`).

use super::Validated;
use super::model::GatewaySku;
use super::yaml::{error_at, warning_at};
use crate::diag::Diagnostic;

/// Application Gateway's limit of WAF exclusions with CRS 3.2 or DRS (Application Gateway limits table).
pub const MAX_WAF_EXCLUSIONS: usize = 200;

pub fn check(v: &Validated, out: &mut Vec<Diagnostic>) {
    let s = &v.spans;
    for (i, m) in v.spec.models.iter().enumerate() {
        let (name, at) = match &m.deployment {
            Some(d) => (d.as_str(), format!("/models/{i}/deployment")),
            None => (m.model.as_str(), format!("/models/{i}/model")),
        };
        // The name ends the gateway's pool and path-rule names (`pool-<deployment>`), and Microsoft.Network
        // names must end with a letter, digit or underscore.
        if name.ends_with(['.', '-']) {
            out.push(
                error_at(
                    s,
                    "deployment-name-breaks-routing",
                    &at,
                    format!("deployment name `{name}` ends with `{}`: the gateway's pool and path rule named after it would be refused (Application Gateway names end with a letter, digit or underscore)", &name[name.len() - 1..]),
                )
                .with_help(format!("set `deployment` to a name ending with a letter or digit, e.g. `{}`", name.trim_end_matches(['.', '-']))),
            );
        }
    }
    for (i, m) in v.spec.models.iter().enumerate() {
        if m.apis.is_some() && !m.unlisted {
            out.push(
                error_at(s, "apis-without-unlisted", &format!("/models/{i}/apis"), format!("`apis` states what an `unlisted` model answers; the catalog records what {} answers", m.model))
                    .with_help("remove `apis`, or set `unlisted: true` for a model or version the catalog does not list"),
            );
        }
    }
    let f = &v.spec.gateway.frontend;
    if f.https.is_none() && f.http != Some(false) {
        out.push(
            located(v, "http-only", &["/gateway/frontend/http", "/gateway/frontend", "/gateway"], "the gateway listens on plain HTTP only: every caller's Entra ID bearer token crosses the network in clear text and can be replayed by anyone who sees it")
                .with_help("add `gateway.frontend.https` with a host name and a certificate (and `redirect_http: true`)"),
        );
    }
    let a = &v.spec.access;
    if a.role_assignments.is_empty() && !a.assign_deployer {
        out.push(
            located(v, "no-callers", &["/access/assign_deployer", "/access"], "no principal gets a role on the accounts and API keys are off: nobody can call the gateway")
                .with_help("list callers under `access.role_assignments`, or keep `access.assign_deployer: true`"),
        );
    }
    let w = &v.spec.gateway.waf;
    let builtin = if w.prompt_exclusions {
        crate::graph::PROMPT_FIELDS.len()
    } else {
        0
    };
    if v.spec.gateway.sku == GatewaySku::WafV2 && w.exclusions.len() + builtin > MAX_WAF_EXCLUSIONS
    {
        out.push(error_at(s, "too-many-exclusions", "/gateway/waf/exclusions", format!(
            "{} exclusions (and {builtin} prompt exclusions) exceed Application Gateway's limit of {MAX_WAF_EXCLUSIONS}", w.exclusions.len())));
    }
    let r = &v.spec.gateway.routing;
    if r.fast_retry == Some(true) && r.cookie_affinity {
        out.push(
            warning_at(s, "fast-retry-without-effect", "/gateway/routing/fast_retry", "`fast_retry` has no effect with `cookie_affinity: true`: a retry carries the cookie back to the account that throttled it")
                .with_help("turn `cookie_affinity` off; stateful calls keep affinity through `stateful_affinity`"),
        );
    }
}

/// A warning at the first of `pointers` the spec writes; about the spec's defaults (no span) when it writes
/// none of them, rather than underlining the whole file.
fn located(v: &Validated, code: &'static str, pointers: &[&str], message: &str) -> Diagnostic {
    match pointers.iter().find(|p| v.given(p)) {
        Some(at) => warning_at(&v.spans, code, at, message),
        None => Diagnostic::warning(code, super::yaml::format_path(pointers[0]), message),
    }
}
