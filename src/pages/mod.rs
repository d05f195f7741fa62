pub mod account;
pub mod buyer;
pub mod case;
pub mod mediator;
mod not_found;
pub mod seller;

pub use case::CasePage;
pub use not_found::NotFound;
