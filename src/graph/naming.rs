//! Resource names: `<kind>-<name>-<region abbreviation>`, one function per kind so both targets agree.
//!
//! Globally unique names (custom subdomains, the gateway's DNS label) get a random suffix that the target
//! produces itself (Terraform `random_string`, Bicep `uniqueString`), so the generated text stays the same
//! on every run. The graph holds the prefix; the limits below account for the suffix.

/// Length of the target-produced suffix appended (after a hyphen) to globally unique names.
pub const SUFFIX_LEN: usize = 6;

pub fn resource_group(name: &str, role: &str) -> String {
    format!("rg-{name}-{role}")
}

pub fn regional(kind: &str, name: &str, abbreviation: &str) -> String {
    format!("{kind}-{name}-{abbreviation}")
}

/// The vault name inside a Key Vault secret ID (`https://<vault>.vault.azure.net/secrets/<name>[/<version>]`).
pub fn key_vault_name(secret_id: &str) -> Option<&str> {
    let rest = secret_id.strip_prefix("https://")?;
    let (host, path) = rest.split_once('/')?;
    let vault = host.strip_suffix(".vault.azure.net")?;
    let mut parts = path.trim_end_matches('/').split('/');
    let valid_vault = (3..=24).contains(&vault.len())
        && vault.starts_with(|c: char| c.is_ascii_alphabetic())
        && vault
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let secret_ok = parts.next() == Some("secrets")
        && parts.next().is_some_and(|n| !n.is_empty())
        && parts.clone().count() <= 1;
    (valid_vault && secret_ok).then_some(vault)
}

/// The secret's path inside a Key Vault secret ID: `<name>` or `<name>/<version>`.
pub fn key_vault_secret_path(secret_id: &str) -> Option<&str> {
    key_vault_name(secret_id)?;
    let (_, path) = secret_id.strip_prefix("https://")?.split_once('/')?;
    path.trim_end_matches('/').strip_prefix("secrets/")
}

/// Account names and custom subdomains: 2-64 characters of `[a-z0-9-]`.
pub fn valid_account_name(name: &str) -> bool {
    (2..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_pattern() {
        assert_eq!(regional("oai", "contoso-llm", "sdc"), "oai-contoso-llm-sdc");
        assert_eq!(resource_group("contoso-llm", "gw"), "rg-contoso-llm-gw");
    }

    #[test]
    fn key_vault_names_from_secret_ids() {
        assert_eq!(
            key_vault_name("https://kv-contoso.vault.azure.net/secrets/ai-gw"),
            Some("kv-contoso")
        );
        assert_eq!(
            key_vault_name("https://kv-contoso.vault.azure.net/secrets/ai-gw/0123abcd"),
            Some("kv-contoso")
        );
        assert_eq!(
            key_vault_name("https://kv-contoso.vault.azure.net/certificates/ai-gw"),
            None
        );
        assert_eq!(
            key_vault_name("http://kv-contoso.vault.azure.net/secrets/ai-gw"),
            None
        );
        assert_eq!(key_vault_name("https://kv.vault.azure.net/secrets/x"), None);
        assert_eq!(
            key_vault_secret_path("https://kv-contoso.vault.azure.net/secrets/ai-gw/0123abcd/"),
            Some("ai-gw/0123abcd")
        );
        assert_eq!(
            key_vault_secret_path("https://kv-contoso.vault.azure.net/secrets/ai-gw"),
            Some("ai-gw")
        );
    }

    #[test]
    fn account_name_limits() {
        assert!(valid_account_name("oai-contoso-llm-sdc"));
        assert!(!valid_account_name(&"a".repeat(65)));
        assert!(!valid_account_name("Oai"));
    }
}
