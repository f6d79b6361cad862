//! Semantic checks that need no catalog: networks, listeners, certificates, access, limits.
//!
//! Input: a structurally valid spec. Output: located errors and warnings. Catalog checks (models, versions,
//! regions) run in `catalog::expand`, so one run reports both kinds.

use std::collections::BTreeSet;

use super::Validated;
use super::model::{GatewaySku, NetworkMode};
use super::yaml::{error_at, warning_at};
use crate::diag::Diagnostic;
use crate::net;

/// Application Gateway v2 limits that per-deployment routing runs into (pools, settings, path rules).
pub const MAX_DEPLOYMENTS: usize = 100;

pub fn check(v: &Validated) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_network(v, &mut out);
    check_gateway(v, &mut out);
    check_frontend(v, &mut out);
    check_access(v, &mut out);
    check_misc(v, &mut out);
    super::check_traffic::check(v, &mut out);
    out
}

fn check_network(v: &Validated, out: &mut Vec<Diagnostic>) {
    let s = &v.spans;
    let n = &v.spec.gateway.network;
    let space = match net::parse_cidr(&n.address_space) {
        Ok(sp) => sp,
        Err(e) => {
            out.push(error_at(
                s,
                "invalid-cidr",
                "/gateway/network/address_space",
                e,
            ));
            return;
        }
    };
    let gateway = match &n.gateway_subnet {
        Some(g) => match net::parse_cidr(g) {
            Ok(g) => g,
            Err(e) => {
                out.push(error_at(
                    s,
                    "invalid-cidr",
                    "/gateway/network/gateway_subnet",
                    e,
                ));
                return;
            }
        },
        None => net::default_gateway_subnet(space),
    };
    if !space.contains(&gateway) {
        out.push(
            error_at(
                s,
                "subnet-outside",
                "/gateway/network/gateway_subnet",
                format!("gateway subnet {gateway} is not inside the address space {space}"),
            )
            .with_help(format!(
                "use a subnet of {space}, e.g. {}",
                net::default_gateway_subnet(space)
            )),
        );
    }
    let max = v
        .spec
        .gateway
        .capacity
        .or(v.spec.gateway.autoscale.as_ref().and_then(|a| a.max))
        .unwrap_or(2);
    let usable = net::usable_addresses(gateway);
    let ptr = if n.gateway_subnet.is_some() {
        "/gateway/network/gateway_subnet"
    } else {
        "/gateway/network/address_space"
    };
    if usable < max {
        out.push(error_at(s, "subnet-too-small", ptr, format!("gateway subnet {gateway} has {usable} usable addresses, fewer than the {max} instances the gateway may scale to"))
            .with_help("Application Gateway v2 takes one address per instance; Microsoft recommends a /24"));
    } else if gateway.prefix_len() > 24 {
        out.push(warning_at(s, "subnet-small", ptr, format!("gateway subnet {gateway} is smaller than the /24 Microsoft recommends for Application Gateway v2")));
    }
    match &n.endpoints_subnet {
        Some(e) => match net::parse_cidr(e) {
            Ok(ep) => {
                let p = "/gateway/network/endpoints_subnet";
                if !space.contains(&ep) {
                    out.push(error_at(
                        s,
                        "subnet-outside",
                        p,
                        format!("endpoints subnet {ep} is not inside the address space {space}"),
                    ));
                } else if net::overlaps(ep, gateway) {
                    out.push(error_at(
                        s,
                        "subnet-overlap",
                        p,
                        format!("endpoints subnet {ep} overlaps the gateway subnet {gateway}"),
                    ));
                }
                if v.spec.access.network != NetworkMode::Private {
                    out.push(warning_at(
                        s,
                        "unused-setting",
                        p,
                        "`endpoints_subnet` is only used with `access.network: private`",
                    ));
                }
            }
            Err(err) => out.push(error_at(
                s,
                "invalid-cidr",
                "/gateway/network/endpoints_subnet",
                err,
            )),
        },
        None if v.spec.access.network == NetworkMode::Private
            && net::default_endpoints_subnet(space, gateway).is_none() =>
        {
            out.push(error_at(s, "no-room", "/gateway/network/address_space", format!("the address space {space} has no room for a private-endpoint subnet beside {gateway}"))
                .with_help("widen `address_space` or set `endpoints_subnet`"));
        }
        None => {}
    }
}

