//! Generates the translation modules (leptos_i18n). French is the default
//! locale of the portal; English is complete.
//!
//! - `i18n`, from `locales/{fr,en}.json`: the pages' texts, compiled into
//!   the server and the WASM bundle.
//! - `mail_i18n`, from `locales/mail/{fr,en}.json`: the e-mails' texts, for
//!   the server only (feature `ssr`, `backend::mails`). The browser never
//!   writes an e-mail, so its bundle does not carry them (a quarter of the
//!   texts, and every first page's download).

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::{Path, PathBuf};

fn generate(locales: &str, module: &Path) -> Result<(), Box<dyn Error>> {
    // `interpolate_display`: e-mails are translated to plain strings on the
    // server (`td_string!` with values).
    let cfg = Config::new("fr")?
        .add_locale("en")?
        .locales_path(locales.to_owned())
        .parse_options(ParseOptions::new().interpolate_display(true));
    let translations_infos = TranslationsInfos::parse(cfg)?;
    translations_infos.emit_diagnostics();
    translations_infos.rerun_if_locales_changed();
    translations_infos.generate_i18n_module(module.to_path_buf())?;
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    generate("locales", &out_dir.join("i18n"))?;
    if std::env::var_os("CARGO_FEATURE_SSR").is_some() {
        generate("locales/mail", &out_dir.join("mail_i18n"))?;
    }
    Ok(())
}
