//! Where the local stack listens and the URLs clients use to reach it: the
//! bind address (`--host`) and the public base URL (`--public-url`), from
//! which the S3 emulator's public URL follows (same host, its own port).

use hyper::Uri;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The machine's own addresses (empty if they cannot be listed).
pub fn machine_addresses() -> Vec<IpAddr> {
    if_addrs::get_if_addrs()
        .map(|list| list.into_iter().map(|i| i.ip()).collect())
        .unwrap_or_default()
}

/// The host clients use for a stack bound to `bind`: the address itself, or
/// for 0.0.0.0 (and ::) the first non-loopback IPv4 of `machine`, else
/// loopback.
pub fn public_host(bind: IpAddr, machine: &[IpAddr]) -> IpAddr {
    if !bind.is_unspecified() {
        return bind;
    }
    machine
        .iter()
        .copied()
        .find(|ip| ip.is_ipv4() && !ip.is_loopback())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

/// An address this machine can connect to for a listener bound to `bound`.
pub fn local(bound: SocketAddr) -> SocketAddr {
    match bound.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => (Ipv4Addr::LOCALHOST, bound.port()).into(),
        IpAddr::V6(ip) if ip.is_unspecified() => {
            (std::net::Ipv6Addr::LOCALHOST, bound.port()).into()
        }
        _ => bound,
    }
}

/// `http://addr` (brackets around an IPv6 address).
pub fn http_url(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

/// A public base URL as given: `http(s)://host[:port]`, nothing after.
/// Returns it without a trailing slash.
pub fn check_public_url(url: &str) -> Result<String, String> {
    let uri: Uri = url
        .parse()
        .map_err(|e| format!("--public-url {url:?}: {e}"))?;
    let ok_scheme = matches!(uri.scheme_str(), Some("http" | "https"));
    let bare = uri.path_and_query().is_none_or(|p| p.as_str() == "/");
    match (ok_scheme, uri.host(), bare) {
        (true, Some(_), true) => Ok(url.trim_end_matches('/').to_string()),
        _ => Err(format!(
            "--public-url {url:?}: expected http://HOST[:PORT] (no path), e.g. http://192.168.1.20:3000"
        )),
    }
}

/// The S3 emulator's public URL: the API's public scheme and host, the
/// emulator's port.
pub fn public_s3_url(public_api_url: &str, s3_port: u16) -> Result<String, String> {
    let uri: Uri = public_api_url.parse().map_err(|e| format!("{e}"))?;
    let scheme = uri.scheme_str().unwrap_or("http");
    let host = uri.host().ok_or("the public URL has no host")?;
    Ok(format!("{scheme}://{host}:{s3_port}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unspecified_bind_address_is_published_as_the_first_lan_address() {
        let machine: Vec<IpAddr> = ["127.0.0.1", "::1", "fe80::1", "192.168.1.20", "10.0.0.3"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let any: IpAddr = "0.0.0.0".parse().unwrap();
        assert_eq!(
            public_host(any, &machine),
            "192.168.1.20".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            public_host(any, &machine[..2]),
            "127.0.0.1".parse::<IpAddr>().unwrap(),
            "loopback when there is nothing else"
        );
        let lan: IpAddr = "10.0.0.3".parse().unwrap();
        assert_eq!(public_host(lan, &machine), lan);
    }

    #[test]
    fn public_urls() {
        assert_eq!(
            check_public_url("http://192.168.1.20:3000/").unwrap(),
            "http://192.168.1.20:3000"
        );
        assert!(check_public_url("192.168.1.20:3000").is_err());
        assert!(check_public_url("http://host:3000/api").is_err());
        assert!(check_public_url("ftp://host").is_err());
        assert_eq!(
            public_s3_url("http://192.168.1.20:3000", 9000).unwrap(),
            "http://192.168.1.20:9000"
        );
        assert_eq!(
            public_s3_url("http://[fd00::2]:3000", 9000).unwrap(),
            "http://[fd00::2]:9000"
        );
        assert_eq!(
            local("0.0.0.0:3000".parse().unwrap()),
            "127.0.0.1:3000".parse().unwrap()
        );
    }
}
