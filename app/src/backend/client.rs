//! The client's address, which the brute-force guard counts failures by
//! (rule L5).
//!
//! Behind a reverse proxy every request comes from the proxy's address, so
//! the proxy's `X-Forwarded-For` must be read; but anyone can send that
//! header, so it is believed only when the request comes from a proxy listed
//! in `security.trusted_proxies` (none by default), and only as far as the
//! chain is made of trusted proxies: reading the header from the right, the
//! first address that is not a trusted proxy is the client.

use axum::extract::ConnectInfo;
use http::request::Parts;
use std::net::{IpAddr, SocketAddr};

/// The client of a request, from the connection axum recorded and the
/// request's `X-Forwarded-For` headers; `None` for a router served without
/// connection information (the tests' `oneshot`). The one reading of a
/// request's address: the pages' server functions, the journal's export and
/// the API all go through it.
pub fn of_request(parts: &Parts, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>()?.0.ip();
    let forwarded: Vec<&str> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    Some(client_address(peer, &forwarded, trusted))
}

/// The client of a request that came from `peer` with these
/// `X-Forwarded-For` values (several headers are one list, in order).
pub fn client_address(peer: IpAddr, forwarded_for: &[&str], trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let mut client = peer;
    for hop in forwarded_for
        .iter()
        .rev()
        .flat_map(|header| header.rsplit(','))
    {
        match hop.trim().parse::<IpAddr>() {
            Ok(address) => {
                client = address;
                if !trusted.contains(&address) {
                    break;
                }
            }
            // A hop we cannot read: stop at the last address we could.
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_header_is_ignored_unless_the_peer_is_a_trusted_proxy() {
        let client = ip("203.0.113.7");
        assert_eq!(client_address(client, &["198.51.100.1"], &[]), client);
        assert_eq!(
            client_address(client, &["198.51.100.1"], &[ip("10.0.0.1")]),
            client
        );
    }

    #[test]
    fn behind_trusted_proxies_the_first_untrusted_hop_from_the_right_is_the_client() {
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        // A forged first entry is not believed: the proxy appended the truth.
        let header = "1.2.3.4, 203.0.113.7, 10.0.0.2";
        assert_eq!(
            client_address(ip("10.0.0.1"), &[header], &proxies),
            ip("203.0.113.7")
        );
        assert_eq!(
            client_address(ip("10.0.0.1"), &["1.2.3.4", "203.0.113.9"], &proxies),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_address(ip("10.0.0.1"), &[], &proxies),
            ip("10.0.0.1")
        );
        assert_eq!(
            client_address(ip("10.0.0.1"), &["garbage, 203.0.113.5"], &proxies),
            ip("203.0.113.5")
        );
    }
}
