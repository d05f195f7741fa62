//! Retour's browser app (Leptos, client-side rendered). Everything but mounting lives here, so
//! browser tests can import it.

pub mod api;
pub mod app;
pub mod body;
pub mod clock;
pub mod components;
pub mod decode;
pub mod draft;
pub mod live;
pub mod markup;
pub mod pages;
pub mod photos;
pub mod queue;
pub mod route;
pub mod screen;
pub mod session;
pub mod text;

pub use app::App;
