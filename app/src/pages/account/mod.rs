//! Account pages: sign-up, the pages of e-mailed links, login, forgotten
//! password.

pub mod account_preferences;
pub mod activation;
pub mod address;
pub mod deactivate;
pub mod forgot;
pub mod login;
pub mod my_account;
pub mod notification_settings;
pub mod profile_photo;
pub mod second_factor;
pub mod signup;
