//! `aoaigen catalog`: what the embedded catalog knows, as tables.
//!
//! Input: the embedded `Catalog`, optional model or region filter, today's date. Output: text on stdout
//! and an exit code (1 for an unknown model or region, with a suggestion).

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use jiff::civil::Date;

use crate::catalog::{self, Catalog};
use crate::cli::{CatalogWhat, EXIT_INVALID, EXIT_OK, EXIT_USAGE};
use crate::suggest::did_you_mean;

/// The arguments of `aoaigen catalog`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    pub what: CatalogWhat,
    #[arg(long)]
    pub model: Option<String>,
    /// Filter (models, regions); for `import`, the region the files were listed for (default: each
    /// file's name, e.g. `swedencentral.json`).
    #[arg(long)]
    pub region: Option<String>,
    /// `import`: JSON files (or directories of them) printed by
    /// `az cognitiveservices model list --location <region> -o json`.
    #[arg(value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
    /// `import`: the overlay to write or merge into (default `aoaigen-catalog.yaml`).
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
    /// `import`: the import date to record (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// `models`, `regions`: show the catalog with this overlay applied.
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<std::path::PathBuf>,
}

pub fn dispatch(a: Args, today: Date) -> i32 {
    if a.what == CatalogWhat::Import {
        if a.model.is_some() || a.catalog.is_some() {
            errln!("error: --model and --catalog do not apply to `catalog import`");
            return EXIT_USAGE;
        }
        return crate::import_cmd::run(
            a.region.as_deref(),
            &a.files,
            a.out.as_deref(),
            a.date.as_deref(),
            today,
        );
    }
    if !a.files.is_empty() || a.out.is_some() || a.date.is_some() {
        errln!("error: FILE, --out and --date belong to `catalog import`");
        return EXIT_USAGE;
    }
    let Some(path) = &a.catalog else {
        return run(a.what, a.model.as_deref(), a.region.as_deref(), today);
    };
    let name = path.display().to_string();
    let c = match catalog::overlay::load(path)
        .and_then(|o| catalog::overlay::apply::apply(catalog::embedded(), &o, &name))
    {
        Ok(c) => c,
        Err(e) => {
            for e in e {
                errln!("error: {e}");
            }
            return EXIT_INVALID;
        }
    };
    show(&c, a.what, a.model.as_deref(), a.region.as_deref(), today)
}

pub fn run(what: CatalogWhat, model: Option<&str>, region: Option<&str>, today: Date) -> i32 {
    show(catalog::embedded(), what, model, region, today)
}

fn show(
    c: &Catalog,
    what: CatalogWhat,
    model: Option<&str>,
    region: Option<&str>,
    today: Date,
) -> i32 {
    match what {
        CatalogWhat::Models => models(c, model, region, today),
        CatalogWhat::Regions => match model {
            Some(m) => regions_of_model(c, m, region, today),
            None => regions(c, region),
        },
        CatalogWhat::Import => {
            errln!(
                "internal error: `catalog import` reached the table view; this is a bug in aoaigen"
            );
            crate::cli::EXIT_BUG
        }
    }
}

/// The SKU codes a spec can choose (`models[].sku`); the catalog also lists batch and provisioned ones.
const SPEC_SKUS: [&str; 3] = ["GlobalStandard", "DataZoneStandard", "Standard"];

/// `unknown model `m`; did you mean ...?` on stderr; exit 1.
fn unknown_model(c: &Catalog, m: &str) -> i32 {
    let hint = did_you_mean(m, c.models.keys().map(String::as_str))
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_else(|| "; `aoaigen catalog models` lists the known models".into());
    errln!("error: unknown model `{m}`{hint}");
    EXIT_INVALID
}

/// `--region R` as the Azure OpenAI region's name; when R is none, the exit code after saying so.
fn openai_region_arg<'c>(c: &'c Catalog, region: Option<&str>) -> Result<Option<&'c str>, i32> {
    let Some(r) = region else {
        return Ok(None);
    };
    match c.openai_region(r) {
        Some(x) => Ok(Some(x.name.as_str())),
        None => {
            errln!("error: `{r}` is not an Azure OpenAI region (see `aoaigen catalog regions`)");
            Err(EXIT_INVALID)
        }
    }
}