fn check_gateway(v: &Validated, out: &mut Vec<Diagnostic>) {
    let s = &v.spans;
    let g = &v.spec.gateway;
    if g.autoscale.is_some() && g.capacity.is_some() {
        out.push(error_at(
            s,
            "conflict",
            "/gateway/capacity",
            "give either `autoscale` or `capacity`, not both",
        ));
    }
    if let Some(a) = &g.autoscale
        && let Some(max) = a.max
        && max < a.min
    {
        out.push(error_at(
            s,
            "autoscale-range",
            "/gateway/autoscale/max",
            format!("autoscale max ({max}) is below min ({})", a.min),
        ));
    }
    if let Some(zones) = &g.zones {
        let mut seen = BTreeSet::new();
        for (i, z) in zones.iter().enumerate() {
            if !(1..=3).contains(z) {
                out.push(error_at(
                    s,
                    "invalid-zone",
                    &format!("/gateway/zones/{i}"),
                    format!("zone {z} does not exist; Azure zones are 1, 2 and 3"),
                ));
            } else if !seen.insert(*z) {
                out.push(error_at(
                    s,
                    "duplicate-zone",
                    &format!("/gateway/zones/{i}"),
                    format!("zone {z} is listed twice"),
                ));
            }
        }
    }
    if g.sku == GatewaySku::StandardV2 && v.given("/gateway/waf") {
        out.push(warning_at(
            s,
            "unused-setting",
            "/gateway/waf",
            "`waf` settings are ignored with `sku: Standard_v2` (no firewall)",
        ));
    }
    for (i, code) in g.routing.health_probe.match_status.iter().enumerate() {
        if !valid_status_range(code) {
            out.push(error_at(
                s,
                "invalid-status",
                &format!("/gateway/routing/health_probe/match_status/{i}"),
                format!("`{code}` is not a status code or range such as 200-399"),
            ));
        }
    }
    if g.routing.health_probe.match_status.is_empty() {
        out.push(error_at(
            s,
            "empty-list",
            "/gateway/routing/health_probe/match_status",
            "`match_status` needs at least one status code or range",
        ));
    }
    for (i, e) in g.waf.exclusions.iter().enumerate() {
        if e.selector.trim().is_empty() {
            out.push(error_at(
                s,
                "empty-value",
                &format!("/gateway/waf/exclusions/{i}/selector"),
                "an exclusion needs a selector",
            ));
        }
    }
}

fn valid_status_range(code: &str) -> bool {
    let parse = |p: &str| p.len() == 3 && p.parse::<u16>().is_ok_and(|n| (100..=599).contains(&n));
    match code.split_once('-') {
        Some((a, b)) => parse(a) && parse(b) && a <= b,
        None => parse(code),
    }
}

fn check_frontend(v: &Validated, out: &mut Vec<Diagnostic>) {
    let s = &v.spans;
    let f = &v.spec.gateway.frontend;
    let Some(https) = &f.https else {
        if f.http == Some(false) {
            out.push(error_at(
                s,
                "no-listener",
                "/gateway/frontend/http",
                "the gateway has no listener: `http` is false and `https` is absent",
            ));
        }
        return;
    };
    let p = "/gateway/frontend/https";
    if https.redirect_http && f.http == Some(true) {
        out.push(error_at(
            s,
            "conflict",
            "/gateway/frontend/http",
            "`http: true` serves plain HTTP, `https.redirect_http: true` redirects it: choose one",
        ));
    }
    match &https.hostname {
        None => out.push(
            error_at(s, "missing-key", p, "`https` needs a `hostname`")
                .with_help("the host name clients use, e.g. ai.contoso.com"),
        ),
        Some(h) if !valid_hostname(h) => out.push(error_at(
            s,
            "invalid-hostname",
            &format!("{p}/hostname"),
            format!("`{h}` is not a DNS host name"),
        )),
        Some(h) => {
            if let Some(zone) = &https.dns_zone {
                let name = match zone {
                    super::model::DnsZoneRef::Create(n) => n.as_str(),
                    super::model::DnsZoneRef::Existing(e) => e.name.as_str(),
                };
                let zp = format!("{p}/dns_zone");
                if !valid_hostname(name) {
                    out.push(error_at(
                        s,
                        "invalid-hostname",
                        &zp,
                        format!("`{name}` is not a DNS zone name"),
                    ));
                } else if !(h == name || h.ends_with(&format!(".{name}"))) {
                    out.push(
                        error_at(
                            s,
                            "zone-mismatch",
                            &zp,
                            format!("DNS zone `{name}` is not a suffix of the host name `{h}`"),
                        )
                        .with_help(
                            h.split_once('.')
                                .map(|(_, z)| format!("did you mean `{z}`?"))
                                .unwrap_or_default(),
                        ),
                    );
                }
            }
        }
    }
    match &https.certificate {
        None => out.push(error_at(s, "missing-key", p, "`https` needs a `certificate`").with_help("`{key_vault_secret_id: https://<vault>.vault.azure.net/secrets/<name>}` or `{pfx_file: cert.pfx}`")),
        Some(c) => {
            let cp = format!("{p}/certificate");
            match (&c.key_vault_secret_id, &c.pfx_file) {
                (Some(_), Some(_)) | (None, None) => out.push(error_at(s, "conflict", &cp, "give exactly one of `key_vault_secret_id` and `pfx_file`")),
                (Some(id), None) => {
                    if crate::graph::naming::key_vault_name(id).is_none() {
                        out.push(error_at(s, "invalid-secret-id", &format!("{cp}/key_vault_secret_id"), format!("`{id}` is not a Key Vault secret ID"))
                            .with_help("expected https://<vault>.vault.azure.net/secrets/<name> (optionally /<version>)"));
                    }
                }
                (None, Some(pfx)) => {
                    let path = v.source.dir.join(pfx);
                    if path.is_dir() {
                        out.push(error_at(s, "not-a-file", &format!("{cp}/pfx_file"), format!("`{pfx}` is a directory, not a PFX file (paths are relative to the spec file)")));
                    } else if !path.is_file() {
                        out.push(error_at(s, "missing-file", &format!("{cp}/pfx_file"), format!("`{pfx}` does not exist (paths are relative to the spec file)")));
                    }
                    if c.key_vault_resource_group.is_some() {
                        out.push(warning_at(s, "unused-setting", &format!("{cp}/key_vault_resource_group"), "`key_vault_resource_group` is only used with `key_vault_secret_id`"));
                    }
                }
            }
        }
    }
}

