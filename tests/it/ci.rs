//! The CI script itself (issue 13 item 8): real Terraform core through ../shared/tools/tf-plan-check on
//! every example's and every valid fixture's Terraform output. `cargo test` does not run it (it needs
//! ../shared); this reads .ci/run so the steps cannot disappear unnoticed.

use crate::common::root;

#[test]
fn ci_plans_every_example_and_valid_fixture_with_real_terraform() {
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(
        ci.contains("TF_PLAN_CHECK=\"$ROOT/../shared/tools/tf-plan-check/run.sh\""),
        "the tool is ../shared/tools/tf-plan-check/run.sh, relative to the repo"
    );
    // A missing tool fails the step rather than skipping it.
    let func = ci
        .split("tf_plan_check() {")
        .nth(1)
        .expect("a tf_plan_check function");
    let func = &func[..func.find("\n}\n").unwrap()];
    assert!(
        func.contains("return 1") && func.contains("\"$TF_PLAN_CHECK\" \"$dir\""),
        "{func}"
    );
    // Inside the loop over the examples, on each rendered Terraform project.
    let examples = ci
        .split("echo \"examples: ${EXAMPLES[*]}\"")
        .nth(1)
        .and_then(|rest| rest.split("for spec in \"${EXAMPLES[@]}\"; do").nth(1))
        .expect("the examples loop");
    let examples = &examples[..examples.find("\n  done\n").unwrap()];
    assert!(examples.contains("step \"$ex: tf-plan-check (terraform init, validate, plan)\" tf_plan_check \"$out/a/terraform\""), "{examples}");
    // And on every valid fixture's Terraform project, after they are rendered.
    let rendered = ci
        .find("step \"valid fixtures: render, terraform fmt, shellcheck\" valid_fixtures")
        .unwrap();
    let planned = ci.find("step \"valid fixtures: tf-plan-check (terraform init, validate, plan)\" valid_fixtures_plan").unwrap();
    assert!(rendered < planned);
    let plan = ci.split("valid_fixtures_plan() {").nth(1).unwrap();
    assert!(
        plan[..plan.find("\n}\n").unwrap()]
            .contains("find \"$WORK/valid\" -mindepth 2 -maxdepth 2 -type d -name terraform")
    );
}
