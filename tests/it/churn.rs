//! No churn: growing or reordering a spec renames and re-keys nothing that already exists, and removing a
//! model removes only what served it. Checked on the graph's logical resources and on the rendered
//! Terraform (resource addresses and `for_each` keys with their names).

use std::collections::BTreeSet;

use aoaigen::graph::{LogicalResource, ResourceGraph};
use aoaigen::render::Target;
use proptest::prelude::*;

use crate::common::render_text;

const MODELS: &[&str] = &[
    "gpt-5.1",
    "text-embedding-3-large",
    "gpt-4.1-mini",
    "text-embedding-3-small",
    "gpt-5-mini",
];

/// GlobalStandard regions of the model's default version, from the embedded catalog.
fn regions_of(model: &str) -> Vec<String> {
    let c = aoaigen::catalog::embedded();
    let version = c.default_version(model, crate::common::today()).unwrap();
    c.models[model].versions[version].skus["GlobalStandard"]
        .regions
        .clone()
}

#[derive(Debug, Clone)]
struct SpecModel {
    model: &'static str,
    regions: Vec<String>,
}

fn yaml(models: &[SpecModel]) -> String {
    let mut s = String::from(
        "version: 1\nname: churn\nlocation: swedencentral\naccess:\n  role_assignments:\n    - { principal_id: 11111111-2222-3333-4444-555555555555 }\nmodels:\n",
    );
    for m in models {
        s.push_str(&format!(
            "  - model: {}\n    capacity: 10\n    regions: [{}]\n",
            m.model,
            m.regions.join(", ")
        ));
    }
    s
}

fn spec_models() -> impl Strategy<Value = Vec<SpecModel>> {
    proptest::sample::subsequence(MODELS.to_vec(), 1..=3).prop_flat_map(|names| {
        names
            .into_iter()
            .map(|m| {
                proptest::sample::subsequence(regions_of(m), 1..=3)
                    .prop_map(move |regions| SpecModel { model: m, regions })
            })
            .collect::<Vec<_>>()
    })
}

fn resources(g: &ResourceGraph) -> BTreeSet<LogicalResource> {
    g.logical_resources().into_iter().collect()
}

/// `resource "type" "label"` addresses plus every `"key" = {` / `name = ...` pair of the locals maps that a
/// resource's `for_each` iterates over (the instance keys). Maps that only feed blocks inside the gateway
/// (pools, backend settings) change it in place and are left out.
fn terraform_identity(models: &[SpecModel]) -> (ResourceGraph, BTreeSet<String>) {
    let (g, p) = render_text(&yaml(models), Target::Terraform);
    let mut ids = BTreeSet::new();
    let bodies: Vec<hcl_edit::structure::Body> = p
        .files
        .iter()
        .filter(|(file, _)| file.ends_with(".tf"))
        .map(|(_, bytes)| String::from_utf8(bytes.clone()).unwrap().parse().unwrap())
        .collect();
    let for_each: BTreeSet<String> = bodies
        .iter()
        .flat_map(|b| b.blocks())
        .filter(|b| b.ident.as_str() == "resource")
        .filter_map(|b| b.body.get_attribute("for_each"))
        .filter_map(|a| {
            a.value
                .to_string()
                .trim()
                .strip_prefix("local.")
                .map(str::to_string)
        })
        .collect();
    for body in &bodies {
        for block in body.blocks() {
            let labels: Vec<String> = block
                .labels
                .iter()
                .map(|l| l.as_str().to_string())
                .collect();
            ids.insert(format!("{} {}", block.ident.as_str(), labels.join(".")));
            if block.ident.as_str() == "locals" {
                for attr in block
                    .body
                    .attributes()
                    .filter(|a| for_each.contains(a.key.as_str()))
                {
                    let Some(obj) = attr.value.as_object() else {
                        continue;
                    };
                    for (k, v) in obj.iter() {
                        let key = match k {
                            hcl_edit::expr::ObjectKey::Expression(
                                hcl_edit::expr::Expression::String(s),
                            ) => s.value().to_string(),
                            other => format!("{other:?}"),
                        };
                        let name = v.expr().as_object().and_then(|o| o.iter().find(|(k, _)| matches!(k, hcl_edit::expr::ObjectKey::Ident(i) if i.as_str() == "name"))).map(|(_, v)| v.expr().to_string());
                        ids.insert(format!("local.{}[{key}] name={name:?}", attr.key.as_str()));
                    }
                }
            }
        }
    }
    (g, ids)
}

fn assert_kept(before: &[SpecModel], after: &[SpecModel], what: &str) -> Result<(), TestCaseError> {
    let (gb, tb) = terraform_identity(before);
    let (ga, ta) = terraform_identity(after);
    let lost: Vec<_> = resources(&gb)
        .difference(&resources(&ga))
        .cloned()
        .collect();
    prop_assert!(
        lost.is_empty(),
        "{what}: graph resources renamed or re-keyed: {lost:?}"
    );
    let lost: Vec<_> = tb.difference(&ta).cloned().collect();
    prop_assert!(
        lost.is_empty(),
        "{what}: Terraform addresses or keys changed: {lost:?}"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn adding_a_region_keeps_everything(models in spec_models(), pick in any::<prop::sample::Index>()) {
        let i = pick.index(models.len());
        let extra = regions_of(models[i].model).into_iter().find(|r| !models[i].regions.contains(r));
        prop_assume!(extra.is_some());
        let mut grown = models.clone();
        grown[i].regions.push(extra.unwrap());
        assert_kept(&models, &grown, "add a region")?;
    }

    #[test]
    fn adding_a_model_keeps_everything(models in spec_models()) {
        let extra = MODELS.iter().find(|m| !models.iter().any(|s| s.model == **m));
        prop_assume!(extra.is_some());
        let m = extra.unwrap();
        let mut grown = models.clone();
        grown.insert(0, SpecModel { model: m, regions: regions_of(m).into_iter().take(2).collect() });
        assert_kept(&models, &grown, "add a model")?;
    }

    #[test]
    fn reordering_models_keeps_everything(models in spec_models()) {
        let mut reordered = models.clone();
        reordered.reverse();
        assert_kept(&models, &reordered, "reorder")?;
        assert_kept(&reordered, &models, "reorder back")?;
    }

    #[test]
    fn removing_a_model_removes_only_its_resources(models in spec_models(), pick in any::<prop::sample::Index>()) {
        prop_assume!(models.len() > 1);
        let i = pick.index(models.len());
        let mut shrunk = models.clone();
        let removed = shrunk.remove(i);
        let (gb, _) = terraform_identity(&models);
        let (ga, _) = terraform_identity(&shrunk);
        let (before, after) = (resources(&gb), resources(&ga));
        prop_assert!(after.is_subset(&before), "removing a model added or renamed resources");
        // Regions still served by another model keep their account.
        let still: BTreeSet<&String> = shrunk.iter().flat_map(|m| &m.regions).collect();
        for r in before.difference(&after) {
            let ok = match r.kind {
                "cognitive_deployment" => r.key.ends_with(&format!("/{}", removed.model)),
                "cognitive_account" => removed.regions.contains(&r.key) && !still.contains(&r.key),
                "role_assignment" => removed.regions.iter().any(|reg| r.key.ends_with(&format!("/{reg}"))),
                _ => false,
            };
            prop_assert!(ok, "removing {} also removed {:?}", removed.model, r);
        }
    }
}
