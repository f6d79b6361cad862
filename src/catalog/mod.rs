//! The embedded model-region catalog and the expansion of a spec through it.
//!
//! Input: the catalog YAML compiled into the binary (`data/`, a copy of the project's gathered facts) and a
//! validated `RawSpec`. Output: `Catalog` lookups (total: every miss is a user error with suggestions) and,
//! from `expand`, a `Plan` where every model is resolved to a version, SKU, capacity and regions.

mod data;
pub mod expand;

use std::sync::OnceLock;

use jiff::civil::Date;

pub use data::{
    AzureRegion, Catalog, ModelEntry, OpenAiRegion, QuotaPool, SkuEntry, Source, VersionEntry,
};

/// The catalog compiled into this binary.
pub fn embedded() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::parse(
            include_str!("data/models.yaml"),
            include_str!("data/regions.yaml"),
        )
        .unwrap_or_else(|e| {
            panic!("the embedded catalog does not load ({e}); this is a bug in aoaigen")
        })
    })
}

/// Where a model version stands on a given day.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lifecycle {
    Ga,
    Preview,
    Legacy,
    Deprecated,
    Retired,
    Unknown,
}

impl Lifecycle {
    pub fn as_str(&self) -> &'static str {
        match self {
            Lifecycle::Ga => "GA",
            Lifecycle::Preview => "Preview",
            Lifecycle::Legacy => "Legacy",
            Lifecycle::Deprecated => "Deprecated",
            Lifecycle::Retired => "Retired",
            Lifecycle::Unknown => "unknown",
        }
    }
}

impl VersionEntry {
    /// The lifecycle on `today`: a version whose retirement date has passed is retired whatever the
    /// catalog's label says, because the label was copied on the catalog's date, not today.
    pub fn lifecycle_on(&self, today: Date) -> Lifecycle {
        if self.retirement().is_some_and(|date| date <= today) {
            return Lifecycle::Retired;
        }
        match self.lifecycle.as_deref() {
            Some("GA") => Lifecycle::Ga,
            Some("Preview") => Lifecycle::Preview,
            Some("Legacy") => Lifecycle::Legacy,
            Some("Deprecated") => Lifecycle::Deprecated,
            Some("Retired") => Lifecycle::Retired,
            _ => Lifecycle::Unknown,
        }
    }

    pub fn retirement(&self) -> Option<Date> {
        self.retirement_date.as_deref().and_then(|d| d.parse().ok())
    }

    /// The lifecycle of a deployment with `sku` on `today`, and the SKU's own retirement date where it comes
    /// before the version's: a SKU can retire on its own date while the version stays deployable with others.
    pub fn lifecycle_with_sku<'a>(
        &self,
        sku: &'a SkuEntry,
        today: Date,
    ) -> (Lifecycle, Option<&'a str>) {
        let own = sku
            .retirement()
            .filter(|d| self.retirement().is_none_or(|v| *d < v));
        let lifecycle = match own {
            Some(d) if d <= today => Lifecycle::Retired,
            _ => self.lifecycle_on(today),
        };
        (lifecycle, own.and(sku.retirement_date.as_deref()))
    }
}

/// Today's date, overridable with `AOAIGEN_TODAY=YYYY-MM-DD` so tests and reproducible CI runs do not age.
pub fn today() -> Result<Date, String> {
    if let Ok(v) = std::env::var("AOAIGEN_TODAY") {
        return v
            .parse()
            .map_err(|_| format!("AOAIGEN_TODAY must be a date such as 2026-11-23, found `{v}`"));
    }
    let now = jiff::Timestamp::now();
    Ok(now.to_zoned(jiff::tz::TimeZone::UTC).date())
}

/// Lowercase with spaces removed: how both `swedencentral` and `Sweden Central` become one key.
pub fn region_key(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_match_the_gathered_data() {
        // Figures stated in the catalog README this copy was taken from (65 models, 84 versions, 28 Azure
        // OpenAI regions, 58 Azure regions).
        let c = embedded();
        assert_eq!(c.models.len(), 65);
        assert_eq!(
            c.models.values().map(|m| m.versions.len()).sum::<usize>(),
            84
        );
        assert_eq!(c.regions.len(), 28);
        assert_eq!(c.azure_regions.len(), 58);
        assert_eq!(c.date, "2026-11-23");
    }

    #[test]
    fn region_lookup_accepts_display_names() {
        let c = embedded();
        assert_eq!(
            c.azure_region("Sweden Central").unwrap().abbreviation,
            "sdc"
        );
        assert_eq!(c.azure_region("ukwest").unwrap().name, "ukwest");
        assert_eq!(c.openai_region("East US 2").unwrap().name, "eastus2");
        assert!(
            c.openai_region("ukwest").is_none(),
            "ukwest has no Azure OpenAI"
        );
        assert!(c.azure_region("swedencentrl").is_none());
    }

    #[test]
    fn retirement_is_judged_against_today() {
        let c = embedded();
        let o3 = &c.models["o3-mini"].versions["2025-01-31"];
        assert_eq!(
            o3.lifecycle_on("2026-01-01".parse().unwrap()),
            Lifecycle::Deprecated
        );
        assert_eq!(
            o3.lifecycle_on("2026-11-23".parse().unwrap()),
            Lifecycle::Retired
        );
    }

    #[test]
    fn a_sku_can_retire_before_its_version() {
        let models = r#"
generated_on: "2026-10-05"
models:
  m:
    kind: chat
    versions:
      "1":
        lifecycle: GA
        retirement_date: "2027-06-01"
        skus:
          Standard: {regions: [eastus], retirement_date: "2026-12-01"}
          GlobalStandard: {regions: [eastus]}
"#;
        let regions = "generated_on: \"2026-10-05\"\nregions: []\nazure_regions: []\n";
        let c = Catalog::parse(models, regions).unwrap();
        let v = &c.models["m"].versions["1"];
        let day = |s: &str| -> Date { s.parse().unwrap() };
        let std = &v.skus["Standard"];
        assert_eq!(
            v.lifecycle_with_sku(std, day("2026-11-30")),
            (Lifecycle::Ga, Some("2026-12-01"))
        );
        assert_eq!(
            v.lifecycle_with_sku(std, day("2026-12-01")),
            (Lifecycle::Retired, Some("2026-12-01"))
        );
        let gs = &v.skus["GlobalStandard"];
        assert_eq!(
            v.lifecycle_with_sku(gs, day("2026-12-01")),
            (Lifecycle::Ga, None)
        );
        assert_eq!(
            v.lifecycle_with_sku(gs, day("2027-06-01")),
            (Lifecycle::Retired, None)
        );
    }

    #[test]
    fn default_version_skips_retired_ones() {
        let c = embedded();
        let today: Date = "2026-11-23".parse().unwrap();
        assert_eq!(c.default_version("gpt-4.1", today), Some("2025-04-14"));
        assert_eq!(
            c.default_version("text-embedding-ada-002", today),
            Some("2")
        );
        // Every gpt-35-turbo version is retired: the newest is still named so the error can say so.
        assert_eq!(c.default_version("gpt-35-turbo", today), Some("0125"));
    }

    #[test]
    fn abbreviations_are_unique() {
        let c = embedded();
        let mut abbrs: Vec<_> = c
            .azure_regions
            .iter()
            .map(|r| r.abbreviation.as_str())
            .collect();
        abbrs.sort();
        abbrs.dedup();
        assert_eq!(abbrs.len(), c.azure_regions.len());
    }
}
