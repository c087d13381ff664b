//! Importing a SIRENE stock file into the directory tables.
//!
//! A blocking thread parses the CSV ([`super::parse`]) and hands batches of
//! rows to the async writer through a bounded channel, so parsing and
//! writing overlap and memory stays flat however big the file. Rows are
//! upserted (a re-import updates), all in one transaction: a file with any
//! malformed line imports nothing, and the report lists the lines.

use super::parse::{self, Columns, LineProblem, StockFile};
use crate::backend::entities::{sirene_establishment, sirene_unit};
use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, IntoActiveModel, TransactionTrait};
use std::io::Read;
use std::sync::Arc;

/// Rows per INSERT statement (11 columns: well under SQLite's and
/// PostgreSQL's limits on bound parameters).
const BATCH: usize = 1000;
/// Problems listed in a report (the count covers them all).
const LISTED_PROBLEMS: usize = 20;

/// Called with the bytes read so far (for a progress bar).
pub type Progress = Arc<dyn Fn(u64) + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("colonne « {0} » absente de l’en-tête")]
    MissingColumn(String),
    #[error("{total} ligne(s) invalide(s), rien n’a été importé")]
    Malformed {
        problems: Vec<LineProblem>,
        total: u64,
    },
    #[error("lecture : {0}")]
    Read(String),
    #[error("base de données : {0}")]
    Db(#[from] DbErr),
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportReport {
    /// Rows inserted or updated.
    pub rows: u64,
}

enum Batch {
    Units(Vec<sirene_unit::Model>),
    Establishments(Vec<sirene_establishment::Model>),
}

enum Message {
    Rows(Batch),
    /// Parsing ended with these problems (empty: the file was clean).
    End {
        problems: Vec<LineProblem>,
        total: u64,
    },
    Fatal(ImportError),
}

/// Parses `input` on the calling (blocking) thread, sending batches.
fn parse_all(
    file: StockFile,
    input: impl Read,
    progress: Option<Progress>,
    send: tokio::sync::mpsc::Sender<Message>,
) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(input);
    let columns = match reader.headers() {
        Ok(header) => match Columns::find(file, header) {
            Ok(columns) => columns,
            Err(missing) => {
                let _ = send.blocking_send(Message::Fatal(ImportError::MissingColumn(missing)));
                return;
            }
        },
        Err(e) => {
            let _ = send.blocking_send(Message::Fatal(ImportError::Read(e.to_string())));
            return;
        }
    };
    let mut record = csv::StringRecord::new();
    let (mut problems, mut total) = (Vec::new(), 0u64);
    let (mut units, mut establishments) = (Vec::new(), Vec::new());
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // Broken quoting or encoding: the rest cannot be trusted.
                let line = e.position().map_or(0, |p| p.line());
                total += 1;
                problems.push(LineProblem {
                    line,
                    message: e.to_string(),
                });
                break;
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        let parsed = match file {
            StockFile::Units => parse::unit(&columns, &record).map(|row| units.push(row)),
            StockFile::Establishments => {
                parse::establishment(&columns, &record).map(|row| establishments.push(row))
            }
        };
        if let Err(message) = parsed {
            total += 1;
            if problems.len() < LISTED_PROBLEMS {
                problems.push(LineProblem { line, message });
            }
        }
        if total > 0 {
            // Nothing will be written: stop collecting rows, keep checking.
            units.clear();
            establishments.clear();
            continue;
        }
        let full = units.len() >= BATCH || establishments.len() >= BATCH;
        if full {
            if let Some(progress) = &progress {
                progress(reader.position().byte());
            }
            let batch = match file {
                StockFile::Units => Batch::Units(std::mem::take(&mut units)),
                StockFile::Establishments => {
                    Batch::Establishments(std::mem::take(&mut establishments))
                }
            };
            if send.blocking_send(Message::Rows(batch)).is_err() {
                return;
            }
        }
    }
    if let Some(progress) = &progress {
        progress(reader.position().byte());
    }
    let last = match file {
        StockFile::Units => Batch::Units(units),
        StockFile::Establishments => Batch::Establishments(establishments),
    };
    if send.blocking_send(Message::Rows(last)).is_ok() {
        let _ = send.blocking_send(Message::End { problems, total });
    }
}

async fn write<C: sea_orm::ConnectionTrait>(conn: &C, batch: Batch) -> Result<u64, DbErr> {
    match batch {
        Batch::Units(rows) if !rows.is_empty() => {
            let count = rows.len() as u64;
            use sirene_unit::Column as C;
            sirene_unit::Entity::insert_many(
                rows.into_iter().map(IntoActiveModel::into_active_model),
            )
            .on_conflict(
                OnConflict::column(C::Siren)
                    .update_columns([C::Name, C::LegalCategory, C::Active, C::Diffusible])
                    .to_owned(),
            )
            .exec_without_returning(conn)
            .await?;
            Ok(count)
        }
        Batch::Establishments(rows) if !rows.is_empty() => {
            let count = rows.len() as u64;
            use sirene_establishment::Column as C;
            sirene_establishment::Entity::insert_many(
                rows.into_iter().map(IntoActiveModel::into_active_model),
            )
            .on_conflict(
                OnConflict::column(C::Siret)
                    .update_columns([
                        C::Siren,
                        C::HeadOffice,
                        C::Active,
                        C::Diffusible,
                        C::Name,
                        C::AddressComplement,
                        C::Street,
                        C::PostalCode,
                        C::City,
                        C::Country,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(conn)
            .await?;
            Ok(count)
        }
        _ => Ok(0),
    }
}

/// Imports one stock file; all of it, or nothing.
pub async fn import<R: Read + Send + 'static>(
    db: &DatabaseConnection,
    file: StockFile,
    input: R,
    progress: Option<Progress>,
) -> Result<ImportReport, ImportError> {
    let (send, mut receive) = tokio::sync::mpsc::channel(4);
    let parser = tokio::task::spawn_blocking(move || parse_all(file, input, progress, send));
    let txn = db.begin().await?;
    let mut rows = 0;
    let outcome = loop {
        match receive.recv().await {
            Some(Message::Rows(batch)) => rows += write(&txn, batch).await?,
            Some(Message::End { problems, total }) if total == 0 && problems.is_empty() => {
                break Ok(());
            }
            Some(Message::End { problems, total }) => {
                break Err(ImportError::Malformed { problems, total });
            }
            Some(Message::Fatal(error)) => break Err(error),
            None => break Err(ImportError::Read("le lecteur s’est arrêté".into())),
        }
    };
    drop(receive);
    let _ = parser.await;
    match outcome {
        Ok(()) => {
            txn.commit().await?;
            Ok(ImportReport { rows })
        }
        Err(error) => {
            txn.rollback().await?;
            Err(error)
        }
    }
}
