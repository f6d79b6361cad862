//! `aoaigen catalog import`: records `az cognitiveservices model list` output as a catalog overlay.
//!
//! Input: JSON files (or directories of `*.json`), the region they were listed for (`--region`, or each
//! file's name), the overlay to write or merge into (`--out`), the import date. Output: the overlay file,
//! written only when every input is valid (atomically, through a temporary file beside it), and beside it
//! the overlay's JSON Schema its modeline names (never over an existing file); or located errors and
//! nothing written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::catalog::{self, overlay};
use crate::cli::{EXIT_BUG, EXIT_INVALID, EXIT_OK, EXIT_USAGE};

/// Inputs larger than this are not model lists (a region's list is a few megabytes at most).
const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

pub const DEFAULT_OUT: &str = "aoaigen-catalog.yaml";

pub fn run(
    region: Option<&str>,
    files: &[PathBuf],
    out: Option<&Path>,
    date: Option<&str>,
    today: Date,
) -> i32 {
    if files.is_empty() {
        errln!(
            "error: name the JSON files of `az cognitiveservices model list --location <region> -o json`, e.g. `aoaigen catalog import --region swedencentral swedencentral.json`"
        );
        return EXIT_USAGE;
    }
    let date = match date {
        None => today.to_string(),
        Some(d) => match d.parse::<Date>() {
            Ok(d) => d.to_string(),
            Err(_) => {
                errln!("error: --date `{d}` is not a date such as 2026-12-01");
                return EXIT_USAGE;
            }
        },
    };
    let embedded = catalog::embedded();
    let fixed_region = match region {
        None => None,
        Some(r) => match embedded.azure_region(r) {
            Some(x) => Some(x.name.clone()),
            None => {
                errln!(
                    "error: --region `{r}` is not an Azure region (see `aoaigen catalog regions`)"
                );
                return EXIT_USAGE;
            }
        },
    };
    let mut errors = Vec::new();
    let mut by_region: BTreeMap<String, Vec<overlay::import::InputFile>> = BTreeMap::new();
    for path in expand(files, &mut errors) {
        // File names come from directories as much as from the command line: one line each, nothing raw.
        let label = crate::diag::escape_line(&path.display().to_string()).into_owned();
        // A file that cannot be read says so first: its name is no clue to a region then.
        let bytes = match read(&path) {
            Ok(b) => b,
            Err(e) => {
                errors.push(format!("{label}: {e}"));
                continue;
            }
        };
        let region = match &fixed_region {
            Some(r) => r.clone(),
            None => {
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                match embedded.azure_region(&stem) {
                    Some(r) => r.name.clone(),
                    None => {
                        errors.push(format!(
                            "{label}: cannot tell which region it lists: pass --region, or name the file after the region (swedencentral.json)"
                        ));
                        continue;
                    }
                }
            }
        };
        by_region
            .entry(region)
            .or_default()
            .push(overlay::import::InputFile {
                name: path
                    .file_name()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                label,
                bytes,
            });
    }
    let mut imported = overlay::Overlay::new();
    for (region, files) in &by_region {
        match overlay::import::import_region(files, &date) {
            Ok(r) => {
                imported.regions.insert(region.clone(), r);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    imported.merge(overlay::Overlay::new());
    let out = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT));
    let mut result = if out.exists() {
        match overlay::load(&out) {
            Ok(o) => o,
            Err(mut e) => {
                errors.push(format!(
                    "{}: the existing overlay cannot be merged into:",
                    out.display()
                ));
                errors.append(&mut e);
                overlay::Overlay::new()
            }
        }
    } else {
        overlay::Overlay::new()
    };
    if !errors.is_empty() {
        for e in &errors {
            errln!("error: {e}");
        }
        errln!("nothing was written");
        return EXIT_INVALID;
    }
    result.merge(imported.clone());
    let text = overlay::emit::to_yaml(&result);
    // What is written must read back to the same overlay and apply to the catalog.
    match overlay::parse(&out.display().to_string(), text.as_bytes()) {
        Ok(back) if back == result => {}
        Ok(_) | Err(_) => {
            errln!(
                "internal error: the overlay does not read back as written; this is a bug in aoaigen"
            );
            return EXIT_BUG;
        }
    }
    if let Err(e) = overlay::apply::apply(embedded, &result, "overlay") {
        for e in e {
            errln!("error: {e}");
        }
        errln!("nothing was written");
        return EXIT_INVALID;
    }
    if let Err(e) = write_atomically(&out, text.as_bytes()) {
        errln!("error: cannot write {}: {e}", out.display());
        return EXIT_INVALID;
    }
    // The overlay is written; the schema only serves editors, so failing to write it is a warning.
    let dir = out.parent().unwrap_or(Path::new(""));
    let schema_note = match crate::schema_file::write_beside(
        dir,
        overlay::SCHEMA_FILE,
        &overlay::schema_text(),
        "aoaigen schema --catalog",
    ) {
        Ok(note) => note,
        Err(e) => format!("warning: {e}; the overlay's first line names it for editor completion"),
    };
    for (name, r) in &imported.regions {
        let versions: usize = r.models.values().map(|m| m.versions.len()).sum();
        errln!(
            "{name}: {} model(s), {versions} version(s){}",
            r.models.len(),
            if r.other_formats_skipped > 0 {
                format!(
                    "; {} model(s) of other formats skipped",
                    r.other_formats_skipped
                )
            } else {
                String::new()
            }
        );
    }
    errln!(
        "wrote {} (dated {}); review the diff, commit it next to the spec, and use it with `catalog: {}` or `--catalog`",
        out.display(),
        result.date,
        out.display()
    );
    errln!("{schema_note}");
    EXIT_OK
}

/// Files as given, directories as their `*.json` files in name order.
fn expand(files: &[PathBuf], errors: &mut Vec<String>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for f in files {
        if f.is_dir() {
            let mut found: Vec<PathBuf> = match std::fs::read_dir(f) {
                Ok(rd) => rd
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
                    .collect(),
                Err(e) => {
                    errors.push(format!("{}: {e}", f.display()));
                    continue;
                }
            };
            if found.is_empty() {
                errors.push(format!(
                    "{}: the directory holds no *.json files",
                    f.display()
                ));
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(f.clone());
        }
    }
    out
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(format!(
            "{} bytes; a model list is far smaller (limit {MAX_INPUT_BYTES})",
            meta.len()
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read: {e}"))
}

/// Writes `bytes` to `path` through a temporary file in the same directory, so a reader never sees half a
/// file and a failure leaves the old one.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile_in(dir)?;
    {
        use std::io::Write;
        tmp.1.write_all(bytes)?;
        tmp.1.sync_all()?;
    }
    std::fs::rename(&tmp.0, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp.0);
    })
}

fn tempfile_in(dir: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    for i in 0..100u32 {
        let p = dir.join(format!(".aoaigen-catalog.{}.{i}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&p)
        {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free temporary file name"))
}
