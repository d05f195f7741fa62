mod case;
mod orders;
mod return_request;

pub use case::CasePage;
pub use orders::OrdersPage;
pub use return_request::ReturnRequestPage;
