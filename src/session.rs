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
    /// Whether the words of the pages past the first screens are in (see [`Words`]).
    pub words: RwSignal<Words>,
}

/// The language's words come in two halves: the first screens' (sign-in, orders, the queues),
/// downloaded before anything shows, and the rest (the case page, the return wizard, the
/// analytics, the policy), downloaded when one of those pages first opens.
#[derive(Clone, Debug)]
pub enum Words {
    /// Only the first screens' words.
    First,
    /// The rest is on its way.
    Loading,
    All,
    /// The rest could not be downloaded.
    Failed(ApiError),
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
        // Chosen before this browser kept it in a cookie too: the server preloads by the cookie.
        remember_for_the_server(chosen);
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

/// The language chosen, in a cookie: the server reads it to preload the words of the next
/// visit's first screen.
fn remember_for_the_server(locale: Locale) {
    let cookie = format!(
        "{LOCALE_KEY}={}; path=/; max-age=31536000; samesite=lax",
        locale.code()
    );
    let _ = js_sys::Reflect::set(&document(), &"cookie".into(), &cookie.into());
}

/// One half of `locale`'s catalogue: the first screens' words, or `.more` for the rest, with
/// the later pages' stylesheet downloaded meanwhile: a later page is never drawn unstyled and
/// then moved.
async fn catalogue(locale: Locale, half: &str) -> Result<text::Catalogue, ApiError> {
    let styled = if half == ".more" { later_style() } else { None };
    let json = api::text(&format!("/locales/{}{half}.json", locale.code())).await;
    if let Some(styled) = styled {
        let _ = styled.await;
    }
    text::parse_catalogue(&json?).map_err(ApiError::Decode)
}

/// The `id` of the link to the later pages' stylesheet (`style/later.css`): `index.html` links
/// it disabled, so the browser does not download it until [`later_style`] enables it.
pub const LATER_STYLE: &str = "later-style";

/// Enables the later pages' stylesheet, once. The browser downloads it at once; the answer is
/// done when the browser has it (or could not get it: the pages read without it).
fn later_style() -> Option<wasm_bindgen_futures::JsFuture> {
    let link = document()
        .get_element_by_id(LATER_STYLE)
        .filter(|link| link.has_attribute("disabled"))?;
    let arrived = js_sys::Promise::new(&mut |done, _| {
        for event in ["load", "error"] {
            let _ = link.add_event_listener_with_callback(event, &done);
        }
    });
    let _ = link.remove_attribute("disabled");
    Some(arrived.into())
}

/// Downloads `locale`'s catalogue (with the rest of its words when `all`) and speaks it from
/// now on.
pub async fn load_locale(locale: Locale, all: bool) -> Result<(), ApiError> {
    let first = catalogue(locale, "").await?;
    let rest = if all {
        Some(catalogue(locale, ".more").await?)
    } else {
        None
    };
    text::install(locale, first);
    if let Some(rest) = rest {
        text::extend(rest);
    }
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", locale.code());
    }
    Ok(())
}

impl Session {
    /// Switches the language, remembered on this browser. The page is drawn again in it; what
    /// the viewer typed is kept by the forms themselves.
    pub async fn switch_locale(self, locale: Locale) -> Result<(), ApiError> {
        let all = matches!(self.words.get_untracked(), Words::All);
        load_locale(locale, all).await?;
        if let Some(s) = storage() {
            let _ = s.set_item(LOCALE_KEY, locale.code());
        }
        remember_for_the_server(locale);
        self.locale.set(locale);
        Ok(())
    }

    /// Whether every word is in, tracked; asks for the rest the first time it is not.
    pub fn all_words(self) -> Words {
        let words = self.words.get();
        if matches!(words, Words::First) {
            self.load_rest();
        }
        words
    }

    /// Downloads the rest of the words of the language spoken now.
    pub fn load_rest(self) {
        self.words.set(Words::Loading);
        let locale = self.locale.get_untracked();
        leptos::task::spawn_local(async move {
            let result = catalogue(locale, ".more").await;
            // The language changed meanwhile: these words are not wanted, and the page that
            // needs the rest asks again, in the language spoken now.
            if self.locale.get_untracked() != locale {
                self.words.set(Words::First);
                return;
            }
            self.words.set(match result {
                Ok(rest) => {
                    text::extend(rest);
                    Words::All
                }
                Err(e) => Words::Failed(e),
            });
        });
    }
}

/// Starts the app: the language (nothing can be said without it), then who is signed in (the
/// page preloads that answer while the app downloads: `index.html`), then the page.
pub async fn boot() {
    let locale = preferred_locale();
    let mut spoken = locale;
    // A first visit straight to a case (a link in a message) needs every word at once.
    let all = crate::route::current().needs_all_words();
    let catalogue = load_locale(locale, all).await;
    let me = api::me().await;
    if catalogue.is_err() {
        spoken = Locale::En;
        if load_locale(Locale::En, all).await.is_err() {
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
        words: RwSignal::new(if all { Words::All } else { Words::First }),
    };
    leptos::mount::mount_to_body(move || {
        provide_context(session);
        view! { <crate::App /> }
    });
}
