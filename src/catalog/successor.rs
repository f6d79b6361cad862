//! Which current model to suggest in place of a retired, deprecated or legacy one.
//!
//! Input: the catalog, a model version's `replacement` (as Microsoft names it) and today's date. Output: a
//! `Suggestion` naming a model whose default version is GA today and does not retire before the version
//! it replaces, or none.
//!
//! Microsoft names the replacement when a model is announced for retirement, and that replacement ages
//! too (gpt-35-turbo -> gpt-4.1-mini, itself legacy a year later), or retires first (gpt-4.1, retiring
//! 2027-04-14, names gpt-5, retiring 2027-02-09). So the named replacement is followed while it does not
//! fit; where that chain ends on a model that does not (or names none), the newest fitting GA model of the
//! same family is suggested: the same name with its generation taken out (`gpt-4.1-mini` and
//! `gpt-5.4-mini` are both `gpt-*-mini`), the same kind, with a known region list. A model without a
//! published retirement date is taken to retire last.

use std::collections::BTreeSet;

use jiff::civil::Date;

use super::{Catalog, Lifecycle, VersionEntry};

/// A current model to suggest, and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suggestion {
    /// The catalog's replacement, current today.
    Named(String),
    /// The catalog names `named`, which does not fit (`why`: `is legacy itself`, `retires on ...`);
    /// `current` follows it.
    Successor {
        named: String,
        why: String,
        current: String,
    },
    /// The catalog names no replacement; `current` is the newest GA model of the same family.
    Family(String),
    /// The catalog names `named`, which does not fit (`why`), and nothing that fits follows it.
    Stale { named: String, why: String },
}

impl Suggestion {
    /// The current model suggested, if any.
    pub fn model(&self) -> Option<&str> {
        match self {
            Suggestion::Named(m) | Suggestion::Family(m) => Some(m),
            Suggestion::Successor { current, .. } => Some(current),
            Suggestion::Stale { .. } => None,
        }
    }

    /// The tail of a lifecycle message: `; the suggested replacement is `x``.
    pub fn sentence(&self) -> String {
        match self {
            Suggestion::Named(m) => format!("; the suggested replacement is `{m}`"),
            Suggestion::Successor {
                named,
                why,
                current,
            } => format!(
                "; the suggested replacement is `{current}` (the catalog names `{named}`, which {why})"
            ),
            Suggestion::Family(m) => format!("; a current model of the same family is `{m}`"),
            Suggestion::Stale { named, why } => format!(
                "; the catalog's replacement `{named}` {why}, and no current successor that retires later is known"
            ),
        }
    }
}

/// The suggestion for `model` at version entry `v`, or none when no current model fits.
pub fn suggest(c: &Catalog, model: &str, v: &VersionEntry, today: Date) -> Option<Suggestion> {
    let kind = c.models.get(model).map(|m| m.kind.as_str());
    // A replacement must outlive what it replaces: whoever moves should not have to move again sooner.
    let floor = v.retirement();
    let first = v.replacement.as_deref().map(model_name);
    let mut seen = BTreeSet::from([model.to_string()]);
    let mut last = model.to_string();
    let mut next = first.clone();
    while let Some(name) = next {
        if !seen.insert(name.clone()) {
            break;
        }
        if fits(c, &name, today, floor) {
            return Some(match &first {
                Some(f) if *f == name => Suggestion::Named(name),
                Some(f) => Suggestion::Successor {
                    named: f.clone(),
                    why: why_not(c, f, today),
                    current: name,
                },
                None => Suggestion::Family(name),
            });
        }
        next = deployed(c, &name, today)
            .and_then(|v| v.replacement.as_deref())
            .map(model_name);
        last = name;
    }
    let current = newest_of_family(c, &last, kind, &seen, today, floor);
    match (first, current) {
        (Some(f), Some(current)) => Some(Suggestion::Successor {
            why: why_not(c, &f, today),
            named: f,
            current,
        }),
        (Some(f), None) => Some(Suggestion::Stale {
            why: why_not(c, &f, today),
            named: f,
        }),
        (None, current) => current.map(Suggestion::Family),
    }
}

