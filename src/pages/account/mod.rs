mod mail;
mod sign_in;

pub use mail::MailPage;
pub use sign_in::SignInPage;
