mod disputes;

pub use disputes::DisputesPage;
