//! The browser half of the WebAuthn ceremonies (rule F3): the options the
//! server sent (webauthn-rs-proto types) become `navigator.credentials`
//! calls through web-sys, and the browser's answer goes back as the same
//! crate's types. Only the hydrated client runs this; on the server the
//! functions exist but answer [`BrowserKeyError::Unsupported`].

use webauthn_rs_proto::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse,
};

/// Why the browser gave no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrowserKeyError {
    /// No WebAuthn in this browser (or not a secure context).
    Unsupported,
    /// The user cancelled, the time ran out, or no key answered.
    Cancelled,
    /// The key is already registered (it matched an excluded credential).
    AlreadyRegistered,
}

/// Why a whole ceremony (server options, browser, server check) failed.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyCeremonyError {
    Server(crate::error::AppError),
    Browser(BrowserKeyError),
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::BrowserKeyError;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    pub fn credentials() -> Result<web_sys::CredentialsContainer, BrowserKeyError> {
        let window = web_sys::window().ok_or(BrowserKeyError::Unsupported)?;
        if !window.is_secure_context() {
            return Err(BrowserKeyError::Unsupported);
        }
        let navigator = window.navigator();
        let has =
            js_sys::Reflect::has(&navigator, &JsValue::from_str("credentials")).unwrap_or(false);
        if !has
            || js_sys::Reflect::get(&window, &JsValue::from_str("PublicKeyCredential"))
                .map(|v| v.is_undefined())
                .unwrap_or(true)
        {
            return Err(BrowserKeyError::Unsupported);
        }
        Ok(navigator.credentials())
    }

    fn error_of(value: JsValue) -> BrowserKeyError {
        let name = value
            .dyn_ref::<web_sys::DomException>()
            .map(|e| e.name())
            .unwrap_or_default();
        match name.as_str() {
            "InvalidStateError" => BrowserKeyError::AlreadyRegistered,
            "NotSupportedError" | "SecurityError" => BrowserKeyError::Unsupported,
            _ => BrowserKeyError::Cancelled,
        }
    }

    pub async fn settle(
        promise: Result<js_sys::Promise, JsValue>,
    ) -> Result<web_sys::PublicKeyCredential, BrowserKeyError> {
        let answer = JsFuture::from(promise.map_err(error_of)?)
            .await
            .map_err(error_of)?;
        answer
            .dyn_into::<web_sys::PublicKeyCredential>()
            .map_err(|_| BrowserKeyError::Cancelled)
    }
}

/// `navigator.credentials.create`: registers a new key.
pub async fn create(
    options: CreationChallengeResponse,
) -> Result<RegisterPublicKeyCredential, BrowserKeyError> {
    #[cfg(feature = "hydrate")]
    {
        let container = browser::credentials()?;
        let options: web_sys::CredentialCreationOptions = options.into();
        let answer = browser::settle(container.create_with_options(&options)).await?;
        Ok(RegisterPublicKeyCredential::from(answer))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = options;
        Err(BrowserKeyError::Unsupported)
    }
}

/// `navigator.credentials.get`: signs the login challenge with a key.
pub async fn get(
    options: RequestChallengeResponse,
) -> Result<PublicKeyCredential, BrowserKeyError> {
    #[cfg(feature = "hydrate")]
    {
        let container = browser::credentials()?;
        let options: web_sys::CredentialRequestOptions = options.into();
        let answer = browser::settle(container.get_with_options(&options)).await?;
        Ok(PublicKeyCredential::from(answer))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = options;
        Err(BrowserKeyError::Unsupported)
    }
}
