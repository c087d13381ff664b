//! Secrets and their hashes (rule R3): random link tokens, e-mailed codes,
//! and argon2id password hashes. Tokens and codes are stored only as SHA-256
//! hashes (they are long and random, or short-lived and attempt-limited);
//! passwords only as argon2id PHC strings. Secret-holding types print no
//! secret and are not `Serialize`.

use crate::backend::settings::SecuritySettings;
use crate::domain::password::Password;
use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};
use std::fmt;
use subtle::ConstantTimeEq;

/// A random token for a link (activation, reset, address change): 256 bits,
/// URL-safe base64.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn generate() -> Token {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Token(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The token as it goes into a link; never store it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What the database keeps.
    pub fn hash(&self) -> String {
        hash_secret(&self.0)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// A 6-digit code e-mailed for the second factor (rule L2).
#[derive(Clone, PartialEq, Eq)]
pub struct Code(String);

impl Code {
    pub fn generate() -> Code {
        Code(format!("{:06}", rand::rng().random_range(0..1_000_000u32)))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        hash_secret(&self.0)
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Code(<redacted>)")
    }
}

/// SHA-256 of a secret, hex-encoded.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compares a presented secret with a stored hash in constant time.
pub fn matches_hash(presented: &str, stored_hash: &str) -> bool {
    hash_secret(presented)
        .as_bytes()
        .ct_eq(stored_hash.as_bytes())
        .into()
}

/// Why a password could not be hashed.
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

impl HashError {
    pub fn new(message: String) -> HashError {
        HashError(message)
    }
}

/// argon2id with the configured cost. Hashing and verifying are CPU-bound
/// and take `memory_kib` of memory: they run on the hashing pool
/// (`backend::hashing`), each worker lending its own reused [`Memory`]. They
/// take only a [`Password`]: normalised (NFC) and bounded in length by the
/// shared policy, so no path can hash raw or oversized input.
#[derive(Clone)]
pub struct Passwords {
    argon2: Argon2<'static>,
    /// A hash of a random password, verified against when the account does
    /// not exist, so that both answers take the same time.
    decoy: String,
}

/// What the portal hashes with (verification follows each stored hash's own).
const ALGORITHM: Algorithm = Algorithm::Argon2id;
const VERSION: Version = Version::V0x13;

/// argon2's working memory, kept by a hashing worker from one hash to the
/// next: allocating 19 MiB per hash made the allocator keep gigabytes
/// under load (issue 16).
#[derive(Default)]
pub struct Memory(Vec<Block>);

impl Memory {
    /// The first `count` blocks, grown (and kept) if need be.
    fn blocks(&mut self, count: usize) -> &mut [Block] {
        if self.0.len() < count {
            self.0.resize(count, Block::default());
        }
        &mut self.0[..count]
    }
}

impl Passwords {
    pub fn new(settings: &SecuritySettings) -> Result<Passwords, HashError> {
        let params = Params::new(
            settings.argon2_memory_kib,
            settings.argon2_iterations,
            settings.argon2_parallelism,
            None,
        )
        .map_err(|e| HashError(e.to_string()))?;
        let argon2 = Argon2::new(ALGORITHM, VERSION, params);
        let mut passwords = Passwords {
            argon2,
            decoy: String::new(),
        };
        let decoy_password = Token::generate();
        passwords.decoy =
            passwords.hash_raw(&mut Memory::default(), decoy_password.expose().as_bytes())?;
        Ok(passwords)
    }

    /// The PHC string of `password`, with a fresh random salt.
    pub fn hash(&self, memory: &mut Memory, password: &Password) -> Result<String, HashError> {
        self.hash_raw(memory, password.expose().as_bytes())
    }

    fn hash_raw(&self, memory: &mut Memory, password: &[u8]) -> Result<String, HashError> {
        let failed = |e: &dyn fmt::Display| HashError(e.to_string());
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        let salt = Salt::new(&salt).map_err(|e| failed(&e))?;
        let params = self.argon2.params();
        let mut out = vec![0u8; params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN)];
        self.argon2
            .hash_password_into_with_memory(
                password,
                &salt,
                &mut out,
                memory.blocks(params.block_count()),
            )
            .map_err(|e| failed(&e))?;
        let hash = PasswordHash {
            algorithm: ALGORITHM.ident(),
            version: Some(VERSION.into()),
            params: ParamsString::try_from(params).map_err(|e| failed(&e))?,
            salt: Some(salt),
            hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
        };
        Ok(hash.to_string())
    }

    /// Whether `password` matches `stored`; with no stored hash (unknown
    /// user, account not activated) the decoy is verified and `false`
    /// returned, in the same time.
    pub fn verify(&self, memory: &mut Memory, password: &Password, stored: Option<&str>) -> bool {
        let password = password.expose().as_bytes();
        match stored {
            Some(hash) => verify_phc(memory, password, hash),
            None => {
                let _ = verify_phc(memory, password, &self.decoy);
                false
            }
        }
    }
}

