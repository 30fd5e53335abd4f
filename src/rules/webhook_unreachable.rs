use std::net::{Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

use crate::finding::Finding;
use crate::rules::{Check, Context, Findings, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Webhook URLs whose host RunPod's servers cannot reach: `localhost` and `*.localhost`,
    /// `*.local`, `*.internal`, and loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7),
    /// link-local (169.254/16, fe80::/10) and unspecified addresses, IPv4 and IPv6. Hosts are
    /// read as a URL parser reads them, so `http://2130706433/` and `http://0x7f.1/` are
    /// recognised as 127.0.0.1.
    ///
    /// ## Why it matters
    /// The webhook is called from RunPod's network, not yours. A private address is never
    /// reached: the call fails three times and the result is never delivered, silently.
    ///
    /// ## Example
    /// ```json
    /// {"input": {}, "webhook": "http://localhost:8000/runpod-done"}
    /// ```
    ///
    /// ## Fix
    /// Use a public URL (for local development, one from a tunnelling service):
    /// ```json
    /// {"input": {}, "webhook": "https://hooks.example.com/runpod-done"}
    /// ```
    META { id: "webhook-unreachable", severity: Warning, summary: "the webhook's host cannot be reached from RunPod" }
}

pub(super) const RULE: Rule = Rule {
    meta: &META,
    check: Check::Request(check),
};

fn check(ctx: &Context<'_>, out: &mut Findings<'_>) {
    for (key, text, url) in ctx.webhooks() {
        if let Some(why) = unreachable(url) {
            let host = crate::finding::shorten(url.host_str().unwrap_or_default(), 60);
            let shown = match written_host(text) {
                Some(written) if !written.eq_ignore_ascii_case(&host) => {
                    format!(
                        "`{}` (read as `{host}`)",
                        crate::finding::shorten(written, 60)
                    )
                }
                _ => format!("`{host}`"),
            };
            out.push(
                Finding::new(
                    &META,
                    ctx.pointer(key),
                    format!("`{}` points at {shown}, {why} that RunPod's servers cannot reach", &key[1..]),
                )
                .help("use a public URL; to receive webhooks on your own machine, expose it through a tunnel"),
            );
        }
    }
}

/// The host as written in the URL text, before the parser normalises it.
fn written_host(url: &str) -> Option<&str> {
    let rest = &url[url.find("://")? + 3..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host_port = &authority[authority.rfind('@').map_or(0, |at| at + 1)..];
    if host_port.starts_with('[') {
        host_port.find(']').map(|end| &host_port[..=end])
    } else {
        Some(&host_port[..host_port.find(':').unwrap_or(host_port.len())])
    }
}

/// Why the URL's host cannot be reached from the internet, if it cannot.
pub(crate) fn unreachable(url: &Url) -> Option<&'static str> {
    match url.host()? {
        Host::Domain(domain) => {
            let domain = domain.trim_end_matches('.').to_ascii_lowercase();
            if domain == "localhost" || domain.ends_with(".localhost") {
                Some("a loopback name")
            } else if domain.ends_with(".local") {
                Some("a local-network (mDNS) name")
            } else if domain.ends_with(".internal") {
                Some("an internal name")
            } else {
                None
            }
        }
        Host::Ipv4(ip) => ipv4(ip),
        Host::Ipv6(ip) => ipv6(ip),
    }
}

fn ipv4(ip: Ipv4Addr) -> Option<&'static str> {
    if ip.is_loopback() {
        Some("a loopback address")
    } else if ip.is_private() {
        Some("a private address")
    } else if ip.is_link_local() {
        Some("a link-local address")
    } else if ip.is_unspecified() {
        Some("the unspecified address")
    } else {
        None
    }
}

fn ipv6(ip: Ipv6Addr) -> Option<&'static str> {
    let first = ip.segments()[0];
    if let Some(v4) = ip.to_ipv4_mapped() {
        ipv4(v4)
    } else if ip.is_loopback() {
        Some("a loopback address")
    } else if ip.is_unspecified() {
        Some("the unspecified address")
    } else if first & 0xfe00 == 0xfc00 {
        Some("a unique local (private) address")
    } else if first & 0xffc0 == 0xfe80 {
        Some("a link-local address")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn why(url: &str) -> Option<&'static str> {
        unreachable(&Url::parse(url).unwrap())
    }

    #[test]
    fn hosts_the_service_cannot_reach() {
        for url in [
            "http://localhost:8000/x",
            "http://LOCALHOST./x",
            "http://api.localhost/x",
            "http://printer.local/x",
            "http://metadata.google.internal/x",
            "http://127.0.0.1/x",
            "http://2130706433/x",
            "http://0x7f.1/x",
            "http://10.1.2.3/x",
            "http://172.31.0.1/x",
            "http://192.168.1.10/x",
            "http://169.254.169.254/x",
            "http://0.0.0.0/x",
            "http://[::1]/x",
            "http://[::]/x",
            "http://[fd12::1]/x",
            "http://[fe80::1]/x",
            "http://[::ffff:10.0.0.1]/x",
        ] {
            assert!(why(url).is_some(), "{url}");
        }
        for url in [
            "https://example.com/x",
            "http://8.8.8.8/x",
            "http://172.32.0.1/x",
            "http://[2001:db8::1]/x",
            "https://local.example.com/x",
        ] {
            assert!(why(url).is_none(), "{url}");
        }
    }
}
