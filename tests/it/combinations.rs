//! Valid specs beyond the examples (tests/fixtures/valid: PFX certificates, existing DNS zones, Key Vault
//! without a resource group, private mode with an existing workspace, display-name regions, Standard_v2,
//! fixed capacity, ...): both targets must parse and match their schemas for every one of them.

use std::path::PathBuf;

use aoaigen::render::Target;

use crate::common::{graph_of, root, write_project};
use crate::support::{bicep_arm::check_bicep_dir, tf_schema::check_tf_dir};

fn valid_specs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures/valid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    assert!(v.len() >= 4);
    v
}

#[test]
fn every_valid_combination_renders_clean_in_both_targets() {
    for spec in valid_specs() {
        let g = graph_of(&spec);
        for target in [Target::Terraform, Target::Bicep] {
            let mut g = g.clone();
            let dir = tempfile::tempdir().unwrap();
            aoaigen::pipeline::relocate_pfx(&mut g, &spec, dir.path());
            let p = aoaigen::render::render(&g, target).unwrap();
            assert_eq!(
                p,
                aoaigen::render::render(&g, target).unwrap(),
                "{}: not byte-stable",
                spec.display()
            );
            write_project(&p, dir.path());
            match target {
                Target::Terraform => {
                    let r = check_tf_dir(dir.path());
                    assert!(
                        r.errors.is_empty(),
                        "{} (terraform):\n{}",
                        spec.display(),
                        r.errors.join("\n")
                    );
                }
                Target::Bicep => {
                    let r = check_bicep_dir(dir.path());
                    assert!(
                        r.is_clean() && r.resources_checked > 0,
                        "{} (bicep):\n{r}",
                        spec.display()
                    );
                }
            }
        }
    }
}

#[test]
fn pfx_certificates_are_read_from_the_spec_directory() {
    let spec = root().join("tests/fixtures/valid/https-pfx.yaml");
    let mut g = graph_of(&spec);
    let out = root().join("target/pfx-check/terraform");
    aoaigen::pipeline::relocate_pfx(&mut g, &spec, &out);
    let rel = g
        .gateway
        .certificate
        .as_ref()
        .unwrap()
        .pfx_path
        .clone()
        .unwrap();
    assert_eq!(rel, "../../../tests/fixtures/valid/certs/gateway.pfx");
    // Resolving the relative path from the project directory lands on the spec's file.
    let mut resolved = PathBuf::new();
    for c in out.join(&rel).components() {
        match c {
            std::path::Component::ParentDir => {
                resolved.pop();
            }
            other => resolved.push(other),
        }
    }
    assert_eq!(
        resolved,
        root().join("tests/fixtures/valid/certs/gateway.pfx")
    );
    assert!(resolved.is_file());
}
