//! Expansion of a validated spec through the catalog (pipeline stage 3).
//!
//! Input: `Validated` spec, the `Catalog`, today's date. Output: a `Plan` in which every model is resolved
//! to a deployment name, version, SKU, lifecycle and a capacity per region; plus located diagnostics for
//! every unknown name (with did-you-mean), retired or deprecated version, and region that lacks the model.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use super::capabilities::{self, Gating};
use super::successor::Suggestion;
use super::traffic::{self, BareRoute, PlannedApi};
use super::{AzureRegion, Catalog, Lifecycle, SkuEntry, VersionEntry};
use crate::diag::Diagnostic;
use crate::spec::Validated;
use crate::spec::model::{DeploymentSku, ModelSpec, RawSpec, VersionUpgrade};
use crate::spec::yaml::{SpanMap, error_at, warning_at};
use crate::suggest::did_you_mean;

mod regions;

pub(in crate::catalog) use regions::expand_regions;
use regions::suggest_region;

/// Capacity used when the catalog publishes no default quota for a model and SKU: small enough to fit any
/// paid subscription's quota, and flagged so the author sets a real figure.
pub const FALLBACK_CAPACITY: u32 = 10;

/// The spec with every catalog fact settled.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    #[serde(skip)]
    pub spec: RawSpec,
    /// The spec's file name (not the path as typed), for headers and READMEs.
    pub spec_name: String,
    pub location: AzureRegion,
    pub deployments: Vec<PlannedDeployment>,
    pub catalog_date: String,
    /// The catalog's layers (embedded data, overlays), as every command reports them.
    pub catalogs: Vec<super::CatalogLayer>,
    /// Every Azure OpenAI region as `(name, abbreviation)`, sorted: the purge script's matching table.
    pub openai_regions: Vec<(String, String)>,
    /// What paths without a deployment name reach.
    pub bare_route: BareRoute,
}

/// One deployment name and where it runs.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedDeployment {
    pub name: String,
    pub model: String,
    pub kind: String,
    pub version: String,
    pub sku: DeploymentSku,
    pub lifecycle: Lifecycle,
    pub retirement_date: Option<String>,
    pub version_upgrade: VersionUpgrade,
    pub content_filter: Option<String>,
    /// In the order the spec lists them, or catalog order when the spec lists none.
    pub regions: Vec<PlannedRegion>,
    /// JSON pointer of the spec's model entry (`/models/<i>`), for located messages.
    pub pointer: String,
    /// APIs the model answers (capability data, or its kind's defaults).
    pub apis: Vec<PlannedApi>,
    /// Registration or quota tier the model needs, where the capability data records one.
    pub gating: Option<Gating>,
    /// Seconds the gateway waits for an answer.
    pub request_timeout: u32,
    /// Where the timeout comes from: a spec pointer, or `catalog: <family> family`.
    pub timeout_from: String,
}

/// A region serving a deployment.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedRegion {
    pub name: String,
    pub display_name: String,
    pub abbreviation: String,
    /// Thousands of tokens per minute.
    pub capacity: u32,
    /// The catalog's default quota for this model, version and SKU here, where it knows one; see
    /// `default_from`.
    pub default_quota: Option<u32>,
    /// `catalog` (`default_quota` is the embedded catalog's default quota) or `overlay` (it is Azure's
    /// default capacity of a new deployment, `capacity.default` in the imported model list: not a quota).
    pub default_from: &'static str,
    /// The largest capacity one deployment may have here, where an imported overlay gave it.
    pub max_capacity: Option<u32>,
    /// Who shares the quota pool this capacity draws on: the region's name, `subscription`, or
    /// `<zone> data zone`, as the catalog knows the SKU's pool.
    pub quota_scope: String,
}

/// Expands with the spec's own retirement horizon.
pub fn expand(v: &Validated, catalog: &Catalog, today: Date) -> (Option<Plan>, Vec<Diagnostic>) {
    expand_with(v, catalog, today, None)
}

