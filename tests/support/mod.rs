//! Checkers shared by the integration tests: real parsers and provider/ARM schemas, offline.

pub mod bicep_arm;
pub mod tf_eval;
pub mod tf_schema;
pub mod value;
