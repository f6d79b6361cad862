//! Command line: parses arguments, runs the pipeline, prints, and maps outcomes to exit codes
//! (0 success, 1 invalid input or `--check` found a difference, 2 usage error, 3 internal bug, 4 output
//! could not be written). Everything printed goes through `console`, which never panics.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::catalog;
use crate::pipeline::{self, Analysis};
use crate::render::{self, Target};

pub const EXIT_OK: i32 = 0;
pub const EXIT_INVALID: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_BUG: i32 = 3;
/// The output could not be written: the output directory or stdout failed (a full disk, permissions).
pub const EXIT_IO: i32 = 4;

#[derive(Debug, Parser)]
#[command(
    name = "aoaigen",
    version,
    about = "Generate Bicep and Terraform projects that put Azure OpenAI accounts in several regions behind one Application Gateway"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render the spec into a Terraform and/or Bicep project.
    Render {
        #[arg(long, default_value = "aoaigen.yaml")]
        spec: PathBuf,
        #[arg(long, value_enum)]
        target: RenderTarget,
        /// Output directory; default `generated/<target>` (`generated` for `all`).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Compare with the output directory instead of writing; exit 1 and print a diff on any difference.
        #[arg(long)]
        check: bool,
        /// Overwrite generated files edited by hand and files aoaigen did not generate.
        #[arg(long)]
        force: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// Catalog overlay (from `aoaigen catalog import`); replaces the spec's `catalog:`.
        #[arg(long, value_name = "FILE")]
        catalog: Option<PathBuf>,
    },
    /// Validate specs (exit 0 valid, 1 invalid); for editors and pre-commit.
    Validate {
        #[arg(long, default_value = "aoaigen.yaml")]
        spec: PathBuf,
        /// Spec files to validate instead of --spec (what pre-commit passes).
        #[arg(value_name = "FILE", conflicts_with = "spec")]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// Catalog overlay (from `aoaigen catalog import`); replaces the spec's `catalog:`.
        #[arg(long, value_name = "FILE")]
        catalog: Option<PathBuf>,
        /// Warn when a model retires within this many days, e.g. `90d`; default: the spec's
        /// `retirement_horizon` (30d).
        #[arg(long, value_name = "DAYS", value_parser = crate::catalog::horizon::parse_days)]
        retirement_horizon: Option<u32>,
    },
    /// Show capacity and routing; nothing is written.
    Plan {
        #[arg(long, default_value = "aoaigen.yaml")]
        spec: PathBuf,
        #[arg(long, value_enum, default_value_t = PlanFormat::Table)]
        format: PlanFormat,
        /// Catalog overlay (from `aoaigen catalog import`); replaces the spec's `catalog:`.
        #[arg(long, value_name = "FILE")]
        catalog: Option<PathBuf>,
    },
    /// Print the spec's JSON Schema (or, with --catalog, the catalog overlay's).
    Schema {
        /// Print the JSON Schema of catalog overlays instead.
        #[arg(long)]
        catalog: bool,
    },
    /// What the embedded catalog knows; `import` records `az cognitiveservices model list` output as an overlay.
    Catalog(crate::catalog_cmd::Args),
    /// Write a commented starter spec.
    Init {
        #[arg(long, default_value = "aoaigen.yaml")]
        out: PathBuf,
    },
    /// Print shell completions.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderTarget {
    Terraform,
    Bicep,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Table,
    Json,
    Mermaid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogWhat {
    Models,
    Regions,
    Import,
}