/// Expands; `horizon_days` (from the command line) replaces the spec's `retirement_horizon`.
pub fn expand_with(
    v: &Validated,
    catalog: &Catalog,
    today: Date,
    horizon_days: Option<u32>,
) -> (Option<Plan>, Vec<Diagnostic>) {
    let s = &v.spans;
    let horizon = horizon_days.unwrap_or_else(|| {
        super::horizon::parse_days(&v.spec.retirement_horizon)
            .unwrap_or(super::horizon::DEFAULT_DAYS)
    });
    let ctx = Ctx {
        s,
        catalog,
        today,
        horizon,
    };
    let mut diags = Vec::new();
    let location = match catalog.azure_region(&v.spec.location) {
        Some(r) => Some(r.clone()),
        None => {
            let d = error_at(
                s,
                "unknown-region",
                "/location",
                format!("unknown Azure region `{}`", v.spec.location),
            );
            diags.push(suggest_region(
                d,
                &v.spec.location,
                catalog.azure_regions.iter().map(|r| r.name.as_str()),
            ));
            None
        }
    };
    if let (Some(loc), Some(zones)) = (&location, &v.spec.gateway.zones)
        && !zones.is_empty()
        && !loc.availability_zones
    {
        diags.push(
            error_at(
                s,
                "no-zones",
                "/gateway/zones",
                format!("{} has no availability zones", loc.display_name),
            )
            .with_help("remove `zones` or set `zones: []`"),
        );
    }
    let mut deployments = Vec::new();
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    for (i, m) in v.spec.models.iter().enumerate() {
        let p = format!("/models/{i}");
        let name = m.deployment.clone().unwrap_or_else(|| m.model.clone());
        if let Some(first) = names.insert(name.to_ascii_lowercase(), i) {
            let at = if m.deployment.is_some() {
                format!("{p}/deployment")
            } else {
                format!("{p}/model")
            };
            diags.push(error_at(s, "duplicate-deployment", &at, format!("deployment `{name}` is already defined by models[{first}]"))
                .with_help("deployment names are URL path segments and must be unique; set `deployment` to tell them apart"));
        }
        if let Some(mut d) = expand_model(m, &p, name, &ctx, &mut diags) {
            traffic::settle(&mut d, i, v, catalog, capabilities::embedded());
            deployments.push(d);
        }
    }
    let bare_route = traffic::bare_route(&deployments);
    if !diags.iter().any(Diagnostic::is_error) {
        diags.extend(traffic::warnings(v, &deployments, &bare_route));
    }
    let ok = !diags.iter().any(Diagnostic::is_error) && location.is_some();
    let plan = ok.then(|| Plan {
        spec: v.spec.clone(),
        spec_name: v.source.file_name(),
        location: location.expect("checked above"),
        deployments,
        catalog_date: catalog.date.clone(),
        catalogs: catalog.layers.clone(),
        openai_regions: {
            let mut r: Vec<(String, String)> = catalog
                .regions
                .iter()
                .map(|r| (r.name.clone(), r.abbreviation.clone()))
                .collect();
            r.sort();
            r
        },
        bare_route,
    });
    (plan, diags)
}

/// What every model's expansion needs.
pub(super) struct Ctx<'a> {
    pub s: &'a SpanMap,
    pub catalog: &'a Catalog,
    pub today: Date,
    /// Retirement horizon in days.
    pub horizon: u32,
}

/// The help for a model or version the catalog lacks: import the live list, or opt in per model.
fn newer_than_catalog(catalog: &Catalog) -> String {
    format!(
        "if it is newer than the catalog ({}), record the live list with `aoaigen catalog import` and use it with \
         `catalog:` or `--catalog`, or set `unlisted: true` on this model with `version` and `regions`",
        catalog.describe()
    )
}

