//! Who is signed in and which language the app speaks: chosen at start, changed from the header.

use leptos::prelude::*;

use crate::api::{self, ApiError, Viewer};
use crate::text::{self, Locale};

/// The app-wide state every page may read.
#[derive(Clone, Copy)]
pub struct Session {
    /// `None` until someone signs in.
    pub me: RwSignal<Option<Viewer>>,
    pub locale: RwSignal<Locale>,
}

/// The app's session; `None` outside the app (a component mounted alone in a test).
pub fn use_session() -> Option<Session> {
    use_context::<Session>()
}

const LOCALE_KEY: &str = "retour.locale";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The language chosen before on this browser, else the first of the browser's languages that
/// Retour speaks.
pub fn preferred_locale() -> Locale {
    if let Some(chosen) = storage()
        .and_then(|s| s.get_item(LOCALE_KEY).ok().flatten())
        .and_then(|code| Locale::from_code(&code))
    {
        return chosen;
    }
    let languages: Vec<String> = window()
        .navigator()
        .languages()
        .iter()
        .filter_map(|l| l.as_string())
        .collect();
    Locale::pick(languages.iter().map(String::as_str))
}

/// Downloads `locale`'s catalogue and speaks it from now on.
pub async fn load_locale(locale: Locale) -> Result<(), ApiError> {
    let json = api::text(&format!("/locales/{}.json", locale.code())).await?;
    let entries = text::parse_catalogue(&json).map_err(ApiError::Decode)?;
    text::install(locale, entries);
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", locale.code());
    }
    Ok(())
}

impl Session {
    /// Switches the language, remembered on this browser. The page is drawn again in it; what
    /// the viewer typed is kept by the forms themselves.
    pub async fn switch_locale(self, locale: Locale) -> Result<(), ApiError> {
        load_locale(locale).await?;
        if let Some(s) = storage() {
            let _ = s.set_item(LOCALE_KEY, locale.code());
        }
        self.locale.set(locale);
        Ok(())
    }
}

/// Starts the app: the language (nothing can be said without it), then who is signed in (the
/// page preloads that answer while the app downloads: `index.html`), then the page.
pub async fn boot() {
    let locale = preferred_locale();
    let mut spoken = locale;
    let catalogue = load_locale(locale).await;
    let me = api::me().await;
    if catalogue.is_err() {
        spoken = Locale::En;
        if load_locale(Locale::En).await.is_err() {
            // Nothing to say it with: the three languages' words for it, as plain text.
            if let Some(body) = document().body() {
                body.set_text_content(Some(
                    "Retour could not start. Check your connection and reload the page. · \
                     Retour 无法启动，请检查网络后刷新页面。 · \
                     Retour no pudo iniciarse. Comprueba tu conexión y vuelve a cargar la página.",
                ));
            }
            return;
        }
    }
    // A failure here (the server is down) shows the sign-in page, whose submit says what is
    // wrong.
    let me = me.ok().flatten();
    let session = Session {
        me: RwSignal::new(me),
        locale: RwSignal::new(spoken),
    };
    leptos::mount::mount_to_body(move || {
        provide_context(session);
        view! { <crate::App /> }
    });
}
