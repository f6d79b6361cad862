//! Bicep target: `ResourceGraph` -> `RenderedProject` (subscription-scope `main.bicep` and modules).

use super::{RenderError, RenderedProject};
use crate::graph::ResourceGraph;

pub fn render(_g: &ResourceGraph) -> Result<RenderedProject, RenderError> {
    Err(RenderError {
        template: "bicep".into(),
        message: "the Bicep target is not implemented yet".into(),
    })
}
