//! The JSON Schema file written beside a YAML file whose `yaml-language-server` modeline names it by a
//! relative path (editors resolve it against the YAML file's own directory): `init` writes the spec's,
//! `catalog import` the overlay's.
//!
//! Input: the directory, the schema's file name and text, and the command that prints the schema. Output: a
//! sentence for the user, or an error. Never writes through a symlink or over an existing file: one that
//! differs may be someone's own, or another version's, and is kept, with the command that replaces it.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::Path;

/// Writes `schema` to `dir/name` unless something is there already.
pub fn write_beside(
    dir: &Path,
    name: &str,
    schema: &str,
    prints_it: &str,
) -> Result<String, String> {
    let path = dir.join(name);
    let shown = path.display();
    match std::fs::symlink_metadata(&path) {
        Ok(_) if std::fs::read(&path).is_ok_and(|b| b == schema.as_bytes()) => {
            Ok(format!("{shown} is up to date"))
        }
        Ok(_) => Ok(format!(
            "kept the existing {shown}: it differs from this aoaigen's schema (`{prints_it} > {shown}` replaces it)"
        )),
        // `create_new` fails on any existing entry, a dangling symlink included: nothing is followed.
        Err(_) => OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| f.write_all(schema.as_bytes()))
            .map(|()| format!("wrote {shown} (editor completion)"))
            .map_err(|e| format!("cannot write {shown}: {e}")),
    }
}
