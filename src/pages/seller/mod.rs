mod analytics;
mod policy;
mod returns;

pub use analytics::AnalyticsPage;
pub use policy::PolicyPage;
pub use returns::SellerReturnsPage;
