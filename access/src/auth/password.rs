//! Password hashing (argon2id with OWASP's parameters: m = 19 MiB, t = 2, p = 1) and the
//! tenant's password policy.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use platform::error::{AppError, AppResult};

fn hasher() -> AppResult<Argon2<'static>> {
    let params = Params::new(19_456, 2, 1, None)
        .map_err(|e| AppError::Internal(format!("argon2 params: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

pub fn hash(password: &str) -> AppResult<String> {
    hasher()?
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hash password: {e}")))
}

/// True when `password` matches the stored PHC string. A malformed stored hash is false.
pub fn verify(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    hasher().is_ok_and(|h| h.verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A fixed hash to verify against when the login is unknown, so that a wrong login and a
/// wrong password take the same time.
pub fn dummy_verify(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let stored = DUMMY.get_or_init(|| hash("not-a-real-password-0").unwrap_or_default());
    let _ = verify(password, stored);
}

/// A tenant's password rules (seed: the administration module sets the minimum length).
#[derive(Debug, Clone)]
pub struct Policy {
    pub min_length: usize,
    /// At least one letter and one digit.
    pub require_mixed: bool,
    /// The password may not contain the login.
    pub forbid_login: bool,
}

/// Passwords too common to allow whatever the policy (a short list of the worst).
const COMMON: &[&str] = &[
    "password",
    "password1",
    "password123",
    "123456789",
    "1234567890",
    "qwerty123",
    "qwertyuiop",
    "1q2w3e4r5t",
    "iloveyou1",
    "admin12345",
    "welcome123",
    "йцукенгшщз",
];

impl Policy {
    /// The platform operators' rules (no tenant sets them): long and mixed.
    pub fn platform() -> Self {
        Self {
            min_length: 12,
            require_mixed: true,
            forbid_login: true,
        }
    }

    /// Checks `password`; the error names the field `password` and the rule broken.
    pub fn check(&self, login: &str, password: &str) -> AppResult<()> {
        let len = password.chars().count();
        if len < self.min_length {
            return Err(AppError::validation(
                "password",
                format!("must be at least {} characters long", self.min_length),
            ));
        }
        if len > 256 {
            return Err(AppError::validation(
                "password",
                "must be at most 256 characters long",
            ));
        }
        if self.require_mixed
            && !(password.chars().any(char::is_alphabetic)
                && password.chars().any(|c| c.is_ascii_digit()))
        {
            return Err(AppError::validation(
                "password",
                "must contain both letters and digits",
            ));
        }
        if self.forbid_login
            && !login.is_empty()
            && password.to_lowercase().contains(&login.to_lowercase())
        {
            return Err(AppError::validation(
                "password",
                "must not contain the login",
            ));
        }
        if COMMON.contains(&password.to_lowercase().as_str()) {
            return Err(AppError::validation(
                "password",
                "is too common; choose another",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        Policy {
            min_length: 10,
            require_mixed: true,
            forbid_login: true,
        }
    }

    #[test]
    fn hash_verifies_only_the_same_password() {
        let h = hash("Correct horse 42").unwrap_or_default();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("Correct horse 42", &h));
        assert!(!verify("correct horse 42", &h));
        assert!(!verify("Correct horse 42", "not a hash"));
    }

    #[test]
    fn policy_names_the_rule_broken() {
        let msg = |r: AppResult<()>| r.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg(policy().check("ivan", "short1")).contains("at least 10"));
        assert!(msg(policy().check("ivan", "onlyletterslong")).contains("letters and digits"));
        assert!(msg(policy().check("ivan", "xxIVAN12345")).contains("login"));
        assert!(msg(policy().check("ivan", "Password123")).contains("common"));
        assert!(policy().check("ivan", "Вода-2026-весна").is_ok());
    }
}
