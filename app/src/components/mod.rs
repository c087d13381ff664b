//! Components shared by several pages.

pub mod captcha;
pub mod form;
pub mod layout;
pub mod list_page;
pub mod messages;
pub mod page_title;
pub mod pager;
pub mod password;
pub mod preferences;
pub mod text_file;
