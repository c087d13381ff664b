//! Loading the runtime settings: defaults, then `Leptos.toml` (or the file
//! named by `PORTAL_CONFIG`), then the environment.
//!
//! Any key can be overridden by `PORTAL_<SECTION>__<KEY>`, for instance
//! `PORTAL_STORAGE__DATA_DIR=/var/lib/portal`; `DATABASE_URL` sets
//! `storage.database_url`. figment does the layering (a maintained crate for
//! exactly this job: typed extraction with the failing key named).

use app::backend::settings::Settings;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use std::path::Path;

/// The configuration file used when `PORTAL_CONFIG` is not set.
pub const DEFAULT_CONFIG_FILE: &str = "Leptos.toml";

/// Reads the settings; a missing file means defaults.
pub fn load() -> Result<Settings, Box<figment::Error>> {
    let file = std::env::var("PORTAL_CONFIG").unwrap_or_else(|_| DEFAULT_CONFIG_FILE.to_owned());
    load_from(Path::new(&file))
}

pub fn load_from(file: &Path) -> Result<Settings, Box<figment::Error>> {
    Figment::from(Serialized::defaults(Settings::default()))
        .merge(Toml::file(file))
        .merge(
            Env::prefixed("PORTAL_")
                .split("__")
                .ignore(&["config", "test_support"]),
        )
        .merge(
            Env::raw()
                .only(&["DATABASE_URL"])
                .map(|_| "storage.database_url".into()),
        )
        .extract()
        .map_err(Box::new)
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment::Jail's closures return its own large error
mod tests {
    use super::*;
    use figment::Jail;

    #[test]
    fn file_values_override_defaults_and_environment_overrides_the_file() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "portal.toml",
                r#"
                [storage]
                data_dir = "from-file"
                [security]
                lockout_minutes = 7
                "#,
            )?;
            let settings = load_from(Path::new("portal.toml")).map_err(|e| *e)?;
            assert_eq!(settings.storage.data_dir, Path::new("from-file"));
            assert_eq!(settings.security.lockout_minutes, 7);
            assert_eq!(settings.security.activation_link_minutes, 60);

            jail.set_env("PORTAL_STORAGE__DATA_DIR", "from-env");
            jail.set_env("DATABASE_URL", "postgres://127.0.0.1/test");
            jail.set_env("PORTAL_TEST_SUPPORT", "1");
            jail.set_env(
                "PORTAL_SUPPORT__LOGINS",
                r#"["support@example.fr", "aide@example.fr"]"#,
            );
            let settings = load_from(Path::new("portal.toml")).map_err(|e| *e)?;
            assert_eq!(settings.storage.data_dir, Path::new("from-env"));
            assert!(
                settings.support.is_support("aide@example.fr")
                    && !settings.support.is_support("lea@example.fr")
            );
            assert_eq!(
                settings.storage.effective_database_url(),
                "postgres://127.0.0.1/test"
            );
            Ok(())
        });
    }

    #[test]
    fn a_mistyped_value_is_refused_with_its_key() {
        Jail::expect_with(|jail| {
            jail.create_file("portal.toml", "[security]\nlockout_minutes = \"soon\"\n")?;
            let error = load_from(Path::new("portal.toml"))
                .err()
                .map(|e| e.to_string());
            assert!(error.is_some_and(|e| e.contains("lockout_minutes")));
            Ok(())
        });
    }

    #[test]
    fn the_shipped_leptos_toml_is_valid_and_keeps_the_embedded_defaults() {
        // In a jail too: the other tests' jails set environment variables
        // (DATABASE_URL…) that this one must not see.
        Jail::expect_with(|_| {
            let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Leptos.toml");
            let settings = load_from(&shipped).unwrap();
            assert!(
                settings
                    .storage
                    .effective_database_url()
                    .starts_with("sqlite://")
            );
            assert_eq!(settings.security.activation_link_minutes, 60);
            assert_eq!(settings.mail.delivered_retention_days, 30);
            assert_eq!(settings.purge.interval_minutes, 60);
            assert_eq!(settings.purge.spent_grace_days, 7);
            Ok(())
        });
    }
}