/// Runs a parsed command line and returns the exit code.
pub fn run(cli: Cli) -> i32 {
    let today = match catalog::today() {
        Ok(d) => d,
        Err(e) => {
            errln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    match cli.command {
        Command::Render {
            spec,
            target,
            out,
            check,
            force,
            deny_warnings,
            catalog,
        } => {
            let opts = pipeline::Options {
                catalog,
                ..Default::default()
            };
            render_cmd(
                &spec,
                target,
                out,
                check,
                force,
                deny_warnings,
                today,
                &opts,
            )
        }
        Command::Validate {
            spec,
            files,
            format,
            deny_warnings,
            catalog,
            retirement_horizon,
        } => {
            let opts = pipeline::Options {
                catalog,
                retirement_horizon,
            };
            let specs = if files.is_empty() { vec![spec] } else { files };
            validate_cmd(&specs, format, deny_warnings, today, &opts)
        }
        Command::Plan {
            spec,
            format,
            catalog,
        } => {
            let opts = pipeline::Options {
                catalog,
                ..Default::default()
            };
            let a = pipeline::analyse_with(&spec, today, &opts);
            let Some(g) = report_or_graph(&a, false) else {
                return EXIT_INVALID;
            };
            match format {
                PlanFormat::Json => outln!(
                    "{}",
                    serde_json::to_string_pretty(g).expect("graph serialises")
                ),
                PlanFormat::Mermaid => out!("{}", crate::report::mermaid(g)),
                PlanFormat::Table => out!(
                    "{}",
                    crate::report::table(g, std::io::stdout().is_terminal())
                ),
            }
            EXIT_OK
        }
        Command::Schema { catalog } => {
            if catalog {
                out!("{}", catalog::overlay::schema_text());
            } else {
                out!("{}", crate::spec::schema::schema_text());
            }
            EXIT_OK
        }
        Command::Catalog(args) => crate::catalog_cmd::dispatch(args, today),
        Command::Init { out } => init_cmd(&out),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut text = Vec::new();
            clap_complete::generate(shell, &mut cmd, "aoaigen", &mut text);
            out!("{}", String::from_utf8_lossy(&text));
            EXIT_OK
        }
    }
}

/// Validates the specs and prints their diagnostics: human text per file, or one JSON document
/// `{"valid", "deny_warnings", "files": [{"file", "valid", "errors", "warnings", "diagnostics", ...}]}`
/// for any number of files. Exit 1 when any file is invalid.
fn validate_cmd(
    specs: &[PathBuf],
    format: Format,
    deny_warnings: bool,
    today: jiff::civil::Date,
    opts: &pipeline::Options,
) -> i32 {
    let mut all_valid = true;
    let mut files = Vec::new();
    for spec in specs {
        let a = pipeline::analyse_with(spec, today, opts);
        let valid = a.ok(deny_warnings);
        all_valid &= valid;
        match format {
            Format::Human => {
                say_catalog(&a);
                err!("{}", a.report.render_human(std::io::stderr().is_terminal()));
                if let Some(note) = denied_warnings(&a, deny_warnings) {
                    errln!("{note}");
                }
                if valid {
                    let w = a.report.warnings();
                    outln!(
                        "{}: valid ({w} warning{})",
                        spec.display(),
                        if w == 1 { "" } else { "s" }
                    );
                }
            }
            Format::Json => {
                let mut v = a.report.to_json();
                v["valid"] = valid.into();
                files.push(v);
            }
        }
    }
    if format == Format::Json {
        let doc = serde_json::json!({
            "valid": all_valid,
            "deny_warnings": deny_warnings,
            "files": files,
        });
        outln!(
            "{}",
            serde_json::to_string_pretty(&doc).expect("diagnostics serialise")
        );
    }
    if all_valid { EXIT_OK } else { EXIT_INVALID }
}

/// When `--deny-warnings` alone made a spec fail, the line that says so.
fn denied_warnings(a: &Analysis, deny_warnings: bool) -> Option<String> {
    let w = a.report.warnings();
    (deny_warnings && a.graph.is_some() && a.report.errors() == 0 && w > 0).then(|| {
        format!(
            "error: {}: {w} warning{} treated as error{} (--deny-warnings)",
            a.report.file_name,
            if w == 1 { "" } else { "s" },
            if w == 1 { "" } else { "s" }
        )
    })
}

/// The stderr line naming the catalog(s) the checks used.
fn say_catalog(a: &Analysis) {
    if !a.report.catalogs.is_empty() {
        errln!(
            "{}: catalog: {}",
            a.report.file_name,
            pipeline::describe_layers(&a.report.catalogs)
        );
    }
}

/// Prints the diagnostics; returns the graph when the spec is usable.
fn report_or_graph(a: &Analysis, deny_warnings: bool) -> Option<&crate::graph::ResourceGraph> {
    say_catalog(a);
    let text = a.report.render_human(std::io::stderr().is_terminal());
    err!("{text}");
    if let Some(note) = denied_warnings(a, deny_warnings) {
        errln!("{note}");
    }
    if a.ok(deny_warnings) {
        a.graph.as_ref()
    } else {
        None
    }
}

#[allow(clippy::too_many_arguments)]
fn render_cmd(
    spec: &Path,
    target: RenderTarget,
    out: Option<PathBuf>,
    check: bool,
    force: bool,
    deny_warnings: bool,
    today: jiff::civil::Date,
    opts: &pipeline::Options,
) -> i32 {
    let a = pipeline::analyse_with(spec, today, opts);
    let Some(graph) = report_or_graph(&a, deny_warnings) else {
        errln!("nothing was written");
        return EXIT_INVALID;
    };
    let targets: Vec<(Target, PathBuf)> = match target {
        RenderTarget::Terraform => vec![(
            Target::Terraform,
            out.unwrap_or_else(|| PathBuf::from("generated/terraform")),
        )],
        RenderTarget::Bicep => vec![(
            Target::Bicep,
            out.unwrap_or_else(|| PathBuf::from("generated/bicep")),
        )],
        RenderTarget::All => {
            let base = out.unwrap_or_else(|| PathBuf::from("generated"));
            vec![
                (Target::Terraform, base.join("terraform")),
                (Target::Bicep, base.join("bicep")),
            ]
        }
    };
    // Render everything before writing anything, so a failure leaves every directory as it was.
    let mut rendered = Vec::new();
    for (t, dir) in targets {
        match render::render(graph, t) {
            Ok(p) => rendered.push((t, dir, p)),
            Err(e) => {
                errln!("internal error: {e}");
                return EXIT_BUG;
            }
        }
    }
    crate::write_cmd::run(&a, &rendered, check, force)
}

/// Writes the starter spec (never over an existing file or symlink) and, beside it, the JSON Schema its
/// modeline names; an existing schema file is left alone when it differs (it may be someone's own).
fn init_cmd(out: &Path) -> i32 {
    use std::fs::OpenOptions;
    use std::io::Write as _;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| out.display().to_string());
    let spec = crate::starter::starter_spec(&name);
    let created = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(out)
        .and_then(|mut f| f.write_all(spec.as_bytes()));
    match created {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            errln!(
                "error: {} already exists; choose another path with --out",
                out.display()
            );
            return EXIT_INVALID;
        }
        Err(e) => {
            errln!("error: cannot write {}: {e}", out.display());
            return EXIT_INVALID;
        }
    }
    let dir = out.parent().unwrap_or(Path::new(""));
    let schema = crate::spec::schema::schema_text();
    let schema_note = match crate::schema_file::write_beside(
        dir,
        crate::starter::SCHEMA_FILE,
        &schema,
        "aoaigen schema",
    ) {
        Ok(note) => note,
        Err(e) => {
            errln!("error: {e}");
            return EXIT_INVALID;
        }
    };
    errln!(
        "wrote {}; {schema_note}\nnext: aoaigen validate --spec {0} && aoaigen render --spec {0} --target bicep",
        out.display()
    );
    EXIT_OK
}
