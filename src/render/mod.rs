//! Rendering (pipeline stage 5): `ResourceGraph` -> `RenderedProject` (relative path -> bytes, in memory).
//!
//! Templates are embedded from `templates/<target>/`, rendered with Tera with autoescape off; every spec
//! value passes through the target's escaping filter (`hcl`, `bicep`, `sh`, `md`). Nothing here decides
//! anything the graph did not: templates format the context they are handed.

pub mod bicep;
pub mod escape;
pub mod terraform;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use include_dir::{Dir, include_dir};
use serde::Serialize;
use tera::{Tera, Value};

use crate::graph::{Dependency, ResourceGraph};

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Which project to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Terraform,
    Bicep,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Terraform => "terraform",
            Target::Bicep => "bicep",
        }
    }
}

/// A generated project: relative paths (with `/`) to file contents, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderedProject {
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Renders `graph` for `target`.
pub fn render(graph: &ResourceGraph, target: Target) -> Result<RenderedProject, RenderError> {
    match target {
        Target::Terraform => terraform::render(graph),
        Target::Bicep => bicep::render(graph),
    }
}

/// A template failed: always a bug in aoaigen, never the user's input.
#[derive(Debug, thiserror::Error)]
#[error("rendering {template} failed: {message}; this is a bug in aoaigen")]
pub struct RenderError {
    pub template: String,
    pub message: String,
}

/// The Tera instance with every embedded template and the escaping filters.
fn tera() -> &'static Tera {
    static TERA: OnceLock<Tera> = OnceLock::new();
    TERA.get_or_init(|| {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![]);
        let mut files = Vec::new();
        collect(&TEMPLATES, &mut files);
        tera.add_raw_templates(files)
            .expect("embedded templates parse; this is a bug in aoaigen");
        tera.register_filter("hcl", string_filter(escape::hcl_string));
        tera.register_filter("bicep", string_filter(escape::bicep_string));
        tera.register_filter("bicep_key", string_filter(bicep::object_key));
        tera.register_filter("sh", string_filter(escape::shell_word));
        tera.register_filter("md", string_filter(escape::markdown_code));
        tera.register_filter("comment", string_filter(escape::comment_text));
        tera
    })
}

fn collect(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static str)>) {
    for f in dir.files() {
        if let Some(text) = f.contents_utf8() {
            out.push((f.path().to_string_lossy().replace('\\', "/"), text));
        }
    }
    for d in dir.dirs() {
        collect(d, out);
    }
}

/// A filter that escapes strings, and renders numbers and booleans as themselves (never `null`).
fn string_filter(f: fn(&str) -> String) -> impl tera::Filter {
    move |value: &Value, _: &std::collections::HashMap<String, Value>| -> tera::Result<Value> {
        match value {
            Value::String(s) => Ok(Value::String(f(s))),
            Value::Number(n) => Ok(Value::String(f(&n.to_string()))),
            Value::Bool(b) => Ok(Value::String(f(&b.to_string()))),
            other => Err(tera::Error::msg(format!(
                "escaping filter applied to a non-scalar value {other}"
            ))),
        }
    }
}

/// One template context, serialised once and shared by every template of a project: the graph is large,
/// and turning it into Tera's JSON values per template was most of the rendering time.
struct Renderer {
    context: tera::Context,
}

impl Renderer {
    fn new<C: Serialize>(context: &C) -> Result<Self, RenderError> {
        let context = tera::Context::from_serialize(context).map_err(|e| RenderError {
            template: "context".to_string(),
            message: error_chain(&e),
        })?;
        Ok(Self { context })
    }

    /// Replaces one top-level value (e.g. the header in another comment syntax).
    fn set<V: Serialize>(&mut self, key: &str, value: &V) {
        self.context.insert(key, value);
    }

    fn render(&self, name: &str) -> Result<String, RenderError> {
        tera().render(name, &self.context).map_err(|e| RenderError {
            template: name.to_string(),
            message: error_chain(&e),
        })
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// The "generated, do not edit" header, without comment markers.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    pub lines: Vec<String>,
}

impl Header {
    pub fn new(graph: &ResourceGraph, target: Target) -> Self {
        let spec = escape::comment_text(&graph.meta.spec_name);
        Self {
            lines: vec![
                format!(
                    "Generated by aoaigen {} from {spec}.",
                    graph.meta.generator_version
                ),
                format!(
                    "Do not edit: change the spec and regenerate with `aoaigen render --spec {spec} --target {}`.",
                    target.as_str()
                ),
            ],
        }
    }

