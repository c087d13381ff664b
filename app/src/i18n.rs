//! The translations: the module leptos_i18n generates at build time from
//! `locales/{fr,en}.json` (see `build.rs`), re-exported here so that every
//! page reads `use crate::i18n::*;` (`use_i18n`, `t!`, `t_string!`,
//! `Locale`) from a module of its own rather than
//! from the crate root.

/// The generated code uses `expect` and `unwrap` where leptos_i18n chose to;
/// the crate's lints deny them in our own code only.
#[allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}

pub use generated::i18n::*;
