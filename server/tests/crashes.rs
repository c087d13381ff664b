//! Issue 18, item 4: a process killed outright (SIGKILL: no handler, no
//! drain) leaves no torn state. Here the longest write of the portal, the
//! import of INSEE's establishments file (`server import-sirene`): killed
//! in the middle, the directory holds none of the file; run again, it
//! imports all of it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

use app::backend::db;
use app::backend::entities::sirene_establishment;
use sea_orm::{EntityTrait, PaginatorTrait};
use server::directory::SAMPLE_ESTABLISHMENTS;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ROWS: u32 = 300_000;
/// Bytes of write-ahead log the import has written when it is killed (the
/// whole file makes several times more).
const WRITTEN_BEFORE_THE_KILL: u64 = 8 * 1024 * 1024;

/// `rows` establishments in INSEE's format, made from the sample's first one.
fn generate(path: &Path, rows: u32) {
    let sample = std::str::from_utf8(SAMPLE_ESTABLISHMENTS).unwrap();
    let mut lines = sample.lines();
    let header = lines.next().unwrap();
    let mut fields: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    let mut out = BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "{header}").unwrap();
    for i in 0..rows {
        let siren = format!("{:09}", 100_000_000 + i);
        fields[0] = siren.clone();
        fields[1] = "00011".into();
        fields[2] = format!("{siren}00011");
        writeln!(out, "{}", fields.join(",")).unwrap();
    }
    out.flush().unwrap();
}

fn import(data: &Path, file: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .current_dir(data)
        .env_remove("DATABASE_URL")
        .env("PORTAL_CONFIG", data.join("absent.toml"))
        .env("PORTAL_STORAGE__DATA_DIR", data.join("data"))
        .env("PORTAL_DIRECTORY__LOAD_SAMPLE", "false")
        .arg("import-sirene")
        .arg("--etablissements")
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

async fn establishments(data: &Path) -> u64 {
    let url = format!(
        "sqlite://{}?mode=rwc",
        data.join("data/portal.sqlite").display()
    );
    let conn = db::connect(&url, 1).await.unwrap();
    let count = sirene_establishment::Entity::find()
        .count(&conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    count
}

#[tokio::test]
async fn an_import_killed_in_the_middle_leaves_nothing_and_runs_again_whole() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("StockEtablissement.csv");
    generate(&file, ROWS);

    // Killed once its transaction has written a good part of the file (the
    // database's write-ahead log has grown past a few megabytes), before it
    // commits.
    let mut killed = import(folder.path(), &file).spawn().unwrap();
    let log = folder.path().join("data/portal.sqlite-wal");
    let started = Instant::now();
    while std::fs::metadata(&log).map_or(0, |m| m.len()) < WRITTEN_BEFORE_THE_KILL {
        assert!(
            killed.try_wait().unwrap().is_none(),
            "the import ended before it could be killed"
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the import wrote nothing"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(killed.try_wait().unwrap().is_none());
    killed.kill().unwrap(); // SIGKILL
    assert!(!killed.wait().unwrap().success());
    assert_eq!(
        establishments(folder.path()).await,
        0,
        "a killed import left part of the file in the directory"
    );

    assert!(import(folder.path(), &file).status().unwrap().success());
    assert_eq!(establishments(folder.path()).await, u64::from(ROWS));
}
