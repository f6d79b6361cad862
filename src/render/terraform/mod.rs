//! Terraform (azurerm 4.x) target: `ResourceGraph` -> `RenderedProject`.
//!
//! Each `.tf` template gets `TerraformContext`; the output goes through `fmt::format_hcl`, so it is
//! `terraform fmt`-canonical without the templates having to get indentation and alignment right.

pub mod fmt;

use serde::Serialize;

use super::{
    CommonContext, Depends, RenderError, RenderedProject, Renderer, ScriptOutputs, Target, finish,
};
use crate::graph::{Dependency, KEY_VAULT_ROLE_KEY, ResourceGraph};

/// Context of every Terraform template: the common context (with `#` headers) plus the graph's decisions
/// spelt as Terraform addresses and attribute names.
#[derive(Debug, Clone, Serialize)]
pub struct TerraformContext<'a> {
    #[serde(flatten)]
    pub common: CommonContext<'a>,
    /// `depends_on` lists, by resource: the graph's dependencies as Terraform addresses.
    pub depends: Depends,
    /// Account attributes Azure may change by itself, which an apply must leave alone.
    pub account_ignore_changes: Vec<&'static str>,
}

/// The Terraform resources that stand for the graph's dependencies.
fn addresses(deps: &[Dependency]) -> Result<Vec<String>, RenderError> {
    let mut out = Vec::new();
    for d in deps {
        match (d.kind.as_str(), d.key.as_deref()) {
            // Both deployment resources, whichever holds deployments: an empty one is waited for at no cost.
            ("cognitive_deployment", None) => out.extend([
                "azurerm_cognitive_deployment.openai".to_string(),
                "azurerm_cognitive_deployment.pinned".to_string(),
            ]),
            ("role_assignment", Some(KEY_VAULT_ROLE_KEY)) => {
                out.push("azurerm_role_assignment.gateway_key_vault".to_string())
            }
            // The NSG's rules are resources of their own: its subnet association, which waits for them
            // (macros.tera), is what makes the NSG apply to the subnet.
            ("network_security_group", Some("gateway")) => {
                out.push("azurerm_subnet_network_security_group_association.gateway".to_string())
            }
            (kind, key) => {
                return Err(RenderError {
                    template: "terraform dependencies".into(),
                    message: format!("no Terraform address for the dependency on {kind} {key:?}"),
                });
            }
        }
    }
    Ok(out)
}

const HCL_FILES: &[&str] = &[
    "versions.tf",
    "providers.tf",
    "variables.tf",
    "locals.tf",
    "network.tf",
    "gateway.tf",
    "openai.tf",
    "access.tf",
    "outputs.tf",
];
const SCRIPTS: &[&str] = &[
    "status.sh",
    "purge-deleted.sh",
    "smoke-test.sh",
    "preflight.sh",
];

pub fn render(g: &ResourceGraph) -> Result<RenderedProject, RenderError> {
    let out = ScriptOutputs {
        gateway_url: "gateway_url",
        gateway_name: "gateway_name",
        gateway_resource_group: "gateway_resource_group",
        openai_resource_group: "openai_resource_group",
        account_names: "account_names_text",
    };
    let mut account_ignore_changes = vec!["project_management_enabled"];
    if g.access.azure_may_upgrade_kind {
        account_ignore_changes.insert(0, "kind");
    }
    let ctx = TerraformContext {
        common: CommonContext::new(g, Target::Terraform, "#", out),
        depends: Depends::new(g, addresses)?,
        account_ignore_changes,
    };
    let renderer = Renderer::new(&ctx)?;
    let mut project = RenderedProject::default();
    let mut tf_files: Vec<&str> = HCL_FILES.to_vec();
    if g.diagnostics.is_some() {
        tf_files.push("monitoring.tf");
    }
    for file in tf_files {
        let text = renderer.render(&format!("terraform/{file}"))?;
        project
            .files
            .insert(file.to_string(), finish(&fmt::format_hcl(&text)));
    }
    let tfvars = renderer.render("terraform/terraform.tfvars.example")?;
    project.files.insert(
        "terraform.tfvars.example".into(),
        finish(&fmt::format_hcl(&tfvars)),
    );
    for script in SCRIPTS {
        let text = renderer.render(&format!("common/scripts/{script}"))?;
        project
            .files
            .insert(format!("scripts/{script}"), finish(&text));
    }
    project.files.insert(
        "README.md".into(),
        finish(&renderer.render("common/README.md")?),
    );
    Ok(project)
}