/// The newest current model of `model`'s family (any model, when every version of it is retired).
pub fn current_replacement(c: &Catalog, model: &str, today: Date) -> Option<String> {
    let m = c.models.get(model)?;
    let v = m.versions.values().next()?;
    suggest(c, model, v, today).and_then(|s| s.model().map(str::to_string))
}

/// `sora-2 (2025-12-08)` names the model `sora-2`.
fn model_name(replacement: &str) -> String {
    replacement
        .split(|ch: char| ch.is_whitespace() || ch == '(')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The version of `model` a deployment gets today (its default version).
fn deployed<'c>(c: &'c Catalog, model: &str, today: Date) -> Option<&'c VersionEntry> {
    c.default_version(model, today)
        .and_then(|ver| c.models.get(model)?.versions.get(ver))
}

/// A model is current when its default version is GA today.
fn is_current(c: &Catalog, model: &str, today: Date) -> bool {
    deployed(c, model, today).is_some_and(|v| v.lifecycle_on(today) == Lifecycle::Ga)
}

/// Current, and not retiring before `floor` (the retirement of the version it replaces); a version without
/// a published date is taken to retire last.
fn fits(c: &Catalog, model: &str, today: Date, floor: Option<Date>) -> bool {
    is_current(c, model, today)
        && deployed(c, model, today)
            .and_then(VersionEntry::retirement)
            .is_none_or(|d| floor.is_none_or(|f| d >= f))
}

/// Why a named replacement was passed over: `is legacy itself`, or `retires on D, before the model it
/// replaces`.
fn why_not(c: &Catalog, model: &str, today: Date) -> String {
    match deployed(c, model, today) {
        Some(v) => match (v.lifecycle_on(today), v.retirement()) {
            (Lifecycle::Ga, Some(d)) => format!("retires on {d}, before the model it replaces"),
            (l, _) => format!("is {} itself", l.as_str().to_lowercase()),
        },
        None => "is not in the catalog".into(),
    }
}

