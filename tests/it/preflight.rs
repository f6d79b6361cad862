//! `scripts/preflight.sh` of both generated projects, run with bash against a stub `az` (tests/stub-az/az)
//! that answers with recorded JSON (tests/data/az/stub/<scenario>, the model-list samples). Needs bash and
//! jq: when either is missing these tests fail, they are not skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

use aoaigen::render::Target;

use crate::common::{render_text, root, write_project};

const SPEC: &str = "version: 1\nname: demo\nlocation: swedencentral\nmodels:\n  - model: gpt-5.1\n    capacity: 100\n    regions: [swedencentral, eastus2]\n  - model: text-embedding-3-large\n    capacity: 50\n    regions: [swedencentral]\naccess:\n  role_assignments:\n    - { principal_id: aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee, principal_type: ServicePrincipal, role: openai-user }\n";

struct Run {
    code: Option<i32>,
    /// (check, region, subject, result, detail) per table row.
    rows: Vec<[String; 5]>,
    stdout: String,
    stderr: String,
    calls: Vec<String>,
}

impl Run {
    fn row(&self, check: &str, region: &str, subject: &str) -> &[String; 5] {
        self.rows
            .iter()
            .find(|r| r[0] == check && r[1] == region && r[2] == subject)
            .unwrap_or_else(|| panic!("no row {check} {region} {subject} in:\n{}", self.stdout))
    }

    fn blockers(&self) -> Vec<&[String; 5]> {
        self.rows.iter().filter(|r| r[3] == "BLOCKER").collect()
    }
}

/// Splits the table by the header's column starts (values may contain single spaces).
fn parse_table(out: &str) -> Vec<[String; 5]> {
    let mut lines = out.lines();
    let header = lines.next().expect("a table");
    let starts: Vec<usize> = ["CHECK", "REGION", "SUBJECT", "RESULT", "DETAIL"]
        .iter()
        .map(|h| header.find(h).unwrap_or_else(|| panic!("header {header}")))
        .collect();
    lines
        .map(|l| {
            let cell = |i: usize| {
                let end = starts.get(i + 1).copied().unwrap_or(l.len()).min(l.len());
                l.get(starts[i]..end).unwrap_or("").trim().to_string()
            };
            [cell(0), cell(1), cell(2), cell(3), cell(4)]
        })
        .collect()
}

