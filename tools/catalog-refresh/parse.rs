//! Parsers for the Microsoft Learn markdown sources of the catalog refresh.
//!
//! Input: the text of one saved source file (a region-availability matrix, the retirement schedule, or a
//! quota-tier table). Output: flat rows (`Availability`, `Retirement`, `Quota`), or a `ParseError` naming the
//! line when the page no longer has the shape these parsers know. They never guess: an unknown SKU section, a
//! cell that is neither ✅ nor -, or a row with the wrong number of cells stops the refresh, because a
//! silently skipped table is a silently wrong catalog.

use std::fmt;

/// A page that does not have the expected shape, with the 1-based line where that was noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

fn err<T>(line: usize, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError {
        line,
        message: message.into(),
    })
}

/// The page's `ms.date` (front matter, `MM/DD/YYYY`) as `YYYY-MM-DD`.
pub fn ms_date(text: &str) -> Option<String> {
    let mut lines = text.lines();
    if lines.next()?.trim() != "---" {
        return None;
    }
    for line in lines {
        let line = line.trim();
        if line == "---" {
            return None;
        }
        if let Some(v) = line.strip_prefix("ms.date:") {
            let v = v.trim();
            let parts: Vec<&str> = v.split('/').collect();
            if let [m, d, y] = parts[..]
                && m.len() == 2
                && d.len() == 2
                && y.len() == 4
                && [m, d, y]
                    .iter()
                    .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
            {
                return Some(format!("{y}-{m}-{d}"));
            }
            return None;
        }
    }
    None
}

/// One ✅ cell of a region matrix: `model` `version` can be deployed with `sku` in `region`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Availability {
    pub sku: &'static str,
    /// The docs' geography tab (`Americas`, `Europe`, `Asia Pacific`, `Middle East & Africa`).
    pub tab: String,
    pub model: String,
    pub version: String,
    pub region: String,
}

/// The deployment SKU (`sku.name` in ARM) a matrix section heading stands for.
fn sku_of_heading(heading: &str) -> Option<&'static str> {
    let h = heading.trim().to_ascii_lowercase();
    Some(match h.as_str() {
        "global standard" => "GlobalStandard",
        "data zone standard" => "DataZoneStandard",
        "standard/regional" | "standard" | "regional standard" => "Standard",
        "global provisioned managed" => "GlobalProvisionedManaged",
        "data zone provisioned managed" => "DataZoneProvisionedManaged",
        "regional provisioned managed" | "provisioned managed" => "ProvisionedManaged",
        "global batch" => "GlobalBatch",
        "data zone batch" => "DataZoneBatch",
        _ => return None,
    })
}

/// Splits a markdown table row into trimmed cells, or `None` for a line that is not a row.
fn cells(line: &str) -> Option<Vec<String>> {
    let t = line.trim();
    let inner = t.strip_prefix('|')?.strip_suffix('|')?;
    Some(
        inner
            .split('|')
            .map(|c| c.trim().trim_matches('*').trim().to_string())
            .collect(),
    )
}

