pub mod account;
pub mod buyer;
mod not_found;
pub mod seller;

pub use not_found::NotFound;
