//! Reading the file mailbox: the `.eml` files the file transport writes.
//! Used by the test support's `/__test/mailbox` (rule R-T1).

use crate::mail::OutboxIdHeader;
use mail_parser::MessageParser;
use serde::Serialize;
use std::path::Path;

/// One delivered e-mail, as `/__test/mailbox` shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MailboxEntry {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// RFC 3339.
    pub sent_at: String,
    #[serde(skip)]
    outbox_id: i64,
}

/// Every message of the mailbox in `dir`, newest first. A missing folder is
/// an empty mailbox.
pub async fn read(dir: &Path) -> std::io::Result<Vec<MailboxEntry>> {
    let mut entries = Vec::new();
    let mut listing = match tokio::fs::read_dir(dir).await {
        Ok(listing) => listing,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(entries),
        Err(e) => return Err(e),
    };
    while let Some(file) = listing.next_entry().await? {
        let path = file.path();
        if path.extension().and_then(|e| e.to_str()) != Some("eml") {
            continue;
        }
        let bytes = tokio::fs::read(&path).await?;
        match parse(&bytes) {
            Some(entry) => entries.push(entry),
            None => tracing::warn!(path = %path.display(), "unreadable message in the mailbox"),
        }
    }
    entries
        .sort_by(|a, b| (b.sent_at.as_str(), b.outbox_id).cmp(&(a.sent_at.as_str(), a.outbox_id)));
    Ok(entries)
}

fn parse(bytes: &[u8]) -> Option<MailboxEntry> {
    let message = MessageParser::default().parse(bytes)?;
    let to = message.to()?.first()?.address()?.to_owned();
    let sent_at = message.date()?.to_rfc3339();
    let outbox_id = message
        .header(OutboxIdHeader::NAME)
        .and_then(|value| value.as_text())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or_default();
    Some(MailboxEntry {
        to,
        subject: message.subject().unwrap_or_default().to_owned(),
        text: message
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default(),
        html: message
            .body_html(0)
            .map(|h| h.into_owned())
            .unwrap_or_default(),
        sent_at,
        outbox_id,
    })
}

/// Empties the mailbox.
pub async fn clear(dir: &Path) -> std::io::Result<()> {
    let mut listing = match tokio::fs::read_dir(dir).await {
        Ok(listing) => listing,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    while let Some(file) = listing.next_entry().await? {
        let path = file.path();
        if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("eml" | "json")
        ) {
            tokio::fs::remove_file(&path).await?;
        }
    }
    Ok(())
}