fn is_separator(c: &[String]) -> bool {
    c.iter()
        .all(|x| !x.is_empty() && x.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
}

/// Removes `<sup>…</sup>` footnote markers.
fn strip_sup(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("<sup>") {
        out.push_str(&rest[..i]);
        match rest[i..].find("</sup>") {
            Some(j) => rest = &rest[i + j + "</sup>".len()..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.trim().to_string()
}

/// Every ✅ of the Azure OpenAI tables of a `deployments-{standard,provisioned,batch}.md` page.
///
/// Tables under `#### Availability for other Foundry Models…` are skipped; tables before any `####` heading
/// (the layout of older versions of the page) count as Azure OpenAI tables.
pub fn parse_matrix(text: &str) -> Result<Vec<Availability>, ParseError> {
    let mut out = Vec::new();
    let mut sku: Option<&'static str> = None;
    let mut section = String::new();
    let mut openai = true;
    let mut tab = String::new();
    let mut header: Option<Vec<String>> = None;
    let mut saw_separator = false;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if let Some(h) = line.strip_prefix("## ") {
            section = h.trim().to_string();
            sku = sku_of_heading(h);
            openai = true;
            header = None;
            continue;
        }
        if let Some(h) = line.strip_prefix("#### ") {
            openai = h.contains("Azure OpenAI");
            header = None;
            continue;
        }
        if let Some(h) = line.strip_prefix("# [") {
            tab = h.split(']').next().unwrap_or_default().to_string();
            header = None;
            continue;
        }
        let Some(c) = cells(line) else {
            header = None;
            continue;
        };
        match &header {
            None => {
                if c.len() < 3 || c[0] != "Model" || c[1] != "Version" {
                    return err(
                        n,
                        format!(
                            "a table whose header is not `Model | Version | <regions>`: {line}"
                        ),
                    );
                }
                header = Some(c);
                saw_separator = false;
            }
            Some(h) if !saw_separator => {
                if !is_separator(&c) || c.len() != h.len() {
                    return err(
                        n,
                        "the table header is not followed by a separator row of the same width",
                    );
                }
                saw_separator = true;
            }
            Some(h) => {
                if c.len() != h.len() {
                    return err(
                        n,
                        format!("{} cells where the header has {}", c.len(), h.len()),
                    );
                }
                if !openai {
                    continue;
                }
                let Some(sku) = sku else {
                    return err(
                        n,
                        format!("a table under the unknown section `## {section}`"),
                    );
                };
                if tab.is_empty() {
                    return err(n, "a table before any `# [Geography](#tab/…)` tab");
                }
                let (model, version) = (c[0].clone(), c[1].clone());
                if model.is_empty() || version.is_empty() {
                    return err(n, "a row without a model or version");
                }
                for (region, cell) in h[2..].iter().zip(&c[2..]) {
                    match cell.as_str() {
                        "✅" => out.push(Availability {
                            sku,
                            tab: tab.clone(),
                            model: model.clone(),
                            version: version.clone(),
                            region: region.clone(),
                        }),
                        "-" | "" => {}
                        other => {
                            return err(
                                n,
                                format!(
                                    "cell `{other}` for {model} {version} in {region} is neither ✅ nor -"
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

/// One row of the Azure OpenAI retirement schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retirement {
    pub line: usize,
    pub model: String,
    pub version: String,
    pub lifecycle: String,
    /// `YYYY-MM-DD`, or `None` for `—`.
    pub retirement_date: Option<String>,
    /// From `No earlier than YYYY-MM-DD`.
    pub retirement_not_before: Option<String>,
    pub replacement: Option<String>,
    /// From a replacement written `model (version)`.
    pub replacement_version: Option<String>,
}

const LIFECYCLES: [&str; 5] = ["GA", "Preview", "Legacy", "Deprecated", "Retired"];

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn absent(s: &str) -> bool {
    matches!(s, "" | "—" | "-" | "–" | "n/a")
}

/// The rows of the first table after the `### Azure OpenAI` heading of the retirement schedule.
pub fn parse_retirements(text: &str) -> Result<Vec<Retirement>, ParseError> {
    let mut lines = text.lines().enumerate();
    let Some(start) = lines
        .by_ref()
        .find(|(_, l)| l.trim() == "### Azure OpenAI")
        .map(|(i, _)| i + 1)
    else {
        return err(1, "no `### Azure OpenAI` heading");
    };
    let mut header_seen = false;
    let mut separator_seen = false;
    let mut out = Vec::new();
    for (i, raw) in lines {
        let n = i + 1;
        let line = raw.trim();
        if line.starts_with('#') {
            break;
        }
        let Some(c) = cells(line) else {
            if separator_seen {
                break;
            }
            continue;
        };
        if !header_seen {
            let want = [
                "Model",
                "Version",
                "Lifecycle",
                "Retirement date",
                "Replacement",
            ];
            if c != want {
                return err(
                    n,
                    format!(
                        "the retirement table's header is not `{}`",
                        want.join(" | ")
                    ),
                );
            }
            header_seen = true;
            continue;
        }
        if !separator_seen {
            if !is_separator(&c) {
                return err(
                    n,
                    "the retirement table's header is not followed by a separator row",
                );
            }
            separator_seen = true;
            continue;
        }
        if c.len() != 5 {
            return err(n, format!("{} cells where the header has 5", c.len()));
        }
        let lifecycle = c[2].clone();
        if !LIFECYCLES.contains(&lifecycle.as_str()) {
            return err(
                n,
                format!(
                    "unknown lifecycle `{lifecycle}` (known: {})",
                    LIFECYCLES.join(", ")
                ),
            );
        }
        let (mut retirement_date, mut retirement_not_before) = (None, None);
        let date = strip_sup(&c[3]);
        if let Some(d) = date.strip_prefix("No earlier than ") {
            if !is_date(d.trim()) {
                return err(n, format!("`{date}` is not `No earlier than YYYY-MM-DD`"));
            }
            retirement_not_before = Some(d.trim().to_string());
        } else if !absent(&date) {
            if !is_date(&date) {
                return err(n, format!("retirement date `{date}` is not YYYY-MM-DD"));
            }
            retirement_date = Some(date);
        }
        let (mut replacement, mut replacement_version) = (None, None);
        let r = strip_sup(&c[4]);
        if !absent(&r) {
            match r.split_once('(') {
                Some((m, v)) => {
                    let v = v.trim_end_matches(')').trim();
                    replacement = Some(m.trim().to_string());
                    replacement_version = Some(v.to_string());
                }
                None => {
                    if r.contains(',') || r.contains(' ') {
                        return err(n, format!("replacement `{r}` is not one model name"));
                    }
                    replacement = Some(r);
                }
            }
        }
        out.push(Retirement {
            line: n,
            model: c[0].clone(),
            version: c[1].clone(),
            lifecycle,
            retirement_date,
            retirement_not_before,
            replacement,
            replacement_version,
        });
    }
    if out.is_empty() {
        return err(
            start,
            "the `### Azure OpenAI` section has no retirement table rows",
        );
    }
    Ok(out)
}

/// One row of a quota-tier table: default tokens per minute for a model and deployment type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quota {
    pub model: String,
    pub sku: String,
    /// `None` where the page gives `-` (image models are limited by requests, not tokens).
    pub tokens_per_minute: Option<u64>,
}

/// The rows of the `Model Name | Deployment Type | RPM | TPM` table of a `quota-tier/tier-N.md` page.
pub fn parse_quota_tier(text: &str) -> Result<Vec<Quota>, ParseError> {
    let mut out = Vec::new();
    let mut header = false;
    let mut separator = false;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let Some(c) = cells(raw) else {
            continue;
        };
        if !header {
            if c.len() != 4 || c[0] != "Model Name" || c[1] != "Deployment Type" {
                return err(
                    n,
                    "the quota table's header is not `Model Name | Deployment Type | RPM | TPM`",
                );
            }
            header = true;
            continue;
        }
        if !separator {
            if !is_separator(&c) {
                return err(
                    n,
                    "the quota table's header is not followed by a separator row",
                );
            }
            separator = true;
            continue;
        }
        if c.len() != 4 {
            return err(n, format!("{} cells where the header has 4", c.len()));
        }
        let tpm = c[3].replace(',', "");
        let tokens_per_minute = if absent(&tpm) {
            None
        } else {
            match tpm.parse::<u64>() {
                Ok(v) => Some(v),
                Err(_) => return err(n, format!("tokens per minute `{}` is not a number", c[3])),
            }
        };
        if sku_of_arm_name(&c[1]).is_none() {
            return err(n, format!("unknown deployment type `{}`", c[1]));
        }
        out.push(Quota {
            model: strip_sup(&c[0]),
            sku: c[1].clone(),
            tokens_per_minute,
        });
    }
    if out.is_empty() {
        return err(1, "no quota table");
    }
    Ok(out)
}

/// The deployment SKUs (ARM `sku.name`) the catalog knows, in the order it lists them.
pub const SKUS: [&str; 8] = [
    "GlobalStandard",
    "DataZoneStandard",
    "Standard",
    "GlobalProvisionedManaged",
    "DataZoneProvisionedManaged",
    "ProvisionedManaged",
    "GlobalBatch",
    "DataZoneBatch",
];

/// `name` as one of `SKUS`, for checking the quota table's `Deployment Type` column.
pub fn sku_of_arm_name(name: &str) -> Option<&'static str> {
    SKUS.into_iter().find(|s| *s == name)
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
