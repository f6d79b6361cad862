//! Valid specs beyond the examples (tests/fixtures/valid: PFX certificates, existing DNS zones, Key Vault
//! without a resource group, private mode with an existing workspace, display-name regions, Standard_v2,
//! fixed capacity, ...): both targets must parse and match their schemas for every one of them.

use aoaigen::render::Target;

use crate::common::{
    examples, graph_of, render_example, render_path, root, text, valid_fixtures, write_project,
};
use crate::support::{bicep_arm::check_bicep_dir, tf_schema::check_tf_dir};

#[test]
fn every_valid_combination_renders_clean_in_both_targets() {
    for spec in valid_fixtures() {
        let g = graph_of(&spec);
        for target in [Target::Terraform, Target::Bicep] {
            let dir = tempfile::tempdir().unwrap();
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

/// Issue 13 item 6: a generated project refers to nothing outside itself, so it still works once moved or
/// committed; a PFX certificate is an input supplied at deploy time (a sensitive Terraform variable, a
/// `@secure()` Bicep parameter read from the environment), never a path into the generator's tree and never
/// bytes compiled into the template.
#[test]
fn generated_projects_point_at_nothing_outside_them() {
    let mut projects = Vec::new();
    for ex in examples() {
        for t in [Target::Terraform, Target::Bicep] {
            projects.push((format!("{ex}@{}", t.as_str()), render_example(&ex, t).1));
        }
    }
    for spec in valid_fixtures() {
        for t in [Target::Terraform, Target::Bicep] {
            projects.push((
                format!("{}@{}", spec.display(), t.as_str()),
                render_path(&spec, t).1,
            ));
        }
    }
    let repo = root().display().to_string();
    for (name, p) in &projects {
        for (path, bytes) in &p.files {
            let t = String::from_utf8_lossy(bytes);
            // Prose may say `.../d/<deployment>`; code must not climb out of the project.
            let code = !path.ends_with(".md");
            for needle in [
                if code { "../" } else { repo.as_str() },
                "path.module",
                "filebase64(",
                "file(",
                "loadFileAsBase64(",
                "loadTextContent(",
                "loadJsonContent(",
                repo.as_str(),
            ] {
                assert!(
                    !t.contains(needle),
                    "{name}: {path} refers outside the project (`{needle}`)"
                );
            }
        }
    }
    let spec = root().join("tests/fixtures/valid/https-pfx.yaml");
    let g = graph_of(&spec);
    let tf = aoaigen::render::render(&g, Target::Terraform).unwrap();
    let vars = text(&tf, "variables.tf");
    let pfx_var = vars
        .split("variable \"certificate_pfx_base64\"")
        .nth(1)
        .expect("a variable for the PFX");
    assert!(
        pfx_var
            .split("\n}\n")
            .next()
            .unwrap()
            .contains("sensitive   = true"),
        "{vars}"
    );
    assert!(text(&tf, "gateway.tf").contains("data     = var.certificate_pfx_base64"));
    assert!(text(&tf, "README.md").contains("export TF_VAR_certificate_pfx_base64="));
    let b = aoaigen::render::render(&g, Target::Bicep).unwrap();
    let main = text(&b, "main.bicep");
    assert!(main.contains("@secure()\n@description('The gateway\\'s PFX certificate, base64-encoded.')\nparam certificatePfxBase64 string\n"), "{main}");
    assert!(main.contains("certificateData: certificatePfxBase64\n"));
    assert!(text(&b, "main.bicepparam").contains(
        "param certificatePfxBase64 = readEnvironmentVariable('AOAIGEN_CERTIFICATE_PFX_BASE64')"
    ));
    assert!(text(&b, "README.md").contains("export AOAIGEN_CERTIFICATE_PFX_BASE64="));
}

/// A deploy-time input of the Bicep project comes from the environment, never from an edit of a generated
/// file: main.bicepparam is in the manifest, so a hand edit stops the next `render` ("edited by hand") and
/// makes `render --check` (the pre-commit hook) fail. Every parameter it sets is either the spec's location
/// or read with readEnvironmentVariable(), and the README's deploy steps never say to edit it.
#[test]
fn bicep_inputs_need_no_edit_of_a_generated_file() {
    let mut specs: Vec<(String, aoaigen::render::RenderedProject)> = examples()
        .into_iter()
        .map(|ex| (ex.clone(), render_example(&ex, Target::Bicep).1))
        .collect();
    for spec in valid_fixtures() {
        specs.push((
            spec.display().to_string(),
            render_path(&spec, Target::Bicep).1,
        ));
    }
    let mut env_inputs = 0;
    for (name, b) in &specs {
        // deploy.sh names the unset inputs up front: exactly the variables main.bicepparam reads.
        let reads = between(
            &text(b, "main.bicepparam"),
            "readEnvironmentVariable('",
            "')",
        );
        let checks = between(&text(b, "scripts/deploy.sh"), "[ -n \"${", "+set}\" ]");
        assert_eq!(
            checks, reads,
            "{name}: deploy.sh checks other variables than main.bicepparam reads"
        );
        for line in text(b, "main.bicepparam").lines() {
            let Some(rest) = line.strip_prefix("param ") else {
                continue;
            };
            let (param, value) = rest.split_once(" = ").unwrap();
            if param == "location" {
                continue;
            }
            assert!(
                value.starts_with("readEnvironmentVariable('AOAIGEN_"),
                "{name}: main.bicepparam sets {param} to {value}, which a user would have to edit"
            );
            env_inputs += 1;
        }
        let readme = text(b, "README.md");
        assert!(
            !readme.contains("in main.bicepparam"),
            "{name}: the README asks for an edit of main.bicepparam"
        );
    }
    assert!(env_inputs > 0);
    // The Key Vault's resource group, when the spec leaves it out, is one of them.
    let (_, b) = render_path(
        &root().join("tests/fixtures/valid/existing-dns-kv-no-rg.yaml"),
        Target::Bicep,
    );
    assert!(text(&b, "main.bicepparam").contains(
        "param keyVaultResourceGroup = readEnvironmentVariable('AOAIGEN_KEY_VAULT_RESOURCE_GROUP')"
    ));
    assert!(text(&b, "README.md").contains("export AOAIGEN_KEY_VAULT_RESOURCE_GROUP="));
}

/// Each text between `open` and the next `close`, in order.
fn between(s: &str, open: &str, close: &str) -> Vec<String> {
    s.split(open)
        .skip(1)
        .filter_map(|rest| rest.split_once(close).map(|(v, _)| v.to_string()))
        .collect()
}

/// Without the Key Vault's resource group in the environment, deploy.sh stops before calling
/// `az deployment` and names the variable (az would fail inside Bicep's parameter file instead); with it,
/// the deployment runs.
#[cfg(unix)]
#[test]
fn the_bicep_deploy_script_names_unset_inputs_first() {
    use std::os::unix::fs::PermissionsExt;
    let (_, b) = render_path(
        &root().join("tests/fixtures/valid/existing-dns-kv-no-rg.yaml"),
        Target::Bicep,
    );
    for rg in [None, Some("rg-vault")] {
        let dir = tempfile::tempdir().unwrap();
        write_project(&b, dir.path());
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        let log = dir.path().join("az.log");
        let az = format!("#!/usr/bin/env bash\necho \"$*\" >> '{}'\n", log.display());
        std::fs::write(bin.join("az"), az).unwrap();
        std::fs::set_permissions(bin.join("az"), std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut cmd = std::process::Command::new("bash");
        cmd.arg(dir.path().join("scripts/deploy.sh"))
            .env(
                "PATH",
                format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
            )
            .env(
                "AOAIGEN_DEPLOYER_OBJECT_ID",
                "44444444-4444-4444-4444-444444444444",
            )
            .env_remove("AOAIGEN_KEY_VAULT_RESOURCE_GROUP");
        if let Some(rg) = rg {
            cmd.env("AOAIGEN_KEY_VAULT_RESOURCE_GROUP", rg);
        }
        let out = cmd.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        let calls = std::fs::read_to_string(&log).unwrap_or_default();
        match rg {
            None => {
                assert_eq!(out.status.code(), Some(1), "{err}");
                assert!(
                    err.contains("set AOAIGEN_KEY_VAULT_RESOURCE_GROUP before deploying"),
                    "{err}"
                );
                assert!(!calls.contains("deployment sub create"), "{calls}");
            }
            Some(_) => {
                assert!(out.status.success(), "{err}");
                assert!(calls.contains("deployment sub create"), "{calls}");
            }
        }
    }
}

/// The Terraform README's deploy steps name exactly the values terraform.tfvars.example asks for: a
/// variable the README leaves out keeps its placeholder (`rg-of-the-key-vault` is a resource group no
/// one has), and one the example file says to set through `TF_VAR_` instead must not be put there.
#[test]
fn terraform_readme_names_every_value_of_the_tfvars_example() {
    let mut projects: Vec<(String, aoaigen::render::RenderedProject)> = examples()
        .into_iter()
        .map(|ex| (ex.clone(), render_example(&ex, Target::Terraform).1))
        .collect();
    for spec in valid_fixtures() {
        projects.push((
            spec.display().to_string(),
            render_path(&spec, Target::Terraform).1,
        ));
    }
    let mut key_vault_rg = 0;
    for (name, p) in &projects {
        let asked: Vec<String> = text(p, "terraform.tfvars.example")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
            .collect();
        let readme = text(p, "README.md");
        let line = readme
            .lines()
            .find(|l| l.starts_with("cp terraform.tfvars.example terraform.tfvars"))
            .unwrap_or_else(|| panic!("{name}: no cp terraform.tfvars.example step in the README"));
        let (_, set) = line
            .split_once("# set ")
            .unwrap_or_else(|| panic!("{name}: `{line}` says nothing to set"));
        let named: Vec<String> = set
            .split([',', ' '])
            .filter(|w| !w.is_empty() && *w != "and")
            .map(str::to_string)
            .collect();
        assert_eq!(named, asked, "{name}: `{line}`");
        key_vault_rg += usize::from(asked.iter().any(|a| a == "key_vault_resource_group_name"));
    }
    // The examples and fixtures include Key Vault certificates without their resource group.
    assert!(key_vault_rg > 0);
}
