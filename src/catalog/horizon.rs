//! The retirement horizon: how far ahead `validate` looks for model retirements.
//!
//! Input: `--retirement-horizon` or the spec's `retirement_horizon` (`<days>d`). Output: a number of days
//! and the warning for a deployment whose model (or SKU) retires within them, so CI fails with
//! `--deny-warnings` before Azure starts answering 410.

use jiff::civil::Date;
use jiff::{Span, ToSpan};

use crate::diag::Diagnostic;
use crate::spec::yaml::{SpanMap, warning_at};

/// The horizon when neither the command line nor the spec gives one.
pub const DEFAULT_DAYS: u32 = 30;

/// `90d` -> 90. At most 9999 days.
pub fn parse_days(text: &str) -> Result<u32, String> {
    text.strip_suffix('d')
        .filter(|n| !n.is_empty() && n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("`{text}` is not a number of days such as `90d`"))
}

/// The day `days` after `today`.
pub fn end(today: Date, days: u32) -> Date {
    let span: Span = i64::from(days).days();
    today.checked_add(span).unwrap_or(Date::MAX)
}

/// Whether `date` lies after `today` and within `days` of it.
pub fn within(today: Date, days: u32, date: Date) -> bool {
    date > today && date <= end(today, days)
}

/// The warning for `what` (e.g. `gpt-4.1 2025-04-14`) retiring on `date`.
#[allow(clippy::too_many_arguments)]
pub fn warning(
    s: &SpanMap,
    at: &str,
    what: &str,
    date: Date,
    today: Date,
    days: u32,
    lifecycle: &str,
    replacement: Option<&str>,
) -> Diagnostic {
    let left = (date - today).get_days();
    let state = if lifecycle.is_empty() || lifecycle == "GA" || lifecycle == "unknown" {
        String::new()
    } else {
        format!(" ({lifecycle})")
    };
    warning_at(
        s,
        "retires-soon",
        at,
        format!("{what}{state} retires on {date}, in {left} day(s), within the retirement horizon of {days} days"),
    )
    .with_help(match replacement {
        Some(r) => format!("move to `{r}` before then: after retirement Azure answers 410 and deployments stop working"),
        None => "move to a current model before then (`aoaigen catalog models`): after retirement Azure answers 410".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse() {
        assert_eq!(parse_days("90d"), Ok(90));
        assert_eq!(parse_days("0d"), Ok(0));
        assert!(parse_days("90").is_err());
        assert!(parse_days("d").is_err());
        assert!(parse_days("12345d").is_err());
        assert!(parse_days("-1d").is_err());
    }

    #[test]
    fn within_counts_the_last_day_and_not_today() {
        let today: Date = "2026-11-23".parse().unwrap();
        assert!(within(today, 30, "2026-12-23".parse().unwrap()));
        assert!(!within(today, 30, "2026-12-24".parse().unwrap()));
        assert!(!within(today, 30, today));
        assert!(!within(today, 0, "2026-11-24".parse().unwrap()));
    }
}