fn valid_hostname(h: &str) -> bool {
    h.len() <= 253
        && h.contains('.')
        && h.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

fn check_access(v: &Validated, out: &mut Vec<Diagnostic>) {
    let s = &v.spans;
    let a = &v.spec.access;
    for (i, ip) in a.allowed_ips.iter().enumerate() {
        if let Err(e) = net::parse_public(ip) {
            out.push(error_at(
                s,
                "invalid-ip",
                &format!("/access/allowed_ips/{i}"),
                e,
            ));
        }
    }
    if a.network == NetworkMode::Private && !a.allowed_ips.is_empty() {
        // Private mode turns the accounts' public endpoint off: the network ACL these addresses would go to
        // admits nobody, so an operator listed here still cannot reach an account.
        out.push(
            warning_at(
                s,
                "unused-setting",
                "/access/allowed_ips",
                "`allowed_ips` has no effect with `access.network: private`: the accounts' public endpoint is disabled",
            )
            .with_help("reach the accounts through the gateway's network (VPN, peering, a jump host), or use `access.network: firewall`"),
        );
    }
    if a.local_auth {
        out.push(warning_at(s, "local-auth", "/access/local_auth", "`local_auth: true` turns API keys on: anyone with a key bypasses Entra ID and the role assignments")
            .with_help("keep keys off and give callers the openai-user role"));
    }
    let mut seen = BTreeSet::new();
    for (i, r) in a.role_assignments.iter().enumerate() {
        let p = format!("/access/role_assignments/{i}");
        if !is_guid(&r.principal_id) {
            out.push(error_at(s, "invalid-guid", &format!("{p}/principal_id"), format!("`{}` is not an object ID (a GUID such as 00000000-0000-0000-0000-000000000000)", r.principal_id)));
        } else if !seen.insert((r.principal_id.to_ascii_lowercase(), r.role)) {
            out.push(error_at(
                s,
                "duplicate-role-assignment",
                &p,
                format!(
                    "principal {} already has the role {}",
                    r.principal_id,
                    r.role.key()
                ),
            ));
        }
    }
}

pub fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn check_misc(v: &Validated, out: &mut Vec<Diagnostic>) {
    let s = &v.spans;
    if v.spec.models.len() > MAX_DEPLOYMENTS {
        out.push(error_at(s, "too-many-deployments", "/models", format!("{} models exceed Application Gateway v2's limit of {MAX_DEPLOYMENTS} backend pools and path rules", v.spec.models.len())));
    }
    for (k, val) in &v.spec.tags {
        let p = format!("/tags/{}", super::yaml::escape_pointer(k));
        if k.is_empty()
            || k.chars().count() > 512
            || k.contains(['<', '>', '%', '&', '\\', '?', '/'])
        {
            out.push(error_at(
                s,
                "invalid-tag",
                &format!("{p}#key"),
                format!("tag name `{k}` is not allowed: 1-512 characters without < > % & \\ ? /"),
            ));
        }
        if val.chars().count() > 256 {
            out.push(error_at(
                s,
                "invalid-tag",
                &p,
                format!("the value of tag `{k}` is longer than 256 characters"),
            ));
        }
    }
    let t = &v.spec.accounts.timeouts;
    for (field, value) in [
        ("create", &t.create),
        ("update", &t.update),
        ("delete", &t.delete),
    ] {
        let at = format!("/accounts/timeouts/{field}");
        match duration_seconds(value) {
            _ if value.is_empty() => out.push(error_at(
                s,
                "invalid-duration",
                &at,
                "a timeout needs a duration such as `60m`",
            )),
            Some(0) => out.push(
                error_at(
                    s,
                    "invalid-duration",
                    &at,
                    format!("`{value}` is no time at all: every {field} would time out at once"),
                )
                .with_help("give a duration such as `60m`"),
            ),
            Some(n) if n <= MAX_DURATION_SECONDS => {}
            _ => out.push(
                error_at(
                    s,
                    "invalid-duration",
                    &at,
                    format!("`{value}` is longer than Terraform can represent (about 292 years)"),
                )
                .with_help("give a duration such as `60m`"),
            ),
        }
    }
    if let Some(d) = &v.spec.diagnostics {
        match (&d.log_analytics, &d.workspace_id) {
            (Some(_), Some(_)) | (None, None) => out.push(error_at(s, "conflict", "/diagnostics", "give exactly one of `log_analytics` and `workspace_id`")),
            (None, Some(id)) if !is_workspace_id(id) => out.push(error_at(s, "invalid-resource-id", "/diagnostics/workspace_id", format!("`{id}` is not a Log Analytics workspace resource ID"))
                .with_help("/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>")),
            _ => {}
        }
    }
}

/// Terraform reads timeouts with Go's `time.ParseDuration`, whose durations end at 2^63-1 nanoseconds.
const MAX_DURATION_SECONDS: u64 = 9_223_372_036;

/// Seconds in a duration of the schema's shape (`1h30m`, `90s`); `None` when it overflows.
fn duration_seconds(d: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let mut number: u64 = 0;
    for c in d.chars() {
        if let Some(digit) = c.to_digit(10) {
            number = number.checked_mul(10)?.checked_add(u64::from(digit))?;
            continue;
        }
        let unit = match c {
            'h' => 3600,
            'm' => 60,
            _ => 1, // `s`: the schema's pattern allows nothing else
        };
        total = total.checked_add(number.checked_mul(unit)?)?;
        number = 0;
    }
    Some(total)
}

fn is_workspace_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('/').collect();
    parts.len() == 9
        && parts[0].is_empty()
        && parts[1].eq_ignore_ascii_case("subscriptions")
        && is_guid(parts[2])
        && parts[3].eq_ignore_ascii_case("resourceGroups")
        && parts[5].eq_ignore_ascii_case("providers")
        && parts[6].eq_ignore_ascii_case("Microsoft.OperationalInsights")
        && parts[7].eq_ignore_ascii_case("workspaces")
        && !parts[8].is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_and_status_codes() {
        assert!(is_guid("5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"));
        assert!(!is_guid("5e0bd9bd-7b93-4f28-af87"));
        assert!(valid_status_range("200-399"));
        assert!(valid_status_range("200"));
        assert!(!valid_status_range("399-200"));
        assert!(!valid_status_range("2xx"));
    }

    #[test]
    fn hostnames() {
        assert!(valid_hostname("ai.contoso.com"));
        assert!(!valid_hostname("AI.contoso.com"));
        assert!(!valid_hostname("contoso"));
        assert!(!valid_hostname("-a.contoso.com"));
    }

    /// Go's largest duration is 2562047h47m16.854775807s (`1<<63 - 1` ns, Go's src/time/time.go): whole
    /// seconds up to it are accepted, one more is not.
    #[test]
    fn durations_count_seconds_up_to_gos_limit() {
        assert_eq!(duration_seconds("1h30m"), Some(5400));
        assert_eq!(duration_seconds("90s"), Some(90));
        assert_eq!(duration_seconds("0h0m0s"), Some(0));
        assert_eq!(
            duration_seconds("2562047h47m16s"),
            Some(MAX_DURATION_SECONDS)
        );
        assert_eq!(
            duration_seconds("2562047h47m17s"),
            Some(MAX_DURATION_SECONDS + 1)
        );
        assert_eq!(duration_seconds("99999999999999999999h"), None);
    }
}