/// argon2's own verification (re-hash with the stored hash's algorithm,
/// version and parameters, compare the outputs in constant time), done in
/// `memory`. A stored hash that does not parse never matches.
fn verify_phc(memory: &mut Memory, password: &[u8], stored: &str) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&hash.salt, &hash.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(hash.algorithm.as_str()),
        Params::try_from(&hash),
    ) else {
        return false;
    };
    let version = match hash.version.map(Version::try_from).transpose() {
        Ok(version) => version.unwrap_or_default(),
        Err(_) => return false,
    };
    let argon2 = Argon2::new(algorithm, version, params.clone());
    let mut out = vec![0u8; expected.len()];
    argon2
        .hash_password_into_with_memory(
            password,
            salt,
            &mut out,
            memory.blocks(params.block_count()),
        )
        .is_ok()
        && Output::new(&out).is_ok_and(|computed| computed == *expected)
}

impl fmt::Debug for Passwords {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passwords(argon2id)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> SecuritySettings {
        SecuritySettings {
            argon2_memory_kib: 1024,
            argon2_iterations: 1,
            ..Default::default()
        }
    }

    #[test]
    fn tokens_are_random_url_safe_and_stored_as_hashes() {
        let a = Token::generate();
        let b = Token::generate();
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 43);
        assert!(
            a.expose()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(a.hash().len(), 64);
        assert!(matches_hash(a.expose(), &a.hash()));
        assert!(!matches_hash(b.expose(), &a.hash()));
        assert_eq!(format!("{a:?}"), "Token(<redacted>)");
    }

    #[test]
    fn codes_have_six_digits() {
        for _ in 0..200 {
            let code = Code::generate();
            assert_eq!(code.expose().len(), 6);
            assert!(code.expose().chars().all(|c| c.is_ascii_digit()));
        }
    }

    fn typed(password: &str) -> Password {
        Password::typed(password).unwrap()
    }

    #[test]
    fn passwords_verify_only_against_their_own_argon2id_hash() {
        let passwords = Passwords::new(&cheap()).unwrap();
        let mut memory = Memory::default();
        let hash = passwords.hash(&mut memory, &typed("Abcdefgh1!xy")).unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"));
        assert!(passwords.verify(&mut memory, &typed("Abcdefgh1!xy"), Some(&hash)));
        assert!(!passwords.verify(&mut memory, &typed("Abcdefgh1!xz"), Some(&hash)));
        assert!(!passwords.verify(&mut memory, &typed("Abcdefgh1!xy"), None));
        assert!(!passwords.verify(&mut memory, &typed("Abcdefgh1!xy"), Some("not a hash")));
        // Salted: the same password hashes differently each time.
        assert_ne!(
            hash,
            passwords.hash(&mut memory, &typed("Abcdefgh1!xy")).unwrap()
        );
    }

    #[test]
    fn a_password_set_composed_verifies_typed_decomposed() {
        let passwords = Passwords::new(&cheap()).unwrap();
        let mut memory = Memory::default();
        let hash = passwords.hash(&mut memory, &typed("Éléphant1!éà")).unwrap();
        assert!(passwords.verify(
            &mut memory,
            &typed("E\u{301}le\u{301}phant1!e\u{301}a\u{300}"),
            Some(&hash)
        ));
    }

    #[test]
    fn hashes_are_argon2s_own_phc_strings_both_ways() {
        use argon2::{PasswordHasher, PasswordVerifier};
        let passwords = Passwords::new(&cheap()).unwrap();
        let mut memory = Memory::default();
        let argon2 = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(1024, 1, 1, None).unwrap(),
        );
        // Stored by the portal before the pool (argon2's own hasher) …
        let before = argon2.hash_password(b"Abcdefgh1!xy").unwrap().to_string();
        assert!(passwords.verify(&mut memory, &typed("Abcdefgh1!xy"), Some(&before)));
        assert!(!passwords.verify(&mut memory, &typed("Abcdefgh1!xz"), Some(&before)));
        // … and what the pool stores, read by argon2's own verifier.
        let now = passwords.hash(&mut memory, &typed("Abcdefgh1!xy")).unwrap();
        assert!(
            argon2
                .verify_password(b"Abcdefgh1!xy", now.as_str())
                .is_ok()
        );
        assert!(
            argon2
                .verify_password(b"Abcdefgh1!xz", now.as_str())
                .is_err()
        );
    }
}
