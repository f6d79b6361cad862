//! The embedded catalog against the project's gathered facts in ../shared/catalog.

use crate::common::root;

/// The embedded copy must equal the shared data it was taken from, and hold what its README counts.
/// Outside this project's workspace there is no ../shared: the test says it did not run (and CI, which
/// always has it, fails instead of skipping).
#[test]
fn embedded_catalog_matches_the_shared_files() {
    let shared = std::env::var("AOAIGEN_SHARED_CATALOG")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| root().join("../shared/catalog"));
    if !shared.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run beside shared/: {} is missing",
            shared.display()
        );
        eprintln!(
            "NOT RUN: {} is not present; only the built-in counts were checked",
            shared.display()
        );
        return;
    }
    for file in ["models.yaml", "regions.yaml"] {
        let ours = std::fs::read(root().join("src/catalog/data").join(file)).unwrap();
        let theirs = std::fs::read(shared.join(file)).unwrap();
        assert!(
            ours == theirs,
            "src/catalog/data/{file} differs from {}: copy it again",
            shared.join(file).display()
        );
    }
    // Counts as the shared README states them, recomputed from the shared files themselves.
    let models =
        aoaigen::spec::yaml::load(&std::fs::read_to_string(shared.join("models.yaml")).unwrap())
            .unwrap()
            .value;
    let regions =
        aoaigen::spec::yaml::load(&std::fs::read_to_string(shared.join("regions.yaml")).unwrap())
            .unwrap()
            .value;
    let m = models["models"].as_object().unwrap();
    let versions: usize = m
        .values()
        .map(|v| v["versions"].as_object().unwrap().len())
        .sum();
    let c = aoaigen::catalog::embedded();
    assert_eq!(c.models.len(), m.len());
    assert_eq!(
        c.models.values().map(|x| x.versions.len()).sum::<usize>(),
        versions
    );
    assert_eq!(
        c.regions.len(),
        regions["regions"].as_array().unwrap().len()
    );
    assert_eq!(
        c.azure_regions.len(),
        regions["azure_regions"].as_array().unwrap().len()
    );
    let readme = std::fs::read_to_string(shared.join("README.md")).unwrap();
    assert!(
        readme.contains(&format!("{} model names with {versions} versions", m.len())),
        "shared README counts changed"
    );
}
