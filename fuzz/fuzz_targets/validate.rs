//! Load + validate + expand + build on arbitrary bytes: every input must give a spec/graph or at least one
//! error diagnostic, and never panic or hang.
//!
//! Run from the repository root, seeded with the examples and the invalid fixtures (libFuzzer writes new
//! inputs to the first directory only):
//! `cargo fuzz run validate fuzz/corpus/validate examples tests/fixtures/invalid -- -max_total_time=600`
//! The default AddressSanitizer build needs nightly; on a stable toolchain add `--sanitizer none` (coverage
//! instrumentation and libFuzzer work on stable; aoaigen itself has no `unsafe` code for ASan to watch).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let today: jiff::civil::Date = "2026-11-23".parse().unwrap();
    // Stage 1 on bytes (size limit, UTF-8), then stages 2-4 on the text.
    let text = match aoaigen::spec::yaml::decode(data) {
        Ok(t) => t,
        Err(d) => {
            assert!(d.is_error());
            return;
        }
    };
    let source = aoaigen::spec::Source {
        display_name: "fuzz.yaml".into(),
        dir: std::path::PathBuf::from("/nonexistent"),
        text: text.to_string(),
    };
    let (validated, diags) = aoaigen::spec::validate(source);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let Some(v) = validated else {
        assert!(errors > 0, "rejected without an error");
        return;
    };
    if errors > 0 {
        return;
    }
    let (plan, diags) = aoaigen::catalog::expand::expand(&v, aoaigen::catalog::embedded(), today);
    let Some(plan) = plan else {
        assert!(diags.iter().any(|d| d.is_error()), "no plan and no error");
        return;
    };
    if let Err(diags) = aoaigen::graph::build(&plan) {
        assert!(diags.iter().any(|d| d.is_error()), "no graph and no error");
    }
});