/// The model name with its first segment that holds a digit replaced by `*`: its family.
fn family(model: &str) -> String {
    let mut done = false;
    model
        .split('-')
        .map(|seg| {
            if !done && seg.chars().any(|ch| ch.is_ascii_digit()) {
                done = true;
                "*"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// The current model of `model`'s family with the latest retirement date (an unpublished one counts as
/// latest), not before `floor`, ties by name; only models with a region list, since a suggestion must be
/// deployable as is.
fn newest_of_family(
    c: &Catalog,
    model: &str,
    kind: Option<&str>,
    exclude: &BTreeSet<String>,
    today: Date,
    floor: Option<Date>,
) -> Option<String> {
    let fam = family(model);
    c.models
        .iter()
        .filter(|(name, m)| {
            !exclude.contains(*name)
                && family(name) == fam
                && kind.is_none_or(|k| k == m.kind)
                && fits(c, name, today, floor)
        })
        .filter_map(|(name, m)| {
            let v = &m.versions[c.default_version(name, today)?];
            let deployable = !v.regions_unknown && v.skus.values().any(|s| !s.regions.is_empty());
            deployable.then(|| ((v.retirement().is_none(), v.retirement()), name.clone()))
        })
        .max()
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A catalog of four generations: `a-1-mini` (retired) -> `a-2-mini` (legacy, names `a-3-mini`,
    /// deprecated, which names nothing); `a-4-mini` and `a-5-mini` are GA, `a-6-mini` GA but without
    /// regions; `b-9` is GA and of another family. `e-1-pro` and `f-1-max` name a GA model that retires
    /// before them; only the `e` family has a later one.
    fn catalog() -> Catalog {
        let v = |life: &str, retires: &str, repl: Option<&str>, regions: &str| {
            format!(
                "      \"1\":\n        lifecycle: {life}\n        retirement_date: \"{retires}\"\n{}        skus:\n          GlobalStandard: {{regions: [{regions}]}}\n",
                repl.map(|r| format!("        replacement: \"{r}\"\n"))
                    .unwrap_or_default()
            )
        };
        let model =
            |name: &str, body: String| format!("  {name}:\n    kind: chat\n    versions:\n{body}");
        let models = [
            model(
                "a-1-mini",
                v("Retired", "2025-01-01", Some("a-2-mini"), "r1"),
            ),
            model(
                "a-2-mini",
                v("Legacy", "2027-01-01", Some("a-3-mini (2026-01-01)"), "r1"),
            ),
            model("a-3-mini", v("Deprecated", "2027-02-01", None, "r1")),
            model("a-4-mini", v("GA", "2027-06-01", None, "r1")),
            model("a-5-mini", v("GA", "2027-09-01", None, "r1")),
            model("a-6-mini", v("GA", "2028-01-01", None, "")),
            model("b-9", v("GA", "2028-01-01", None, "r1")),
            model("c-1", v("Retired", "2025-01-01", Some("c-2"), "r1")),
            model("c-2", v("Legacy", "2027-01-01", Some("c-1"), "r1")),
            model(
                "e-1-pro",
                v("Deprecated", "2027-08-01", Some("e-2-pro"), "r1"),
            ),
            model("e-2-pro", v("GA", "2027-03-01", None, "r1")),
            model("e-3-pro", v("GA", "2028-01-01", None, "r1")),
            model(
                "f-1-max",
                v("Deprecated", "2027-08-01", Some("f-2-max"), "r1"),
            ),
            model("f-2-max", v("GA", "2027-03-01", None, "r1")),
        ]
        .concat();
        let models = format!("generated_on: \"2026-11-23\"\nmodels:\n{models}");
        let regions = "generated_on: \"2026-11-23\"\nregions:\n  - {name: r1, display_name: R1, abbreviation: r1}\nazure_regions: []\n";
        Catalog::parse(&models, regions).unwrap()
    }

    fn today() -> Date {
        "2026-11-23".parse().unwrap()
    }

    fn of(c: &Catalog, model: &str) -> Option<Suggestion> {
        suggest(c, model, &c.models[model].versions["1"], today())
    }

    #[test]
    fn a_named_replacement_that_is_current_is_suggested_as_is() {
        let c = catalog();
        let mut v = c.models["a-1-mini"].versions["1"].clone();
        v.replacement = Some("a-4-mini".into());
        assert_eq!(
            suggest(&c, "a-1-mini", &v, today()),
            Some(Suggestion::Named("a-4-mini".into()))
        );
    }

    #[test]
    fn a_replacement_that_aged_is_followed_to_a_current_model() {
        let c = catalog();
        // a-1-mini -> a-2-mini (legacy) -> a-3-mini (deprecated, names nothing) -> newest GA mini with
        // regions: a-5-mini (a-6-mini retires later but has no region list).
        let s = of(&c, "a-1-mini").unwrap();
        assert_eq!(
            s,
            Suggestion::Successor {
                named: "a-2-mini".into(),
                why: "is legacy itself".into(),
                current: "a-5-mini".into()
            }
        );
        assert!(s.sentence().contains("`a-5-mini`"), "{}", s.sentence());
        assert!(
            s.sentence().contains("`a-2-mini`, which is legacy itself"),
            "{}",
            s.sentence()
        );
    }

    #[test]
    fn without_a_named_replacement_the_family_supplies_one() {
        let c = catalog();
        assert_eq!(
            of(&c, "a-3-mini"),
            Some(Suggestion::Family("a-5-mini".into()))
        );
        // Another family has no current member: nothing is suggested rather than a stranger.
        assert_eq!(of(&c, "b-9"), None);
    }

    #[test]
    fn a_replacement_cycle_ends_without_suggesting_an_old_model() {
        let c = catalog();
        let s = of(&c, "c-1").unwrap();
        assert_eq!(s.model(), None);
        assert!(
            s.sentence().contains("`c-2` is legacy itself"),
            "{}",
            s.sentence()
        );
    }

    #[test]
    fn a_replacement_retiring_sooner_is_passed_over() {
        let c = catalog();
        let s = of(&c, "e-1-pro").unwrap();
        assert_eq!(
            s,
            Suggestion::Successor {
                named: "e-2-pro".into(),
                why: "retires on 2027-03-01, before the model it replaces".into(),
                current: "e-3-pro".into()
            }
        );
        assert!(
            s.sentence().contains(
                "`e-3-pro` (the catalog names `e-2-pro`, which retires on 2027-03-01, before the model it replaces)"
            ),
            "{}",
            s.sentence()
        );
        // Nothing later in the family: no suggestion rather than one that retires first.
        let s = of(&c, "f-1-max").unwrap();
        assert_eq!(s.model(), None);
        assert!(
            s.sentence().contains("`f-2-max` retires on 2027-03-01"),
            "{}",
            s.sentence()
        );
    }

    #[test]
    fn families() {
        assert_eq!(family("gpt-4.1-mini"), "gpt-*-mini");
        assert_eq!(family("gpt-5.4-mini"), "gpt-*-mini");
        assert_eq!(family("gpt-4o"), family("gpt-5.5"));
        assert_eq!(family("text-embedding-3-large"), "text-embedding-*-large");
        assert_ne!(family("gpt-5.1-codex-mini"), family("gpt-5.4-mini"));
        assert_eq!(model_name("sora-2 (2025-12-08)"), "sora-2");
    }

    /// Whatever the embedded catalog says today, a suggestion names a model that is GA today and does not
    /// retire before the version it replaces.
    #[test]
    fn every_suggestion_from_the_embedded_catalog_is_current() {
        let c = super::super::embedded();
        let mut n = 0;
        for (name, m) in &c.models {
            for v in m.versions.values() {
                if let Some(m) = suggest(c, name, v, today())
                    .as_ref()
                    .and_then(Suggestion::model)
                {
                    n += 1;
                    assert!(is_current(c, m, today()), "{name}: {m}");
                    assert_ne!(m, name);
                    let retires = deployed(c, m, today()).and_then(VersionEntry::retirement);
                    if let (Some(r), Some(floor)) = (retires, v.retirement()) {
                        assert!(r >= floor, "{name} (retires {floor}) -> {m} (retires {r})");
                    }
                }
            }
        }
        assert!(n > 0, "no suggestion at all");
    }

    /// The catalog's facts (models.yaml): gpt-4.1 2025-04-14 retires on 2027-04-14 and names gpt-5, whose
    /// 2025-08-07 retires on 2027-02-09. Suggesting it would move users to a model that goes first.
    #[test]
    fn gpt_4_1_is_not_sent_to_gpt_5_which_retires_first() {
        let c = super::super::embedded();
        let v = &c.models["gpt-4.1"].versions["2025-04-14"];
        assert_eq!(v.retirement_date.as_deref(), Some("2027-04-14"));
        assert_eq!(v.replacement.as_deref(), Some("gpt-5"));
        let gpt5 = deployed(c, "gpt-5", today()).unwrap();
        assert_eq!(gpt5.retirement_date.as_deref(), Some("2027-02-09"));
        let s = suggest(c, "gpt-4.1", v, today()).unwrap();
        let m = s.model().expect("a current successor exists");
        assert_ne!(m, "gpt-5");
        let r = deployed(c, m, today()).unwrap().retirement();
        assert!(r.is_none_or(|r| r >= v.retirement().unwrap()), "{m}: {r:?}");
        assert!(
            s.sentence()
                .contains("the catalog names `gpt-5`, which retires on 2027-02-09, before the model it replaces"),
            "{}",
            s.sentence()
        );
    }
}