    /// The header as comment lines with `marker` (`#`, `//`), ending with a blank line.
    pub fn comment(&self, marker: &str) -> String {
        let mut s: String = self
            .lines
            .iter()
            .map(|l| format!("{marker} {l}\n"))
            .collect();
        s.push('\n');
        s
    }
}

/// What every template of either target gets (the shared README and scripts branch on `target`).
#[derive(Debug, Clone, Serialize)]
pub struct CommonContext<'a> {
    /// "Generated by aoaigen" header as comments in the file's syntax (set per file kind).
    pub header: String,
    /// The same header as plain lines (for Markdown).
    pub header_lines: Vec<String>,
    pub target: &'static str,
    pub target_title: &'static str,
    pub g: &'a ResourceGraph,
    /// Names of the outputs the helper scripts read.
    pub out: ScriptOutputs,
    /// The Mermaid diagram and the pools-by-region table (templates/common/readme/diagram.md).
    pub diagram: crate::diagram::Diagram,
    pub capacity_rows: Vec<crate::report::CapacityRow>,
    pub inputs: DeployInputs,
}

/// What the project takes when it is deployed rather than from the spec (Terraform variables, Bicep
/// environment inputs besides the deploying identity), read once for every template of either target.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct DeployInputs {
    /// The gateway's certificate is a PFX file: its content and password.
    pub certificate: bool,
    /// The resource group of the Key Vault the gateway reads its certificate from.
    pub key_vault_resource_group: bool,
}

impl DeployInputs {
    fn new(g: &ResourceGraph) -> Self {
        Self {
            certificate: g
                .gateway
                .certificate
                .as_ref()
                .is_some_and(|c| c.pfx_file.is_some()),
            key_vault_resource_group: g
                .identity
                .as_ref()
                .is_some_and(|i| i.key_vault_resource_group.is_none()),
        }
    }
}

/// The graph's dependencies, by resource, in a target's own names (Terraform addresses, main.bicep module
/// symbols).
#[derive(Debug, Clone, Serialize)]
pub struct Depends {
    pub gateway: Vec<String>,
    pub private_endpoints: Vec<String>,
}

impl Depends {
    fn new(
        g: &ResourceGraph,
        names: fn(&[Dependency]) -> Result<Vec<String>, RenderError>,
    ) -> Result<Self, RenderError> {
        Ok(Self {
            gateway: names(&g.gateway.depends_on)?,
            private_endpoints: match &g.private_link {
                Some(p) => names(&p.depends_on)?,
                None => Vec::new(),
            },
        })
    }
}

/// Names of the outputs the helper scripts read, per target.
#[derive(Debug, Clone, Serialize)]
pub struct ScriptOutputs {
    pub gateway_url: &'static str,
    pub gateway_name: &'static str,
    pub gateway_resource_group: &'static str,
    pub openai_resource_group: &'static str,
    pub account_names: &'static str,
}

impl<'a> CommonContext<'a> {
    pub fn new(
        g: &'a ResourceGraph,
        target: Target,
        comment_marker: &str,
        out: ScriptOutputs,
    ) -> Self {
        let header = Header::new(g, target);
        Self {
            header: header.comment(comment_marker),
            header_lines: header.lines,
            target: target.as_str(),
            target_title: match target {
                Target::Terraform => "Terraform",
                Target::Bicep => "Bicep",
            },
            g,
            out,
            diagram: crate::diagram::diagram(g),
            capacity_rows: crate::report::capacity_rows(g),
            inputs: DeployInputs::new(g),
        }
    }

    /// The header in another comment syntax (scripts use `#` in both targets).
    pub fn header_with(&self, marker: &str) -> String {
        Header {
            lines: self.header_lines.clone(),
        }
        .comment(marker)
    }
}

/// Normalises line endings and guarantees exactly one trailing newline.
fn finish(text: &str) -> Vec<u8> {
    let mut t = text.replace("\r\n", "\n");
    while t.ends_with("\n\n") {
        t.pop();
    }
    if !t.ends_with('\n') {
        t.push('\n');
    }
    t.into_bytes()
}
