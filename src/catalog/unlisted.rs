//! Models the catalog does not list (`unlisted: true`), and retirements that differ per SKU and region.
//!
//! Input: one model of a validated spec and the catalog. Output: a `PlannedDeployment` built from what the
//! spec states (version, regions, capacity), with a warning that names the catalog and its date, so a model
//! released after aoaigen is not a dead end; or located errors when the opt-in lacks what it needs.

use jiff::civil::Date;

use super::expand::{Ctx, PlannedDeployment, PlannedRegion};
use super::{Lifecycle, OpenAiRegion, SkuEntry};
use crate::diag::Diagnostic;
use crate::spec::model::{DeploymentSku, ModelSpec};
use crate::spec::yaml::{SpanMap, error_at, warning_at};

/// The kind of a model the catalog does not know, from its name; `chat` unless the name says otherwise.
pub fn guess_kind(model: &str) -> &'static str {
    let m = model.to_ascii_lowercase();
    if m.contains("embedding") {
        "embedding"
    } else if m.contains("dall-e") || m.contains("image") {
        "image"
    } else if m.contains("sora") || m.contains("video") {
        "video"
    } else if ["whisper", "tts", "audio", "realtime", "transcribe"]
        .iter()
        .any(|k| m.contains(k))
    {
        "audio"
    } else {
        "chat"
    }
}

/// `unlisted: true` needs the version and the regions: there is no catalog to take them from.
pub(super) fn requirements_met(
    m: &ModelSpec,
    p: &str,
    s: &SpanMap,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let mut ok = true;
    if m.version.is_none() {
        diags.push(
            error_at(s, "unlisted-needs-version", &format!("{p}/unlisted"), "`unlisted: true` needs `version`")
                .with_help("name the exact version Azure lists (`az cognitiveservices model list --location <region>`)"),
        );
        ok = false;
    }
    // No catalog vouches for these names, and they reach Azure as the model's name and version and, by
    // default, as the deployment name in the gateway's paths and pool names.
    if !super::is_model_name(&m.model) {
        diags.push(
            error_at(s, "unlisted-invalid-name", &format!("{p}/model"), format!(
                "`{}` is not a model name: 1-64 letters, digits, `.`, `_` and `-`, starting with a letter or digit",
                super::shown_name(&m.model)
            ))
            .with_help("copy the name exactly as `az cognitiveservices model list --location <region>` prints it"),
        );
        ok = false;
    }
    if let Some(v) = m.version.as_deref().filter(|v| !super::is_model_name(v)) {
        diags.push(
            error_at(s, "unlisted-invalid-version", &format!("{p}/version"), format!(
                "`{}` is not a model version: 1-64 letters, digits, `.`, `_` and `-`, starting with a letter or digit",
                super::shown_name(v)
            ))
            .with_help("copy the version exactly as `az cognitiveservices model list --location <region>` prints it"),
        );
        ok = false;
    }
    if m.regions.as_ref().is_none_or(Vec::is_empty) {
        diags.push(
            error_at(
                s,
                "unlisted-needs-regions",
                &format!("{p}/unlisted"),
                "`unlisted: true` needs `regions`",
            )
            .with_help("list the regions that offer the model; the catalog cannot say which do"),
        );
        ok = false;
    }
    ok
}

/// A region an `unlisted` model names that the catalog does not list as an Azure OpenAI region: accepted,
/// with a warning, when it is an Azure region at all. `None` when the catalog lists it (or does not know it).
pub(super) fn region(
    name: &str,
    at: &str,
    s: &SpanMap,
    catalog: &super::Catalog,
    diags: &mut Vec<Diagnostic>,
) -> Option<OpenAiRegion> {
    if catalog.openai_region(name).is_some() {
        return None;
    }
    let r = catalog.azure_region(name)?;
    diags.push(warning_at(
        s,
        "unverified-region",
        at,
        format!(
            "the catalog ({}) does not list {} as an Azure OpenAI region; it is not verified",
            catalog.describe(),
            r.name
        ),
    ));
    Some(OpenAiRegion {
        name: r.name.clone(),
        display_name: r.display_name.clone(),
        abbreviation: r.abbreviation.clone(),
        data_zone: None,
    })
}

