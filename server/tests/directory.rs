//! The SIRENE importer (rule S3) on every backend: the sample set in
//! INSEE's format, idempotent re-imports, and files with malformed lines,
//! which are reported with their line numbers and import nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

mod common;

use app::backend::directory::{self, ImportError, StockFile};
use app::backend::entities::{sirene_establishment, sirene_unit};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};
use server::directory::{SAMPLE_ESTABLISHMENTS, SAMPLE_UNITS, load_sample_if_empty};
use std::io::Cursor;

async fn counts(db: &DatabaseConnection) -> (u64, u64) {
    (
        sirene_unit::Entity::find().count(db).await.unwrap(),
        sirene_establishment::Entity::find()
            .count(db)
            .await
            .unwrap(),
    )
}

/// The sample's establishment header, and a line of it with `siret`,
/// `diffusion` and `state` replaced.
fn establishment_file(lines: &[&str]) -> Vec<u8> {
    let sample = std::str::from_utf8(SAMPLE_ESTABLISHMENTS).unwrap();
    let header = sample.lines().next().unwrap();
    let mut file = format!("{header}\n");
    for line in lines {
        file.push_str(line);
        file.push('\n');
    }
    file.into_bytes()
}

/// A sample line, edited: `(column index, new value)` pairs.
fn edited_sample_line(edits: &[(usize, &str)]) -> String {
    let sample = std::str::from_utf8(SAMPLE_ESTABLISHMENTS).unwrap();
    let mut fields: Vec<String> = sample
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    for (index, value) in edits {
        fields[*index] = (*value).to_owned();
    }
    fields.join(",")
}

#[tokio::test]
async fn the_sample_loads_once_with_its_cases() {
    common::on_every_backend(async |backend| {
        let db = &backend.db;
        assert!(load_sample_if_empty(db).await.unwrap());
        assert_eq!(counts(db).await, (11, 13), "{}", backend.name);
        assert!(!load_sample_if_empty(db).await.unwrap());

        let lilas = directory::find(db, "90100001800019")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(lilas.unit.as_ref().unwrap().name, "ATELIER DES LILAS");
        assert_eq!(
            lilas.establishment.street.as_deref(),
            Some("12 RUE DES LILAS")
        );
        assert_eq!(lilas.establishment.city.as_deref(), Some("LYON"));
        assert!(
            lilas.establishment.active
                && lilas.establishment.diffusible
                && lilas.establishment.head_office
        );
        assert!(!lilas.is_public_entity());

        let closed = directory::find(db, "90100001800027")
            .await
            .unwrap()
            .unwrap();
        assert!(!closed.establishment.active);
        let hidden = directory::find(db, "90100003400016")
            .await
            .unwrap()
            .unwrap();
        assert!(!hidden.establishment.diffusible);
        let commune = directory::find(db, "90100005900013")
            .await
            .unwrap()
            .unwrap();
        assert!(commune.is_public_entity());
        let state = directory::find(db, "90100006700016")
            .await
            .unwrap()
            .unwrap();
        assert!(!state.is_public_entity());
        assert!(
            directory::find(db, "35600000010000")
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            directory::find(db, "12002701600019")
                .await
                .unwrap()
                .is_none()
        );
    })
    .await;
}

#[tokio::test]
async fn a_re_import_updates_rows_in_place() {
    common::on_every_backend(async |backend| {
        let db = &backend.db;
        load_sample_if_empty(db).await.unwrap();
        // The establishment closed and its street renamed since.
        let line = edited_sample_line(&[(17, "DES GLYCINES"), (45, "F")]);
        let report = directory::import(
            db,
            StockFile::Establishments,
            Cursor::new(establishment_file(&[&line])),
            None,
        )
        .await
        .unwrap();
        assert_eq!(report.rows, 1);
        assert_eq!(counts(db).await, (11, 13));
        let updated = directory::find(db, "90100001800019")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            updated.establishment.street.as_deref(),
            Some("12 RUE DES GLYCINES")
        );
        assert!(!updated.establishment.active);
        // The whole sample again: back as it was, still no duplicates.
        directory::import(
            db,
            StockFile::Establishments,
            Cursor::new(SAMPLE_ESTABLISHMENTS),
            None,
        )
        .await
        .unwrap();
        directory::import(db, StockFile::Units, Cursor::new(SAMPLE_UNITS), None)
            .await
            .unwrap();
        assert_eq!(counts(db).await, (11, 13));
        assert!(
            directory::find(db, "90100001800019")
                .await
                .unwrap()
                .unwrap()
                .establishment
                .active
        );
    })
    .await;
}

#[tokio::test]
async fn malformed_lines_are_reported_by_number_and_nothing_is_imported() {
    common::on_every_backend(async |backend| {
        let db = &backend.db;
        let good = edited_sample_line(&[]);
        let short_siret = edited_sample_line(&[(2, "9010000180001")]);
        let unknown_state = edited_sample_line(&[(45, "X")]);
        let wrong_siren = edited_sample_line(&[(0, "123456789")]);
        let file = establishment_file(&[&good, &short_siret, &good, &unknown_state, &wrong_siren]);
        let outcome =
            directory::import(db, StockFile::Establishments, Cursor::new(file), None).await;
        let Err(ImportError::Malformed { problems, total }) = outcome else {
            panic!("expected malformed lines, got {outcome:?}");
        };
        assert_eq!(total, 3);
        let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3, 5, 6], "{problems:?}");
        assert!(
            problems[0].message.contains("9010000180001"),
            "{}",
            problems[0].message
        );
        assert_eq!(counts(db).await, (0, 0), "{}", backend.name);

        // A file without the SIRET column is refused before any line.
        let no_siret =
            b"siren,statutDiffusionEtablissement,etatAdministratifEtablissement\n901000018,O,A\n";
        let outcome = directory::import(
            db,
            StockFile::Establishments,
            Cursor::new(no_siret.to_vec()),
            None,
        )
        .await;
        assert!(
            matches!(outcome, Err(ImportError::MissingColumn(ref c)) if c == "siret"),
            "{outcome:?}"
        );

        // Broken quoting stops the reading, with its line.
        let broken = establishment_file(&[&good, "\"901000018,\"x\"y"]);
        let outcome =
            directory::import(db, StockFile::Establishments, Cursor::new(broken), None).await;
        assert!(
            matches!(outcome, Err(ImportError::Malformed { .. })),
            "{outcome:?}"
        );
        assert_eq!(counts(db).await, (0, 0));
    })
    .await;
}

#[tokio::test]
async fn many_rows_import_in_batches_with_progress() {
    let backend = common::sqlite().await;
    let mut lines = Vec::new();
    for i in 0..2_500u32 {
        let siren = format!("{:09}", 100_000_000 + i);
        lines.push(edited_sample_line(&[
            (0, &siren),
            (1, "00011"),
            (2, &format!("{siren}00011")),
        ]));
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let progress: directory::Progress = {
        let seen = seen.clone();
        std::sync::Arc::new(move |bytes| seen.store(bytes, std::sync::atomic::Ordering::SeqCst))
    };
    let file = establishment_file(&refs);
    let size = file.len() as u64;
    let report = directory::import(
        &backend.db,
        StockFile::Establishments,
        Cursor::new(file),
        Some(progress),
    )
    .await
    .unwrap();
    assert_eq!(report.rows, 2_500);
    assert_eq!(counts(&backend.db).await.1, 2_500);
    assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), size);
    backend.cleanup().await;
}
