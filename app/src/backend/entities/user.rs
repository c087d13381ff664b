//! A person's account, identified by its login address (*adresse de connexion*).

use sea_orm::entity::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum UserStatus {
    /// Created, waiting for the activation link to be used.
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "active")]
    Active,
    /// Deactivated by the user or a manager (rule P5, M2).
    #[sea_orm(string_value = "disabled")]
    Disabled,
    /// Deactivated by Support, with a reason (rule U2): only Support brings
    /// it back (*Mot de passe oublié ?* does not).
    #[sea_orm(string_value = "suspended")]
    Suspended,
}

#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Lower-cased login address; unique.
    #[sea_orm(unique)]
    pub login_email: String,
    pub contact_email: String,
    pub last_name: String,
    pub first_name: String,
    pub phone: Option<String>,
    /// argon2id PHC string; `None` until the account is activated.
    pub password_hash: Option<String>,
    pub status: UserStatus,
    /// `fr` or `en`.
    pub language: String,
    pub accessibility: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub last_login_at: Option<DateTimeUtc>,
    /// Names and login address, folded, for the managers' filter (rule
    /// M2): `backend::structures::members::user_search_key`, written with
    /// them.
    pub search_key: String,
    /// The user stopped accepting the e-mailed code as a second factor
    /// (only with an app or a key, and recovery codes).
    pub email_code_refused: bool,
    /// *Mon compte* (rule P1): optional, several lines.
    pub work_address: Option<String>,
    pub biography: Option<String>,
    /// *Préférences utilisateurs* (rule P4): the user accepts satisfaction
    /// surveys.
    pub survey_consent: bool,
}

// The password hash stays out of logs.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("login_email", &self.login_email)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::session::Entity")]
    Session,
}

impl Related<super::session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Session.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
