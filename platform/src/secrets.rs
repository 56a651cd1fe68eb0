//! Secrets at rest (tenants' SMTP passwords, SSO client secrets): sealed with
//! ChaCha20-Poly1305 under a named key of the deployment's keyring, so a key can be
//! rotated: add a new key, make it current, run `backend rotate-secrets`, drop the old.
//!
//! A sealed value is text: `v1.<key id>.<base64url(nonce ‖ ciphertext)>`. Values stored
//! before key ids existed are read as before (SMTP: nonce ‖ ciphertext under the current
//! key; SSO: plain text) and re-sealed by the rotation command.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use secrecy::ExposeSecret;

use crate::config::Settings;
use crate::error::{AppError, AppResult};

const PREFIX: &str = "v1.";

/// The keys a deployment holds, and which one seals.
pub struct Keyring {
    keys: Vec<(String, ChaCha20Poly1305)>,
    current: String,
}

fn bad_keys(why: &str) -> AppError {
    AppError::Internal(format!("APP_SECRETS__KEYS {why}"))
}

fn key_id_ok(id: &str) -> bool {
    (1..=16).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// 64 hex digits → 32 bytes.
fn key_bytes(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

impl Keyring {
    /// Parses `id:hex,id:hex` and the current id.
    pub fn parse(keys: &str, current: &str) -> AppResult<Self> {
        let mut out: Vec<(String, ChaCha20Poly1305)> = Vec::new();
        for entry in keys.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (id, hex) = entry
                .split_once(':')
                .ok_or_else(|| bad_keys("must list id:hex pairs separated by commas"))?;
            let id = id.trim();
            if !key_id_ok(id) {
                return Err(bad_keys(
                    "key ids are 1 to 16 lowercase letters, digits or dashes",
                ));
            }
            if out.iter().any(|(k, _)| k == id) {
                return Err(bad_keys(&format!("names key {id} twice")));
            }
            let bytes = key_bytes(hex.trim())
                .ok_or_else(|| bad_keys(&format!("key {id} must be 64 hex digits")))?;
            let cipher = ChaCha20Poly1305::new_from_slice(&bytes)
                .map_err(|_| bad_keys(&format!("key {id} must be 64 hex digits")))?;
            out.push((id.to_owned(), cipher));
        }
        if !out.iter().any(|(k, _)| k == current) {
            return Err(AppError::Internal(format!(
                "APP_SECRETS__CURRENT is {current:?}, which APP_SECRETS__KEYS does not hold"
            )));
        }
        Ok(Self {
            keys: out,
            current: current.to_owned(),
        })
    }

    pub fn from_settings(s: &Settings) -> AppResult<Self> {
        Self::parse(s.secrets.keys.expose_secret(), &s.secrets.current)
    }

    pub fn current(&self) -> &str {
        &self.current
    }

    fn key(&self, id: &str) -> AppResult<&ChaCha20Poly1305> {
        self.keys
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, c)| c)
            .ok_or_else(|| {
                AppError::Internal(format!(
                    "a secret is sealed with key {id}, which APP_SECRETS__KEYS does not hold"
                ))
            })
    }

    /// Seals `plain` under the current key.
    pub fn seal(&self, plain: &str) -> AppResult<String> {
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).map_err(|e| AppError::Internal(format!("random: {e}")))?;
        let sealed = self
            .key(&self.current)?
            .encrypt(&Nonce::from(nonce), plain.as_bytes())
            .map_err(|_| AppError::Internal("sealing a secret failed".into()))?;
        let body = URL_SAFE_NO_PAD.encode([nonce.as_slice(), &sealed].concat());
        Ok(format!("{PREFIX}{}.{body}", self.current))
    }

    /// The key id a value is sealed with (`None`: stored before key ids).
    pub fn key_of(sealed: &str) -> Option<&str> {
        sealed
            .strip_prefix(PREFIX)?
            .split_once('.')
            .map(|(id, _)| id)
    }

    /// Opens a value [`Keyring::seal`] made, under whichever key of the ring sealed it.
    pub fn open(&self, sealed: &str) -> AppResult<String> {
        let broken = || AppError::Internal("a sealed secret is damaged".into());
        let rest = sealed.strip_prefix(PREFIX).ok_or_else(broken)?;
        let (id, body) = rest.split_once('.').ok_or_else(broken)?;
        let raw = URL_SAFE_NO_PAD.decode(body).map_err(|_| broken())?;
        self.open_raw(id, &raw)
    }

    /// Opens nonce ‖ ciphertext under key `id`.
    pub fn open_raw(&self, id: &str, raw: &[u8]) -> AppResult<String> {
        let (nonce, ciphertext) = raw
            .split_first_chunk::<12>()
            .ok_or_else(|| AppError::Internal("a sealed secret is too short".into()))?;
        let plain = self
            .key(id)?
            .decrypt(&Nonce::from(*nonce), ciphertext)
            .map_err(|_| {
                AppError::Internal(format!(
                    "a secret sealed with key {id} does not open with it (a wrong key or a changed value)"
                ))
            })?;
        String::from_utf8(plain).map_err(|e| AppError::Internal(e.to_string()))
    }

    /// An SMTP password as stored (bytes): the v1 text, or nonce ‖ ciphertext of before
    /// key ids (sealed with the one key there was, now the current one).
    pub fn open_stored_bytes(&self, stored: &[u8]) -> AppResult<String> {
        match std::str::from_utf8(stored) {
            Ok(text) if text.starts_with(PREFIX) => self.open(text),
            _ => self.open_raw(&self.current, stored),
        }
    }

    /// An SSO client secret as stored: sealed, or plain text of before sealing.
    pub fn open_stored_text(&self, stored: &str) -> AppResult<String> {
        if stored.starts_with(PREFIX) {
            self.open(stored)
        } else {
            Ok(stored.to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    const B: &str = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

    fn ring(keys: &str, current: &str) -> Keyring {
        Keyring::parse(keys, current).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_secret_opens_under_the_key_that_sealed_it_after_the_current_key_changes() {
        let old = ring(&format!("a:{A}"), "a");
        let sealed = old.seal("s3cret").unwrap_or_else(|e| panic!("{e}"));
        assert!(sealed.starts_with("v1.a."), "{sealed}");
        assert_eq!(Keyring::key_of(&sealed), Some("a"));
        let both = ring(&format!("a:{A}, b:{B}"), "b");
        assert_eq!(
            both.open(&sealed).unwrap_or_else(|e| panic!("{e}")),
            "s3cret"
        );
        let resealed = both.seal("s3cret").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(Keyring::key_of(&resealed), Some("b"));
        let only_b = ring(&format!("b:{B}"), "b");
        assert_eq!(
            only_b.open(&resealed).unwrap_or_else(|e| panic!("{e}")),
            "s3cret"
        );
        let e = only_b.open(&sealed).err().map(|e| e.to_string());
        assert!(
            e.as_deref().is_some_and(|e| e.contains("key a")),
            "names the missing key: {e:?}"
        );
    }

    #[test]
    fn a_changed_or_damaged_value_does_not_open() {
        let r = ring(&format!("a:{A}"), "a");
        let sealed = r.seal("s3cret").unwrap_or_else(|e| panic!("{e}"));
        let mut bytes = sealed.into_bytes();
        let last = bytes.len() - 1;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{e}"));
        assert!(r.open(&tampered).is_err());
        for junk in ["v1.", "v1.a", "v1.a.", "v1.a.!!", "x"] {
            assert!(r.open(junk).is_err(), "{junk}");
        }
    }

    #[test]
    fn values_from_before_key_ids_are_read() {
        let r = ring(&format!("a:{A}"), "a");
        assert_eq!(
            r.open_stored_text("plain-secret")
                .unwrap_or_else(|e| panic!("{e}")),
            "plain-secret"
        );
        // The old SMTP format: nonce ‖ ciphertext under the one key.
        let cipher = ChaCha20Poly1305::new_from_slice(&key_bytes(A).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}"));
        let nonce = [7u8; 12];
        let ct = cipher
            .encrypt(&Nonce::from(nonce), b"old".as_slice())
            .unwrap_or_else(|e| panic!("{e}"));
        let stored = [nonce.as_slice(), &ct].concat();
        assert_eq!(
            r.open_stored_bytes(&stored)
                .unwrap_or_else(|e| panic!("{e}")),
            "old"
        );
    }

    #[test]
    fn a_bad_keyring_names_the_variable_and_the_rule() {
        for (keys, current, says) in [
            ("a", "a", "id:hex"),
            ("a:12", "a", "64 hex digits"),
            (&*format!("A:{A}"), "A", "lowercase"),
            (&*format!("a:{A},a:{B}"), "a", "twice"),
            (&*format!("a:{A}"), "b", "APP_SECRETS__CURRENT"),
        ] {
            let e = Keyring::parse(keys, current)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                e.contains(says) && e.contains("APP_SECRETS__"),
                "{keys}: {e}"
            );
        }
    }
}
