//! `catalog-refresh`: rebuilds the embedded catalog (src/catalog/data/{models,regions}.yaml) from saved copies
//! of the Microsoft Learn pages pinned in tools/catalog-refresh/sources.yaml.
//!
//! Input: the sources directory (one markdown file per page of sources.yaml), curated.yaml, and the current
//! regions.yaml (for `azure_regions`, which this refresh carries over). Output: the two YAML files, or with
//! `--check` a non-zero exit when they differ from what is committed; `--coverage OLD_MODELS_YAML` prints how
//! much of the pages' (model, version, SKU, region) tuples another catalog file covers.
//!
//! Run: `cargo run --example catalog-refresh -- [--sources DIR] [--out DIR] [--check] [--coverage FILE]`.
//! An example target rather than a binary: it is built and tested by `cargo test`, and never installed.

mod assemble;
mod emit;
mod parse;
mod replacements;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use indexmap::IndexMap;
use serde::de::DeserializeOwned;

use assemble::{AzureRegion, Built, Curated, Inputs, Manifest};

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

struct Args {
    sources: PathBuf,
    out: PathBuf,
    check: bool,
    coverage: Option<PathBuf>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn parse_args(args: Vec<String>) -> Result<Args, String> {
    let mut a = Args {
        sources: root().join("tools/catalog-refresh/sources"),
        out: root().join("src/catalog/data"),
        check: false,
        coverage: None,
    };
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--sources" => a.sources = value("--sources")?.into(),
            "--out" => a.out = value("--out")?.into(),
            "--coverage" => a.coverage = Some(value("--coverage")?.into()),
            "--check" => a.check = true,
            other => {
                return Err(format!(
                    "unknown argument `{other}` (see the module doc of tools/catalog-refresh/main.rs)"
                ));
            }
        }
    }
    Ok(a)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn yaml<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, String> {
    let loaded = aoaigen::spec::yaml::load(text)
        .map_err(|d| format!("{}: {}", path.display(), d.message))?;
    serde_json::from_value(loaded.value).map_err(|e| format!("{}: {e}", path.display()))
}

#[derive(serde::Deserialize)]
struct RegionsFile {
    sources: IndexMap<String, serde_json::Value>,
    azure_regions: Vec<AzureRegion>,
}

/// Reads everything the refresh needs; `regions_yaml` is the current regions.yaml.
fn inputs(tool: &Path, sources: &Path, regions_yaml: &Path) -> Result<Inputs, String> {
    let manifest_path = tool.join("sources.yaml");
    let manifest: Manifest = yaml(&manifest_path, &read(&manifest_path)?)?;
    let curated_path = tool.join("curated.yaml");
    let curated: Curated = yaml(&curated_path, &read(&curated_path)?)?;
    let regions: RegionsFile = yaml(regions_yaml, &read(regions_yaml)?)?;
    let mut texts = IndexMap::new();
    for (key, page) in &manifest.pages {
        let path = sources.join(&page.file);
        let text = read(&path).map_err(|e| {
            format!(
                "{e}\n  download it: curl -fsSL https://raw.githubusercontent.com/{}/{}/{} -o {}",
                page.repo,
                page.commit,
                page.path,
                path.display()
            )
        })?;
        texts.insert(key.clone(), text);
    }
    Ok(Inputs {
        manifest,
        texts,
        curated,
        azure_region_sources: emit::carried_sources(&regions.sources),
        azure_regions: regions.azure_regions,
    })
}

fn run(args: Vec<String>) -> Result<u8, String> {
    let a = parse_args(args)?;
    let tool = root().join("tools/catalog-refresh");
    let inputs = inputs(&tool, &a.sources, &a.out.join("regions.yaml"))?;
    let built = assemble::build(&inputs)?;
    for n in &built.notes {
        eprintln!("note: {n}");
    }
    let files = [
        ("models.yaml", emit::models_yaml(&built, &inputs)),
        ("regions.yaml", emit::regions_yaml(&built, &inputs)),
    ];
    let versions: usize = built.models.values().map(|m| m.versions.len()).sum();
    eprintln!(
        "catalog of {}: {} models, {versions} versions, {} regions, {} tuples",
        built.generated_on,
        built.models.len(),
        built.regions.len(),
        built.tuples.len()
    );
    if let Some(old) = &a.coverage {
        coverage(&built, old)?;
    }
    let mut differs = false;
    for (name, text) in &files {
        let path = a.out.join(name);
        if a.check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                eprintln!("{} is not what the refresh produces", path.display());
                differs = true;
            }
        } else {
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(u8::from(differs))
}

/// Every (model, version, SKU, region) of a models.yaml file.
fn tuples_of(path: &Path) -> Result<BTreeSet<(String, String, String, String)>, String> {
    let v: serde_json::Value = yaml(path, &read(path)?)?;
    let mut out = BTreeSet::new();
    let models = v["models"].as_object().ok_or("no `models` mapping")?;
    for (m, entry) in models {
        for (ver, ventry) in entry["versions"].as_object().into_iter().flatten() {
            for (sku, s) in ventry["skus"].as_object().into_iter().flatten() {
                for r in s["regions"].as_array().into_iter().flatten() {
                    if let Some(r) = r.as_str() {
                        out.insert((m.clone(), ver.clone(), sku.clone(), r.to_string()));
                    }
                }
            }
        }
    }
    Ok(out)
}

