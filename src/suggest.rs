//! Did-you-mean suggestions for names the author probably mistyped (keys, models, regions, versions).
//!
//! Input: the unknown word and the known candidates. Output: the closest candidate, if it is close enough
//! to be a likely typo. strsim's Jaro-Winkler favours shared prefixes, which matches how names are mistyped.

/// The candidate closest to `word`, when it is similar enough to suggest.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let mut best: Option<(&'a str, f64)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&lower, &c.to_ascii_lowercase());
        if best.is_none_or(|(_, s)| score > s) {
            best = Some((c, score));
        }
    }
    best.filter(|(_, s)| *s >= 0.8).map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_close_names_only() {
        let regions = ["swedencentral", "switzerlandnorth", "uksouth"];
        assert_eq!(did_you_mean("swedencentrl", regions), Some("swedencentral"));
        assert_eq!(
            did_you_mean("SwedenCentral", regions),
            Some("swedencentral")
        );
        assert_eq!(did_you_mean("japaneast", regions), None);
        assert_eq!(
            did_you_mean("modle", ["model", "version", "sku"]),
            Some("model")
        );
    }
}
