mod analytics;
mod returns;

pub use analytics::AnalyticsPage;
pub use returns::SellerReturnsPage;
