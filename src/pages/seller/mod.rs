mod returns;

pub use returns::SellerReturnsPage;
