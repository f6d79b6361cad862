//! Terraform (azurerm 4.x) target: `ResourceGraph` -> `RenderedProject`.
//!
//! Each `.tf` template gets `TerraformContext`; the output goes through `fmt::format_hcl`, so it is
//! `terraform fmt`-canonical without the templates having to get indentation and alignment right.

pub mod fmt;

use super::{CommonContext, RenderError, RenderedProject, Renderer, ScriptOutputs, Target, finish};
use crate::graph::ResourceGraph;

/// Context of every Terraform template: the common context, with `#` headers.
pub type TerraformContext<'a> = CommonContext<'a>;

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
    let ctx: TerraformContext = CommonContext::new(g, Target::Terraform, "#", out);
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
