mod analytics;
mod returns;

pub use analytics::AnalyticsPage;
pub use returns::{filters_in_form, filters_markup, page_markup, SellerReturnsPage};
