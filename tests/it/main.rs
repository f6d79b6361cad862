//! Integration tests, one binary: rendering every example through the library and checking the output
//! with real parsers and the provider/ARM schemas (tests/support), plus the CLI's behaviour.

#[path = "../support/mod.rs"]
mod support;

mod common;

mod any_valid;
mod bicep;
mod bicep_lint;
mod bicep_literal;
mod catalog;
mod catalog_import;
mod catalog_overlay;
mod check_tree;
mod churn;
mod ci;
mod cli;
mod combinations;
mod commands;
mod defects;
mod diagram;
mod edges;
mod fsutil;
mod hostile;
mod import_input;
mod interrupted;
mod invalid;
mod invariants;
mod lifecycle;
mod model_apis;
mod output;
mod parity;
mod plan;
mod planted;
#[cfg(unix)]
mod preflight;
mod readme;
mod robustness;
mod roles;
mod routing;
mod routing_table;
mod schema;
mod second_apply;
mod terraform;
mod traffic;
