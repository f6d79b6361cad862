//! `cargo bench --bench render`: end-to-end timings of the real `aoaigen` binary.
//!
//! For every example and for generated specs of growing size (about 50, 100, 200 and 500 deployments; the
//! largest is 20 GA/Legacy chat and embedding models, each GlobalStandard in every region that offers it,
//! `capacity: 1`), runs `aoaigen validate` and `aoaigen render --target all` as subprocesses
//! `AOAIGEN_BENCH_RUNS` times (default 7; in rounds, each round running every command of every spec once)
//! and reports the median wall time and the peak resident memory of the child (`wait4` rusage of that one
//! process). As a reference it runs `terraform fmt -check -recursive`
//! on the rendered Terraform directory the same way (`$AOAIGEN_TERRAFORM`, else `terraform` on `PATH`;
//! when neither exists the reference is reported as not measured). Then it fits render time against the
//! deployment count (ms per 100 deployments) to show how time grows.
//!
//! The binary is the one Cargo builds for this bench (`CARGO_BIN_EXE_aoaigen`, the bench profile, i.e.
//! release). Results: a table on stdout and `target/bench-results.json`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use aoaigen::catalog;

#[path = "support/generated.rs"]
mod generated;
use generated::{largest_models, spec_text};

const BIN: &str = env!("CARGO_BIN_EXE_aoaigen");
/// Deployment counts of the intermediate generated specs; the largest spec follows them.
const SIZES: [usize; 3] = [50, 100, 200];

/// One measured command: median wall time and the largest peak RSS over the runs.
#[derive(Debug, Clone, serde::Serialize)]
struct Measure {
    median_ms: f64,
    min_ms: f64,
    max_ms: f64,
    peak_rss_mib: f64,
    runs: usize,
}

