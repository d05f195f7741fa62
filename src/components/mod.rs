mod error_view;
mod loaded;
mod nav;
mod order_card;
mod return_form;
mod verdict_panel;

pub use error_view::ErrorView;
pub use loaded::Loaded;
pub use nav::Nav;
pub use order_card::OrderCard;
pub use return_form::ReturnForm;
pub use verdict_panel::VerdictPanel;
