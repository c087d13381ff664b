//! *Photo de profil* on *Mon compte* (rule P1; the seed shows it on the
//! left of the page). A form with a file field, posted as multipart to
//! `upload_photo`: it works without JavaScript (server_fn sends a form post
//! back to its page); once hydrated, the chosen file is first checked by
//! `domain::photo` (type and size, the same check the server makes before
//! decoding), the form is sent in the background, and the new photo shows
//! at once. The photo is served by the server (`domain::photo::PHOTO_URL`)
//! to its owner only; the page asks for it by its stamp, so a new photo is
//! never the old one from the browser's memory.

use crate::api::my_account::{UploadPhoto, remove_photo, upload_photo};
use crate::components::form::FormMessage;
use crate::components::messages::{error_text, photo_problem_text};
use crate::domain::photo::{ACCEPTED_TYPES, FILE_FIELD, PHOTO_URL, PhotoProblem, check_upload};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// Where the form posts, without JavaScript too.
const UPLOAD_PATH: &str = <UploadPhoto as ServerFn>::PATH;

/// The photo and its form; `stamp` is the saved photo's, if any.
#[component]
pub fn PhotoSection(stamp: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let stamp = RwSignal::new(stamp);
    let problem = RwSignal::new(None::<PhotoProblem>);
    let status = RwSignal::new(None::<(bool, String)>);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let upload = Action::new_local(|data: &web_sys::FormData| upload_photo(data.clone().into()));
    let remove = Action::new(|_: &()| remove_photo());
    Effect::new(move |_| match upload.value().get() {
        Some(Ok(saved)) => {
            stamp.set(Some(saved));
            problem.set(None);
            if let Some(input) = file_input.get_untracked() {
                input.set_value("");
            }
            status.set(Some((
                false,
                t_string!(i18n, account.photo_saved).to_owned(),
            )));
        }
        Some(Err(AppError::Photo(refused))) => {
            problem.set(Some(refused));
            status.set(None);
        }
        Some(Err(error)) => status.set(Some((true, error_text(i18n, &error)))),
        None => {}
    });
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => {
            stamp.set(None);
            status.set(Some((
                false,
                t_string!(i18n, account.photo_removed).to_owned(),
            )));
        }
        Some(Err(error)) => status.set(Some((true, error_text(i18n, &error)))),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        status.set(None);
        let Some(input) = file_input.get_untracked() else {
            return;
        };
        let chosen = input.files().and_then(|files| files.get(0));
        let refused = match &chosen {
            None => Some(PhotoProblem::Missing),
            Some(file) => check_upload(&file.type_(), file.size() as u64).err(),
        };
        problem.set(refused);
        if refused.is_none()
            && let Some(form) = input.form()
            && let Ok(data) = web_sys::FormData::new_with_form(&form)
        {
            upload.dispatch_local(data);
        }
    };
    let error = move || problem.get().map(|p| photo_problem_text(i18n, p));
    let busy = move || upload.pending().get() || remove.pending().get();
    view! {
        <div class="account-photo">
            <h3 id="photo-de-profil">{t!(i18n, account.photo)}</h3>
            {move || match stamp.get() {
                Some(stamp) => {
                    view! {
                        <img
                            class="account-photo-image"
                            src=format!("{PHOTO_URL}?v={stamp}")
                            alt=move || t_string!(i18n, account.photo_alt)
                        />
                    }
                        .into_any()
                }
                None => view! { <p class="account-photo-none">{t!(i18n, account.photo_none)}</p> }.into_any(),
            }}
            <FormMessage message=status />
            <form
                method="post"
                action=UPLOAD_PATH
                enctype="multipart/form-data"
                class="form"
                novalidate
                on:submit=on_submit
            >
                <div class="field" class:field-invalid=move || problem.get().is_some()>
                    <label for=FILE_FIELD>{t!(i18n, account.photo_choose)}</label>
                    <p id="photo-aide" class="hint">{t!(i18n, account.photo_hint)}</p>
                    <input
                        id=FILE_FIELD
                        name=FILE_FIELD
                        type="file"
                        accept=ACCEPTED_TYPES.join(",")
                        node_ref=file_input
                        aria-invalid=move || if problem.get().is_some() { "true" } else { "false" }
                        aria-describedby=move || {
                            if problem.get().is_some() { "photo-aide photo-erreur" } else { "photo-aide" }
                        }
                        on:change=move |_| problem.set(None)
                    />
                    <p id="photo-erreur" class="field-error-text" aria-live="polite">{error}</p>
                </div>
                <div class="actions">
                    <button type="submit" class="button" disabled=busy>
                        {t!(i18n, account.photo_send)}
                    </button>
                    <Show when=move || stamp.get().is_some()>
                        <button
                            type="button"
                            class="button-secondary"
                            disabled=busy
                            on:click=move |_| {
                                remove.dispatch(());
                            }
                        >
                            {t!(i18n, account.photo_remove)}
                        </button>
                    </Show>
                </div>
            </form>
        </div>
    }
}
