use std::sync::Arc;

use crate::api::{ApiError, Decode, Load, TextLoad};
use crate::components::ErrorView;
use leptos::prelude::*;

type Render = Arc<dyn Fn(&str) -> Result<AnyView, ApiError> + Send + Sync>;

/// Shows what `load` loads: a loading line first, then `render`'s view of it, or the error with a
/// way to try again. While it reloads, the last view stays on screen.
#[component]
pub fn Loaded<T, F>(
    /// The load, created by the page so it survives re-renders.
    load: Load<T>,
    /// The view of the loaded value.
    render: F,
    /// The catalogue key of what to say while loading.
    loading: &'static str,
) -> impl IntoView
where
    T: Decode + 'static,
    F: Fn(T) -> AnyView + Send + Sync + 'static,
{
    let render: Render = Arc::new(move |text| Load::<T>::decode(text).map(&render));
    frame(load.resource, render, loading)
}

/// Everything but decoding and rendering, compiled once for every page.
///
/// It reads the resource directly instead of through `<Transition>`, `<Suspense>` and
/// `<ErrorBoundary>`: those compile Leptos' future and error-hook machinery into the app, about
/// 10 KB gzip that the bundle budget cannot spare, for the same behaviour.
fn frame(resource: TextLoad, render: Render, loading: &'static str) -> AnyView {
    let retry = Callback::new(move |_| resource.refetch());
    (move || match resource.get() {
        None => {
            view! { <p class="loading" aria-busy="true">{crate::text::t(loading)}</p> }.into_any()
        }
        Some(loaded) => match loaded.and_then(|text| render(&text)) {
            Ok(view) => view,
            Err(error) => view! { <ErrorView error retry /> }.into_any(),
        },
    })
    .into_any()
}