/// A model or version the catalog lacks, planned from the spec alone.
pub(super) fn expand(
    m: &ModelSpec,
    p: &str,
    name: String,
    known_kind: Option<&str>,
    ctx: &Ctx,
    diags: &mut Vec<Diagnostic>,
) -> Option<PlannedDeployment> {
    let version = m.version.clone()?;
    diags.push(
        warning_at(
            ctx.s,
            "unlisted-model",
            &format!("{p}/unlisted"),
            format!(
                "{} {version} is not in the catalog ({}): deployed unverified because of `unlisted: true`",
                m.model,
                ctx.catalog.describe()
            ),
        )
        .with_help(
            "availability, lifecycle and quota are not checked; `aoaigen catalog import` records them from your \
             subscription, and `scripts/preflight.sh` checks them before deploying",
        ),
    );
    let sku = m.sku.unwrap_or(DeploymentSku::GlobalStandard);
    let entry = SkuEntry::default();
    let regions = super::expand::expand_regions(
        m,
        p,
        &version,
        sku,
        &entry,
        true,
        ctx.s,
        ctx.catalog,
        diags,
    )?;
    Some(PlannedDeployment {
        name,
        model: m.model.clone(),
        kind: known_kind
            .unwrap_or_else(|| guess_kind(&m.model))
            .to_string(),
        version,
        sku,
        lifecycle: Lifecycle::Unknown,
        retirement_date: None,
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

/// The deployment's retirement: `base` (its version's, or its SKU's where that comes first), or the SKU's
/// in one of its regions (from an overlay) when that comes first. A SKU already retired in a region is an
/// error there; one retiring within the horizon a warning (unless `warned`: the horizon already warned).
/// `None` stops the model.
#[allow(clippy::too_many_arguments)]
pub(super) fn sku_retirement(
    m: &ModelSpec,
    p: &str,
    version: &str,
    sku: DeploymentSku,
    entry: &SkuEntry,
    regions: &[PlannedRegion],
    base: Option<Date>,
    replacement: Option<&str>,
    warned: bool,
    ctx: &Ctx,
    diags: &mut Vec<Diagnostic>,
) -> Option<Option<String>> {
    let mut earliest = base;
    let mut ok = true;
    let what = format!("{} {version} ({})", m.model, sku.as_str());
    for (j, r) in regions.iter().enumerate() {
        let Some(date) = entry.retirement_in(&r.name) else {
            continue;
        };
        let at = match &m.regions {
            Some(_) => format!("{p}/regions/{j}"),
            None => p.to_string(),
        };
        if date <= ctx.today {
            diags.push(
                error_at(
                    ctx.s,
                    "retired-sku",
                    &at,
                    format!("{what} was retired in {} on {date}", r.name),
                )
                .with_help("choose another SKU or region (`aoaigen catalog models`)"),
            );
            ok = false;
        } else if !warned
            && earliest.is_none_or(|e| date < e)
            && super::horizon::within(ctx.today, ctx.horizon, date)
        {
            diags.push(super::horizon::warning(
                ctx.s,
                &at,
                &format!("{what} in {}", r.name),
                date,
                ctx.today,
                ctx.horizon,
                "",
                replacement,
            ));
        }
        if earliest.is_none_or(|e| date < e) {
            earliest = Some(date);
        }
    }
    ok.then(|| earliest.map(|d| d.to_string()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn kinds_from_names() {
        use super::guess_kind;
        assert_eq!(guess_kind("text-embedding-4"), "embedding");
        assert_eq!(guess_kind("gpt-image-2.5"), "image");
        assert_eq!(guess_kind("sora-3"), "video");
        assert_eq!(guess_kind("gpt-realtime-2"), "audio");
        assert_eq!(guess_kind("gpt-7"), "chat");
    }
}
