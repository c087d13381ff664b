//! The accessible captcha of rule A2: a proof of work.
//!
//! The server issues a random challenge (single-use, time-limited, stored as
//! a hash); the browser's WASM finds a number `n` such that
//! `SHA-256(challenge ":" n)` starts with `bits` zero bits, and sends it with
//! the form; the server checks it with [`is_solution`]. Nothing to read, see
//! or hear: people using any assistive technology, and test suites, pass it
//! as everyone does, while a robot sending forms in bulk pays for each one.
//! The same code runs on both sides.

use sha2::{Digest, Sha256};

/// Difficulty: about 65 000 hashes on average, well under a second in a
/// browser.
pub const DEFAULT_BITS: u32 = 16;

fn digest(challenge: &str, nonce: u64) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(challenge.as_bytes());
    hasher.update(b":");
    hasher.update(nonce.to_string().as_bytes());
    hasher.finalize().into()
}

fn leading_zero_bits(hash: &[u8]) -> u32 {
    let mut bits = 0;
    for byte in hash {
        if *byte == 0 {
            bits += 8;
        } else {
            return bits + byte.leading_zeros();
        }
    }
    bits
}

/// Whether `nonce` solves `challenge` at difficulty `bits`.
pub fn is_solution(challenge: &str, nonce: u64, bits: u32) -> bool {
    leading_zero_bits(&digest(challenge, nonce)) >= bits
}

/// Finds a solution, trying at most `budget` numbers from `start`; the
/// browser calls it in slices so the page stays responsive.
pub fn search(challenge: &str, bits: u32, start: u64, budget: u64) -> Option<u64> {
    (start..start.saturating_add(budget)).find(|n| is_solution(challenge, *n, bits))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_found_solution_verifies_and_its_neighbours_mostly_do_not() {
        let challenge = "a-challenge";
        let nonce = search(challenge, 12, 0, 1 << 20).unwrap();
        assert!(is_solution(challenge, nonce, 12));
        assert!(!is_solution("another-challenge", nonce, 24));
        // No number below the first solution solves it.
        assert!((0..nonce).all(|n| !is_solution(challenge, n, 12)));
    }

    #[test]
    fn zero_bits_are_counted_across_bytes() {
        assert_eq!(leading_zero_bits(&[0, 0, 0b0001_0000]), 19);
        assert_eq!(leading_zero_bits(&[0xff]), 0);
        assert_eq!(leading_zero_bits(&[0, 0]), 16);
    }

    #[test]
    fn the_search_respects_its_budget() {
        assert_eq!(search("x", 256, 0, 1000), None);
    }
}
