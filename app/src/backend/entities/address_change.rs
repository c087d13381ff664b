//! An address change (login address, rule P6; contact address, rule P1):
//! the account's latest request of each kind, waiting for its link, used,
//! or expired.

use crate::domain::address_change::AddressKind;
use sea_orm::entity::prelude::*;

/// [`AddressKind`] as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Kind {
    #[sea_orm(string_value = "login")]
    Login,
    #[sea_orm(string_value = "contact")]
    Contact,
}

impl From<AddressKind> for Kind {
    fn from(kind: AddressKind) -> Kind {
        match kind {
            AddressKind::Login => Kind::Login,
            AddressKind::Contact => Kind::Contact,
        }
    }
}

impl From<Kind> for AddressKind {
    fn from(kind: Kind) -> AddressKind {
        match kind {
            Kind::Login => AddressKind::Login,
            Kind::Contact => AddressKind::Contact,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "address_changes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: Kind,
    /// Normalised as login addresses are.
    pub new_address: String,
    /// SHA-256 of the link's token (`backend::secrets`).
    pub token_hash: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// When the link was used; the request is then over.
    pub confirmed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