/// `catalog regions --model M [--region R]`: one row per Azure OpenAI region offering a version of M that
/// is not retired today, with the SKUs it offers there and their default quota.
fn regions_of_model(c: &Catalog, model: &str, region: Option<&str>, today: Date) -> i32 {
    let Some(m) = c.models.get(model) else {
        return unknown_model(c, model);
    };
    let region_name = match openai_region_arg(c, region) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut t = table(vec![
        "region",
        "display name",
        "version",
        "lifecycle today",
        "SKUs (default k TPM)",
    ]);
    let mut rows = 0;
    let mut unpublished = Vec::new();
    let live: Vec<_> = m
        .versions
        .iter()
        .filter(|(_, v)| v.lifecycle_on(today) != crate::catalog::Lifecycle::Retired)
        .collect();
    for r in &c.regions {
        if region_name.is_some_and(|x| x != r.name) {
            continue;
        }
        for (version, v) in &live {
            let skus: Vec<String> = v
                .skus
                .iter()
                .filter(|(sku, s)| SPEC_SKUS.contains(&sku.as_str()) && s.regions.contains(&r.name))
                .map(|(sku, s)| match s.default_capacity(&r.name) {
                    Some(q) => format!("{sku} ({q})"),
                    None => format!("{sku} (-)"),
                })
                .collect();
            if skus.is_empty() {
                continue;
            }
            rows += 1;
            t.add_row(vec![
                r.name.as_str(),
                r.display_name.as_str(),
                version.as_str(),
                v.lifecycle_on(today).as_str(),
                &skus.join(", "),
            ]);
        }
    }
    for (version, v) in &live {
        if v.regions_unknown {
            unpublished.push(version.as_str());
        }
    }
    if live.is_empty() {
        let next = crate::catalog::successor::current_replacement(c, model, today)
            .map(|s| format!("; a current model is `{s}`"))
            .unwrap_or_default();
        errln!("error: every version of `{model}` is retired{next}");
        return EXIT_INVALID;
    }
    if rows == 0 && unpublished.is_empty() {
        match region_name {
            Some(r) => errln!(
                "error: `{model}` is not offered in `{r}`; `aoaigen catalog regions --model {model}` lists where it is"
            ),
            None => errln!("error: the catalog names no region offering `{model}`"),
        }
        return EXIT_INVALID;
    }
    if rows > 0 {
        outln!("{t}");
    }
    for version in unpublished {
        outln!(
            "{model} {version}: the catalog has no region list (name the regions in the spec; Azure decides)"
        );
    }
    outln!("catalog: {}", c.describe());
    EXIT_OK
}

fn table(header: Vec<&str>) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .force_no_tty()
        .set_header(header);
    t
}

fn models(c: &Catalog, model: Option<&str>, region: Option<&str>, today: Date) -> i32 {
    if let Some(m) = model
        && !c.models.contains_key(m)
    {
        return unknown_model(c, m);
    }
    let region_name = match openai_region_arg(c, region) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut t = table(vec![
        "model",
        "kind",
        "version",
        "lifecycle today",
        "retires",
        "SKU",
        "default k TPM",
        "regions",
    ]);
    for (name, m) in &c.models {
        if model.is_some_and(|x| x != name) {
            continue;
        }
        for (version, v) in &m.versions {
            for (sku, s) in &v.skus {
                if !SPEC_SKUS.contains(&sku.as_str()) {
                    continue;
                }
                if let Some(r) = region_name
                    && !s.regions.iter().any(|x| x == r)
                {
                    continue;
                }
                let regions = if v.regions_unknown {
                    "unknown".to_string()
                } else if model.is_some() {
                    s.regions.join(" ")
                } else {
                    format!("{}", s.regions.len())
                };
                let quota = s
                    .default_capacity_k_tpm
                    .map(|q| q.to_string())
                    .or_else(|| {
                        s.region_default_capacity_k_tpm
                            .as_ref()
                            .map(|_| "per region".into())
                    })
                    .unwrap_or_else(|| "-".into());
                t.add_row(vec![
                    name.as_str(),
                    m.kind.as_str(),
                    version.as_str(),
                    v.lifecycle_on(today).as_str(),
                    v.retirement_date.as_deref().unwrap_or("-"),
                    sku.as_str(),
                    &quota,
                    &regions,
                ]);
            }
        }
    }
    outln!("{t}\ncatalog: {}", c.describe());
    EXIT_OK
}

fn regions(c: &Catalog, region: Option<&str>) -> i32 {
    let mut t = table(vec![
        "region",
        "display name",
        "abbreviation",
        "zones",
        "Azure OpenAI",
    ]);
    let mut shown = 0;
    for r in &c.azure_regions {
        if let Some(f) = region
            && c.azure_region(f).is_none_or(|x| x.name != r.name)
        {
            continue;
        }
        shown += 1;
        t.add_row(vec![
            r.name.as_str(),
            r.display_name.as_str(),
            r.abbreviation.as_str(),
            if r.availability_zones { "yes" } else { "no" },
            if r.azure_openai { "yes" } else { "no" },
        ]);
    }
    if shown == 0 {
        let f = region.unwrap_or_default();
        let hint = did_you_mean(
            &catalog::region_key(f),
            c.azure_regions.iter().map(|r| r.name.as_str()),
        )
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
        errln!("error: unknown region `{f}`{hint}");
        return EXIT_INVALID;
    }
    outln!("{t}\ncatalog: {}", c.describe());
    EXIT_OK
}
