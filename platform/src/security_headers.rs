//! Security headers on every response: a Content-Security-Policy allowing only the
//! product's own scripts (the boot script inlined in `index.html` by its digest, read when
//! the router is built), its WebAssembly, no plugins, no framing by other sites and no
//! foreign forms; `nosniff`; no referrer to other sites; and HSTS when cookies are Secure
//! (the site is served over HTTPS).

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The headers, made once per router.
#[derive(Clone)]
pub struct Policy {
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl Policy {
    /// The policy for the web client whose `index.html` is `index` (its inline scripts are
    /// allowed by their SHA-256), with HSTS when `https`.
    pub fn new(index: &str, https: bool) -> Self {
        let hashes: String = inline_scripts(index)
            .iter()
            .map(|s| {
                let digest = Sha256::digest(s.as_bytes());
                format!(
                    " 'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(digest)
                )
            })
            .collect();
        let csp = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
             img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
             form-action 'self'; frame-ancestors 'none'"
        );
        let mut headers = vec![
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("strict-origin-when-cross-origin"),
            ),
        ];
        if let Ok(v) = HeaderValue::from_str(&csp) {
            headers.push((header::CONTENT_SECURITY_POLICY, v));
        }
        if https {
            headers.push((
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000; includeSubDomains"),
            ));
        }
        Self { headers }
    }
}

/// The bodies of the `<script>` elements without `src` (what the browser runs inline).
fn inline_scripts(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            out.push(after[body_start..body_start + close].to_owned());
        }
        rest = &after[body_start + close..];
    }
    out
}

pub async fn apply(State(policy): State<Policy>, req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let headers = resp.headers_mut();
    for (name, value) in &policy.headers {
        headers.insert(name.clone(), value.clone());
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_boot_scripts_are_allowed_by_their_digest_only() {
        let html = "<head><script type=\"module\">\n  import init from \"/web.js\";\n</script>\
                    <script src=\"/x.js\"></script></head>";
        assert_eq!(
            inline_scripts(html),
            vec!["\n  import init from \"/web.js\";\n".to_owned()]
        );
        let p = Policy::new(html, false);
        let csp = p
            .headers
            .iter()
            .find(|(n, _)| n == header::CONTENT_SECURITY_POLICY)
            .map(|(_, v)| v.to_str().unwrap_or_default().to_owned())
            .unwrap_or_default();
        assert!(csp.contains("'sha256-"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(
            !p.headers
                .iter()
                .any(|(n, _)| n == header::STRICT_TRANSPORT_SECURITY)
        );
        assert!(
            Policy::new(html, true)
                .headers
                .iter()
                .any(|(n, _)| n == header::STRICT_TRANSPORT_SECURITY)
        );
    }
}
