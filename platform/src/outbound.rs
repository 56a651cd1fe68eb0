//! Outbound connections a tenant configures — its SSO provider, its SMTP server — must not
//! turn the server into a probe of its own network: outside development they go only to
//! public addresses (loopback, private, link-local, shared and unique-local ranges are
//! refused, checked on every address the name resolves to), and the SSO issuer only over
//! https. In development the local provider and SMTP sink on loopback are allowed.

use std::net::IpAddr;

use crate::error::{AppError, AppResult};

/// Whether `ip` is an address of the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                // 100.64.0.0/10: carrier-grade NAT, a provider's own network.
                || (o[0] == 100 && (o[1] & 0xc0) == 64)
                || o[0] == 0)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // fc00::/7 unique local, fe80::/10 link local.
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// Refuses (naming `field`) a host that resolves to a non-public address, outside
/// development; a host that does not resolve is refused too.
pub async fn check_host(field: &str, host: &str, port: u16, development: bool) -> AppResult<()> {
    if development {
        return Ok(());
    }
    let addrs: Vec<_> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|_| AppError::validation(field, "the name does not resolve"))?
        .collect();
    if addrs.is_empty() {
        return Err(AppError::validation(field, "the name does not resolve"));
    }
    if addrs.iter().any(|a| !is_public(a.ip())) {
        return Err(AppError::validation(
            field,
            "must not point at a private or loopback address",
        ));
    }
    Ok(())
}

/// An SSO issuer: `https://` (in development also `http://` on loopback), and its host
/// public outside development.
pub async fn check_issuer(field: &str, issuer: &str, development: bool) -> AppResult<()> {
    let url = reqwest::Url::parse(issuer)
        .map_err(|_| AppError::validation(field, "must be the provider's URL (https://…)"))?;
    let host = url.host_str().unwrap_or_default().to_owned();
    let loopback = matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]" | "::1");
    match url.scheme() {
        "https" => {}
        "http" if development && loopback => {}
        _ => {
            return Err(AppError::validation(
                field,
                "must be the provider's URL (https://…)",
            ));
        }
    }
    check_host(
        field,
        &host,
        url.port_or_known_default().unwrap_or(443),
        development,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_loopback_ranges_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
        ] {
            let ip: IpAddr = ip.parse().unwrap_or_else(|e| panic!("{ip}: {e}"));
            assert!(!is_public(ip), "{ip}");
        }
        for ip in ["8.8.8.8", "2a00:1450:4001::1", "100.128.0.1"] {
            let ip: IpAddr = ip.parse().unwrap_or_else(|e| panic!("{ip}: {e}"));
            assert!(is_public(ip), "{ip}");
        }
    }

    #[tokio::test]
    async fn an_issuer_is_https_and_public_outside_development() {
        let bad = |r: AppResult<()>| matches!(r, Err(AppError::Validation { .. }));
        assert!(bad(check_issuer(
            "ssoIssuer",
            "http://idp.example.com",
            false
        )
        .await));
        assert!(bad(check_issuer(
            "ssoIssuer",
            "https://127.0.0.1:9400",
            false
        )
        .await));
        assert!(bad(
            check_issuer("ssoIssuer", "https://10.0.0.5", false).await
        ));
        assert!(bad(check_issuer("ssoIssuer", "http://10.0.0.5", true).await));
        assert!(
            check_issuer("ssoIssuer", "http://127.0.0.1:9400", true)
                .await
                .is_ok()
        );
        assert!(
            check_issuer("ssoIssuer", "https://93.184.215.14", false)
                .await
                .is_ok()
        );
    }
}