#[derive(Debug, serde::Serialize)]
struct Row {
    spec: String,
    kind: &'static str,
    deployments: usize,
    models: usize,
    accounts: usize,
    rendered_files: usize,
    terraform_files: usize,
    validate: Measure,
    render_all: Measure,
    /// `None` when no terraform binary was found.
    terraform_fmt_check: Option<Measure>,
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let runs: usize = std::env::var("AOAIGEN_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(7);
    let today = catalog::today().expect("today's date");
    let today_s = today.to_string();
    let terraform = find_terraform();
    let work = tempfile::tempdir().expect("temp dir");

    println!("aoaigen bench: {BIN}");
    println!(
        "runs per command: {runs}; date {today_s}; {} CPU(s)",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    match &terraform {
        Some(t) => println!("terraform reference: {} ({})", t.display(), tf_version(t)),
        None => println!(
            "terraform reference: NOT MEASURED (no $AOAIGEN_TERRAFORM and no `terraform` on PATH)"
        ),
    }

    // (name, kind, spec path, cwd)
    let mut specs: Vec<(String, &'static str, PathBuf)> = Vec::new();
    let mut examples: Vec<PathBuf> = std::fs::read_dir(root.join("examples"))
        .expect("examples/")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    examples.sort();
    for p in examples {
        let name = p.file_stem().unwrap().to_string_lossy().into_owned();
        specs.push((
            name,
            "example",
            p.strip_prefix(&root).unwrap().to_path_buf(),
        ));
    }
    let models = largest_models(today);
    let per_model: Vec<usize> = models.iter().map(|(_, r)| r.len()).collect();
    let total: usize = per_model.iter().sum();
    let mut cuts: Vec<usize> = SIZES
        .iter()
        .map(|&target| {
            // Whole models, until the count reaches the target.
            let mut n = 0;
            let mut k = 0;
            while k < models.len() && n < target {
                n += per_model[k];
                k += 1;
            }
            k
        })
        .collect();
    cuts.push(models.len());
    cuts.dedup();
    for k in cuts {
        let n: usize = per_model[..k].iter().sum();
        let path = work.path().join(format!("generated-{n}.yaml"));
        std::fs::write(&path, spec_text(&models[..k])).unwrap();
        specs.push((format!("generated-{n}"), "generated", path));
    }
    println!(
        "largest generated spec: {} models, {total} deployments\n",
        models.len()
    );

    // Every spec's graph (for the counts), then the measurements in rounds: each round runs every command
    // of every spec once, so a burst of load on the machine hits all sizes alike instead of one of them.
    let env = [("AOAIGEN_TODAY", today_s.as_str()), ("NO_COLOR", "1")];
    let mut cases = Vec::new();
    for (name, kind, spec) in &specs {
        let analysis = {
            let _cwd = Cwd::enter(&root);
            aoaigen::pipeline::analyse(spec, today)
        };
        let g = analysis.graph.unwrap_or_else(|| {
            panic!(
                "{name} is invalid:\n{}",
                analysis.report.render_human(false)
            )
        });
        let out_base = work.path().join(format!("out-{name}"));
        cases.push(Case {
            name: name.clone(),
            kind,
            spec: spec.to_string_lossy().into_owned(),
            deployments: g.deployments.len(),
            models: g.gateway.pools.len(),
            accounts: g.accounts.len(),
            // The first render is kept for the reference and the file counts; later ones go to `again`.
            out: out_base.join("first"),
            again: out_base.join("again"),
            samples: [Samples::default(), Samples::default(), Samples::default()],
        });
    }
    let load_before = load_average();
    for round in 0..runs {
        for c in &mut cases {
            let mut v = Command::new(BIN);
            v.args(["validate", "--spec", &c.spec])
                .current_dir(&root)
                .envs(env);
            c.samples[0].push(run_one(&mut v));
            let out = if round == 0 { &c.out } else { &c.again };
            let _ = std::fs::remove_dir_all(out);
            let mut r = Command::new(BIN);
            r.args(["render", "--spec", &c.spec, "--target", "all", "--out"])
                .arg(out)
                .current_dir(&root)
                .envs(env);
            c.samples[1].push(run_one(&mut r));
            if let Some(t) = &terraform {
                let mut f = Command::new(t);
                f.args(["fmt", "-check", "-recursive"])
                    .arg(c.out.join("terraform"))
                    .env("CHECKPOINT_DISABLE", "1");
                c.samples[2].push(run_one(&mut f));
            }
        }
        eprint!("\rround {}/{runs}", round + 1);
    }
    eprintln!();
    let load_after = load_average();
    let mut rows = Vec::new();
    for c in &cases {
        let tf_dir = c.out.join("terraform");
        let row = Row {
            spec: c.name.clone(),
            kind: c.kind,
            deployments: c.deployments,
            models: c.models,
            accounts: c.accounts,
            rendered_files: count_files(&c.out),
            terraform_files: count_files(&tf_dir),
            validate: c.samples[0].summary(),
            render_all: c.samples[1].summary(),
            terraform_fmt_check: terraform.as_ref().map(|_| c.samples[2].summary()),
        };
        print_row(&row, rows.is_empty());
        rows.push(row);
    }
    println!("load average (1 min) before/after the runs: {load_before} / {load_after}");

    // Growth: least squares of render (and validate) time over the generated sizes.
    let generated: Vec<&Row> = rows.iter().filter(|r| r.kind == "generated").collect();
    let xs: Vec<f64> = generated.iter().map(|r| r.deployments as f64).collect();
    let fit_of = |ys: Vec<f64>| {
        let f = fit(&xs, &ys);
        let (first, last) = (generated.first().unwrap(), generated.last().unwrap());
        // Slope between consecutive sizes: constant for linear growth, rising for superlinear growth.
        let segments: Vec<f64> = xs
            .windows(2)
            .zip(ys.windows(2))
            .map(|(x, y)| 100.0 * (y[1] - y[0]) / (x[1] - x[0]))
            .collect();
        Growth {
            ms_per_100_deployments: f.slope * 100.0,
            intercept_ms: f.intercept_ms,
            r_squared: f.r2,
            deployments_ratio: last.deployments as f64 / first.deployments as f64,
            time_ratio: ys.last().unwrap() / ys.first().unwrap(),
            segment_ms_per_100_deployments: segments,
        }
    };
    let render_growth = fit_of(generated.iter().map(|r| r.render_all.median_ms).collect());
    let validate_growth = fit_of(generated.iter().map(|r| r.validate.median_ms).collect());
    // The fastest run is the least disturbed by other load on the machine: a second view of the growth.
    let render_min_growth = fit_of(generated.iter().map(|r| r.render_all.min_ms).collect());
    println!();
    for (what, g) in [
        ("render --target all (median)", &render_growth),
        ("render --target all (fastest run)", &render_min_growth),
        ("validate (median)", &validate_growth),
    ] {
        println!(
            "{what}: {:.2} ms per 100 deployments + {:.1} ms fixed (R² {:.4}); \
             {:.1}x the deployments took {:.2}x the time; ms per 100 deployments between sizes: {}",
            g.ms_per_100_deployments,
            g.intercept_ms,
            g.r_squared,
            g.deployments_ratio,
            g.time_ratio,
            g.segment_ms_per_100_deployments
                .iter()
                .map(|v| format!("{v:.1}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let largest = generated.last().unwrap();
    match &largest.terraform_fmt_check {
        Some(f) => println!(
            "largest spec ({} deployments): render --target all {:.1} ms vs terraform fmt -check {:.1} ms \
             ({:.1}% of it)",
            largest.deployments,
            largest.render_all.median_ms,
            f.median_ms,
            100.0 * largest.render_all.median_ms / f.median_ms
        ),
        None => {
            println!("largest spec: terraform fmt -check reference NOT MEASURED (no terraform)")
        }
    }

    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let json = serde_json::json!({
        "date": today_s,
        "cpus": std::thread::available_parallelism().map_or(0, |n| n.get()),
        "runs": runs,
        "load_average_1min": { "before": load_before, "after": load_after },
        "binary": BIN,
        "terraform": terraform.as_ref().map(|t| format!("{} ({})", t.display(), tf_version(t))),
        "rows": rows,
        "growth": {
            "render_all": render_growth,
            "render_all_fastest_run": render_min_growth,
            "validate": validate_growth,
        },
    });
    std::fs::create_dir_all(&target_dir).unwrap();
    let out = target_dir.join("bench-results.json");
    std::fs::write(&out, serde_json::to_string_pretty(&json).unwrap() + "\n").unwrap();
    println!("results: {}", out.display());
}

#[derive(Debug, serde::Serialize)]
struct Growth {
    ms_per_100_deployments: f64,
    intercept_ms: f64,
    r_squared: f64,
    deployments_ratio: f64,
    time_ratio: f64,
    /// Slope between consecutive generated sizes, ms per 100 deployments.
    segment_ms_per_100_deployments: Vec<f64>,
}

struct Case {
    name: String,
    kind: &'static str,
    spec: String,
    deployments: usize,
    models: usize,
    accounts: usize,
    out: PathBuf,
    again: PathBuf,
    /// validate, render --target all, terraform fmt -check.
    samples: [Samples; 3],
}

/// Wall times (ms) and peak RSS (KiB) of the runs of one command.
#[derive(Default)]
struct Samples(Vec<(f64, i64)>);

impl Samples {
    fn push(&mut self, s: (f64, i64)) {
        self.0.push(s);
    }

    fn summary(&self) -> Measure {
        let mut sorted: Vec<f64> = self.0.iter().map(|s| s.0).collect();
        sorted.sort_by(f64::total_cmp);
        let peak_kib = self.0.iter().map(|s| s.1).max().unwrap_or(0);
        Measure {
            median_ms: median(&sorted),
            min_ms: sorted[0],
            max_ms: sorted[sorted.len() - 1],
            peak_rss_mib: peak_kib as f64 / 1024.0,
            runs: sorted.len(),
        }
    }
}

/// The 1-minute load average, for judging how quiet the machine was.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}

/// Wall time (ms) and peak RSS (KiB, the child's own `ru_maxrss` from `wait4`); panics unless it exits 0.
fn run_one(cmd: &mut Command) -> (f64, i64) {
    let err = tempfile::tempfile().unwrap();
    let t0 = Instant::now();
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(err.try_clone().unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; the pid is our own unreaped child.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(r, pid, "wait4 failed: {}", std::io::Error::last_os_error());
    // The child is reaped; std's handle must not wait for it again.
    std::mem::forget(child);
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        use std::io::{Read, Seek};
        let mut e = err;
        let mut text = String::new();
        let _ = e.rewind();
        let _ = e.read_to_string(&mut text);
        panic!("{cmd:?} failed (wait status {status}):\n{text}");
    }
    (ms, ru.ru_maxrss)
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

struct Fit {
    slope: f64,
    intercept_ms: f64,
    r2: f64,
}

fn fit(xs: &[f64], ys: &[f64]) -> Fit {
    let n = xs.len() as f64;
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let sxy: f64 = xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let intercept = my - slope * mx;
    let ss_res: f64 = xs
        .iter()
        .zip(ys)
        .map(|(x, y)| (y - (intercept + slope * x)).powi(2))
        .sum();
    let ss_tot: f64 = ys.iter().map(|y| (y - my).powi(2)).sum();
    Fit {
        slope,
        intercept_ms: intercept,
        r2: if ss_tot > 0.0 {
            1.0 - ss_res / ss_tot
        } else {
            1.0
        },
    }
}

fn print_row(r: &Row, header: bool) {
    if header {
        println!(
            "{:<22} {:>5} {:>6} {:>12} {:>9} {:>12} {:>9} {:>14} {:>9}",
            "spec", "depl.", "files", "validate ms", "MiB", "render ms", "MiB", "tf fmt ms", "MiB"
        );
    }
    let (fmt_ms, fmt_mib) = match &r.terraform_fmt_check {
        Some(f) => (
            format!("{:.1}", f.median_ms),
            format!("{:.1}", f.peak_rss_mib),
        ),
        None => ("not measured".into(), "-".into()),
    };
    println!(
        "{:<22} {:>5} {:>6} {:>12.1} {:>9.1} {:>12.1} {:>9.1} {:>14} {:>9}",
        r.spec,
        r.deployments,
        r.rendered_files,
        r.validate.median_ms,
        r.validate.peak_rss_mib,
        r.render_all.median_ms,
        r.render_all.peak_rss_mib,
        fmt_ms,
        fmt_mib
    );
}

fn count_files(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count()
}

/// `$AOAIGEN_TERRAFORM`, else `terraform` on `PATH`.
fn find_terraform() -> Option<PathBuf> {
    if let Some(t) = std::env::var_os("AOAIGEN_TERRAFORM") {
        let p = PathBuf::from(t);
        return p.is_file().then_some(p);
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join("terraform"))
        .find(|p| p.is_file())
}

fn tf_version(t: &Path) -> String {
    Command::new(t)
        .arg("version")
        .env("CHECKPOINT_DISABLE", "1")
        .stderr(Stdio::null())
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .map(str::to_string)
        })
        .unwrap_or_else(|| "version unknown".into())
}

/// The examples' relative paths resolve against the repo root, as in `cargo test`.
struct Cwd(PathBuf);

impl Cwd {
    fn enter(dir: &Path) -> Self {
        let old = std::env::current_dir().unwrap();
        std::env::set_current_dir(dir).unwrap();
        Cwd(old)
    }
}

impl Drop for Cwd {
    fn drop(&mut self) {
        let _ = std::env::set_current_dir(&self.0);
    }
}