fn expand_model(
    m: &ModelSpec,
    p: &str,
    name: String,
    ctx: &Ctx,
    diags: &mut Vec<Diagnostic>,
) -> Option<PlannedDeployment> {
    let (s, catalog, today) = (ctx.s, ctx.catalog, ctx.today);
    if m.unlisted && !super::unlisted::requirements_met(m, p, s, diags) {
        return None;
    }
    let Some(entry) = catalog.models.get(&m.model) else {
        if m.unlisted {
            return super::unlisted::expand(m, p, name, None, ctx, diags);
        }
        let d = error_at(
            s,
            "unknown-model",
            &format!("{p}/model"),
            format!("unknown model `{}`", m.model),
        );
        let newer = newer_than_catalog(catalog);
        diags.push(
            match did_you_mean(&m.model, catalog.models.keys().map(String::as_str)) {
                Some(x) => d.with_help(format!(
                    "did you mean `{x}`? (`aoaigen catalog models` lists them all); {newer}"
                )),
                None => d.with_help(format!(
                    "`aoaigen catalog models` lists the known models; {newer}"
                )),
            },
        );
        return None;
    };
    let version = match &m.version {
        Some(v) if entry.versions.contains_key(v) => v.clone(),
        Some(_) if m.unlisted => {
            return super::unlisted::expand(m, p, name, Some(&entry.kind), ctx, diags);
        }
        Some(v) => {
            let known: Vec<&str> = entry.versions.keys().map(String::as_str).collect();
            let d = error_at(
                s,
                "unknown-version",
                &format!("{p}/version"),
                format!("model `{}` has no version `{v}`", m.model),
            );
            let newer = newer_than_catalog(catalog);
            diags.push(match did_you_mean(v, known.iter().copied()) {
                Some(x) => d.with_help(format!(
                    "did you mean `{x}`? (known versions: {}); {newer}",
                    known.join(", ")
                )),
                None => d.with_help(format!("known versions: {}; {newer}", known.join(", "))),
            });
            return None;
        }
        None => catalog.default_version(&m.model, today)?.to_string(),
    };
    let ventry = &entry.versions[&version];
    let vp = if m.version.is_some() {
        format!("{p}/version")
    } else {
        format!("{p}/model")
    };
    // A current model only (`successor`): the catalog's own replacement may have aged itself.
    let suggestion = super::successor::suggest(catalog, &m.model, ventry, today);
    let lifecycle = ventry.lifecycle_on(today);
    if lifecycle == Lifecycle::Retired {
        let replacement = replacement_text(suggestion.as_ref(), ventry);
        lifecycle_ok(
            &m.model,
            &version,
            ventry,
            None,
            &replacement,
            &lifecycle,
            s,
            &vp,
            None,
            diags,
        );
        return None;
    }
    // A deployment Azure upgrades carries no version in the Bicep project (a redeployment must not push back
    // a version Azure moved on from), so Azure creates it at its default version, not at an older one.
    let default = catalog.default_version(&m.model, today);
    if m.version.is_some()
        && m.version_upgrade != VersionUpgrade::Never
        && default != Some(version.as_str())
    {
        diags.push(
            warning_at(s, "version-left-to-azure", &vp, format!(
                "{} {version} is not the default version ({}): Azure upgrades this deployment by itself (`version_upgrade` is not `never`), and the Bicep project leaves its version to Azure, which deploys the default",
                m.model,
                default.unwrap_or("unknown")
            ))
            .with_help("set `version_upgrade: never` to run this version in both targets, or drop `version`"),
        );
    }
    let sku = m.sku.unwrap_or(DeploymentSku::GlobalStandard);
    let unverified = SkuEntry::default();
    // `unlisted` vouches for availability the catalog does not record; lifecycle still counts.
    let sku_entry = match ventry.skus.get(sku.as_str()) {
        Some(e) => Some(e),
        None if m.unlisted => Some(&unverified),
        None => None,
    };
    let Some(sku_entry) = sku_entry else {
        let offered: Vec<&str> = ventry
            .skus
            .keys()
            .map(String::as_str)
            .filter(|k| matches!(*k, "GlobalStandard" | "DataZoneStandard" | "Standard"))
            .collect();
        let at = if m.sku.is_some() {
            format!("{p}/sku")
        } else {
            p.to_string()
        };
        diags.push(
            error_at(
                s,
                "sku-not-offered",
                &at,
                format!(
                    "{} {version} is not offered with the {} SKU",
                    m.model,
                    sku.as_str()
                ),
            )
            .with_help(if offered.is_empty() {
                "this model has no pay-per-token SKU that can be load-balanced".to_string()
            } else {
                format!("offered SKUs: {}", offered.join(", "))
            }),
        );
        return None;
    };
    let (lifecycle, sku_date) = ventry.lifecycle_with_sku(sku_entry, today);
    // The deployment retires with its SKU when the SKU goes first, else with its version.
    let retires = sku_date
        .and_then(|d| d.parse::<Date>().ok())
        .or(ventry.retirement());
    let soon = retires.filter(|d| super::horizon::within(today, ctx.horizon, *d));
    let replacement = match &suggestion {
        Some(Suggestion::Named(r)) => Some(match &ventry.replacement_version {
            Some(v) => format!("{r} version {v}"),
            None => r.clone(),
        }),
        other => other.as_ref().and_then(|x| x.model().map(str::to_string)),
    };
    let horizon_warning = soon.map(|date| {
        let what = match sku_date {
            Some(_) => format!("{} {version} ({})", m.model, sku.as_str()),
            None => format!("{} {version}", m.model),
        };
        super::horizon::warning(
            s,
            &vp,
            &what,
            date,
            today,
            ctx.horizon,
            lifecycle.as_str(),
            replacement.as_deref(),
        )
    });
    if !lifecycle_ok(
        &m.model,
        &version,
        ventry,
        sku_date,
        &replacement_text(suggestion.as_ref(), ventry),
        &lifecycle,
        s,
        &vp,
        horizon_warning,
        diags,
    ) {
        return None;
    }
    let regions = expand_regions(
        m,
        p,
        &version,
        sku,
        sku_entry,
        ventry.regions_unknown,
        s,
        catalog,
        diags,
    )?;
    let retirement_date = super::unlisted::sku_retirement(
        m,
        p,
        &version,
        sku,
        sku_entry,
        &regions,
        retires,
        replacement.as_deref(),
        soon.is_some(),
        ctx,
        diags,
    )?
    .or_else(|| ventry.retirement_date.clone());
    Some(PlannedDeployment {
        name,
        model: m.model.clone(),
        kind: entry.kind.clone(),
        version,
        sku,
        lifecycle,
        retirement_date,
        version_upgrade: m.version_upgrade,
        content_filter: m.content_filter.clone(),
        regions,
        pointer: p.to_string(),
        apis: vec![],
        gating: None,
        request_timeout: 0,
        timeout_from: String::new(),
    })
}

