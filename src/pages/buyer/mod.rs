mod orders;
mod return_request;

pub use orders::OrdersPage;
pub use return_request::ReturnRequestPage;
