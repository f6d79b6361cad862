//! aoaigen: one YAML spec -> a Terraform or Bicep project that puts Azure OpenAI accounts in several regions
//! behind one Application Gateway. Pipeline: `spec` (load, validate) -> `catalog` (expand) -> `graph`
//! (build) -> `render` (Terraform, Bicep) -> `output` (write or check).

// Diagnostics are returned by value on the error path, once per spec: their size does not matter there.
#![allow(clippy::result_large_err)]

#[macro_use]
pub mod console;

pub mod catalog;
pub mod catalog_cmd;
pub mod cli;
pub mod diag;
pub mod diagram;
pub mod graph;
pub mod import_cmd;
pub mod net;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod schema_file;
pub mod spec;
pub mod starter;
pub mod suggest;
pub mod write_cmd;
