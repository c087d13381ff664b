//! SIRENE import throughput (issue 5, rule S3): rows per second on a
//! generated `StockEtablissement` file of one million rows, in INSEE's
//! format (the sample's columns), into the embedded SQLite — and into
//! PostgreSQL too when `TEST_DATABASE_URL` is set.
//!
//! Run: `cargo bench -p server --bench sirene_import` (release build). The
//! file is written to a temporary folder first (not timed); then the import
//! is timed, then timed again over the same rows (the idempotent re-import,
//! every row an update). `SIRENE_BENCH_ROWS` changes the row count.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failure is a panic

#[path = "support/mod.rs"]
mod support;

use app::backend::directory::{self, StockFile};
use server::directory::SAMPLE_ESTABLISHMENTS;
use std::io::{BufWriter, Write};
use std::time::Instant;

fn generate(path: &std::path::Path, rows: u32) -> std::io::Result<u64> {
    let sample = std::str::from_utf8(SAMPLE_ESTABLISHMENTS).unwrap_or_default();
    let mut lines = sample.lines();
    let header = lines.next().unwrap_or_default();
    let template: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "{header}")?;
    let mut fields: Vec<String> = template.iter().map(|s| (*s).to_owned()).collect();
    for i in 0..rows {
        let siren = format!("{:09}", 100_000_000 + i);
        fields[0] = siren.clone();
        fields[1] = "00011".into();
        fields[2] = format!("{siren}00011");
        fields[12] = (i % 200).to_string();
        fields[18] = format!("{:05}", 1000 + i % 95_000);
        writeln!(out, "{}", fields.join(","))?;
    }
    out.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

async fn measure(
    name: &str,
    conn: &sea_orm::DatabaseConnection,
    path: &std::path::Path,
) -> Result<(), Box<dyn std::error::Error>> {
    for pass in ["import", "re-import"] {
        let file = std::io::BufReader::new(std::fs::File::open(path)?);
        let start = Instant::now();
        let report = directory::import(conn, StockFile::Establishments, file, None).await?;
        let seconds = start.elapsed().as_secs_f64();
        println!(
            "{name:<10} {pass:<9} {rows} rows in {seconds:.1} s: {rate:.0} rows/s",
            rows = report.rows,
            rate = report.rows as f64 / seconds
        );
    }
    Ok(())
}

#[tokio::main]
async fn main() -> support::BenchResult {
    let rows: u32 = std::env::var("SIRENE_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("StockEtablissement_bench.csv");
    let size = generate(&path, rows)?;
    println!("generated {rows} rows, {:.0} MB", size as f64 / 1e6);
    support::on_each_database("sirene", async |name, conn| {
        measure(name, conn, &path).await
    })
    .await
}