fn stub_bin(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let az = bin.join("az");
    std::fs::copy(root().join("tests/stub-az/az"), &az).unwrap();
    std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

fn preflight(target: Target, scenario: &str) -> Run {
    preflight_env(target, scenario, &[])
}

fn preflight_env(target: Target, scenario: &str, env: &[(&str, &str)]) -> Run {
    script(target, "preflight.sh", scenario, env)
}

/// Runs `scripts/<name>` of the rendered project; `rows` is the table preflight.sh prints.
fn script(target: Target, name: &str, scenario: &str, env: &[(&str, &str)]) -> Run {
    let (_, project) = render_text(SPEC, target);
    let dir = tempfile::tempdir().unwrap();
    write_project(&project, dir.path());
    let bin = stub_bin(dir.path());
    let log = dir.path().join("az-calls.log");
    std::fs::write(&log, "").unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = Command::new("bash")
        .arg(dir.path().join("scripts").join(name))
        .env("PATH", path)
        .env("AZ_STUB_DIR", root().join("tests/data/az/stub"))
        .env("AZ_STUB_SCENARIO", scenario)
        .env("AZ_STUB_LOG", &log)
        .envs(env.iter().copied())
        .output()
        .expect("bash must be installed to test the generated scripts");
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(
        !stderr.contains("stub az:"),
        "{target:?} {scenario}: an unrecorded az call:\n{stderr}"
    );
    let calls: Vec<String> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    Run {
        code: o.status.code(),
        rows: if stdout.is_empty() || name != "preflight.sh" {
            vec![]
        } else {
            parse_table(&stdout)
        },
        stdout,
        stderr,
        calls,
    }
}

/// Every call reads: list, show, exists or a GET.
fn assert_read_only(r: &Run) {
    for c in &r.calls {
        let verb_ok = [
            "account show ",
            "group exists ",
            "cognitiveservices model list ",
            "cognitiveservices usage list ",
            "cognitiveservices account list ",
            "cognitiveservices account deployment list ",
            "cognitiveservices account list-deleted ",
            "role assignment list ",
            "role definition list ",
            "rest --method get ",
        ]
        .iter()
        .any(|p| c.starts_with(p));
        assert!(verb_ok, "not a read: az {c}");
    }
}

const TARGETS: [Target; 2] = [Target::Terraform, Target::Bicep];

#[test]
fn success_reports_every_check_and_exits_zero() {
    for t in TARGETS {
        let r = preflight(t, "success");
        assert_eq!(r.code, Some(0), "{t:?}:\n{}{}", r.stdout, r.stderr);
        assert_read_only(&r);
        assert!(r.blockers().is_empty(), "{t:?}: {:?}", r.blockers());
        for region in ["swedencentral", "eastus2"] {
            let m = r.row(
                "model",
                region,
                "gpt-5.1: gpt-5.1 2025-11-13 GlobalStandard",
            );
            assert_eq!(m[3], "OK", "{t:?} {region}");
        }
        // 250 limit, 200 used of which the project's own deployment holds 100: it needs nothing more.
        let q = r.row("quota", "swedencentral", "OpenAI.GlobalStandard.gpt-5.1");
        assert_eq!(
            (q[3].as_str(), q[4].as_str()),
            ("OK", "needs 0, free 50 (limit 250, used 200)"),
            "{t:?}"
        );
        assert_eq!(
            r.row("quota", "eastus2", "OpenAI.GlobalStandard.gpt-5.1")[3],
            "OK"
        );
        assert_eq!(r.row("deleted", "swedencentral", "oai-demo-sdc")[3], "OK");
        assert_eq!(r.row("deleted", "eastus2", "oai-demo-eus2")[3], "OK");
        let roles = r.row("roles", "-", "deployer@contoso.com");
        assert_eq!(roles[3], "OK", "{t:?}");
        assert!(
            roles[4].contains("resource group rg-demo-oai"),
            "{t:?}: {}",
            roles[4]
        );
        assert!(r.calls.iter().any(|c| c.starts_with("rest --method get") && c.contains("/resourceGroups/rg-demo-oai/providers/Microsoft.Authorization/permissions?api-version=2022-04-01")));
        assert!(r.stderr.contains("preflight: no blockers"), "{}", r.stderr);
    }
}

#[test]
fn missing_quota_is_a_blocker() {
    for t in TARGETS {
        let r = preflight(t, "missing-quota");
        assert_eq!(r.code, Some(1), "{t:?}:\n{}{}", r.stdout, r.stderr);
        assert_read_only(&r);
        // One subscription-wide pool serves both regions: 100 + 100 planned, 150 free.
        let q = r.row(
            "quota",
            "Global (eastus2 swedencentral)",
            "OpenAI.GlobalStandard.gpt-5.1",
        );
        assert_eq!(q[3], "BLOCKER", "{t:?}");
        assert!(
            q[4].starts_with("needs 200, free 150 (limit 150, used 0)"),
            "{t:?}: {}",
            q[4]
        );
        assert_eq!(r.blockers().len(), 1, "{t:?}: {:?}", r.blockers());
        // Without the resource group, the role check reads the subscription's assignments (Owner here).
        assert_eq!(r.row("roles", "-", "deployer@contoso.com")[3], "OK");
        assert!(
            r.calls
                .iter()
                .any(|c| c.starts_with("role assignment list --assignee deployer@contoso.com"))
        );
    }
}

#[test]
fn a_model_not_offered_is_a_blocker() {
    for t in TARGETS {
        let r = preflight(t, "not-offered");
        assert_eq!(r.code, Some(1), "{t:?}:\n{}{}", r.stdout, r.stderr);
        assert_read_only(&r);
        let m = r.row(
            "model",
            "eastus2",
            "gpt-5.1: gpt-5.1 2025-11-13 GlobalStandard",
        );
        assert_eq!(
            (m[3].as_str(), m[4].as_str()),
            ("BLOCKER", "not offered here"),
            "{t:?}"
        );
        assert_eq!(
            r.row(
                "model",
                "swedencentral",
                "gpt-5.1: gpt-5.1 2025-11-13 GlobalStandard"
            )[3],
            "OK"
        );
        assert_eq!(r.blockers().len(), 1, "{t:?}: {:?}", r.blockers());
    }
}

#[test]
fn a_soft_deleted_name_is_a_blocker_with_the_purge_command() {
    for t in TARGETS {
        let r = preflight(t, "soft-deleted");
        assert_eq!(r.code, Some(1), "{t:?}:\n{}{}", r.stdout, r.stderr);
        assert_read_only(&r);
        let d = r.row("deleted", "swedencentral", "oai-demo-sdc");
        assert_eq!(d[3], "BLOCKER");
        assert!(
            d[4].ends_with("az cognitiveservices account purge --location swedencentral --resource-group rg-demo-oai --name oai-demo-sdc"),
            "{t:?}: {}",
            d[4]
        );
        // Another project's deleted account is not this project's business.
        assert!(!r.stdout.contains("oai-other-sdc"), "{}", r.stdout);
        assert_eq!(r.blockers().len(), 1, "{t:?}: {:?}", r.blockers());
    }
}

#[test]
fn missing_role_assignment_rights_are_a_blocker() {
    let r = preflight(Target::Terraform, "no-role-permission");
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    let roles = r.row("roles", "-", "deployer@contoso.com");
    assert_eq!(
        roles[3], "BLOCKER",
        "Contributor's notActions exclude roleAssignments/write"
    );
}

/// Azure refusing one read is reported as such: the checks that depend on it are neither passed nor failed
/// on made-up data, and the script never dies with a bare shell error.
#[test]
fn a_failing_az_call_is_reported_not_mistaken_for_a_result() {
    for t in TARGETS {
        let fail = |cmd: &str| preflight_env(t, "success", &[("AZ_STUB_FAIL", cmd)]);
        // Usage list: quota is not checked there, rather than "no quota of this name" for every model.
        let r = fail("cognitiveservices usage list");
        assert_eq!(r.code, Some(1), "{t:?}:\n{}{}", r.stdout, r.stderr);
        assert!(
            !r.stdout.contains("no quota of this name"),
            "{t:?}:\n{}",
            r.stdout
        );
        let q = r.row("quota", "eastus2", "(all deployments)");
        assert_eq!(q[3], "BLOCKER");
        assert!(q[4].contains("quota not checked"), "{t:?}: {}", q[4]);
        // Deployment list: the quota the project's own deployment holds in swedencentral cannot be told
        // apart from quota it needs, so the shortfall is a warning, not a blocker.
        let r = fail("cognitiveservices account deployment list");
        assert_eq!(r.code, Some(0), "{t:?}:\n{}{}", r.stdout, r.stderr);
        let q = r.row("quota", "swedencentral", "OpenAI.GlobalStandard.gpt-5.1");
        assert_eq!(q[3], "WARN", "{t:?}: {q:?}");
        assert!(q[4].contains("could not be listed"), "{t:?}: {}", q[4]);
        // Deleted accounts: one blocker that says the names were not checked, and the rest of the table.
        let r = fail("cognitiveservices account list-deleted");
        assert_eq!(r.code, Some(1), "{t:?}:\n{}{}", r.stdout, r.stderr);
        assert_eq!(r.row("deleted", "-", "(all accounts)")[3], "BLOCKER");
        assert_eq!(r.row("roles", "-", "deployer@contoso.com")[3], "OK");
        // Not signed in: a usage-level error that says what to do.
        let r = fail("account show");
        assert_eq!(r.code, Some(2), "{t:?}:\n{}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("az login"), "{t:?}: {}", r.stderr);
    }
}

/// purge-deleted.sh when Azure refuses the list: an error, not "0 soft-deleted account(s) found".
#[test]
fn purge_deleted_reports_a_failing_list_instead_of_finding_nothing() {
    for t in TARGETS {
        let env = [("AZ_STUB_FAIL", "cognitiveservices account list-deleted")];
        let r = script(t, "purge-deleted.sh", "success", &env);
        assert_eq!(r.code, Some(1), "{t:?}:\n{}{}", r.stdout, r.stderr);
        assert!(!r.stdout.contains("found"), "{t:?}:\n{}", r.stdout);
        assert!(
            r.stderr.contains("list-deleted failed"),
            "{t:?}: {}",
            r.stderr
        );
        assert!(
            r.calls.iter().all(|c| !c.contains("purge")),
            "{t:?}: {:?}",
            r.calls
        );
    }
}

/// The scripts use associative arrays, which macOS's /bin/bash (3.2) lacks: they say so before anything
/// else instead of dying on `declare -A`.
#[test]
fn scripts_with_associative_arrays_ask_for_bash_4_first() {
    for t in TARGETS {
        let (_, p) = render_text(SPEC, t);
        for (path, bytes) in &p.files {
            let text = String::from_utf8_lossy(bytes);
            let Some(first_use) = text.find("declare -A") else {
                continue;
            };
            let guard = text.find("BASH_VERSINFO[0]").unwrap_or(usize::MAX);
            assert!(
                guard < first_use,
                "{t:?} {path}: no bash 4 check before `declare -A`"
            );
        }
    }
}

#[test]
fn the_readme_puts_preflight_before_deploying() {
    for t in TARGETS {
        let (_, p) = render_text(SPEC, t);
        let readme = crate::common::text(&p, "README.md");
        let pre = readme
            .find("scripts/preflight.sh")
            .expect("README names the script");
        let deploy = readme.find("## Deploy").unwrap();
        assert!(pre < deploy, "{t:?}");
    }
}
