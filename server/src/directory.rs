//! The SIRENE directory on the server's side: the sample set loaded into an
//! empty directory at start (the embedded default, setting
//! `directory.load_sample`), and the `import-sirene` command that imports
//! INSEE's stock files with a progress bar.

use app::backend::directory::{self, ImportError, Progress, StockFile};
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::DatabaseConnection;
use std::path::PathBuf;
use std::sync::Arc;

/// The sample legal units (made up, in INSEE's format: `data/sirene/`).
pub const SAMPLE_UNITS: &[u8] = include_bytes!("../data/sirene/StockUniteLegale_exemple.csv");
/// The sample establishments.
pub const SAMPLE_ESTABLISHMENTS: &[u8] =
    include_bytes!("../data/sirene/StockEtablissement_exemple.csv");

/// Loads the sample set if the directory is empty; `true` if it did.
pub async fn load_sample_if_empty(db: &DatabaseConnection) -> Result<bool, ImportError> {
    if !directory::is_empty(db).await? {
        return Ok(false);
    }
    directory::import(
        db,
        StockFile::Units,
        std::io::Cursor::new(SAMPLE_UNITS),
        None,
    )
    .await?;
    directory::import(
        db,
        StockFile::Establishments,
        std::io::Cursor::new(SAMPLE_ESTABLISHMENTS),
        None,
    )
    .await?;
    Ok(true)
}

/// The files named on the command line.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportArgs {
    pub units: Option<PathBuf>,
    pub establishments: Option<PathBuf>,
}

impl ImportArgs {
    /// `--unites-legales FILE` and/or `--etablissements FILE`.
    pub fn parse(args: &[String]) -> Result<ImportArgs, String> {
        let mut parsed = ImportArgs::default();
        let mut rest = args.iter();
        while let Some(flag) = rest.next() {
            let value = rest.next().map(PathBuf::from);
            match (flag.as_str(), value) {
                ("--unites-legales", Some(path)) => parsed.units = Some(path),
                ("--etablissements", Some(path)) => parsed.establishments = Some(path),
                _ => return Err(format!("argument inattendu : {flag}")),
            }
        }
        if parsed.units.is_none() && parsed.establishments.is_none() {
            return Err("indiquez --unites-legales FICHIER et/ou --etablissements FICHIER".into());
        }
        Ok(parsed)
    }
}

/// Imports the files (legal units first), each with a progress bar by bytes.
pub async fn import_files(db: &DatabaseConnection, args: &ImportArgs) -> Result<(), String> {
    let files = [
        (StockFile::Units, &args.units),
        (StockFile::Establishments, &args.establishments),
    ];
    for (kind, path) in files {
        let Some(path) = path else { continue };
        let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let bar = ProgressBar::new(size).with_message(path.display().to_string());
        if let Ok(style) = ProgressStyle::with_template(
            "{msg}\n[{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
        ) {
            bar.set_style(style);
        }
        let progress: Progress = {
            let bar = bar.clone();
            Arc::new(move |bytes| bar.set_position(bytes))
        };
        let started = std::time::Instant::now();
        let outcome =
            directory::import(db, kind, std::io::BufReader::new(file), Some(progress)).await;
        bar.finish_and_clear();
        match outcome {
            Ok(report) => {
                let seconds = started.elapsed().as_secs_f64().max(0.001);
                println!(
                    "{} : {} lignes importées en {:.1} s ({:.0} lignes/s)",
                    path.display(),
                    report.rows,
                    seconds,
                    report.rows as f64 / seconds
                );
            }
            Err(ImportError::Malformed { problems, total }) => {
                let mut message = format!(
                    "{} : {total} ligne(s) invalide(s), rien n’a été importé",
                    path.display()
                );
                for problem in problems {
                    message.push_str(&format!("\n  ligne {} : {}", problem.line, problem.message));
                }
                return Err(message);
            }
            Err(other) => return Err(format!("{} : {other}", path.display())),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_command_line_names_one_or_both_files() {
        let both = ImportArgs::parse(&strings(&[
            "--etablissements",
            "e.csv",
            "--unites-legales",
            "u.csv",
        ]));
        assert_eq!(
            both,
            Ok(ImportArgs {
                units: Some("u.csv".into()),
                establishments: Some("e.csv".into())
            })
        );
        assert!(ImportArgs::parse(&[]).is_err());
        assert!(ImportArgs::parse(&strings(&["--etablissements"])).is_err());
        assert!(ImportArgs::parse(&strings(&["--autre", "x"])).is_err());
    }
}
