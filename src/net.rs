//! CIDR math for the gateway's network, on `ipnet` (the de-facto IP network crate: small, no dependencies).
//!
//! Input: the spec's address space and optional subnets. Output: the subnets the graph uses, or why the
//! given ones cannot work. Templates never compute addresses.

use ipnet::Ipv4Net;

/// Azure keeps five addresses of every subnet (network, gateway, two DNS, broadcast).
pub const AZURE_RESERVED: u32 = 5;

/// Parses an IPv4 CIDR, insisting on the canonical form (`10.0.0.0/24`, not `10.0.0.5/24`).
pub fn parse_cidr(text: &str) -> Result<Ipv4Net, String> {
    let net: Ipv4Net = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not an IPv4 CIDR such as 10.40.0.0/24"))?;
    if net.network() != net.addr() {
        return Err(format!(
            "`{text}` has host bits set; the network is {}",
            net.trunc()
        ));
    }
    Ok(net)
}

/// The subnet of `prefix` length at position `index` inside `space`.
pub fn nth_subnet(space: Ipv4Net, prefix: u8, index: u32) -> Option<Ipv4Net> {
    space.subnets(prefix).ok()?.nth(index as usize)
}

/// Default gateway subnet: the first /24 (or the whole space when it is smaller).
pub fn default_gateway_subnet(space: Ipv4Net) -> Ipv4Net {
    nth_subnet(space, space.prefix_len().max(24), 0).unwrap_or(space)
}

/// Default private-endpoint subnet: the first subnet of the gateway subnet's size that overlaps nothing.
pub fn default_endpoints_subnet(space: Ipv4Net, gateway: Ipv4Net) -> Option<Ipv4Net> {
    let prefix = gateway.prefix_len().max(space.prefix_len());
    space.subnets(prefix).ok()?.find(|s| !overlaps(*s, gateway))
}

pub fn overlaps(a: Ipv4Net, b: Ipv4Net) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

/// Usable addresses for Application Gateway instances: one per instance after Azure's reserved ones.
pub fn usable_addresses(net: Ipv4Net) -> u32 {
    let total = 1u64 << (32 - u32::from(net.prefix_len()));
    total
        .saturating_sub(u64::from(AZURE_RESERVED))
        .min(u64::from(u32::MAX)) as u32
}

/// Whether `text` is a public IPv4 address or CIDR (Azure OpenAI IP rules take only public ranges).
pub fn parse_public(text: &str) -> Result<Ipv4Net, String> {
    let net = if text.contains('/') {
        parse_cidr(text)?
    } else {
        let ip: std::net::Ipv4Addr = text
            .trim()
            .parse()
            .map_err(|_| format!("`{text}` is not an IPv4 address or CIDR"))?;
        Ipv4Net::new(ip, 32).map_err(|e| e.to_string())?
    };
    let ip = net.network();
    if ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
    {
        return Err(format!(
            "`{text}` is not a public address; account IP rules only take public internet addresses"
        ));
    }
    Ok(net)
}

/// How Azure AI services take `net` as IP rules: a CIDR, or plain addresses for `/31` and `/32`, which
/// its IP rules refuse ("Configure Azure AI services virtual networks", Microsoft Learn).
pub fn ip_rule_entries(net: Ipv4Net) -> Vec<String> {
    match net.prefix_len() {
        32 => vec![net.addr().to_string()],
        31 => net.hosts().map(|h| h.to_string()).collect(),
        _ => vec![net.to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_rules_have_no_31_or_32_prefixes() {
        let rules = |s: &str| ip_rule_entries(parse_public(s).unwrap());
        assert_eq!(rules(" 203.0.113.10 "), ["203.0.113.10"]);
        assert_eq!(rules("198.51.100.20/32"), ["198.51.100.20"]);
        assert_eq!(rules("198.51.100.8/31"), ["198.51.100.8", "198.51.100.9"]);
        assert_eq!(rules("192.0.2.0/24"), ["192.0.2.0/24"]);
    }

    #[test]
    fn default_subnets() {
        let space = parse_cidr("10.40.0.0/16").unwrap();
        let gw = default_gateway_subnet(space);
        assert_eq!(gw.to_string(), "10.40.0.0/24");
        assert_eq!(
            default_endpoints_subnet(space, gw).unwrap().to_string(),
            "10.40.1.0/24"
        );
        let gw2 = parse_cidr("10.40.0.0/23").unwrap();
        assert_eq!(
            default_endpoints_subnet(space, gw2).unwrap().to_string(),
            "10.40.2.0/23"
        );
        let tiny = parse_cidr("192.168.10.0/26").unwrap();
        assert_eq!(default_gateway_subnet(tiny).to_string(), "192.168.10.0/26");
        assert_eq!(default_endpoints_subnet(tiny, tiny), None);
    }

    #[test]
    fn cidr_parsing() {
        assert!(parse_cidr("10.0.0.0/8").is_ok());
        assert!(
            parse_cidr("10.0.0.5/24")
                .unwrap_err()
                .contains("10.0.0.0/24")
        );
        assert!(parse_cidr("10.0.0.0/33").is_err());
        assert!(parse_cidr("banana").is_err());
    }

    #[test]
    fn overlap_and_capacity() {
        let a = parse_cidr("10.0.0.0/24").unwrap();
        assert!(overlaps(a, parse_cidr("10.0.0.128/25").unwrap()));
        assert!(!overlaps(a, parse_cidr("10.0.1.0/24").unwrap()));
        assert_eq!(usable_addresses(a), 251);
        assert_eq!(usable_addresses(parse_cidr("10.0.0.0/29").unwrap()), 3);
    }

    #[test]
    fn public_addresses_only() {
        assert!(parse_public("203.0.113.10").is_ok());
        assert!(parse_public("198.51.100.0/24").is_ok());
        assert!(parse_public("10.1.2.3").is_err());
        assert!(parse_public("192.168.0.0/16").is_err());
    }
}
