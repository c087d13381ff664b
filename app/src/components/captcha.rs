//! The proof-of-work captcha in the browser (rule A2): fetches a challenge,
//! solves it in short slices (the page stays responsive) with the shared
//! `domain::captcha` code, and says where it stands in a status region.

use crate::api::account::new_captcha;
use crate::domain::captcha::search;
use crate::i18n::*;
use leptos::prelude::*;

/// How many numbers are tried between two yields to the browser.
const SLICE: u64 = 4_000;

/// A solved challenge, ready to send with the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solved {
    pub challenge: String,
    pub nonce: u64,
}

/// The captcha's state, shared with the form that sends it.
#[derive(Clone, Copy)]
pub struct Captcha {
    pub solved: RwSignal<Option<Solved>>,
    generation: RwSignal<u32>,
}

impl Captcha {
    pub fn new() -> Captcha {
        Captcha {
            solved: RwSignal::new(None),
            generation: RwSignal::new(0),
        }
    }

    /// Starts over with a fresh challenge (after one was spent or refused).
    pub fn restart(&self) {
        self.solved.set(None);
        self.generation.update(|g| *g += 1);
    }

    /// Sends a form once the check has ended: when `pending` is set (the
    /// user pressed the form's button) and the challenge is solved (at once
    /// if it already is), clears `pending` and calls `send` with the
    /// solution. A click while the check still runs is thus kept, not lost.
    pub fn send_when_solved(self, pending: RwSignal<bool>, send: impl Fn(Solved) + 'static) {
        Effect::new(move |_| {
            if !pending.get() {
                return;
            }
            let Some(solved) = self.solved.get() else {
                return;
            };
            pending.set(false);
            send(solved);
        });
    }
}

impl Default for Captcha {
    fn default() -> Self {
        Captcha::new()
    }
}

#[component]
pub fn CaptchaCheck(captcha: Captcha) -> impl IntoView {
    let i18n = use_i18n();
    // Effects run in the browser only.
    Effect::new(move |_| {
        let generation = captcha.generation.get();
        leptos::task::spawn_local(async move {
            let Ok(issued) = new_captcha().await else {
                return;
            };
            let mut start = 0u64;
            loop {
                if captcha.generation.get_untracked() != generation {
                    return;
                }
                if let Some(nonce) = search(&issued.challenge, issued.bits, start, SLICE) {
                    captcha.solved.set(Some(Solved {
                        challenge: issued.challenge,
                        nonce,
                    }));
                    return;
                }
                start += SLICE;
                gloo_timers::future::TimeoutFuture::new(0).await;
            }
        });
    });
    view! {
        <fieldset class="captcha">
            <legend>{t!(i18n, signup.captcha_legend)}</legend>
            <p role="status" class="captcha-status">
                {move || {
                    if captcha.solved.get().is_some() {
                        t_string!(i18n, signup.captcha_done)
                    } else {
                        t_string!(i18n, signup.captcha_working)
                    }
                }}
            </p>
            <noscript>
                <p>{t!(i18n, signup.no_script)}</p>
            </noscript>
        </fieldset>
    }
}