/// How much of this refresh's tuples and versions another catalog file has.
fn coverage(built: &Built, old: &Path) -> Result<(), String> {
    let theirs = tuples_of(old)?;
    let ours = &built.tuples;
    let both = ours.intersection(&theirs).count();
    let pct = 100.0 * both as f64 / ours.len().max(1) as f64;
    println!(
        "{}: covers {both} of the {} tuples the pages list ({pct:.1}%); it has {} tuples the pages do not list",
        old.display(),
        ours.len(),
        theirs.difference(ours).count()
    );
    let v: serde_json::Value = yaml(old, &read(old)?)?;
    let mut old_versions = BTreeSet::new();
    for (m, entry) in v["models"].as_object().into_iter().flatten() {
        for ver in entry["versions"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            old_versions.insert((m.clone(), ver.clone()));
        }
    }
    let ours: BTreeSet<(String, String)> = built
        .models
        .iter()
        .flat_map(|(m, e)| e.versions.iter().map(move |(v, _)| (m.clone(), v.clone())))
        .collect();
    let missing: Vec<String> = ours
        .difference(&old_versions)
        .map(|(m, v)| format!("{m} {v}"))
        .collect();
    let dropped: Vec<String> = old_versions
        .difference(&ours)
        .map(|(m, v)| format!("{m} {v}"))
        .collect();
    println!(
        "{}: {} model-versions, this refresh {}; {} are new here: {}; {} are only there: {}",
        old.display(),
        old_versions.len(),
        ours.len(),
        missing.len(),
        missing.join(", "),
        dropped.len(),
        dropped.join(", ")
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    //! The whole refresh on the committed excerpts (tests/data/catalog-refresh) instead of the full pages: the
    //! result must load as a catalog and hold the excerpts' facts with their source keys.
    use super::*;

    fn excerpt_inputs() -> Inputs {
        let dir = root().join("tests/data/catalog-refresh");
        let tool = root().join("tools/catalog-refresh");
        let manifest: Manifest = yaml(
            &tool.join("sources.yaml"),
            &read(&tool.join("sources.yaml")).unwrap(),
        )
        .unwrap();
        let files = [
            ("std", "deployments-standard.excerpt.md"),
            ("prov", "deployments-provisioned.excerpt.md"),
            ("batch", "deployments-batch.excerpt.md"),
            ("ret", "retirement-schedule.excerpt.md"),
            ("tier1", "quota-tier-1.excerpt.md"),
        ];
        let mut texts = IndexMap::new();
        for (k, f) in files {
            texts.insert(k.to_string(), read(&dir.join(f)).unwrap());
        }
        let regions_path = root().join("src/catalog/data/regions.yaml");
        let regions: RegionsFile = yaml(&regions_path, &read(&regions_path).unwrap()).unwrap();
        let curated: Curated = yaml(
            &tool.join("curated.yaml"),
            &read(&tool.join("curated.yaml")).unwrap(),
        )
        .unwrap();
        Inputs {
            manifest,
            texts,
            curated,
            azure_region_sources: emit::carried_sources(&regions.sources),
            azure_regions: regions.azure_regions,
        }
    }

    #[test]
    fn excerpts_become_a_loadable_catalog() {
        let inputs = excerpt_inputs();
        let built = assemble::build(&inputs).unwrap();
        let models = emit::models_yaml(&built, &inputs);
        let regions = emit::regions_yaml(&built, &inputs);
        let c = aoaigen::catalog::Catalog::parse(&models, &regions).unwrap();
        assert_eq!(c.date, "2026-10-05");
        let sol = &c.models["gpt-6-sol"].versions["2026-09-22"];
        let gs = &sol.skus["GlobalStandard"];
        assert!(gs.regions.contains(&"swedencentral".to_string()));
        assert!(!gs.regions.contains(&"northeurope".to_string()));
        assert_eq!(gs.regions_source.as_deref(), Some("std"));
        assert_eq!(gs.default_capacity("swedencentral"), Some(1000));
        assert_eq!(gs.capacity_source.as_deref(), Some("tier1"));
        let o3pro = &c.models["o3-pro"].versions["2025-06-10"];
        assert_eq!(o3pro.retirement_date.as_deref(), Some("2026-11-19"));
        assert_eq!(o3pro.lifecycle_source.as_deref(), Some("ret"));
        // gpt-5.6-sol is deployable in the excerpts (the provisioned one lists it), so it stands.
        assert_eq!(o3pro.replacement.as_deref(), Some("gpt-5.6-sol"));
        assert_eq!(o3pro.replacement_sources, ["ret"]);
        // gpt-4.1 has no replacement in `ret`; S15's gpt-5 is not in the excerpts, so none is claimed.
        assert_eq!(c.models["gpt-4.1"].versions["2025-04-14"].replacement, None);
        // The APAC data zone comes from the Data Zone table's Asia Pacific tab.
        assert_eq!(
            c.openai_region("southeastasia")
                .unwrap()
                .data_zone
                .as_deref(),
            Some("APAC")
        );
        assert_eq!(c.openai_region("northeurope").unwrap().name, "northeurope");
        // The same inputs give the same bytes.
        let again = assemble::build(&inputs).unwrap();
        assert_eq!(emit::models_yaml(&again, &inputs), models);
    }

    #[test]
    fn a_page_with_another_ms_date_is_refused() {
        let mut inputs = excerpt_inputs();
        let t = inputs.texts["ret"].replace("10/05/2026", "11/30/2026");
        inputs.texts.insert("ret".into(), t);
        let e = assemble::build(&inputs).err().expect("an error");
        assert!(e.contains("ms.date is 2026-11-30"), "{e}");
    }

    #[test]
    fn a_model_without_a_kind_is_refused() {
        let mut inputs = excerpt_inputs();
        for list in inputs.curated.kinds.values_mut() {
            list.retain(|m| m != "gpt-6-sol");
        }
        let e = assemble::build(&inputs).err().expect("an error");
        assert!(e.contains("no kind for gpt-6-sol"), "{e}");
    }
}