/// The tail of a lifecycle message naming the current replacement `successor::suggest` found for `v`: the
/// catalog's own, with its version, when that is current; else its current successor, or a current model of
/// the same family.
fn replacement_text(suggestion: Option<&Suggestion>, v: &VersionEntry) -> String {
    match suggestion {
        Some(Suggestion::Named(r)) => match &v.replacement_version {
            Some(rv) => format!("; the suggested replacement is `{r}` version {rv}"),
            None => format!("; the suggested replacement is `{r}`"),
        },
        Some(other) => other.sentence(),
        None => String::new(),
    }
}

/// Reports where `version` stands: an error for a retired one (Azure refuses new deployments and answers
/// `410 Gone`), a warning for the other stages that are not plain GA (unless the retirement horizon already
/// warned). `sku_date` is the deployment SKU's own retirement date where it is earlier than the version's.
#[allow(clippy::too_many_arguments)]
fn lifecycle_ok(
    model: &str,
    version: &str,
    v: &VersionEntry,
    sku_date: Option<&str>,
    replacement: &str,
    lifecycle: &Lifecycle,
    s: &SpanMap,
    at: &str,
    horizon: Option<Diagnostic>,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let date = sku_date
        .or(v.retirement_date.as_deref())
        .unwrap_or("an unpublished date");
    match lifecycle {
        Lifecycle::Retired => {
            diags.push(error_at(s, "retired-model", at, format!("{model} {version} was retired on {date}: Azure refuses new deployments and answers requests with 410 Gone"))
                .with_help(format!("choose a current model{replacement} (`aoaigen catalog models`)")));
            return false;
        }
        Lifecycle::Deprecated => diags.push(within_horizon(warning_at(s, "deprecated-model", at, format!("{model} {version} is deprecated and retires on {date}: only subscriptions that have deployed this version before can still create deployments{replacement}")), horizon)),
        Lifecycle::Legacy => diags.push(within_horizon(warning_at(s, "legacy-model", at, format!("{model} {version} is a legacy model and retires on {date}{replacement}")), horizon)),
        Lifecycle::Preview => diags.push(within_horizon(warning_at(s, "preview-model", at, format!("{model} {version} is a preview model and may change or retire at short notice (retirement: {date})")), horizon)),
        Lifecycle::Ga | Lifecycle::Unknown => diags.extend(horizon),
    }
    true
}

/// A lifecycle warning for a version that also retires within the horizon: one warning for one date, with
/// the lifecycle's meaning and the horizon's code, so `--deny-warnings` reads it as what it is.
fn within_horizon(d: Diagnostic, horizon: Option<Diagnostic>) -> Diagnostic {
    match horizon {
        None => d,
        Some(h) => Diagnostic {
            code: h.code,
            message: format!(
                "{}; {}",
                d.message,
                h.message
                    .split_once(", in ")
                    .map_or(h.message.clone(), |(_, rest)| format!("in {rest}"))
            ),
            help: h.help,
            ..d
        },
    }
}
