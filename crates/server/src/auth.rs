//! Accounts and sessions: Argon2id passwords, an HttpOnly session cookie, a CSRF token for every
//! request that changes something, and sign-in attempts limited per account and per address.

use std::net::{IpAddr, SocketAddr};

use crate::db::Db;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use rules::api::{Login, Me, Role, StoreRef};
use rules::Party;

use crate::digest::{hex, sha256_hex};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::store::cases::Scope;
use crate::store::limits;
use crate::workflow::Actor;
use crate::{AppState, WorkLimits};

pub const SESSION_COOKIE: &str = "retour_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The language chosen in the app, so the page can preload its words (`spa`).
pub const LOCALE_COOKIE: &str = "retour.locale";

/// `n` random bytes from the operating system, in hex.
pub fn random_hex(n: usize) -> Result<String, AppError> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no random bytes: {e}")))?;
    Ok(hex(&bytes))
}

/// An Argon2id hash (the crate's defaults: 19 MiB, 2 passes) in PHC string form.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AppError::Internal(format!("no salt: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("cannot hash a password: {e}")))
}

fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Checked against when the account does not exist, so a wrong address takes as long as a wrong
/// password and does not tell which accounts exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0cF8pLBLPFm3a+3Yb4uFqj0Uu4bXxXuQbYIJNZ5bGm0";

/// How many sign-in attempts a key may make in [`limits::WINDOW`].
pub const PER_ACCOUNT: i64 = 5;
pub const PER_ADDRESS: i64 = 20;

/// The client's address: the connection's peer, or behind a trusted proxy the address that
/// proxy appended last to `X-Forwarded-For` (earlier entries are whatever the client sent).
pub struct ClientAddr(pub Option<IpAddr>);

fn client_addr(parts: &Parts, trusted_proxy: bool) -> Option<IpAddr> {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if !trusted_proxy {
        return peer;
    }
    parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        .and_then(|last| last.trim().parse().ok())
        .or(peer)
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(client_addr(parts, state.trusted_proxy)))
    }
}

/// The signed-in person of a request. For a method that changes something, the request also
/// proved it comes from our own pages: same origin, and the session's CSRF token in
/// `X-CSRF-Token`.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub csrf_token: String,
    /// SHA-256 of the session's token: what a sign-out announces to the live streams.
    pub session: String,
    pub session_expires_at: DateTime<Utc>,
}

impl CurrentUser {
    pub fn party(&self) -> Party {
        self.role.party()
    }

    /// Whose cases this person may see. Anything outside is "not found".
    pub fn scope(&self) -> Scope {
        match self.role {
            Role::Buyer => Scope::Buyer(self.id.clone()),
            Role::Seller => Scope::Seller(self.id.clone()),
            Role::Mediator => Scope::Mediator,
        }
    }

    /// This person as the case workflows see them.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.id.clone(),
            party: self.party(),
            scope: self.scope(),
        }
    }
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn changes_something(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A browser says where a request comes from; one from another site is refused before anything
/// else, including signing in (so nobody can sign a victim into the attacker's account).
fn check_same_origin(parts: &Parts, trusted_proxy: bool) -> Result<(), AppError> {
    let cross_site = || {
        AppError::new(
            StatusCode::FORBIDDEN,
            "cross_site_request",
            "requests from other sites are refused",
        )
    };
    if parts
        .headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site")
    {
        return Err(cross_site());
    }
    if let Some(origin) = parts.headers.get(header::ORIGIN) {
        let origin_host = origin
            .to_str()
            .ok()
            .and_then(|o| o.split_once("://"))
            .map(|(_, rest)| rest.as_bytes());
        // Behind a trusted proxy the browser's host arrives as X-Forwarded-Host; from anyone
        // else that header proves nothing.
        let ours = |name| parts.headers.get(name).map(HeaderValue::as_bytes);
        let same = origin_host.is_some_and(|o| {
            Some(o) == ours(header::HOST.as_str())
                || (trusted_proxy && Some(o) == ours("x-forwarded-host"))
        });
        if !same {
            return Err(cross_site());
        }
    }
    Ok(())
}

/// The same answer for equal strings whatever their content, so a token cannot be guessed a
/// byte at a time from response times.
fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: String,
    email: String,
    display_name: String,
    role: String,
    csrf_token: String,
    expires_at: i64,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let writes = changes_something(&parts.method);
        if writes {
            check_same_origin(parts, state.trusted_proxy)?;
        }
        let token = cookie(&parts.headers, SESSION_COOKIE)
            .ok_or_else(|| AppError::unauthenticated("unauthenticated", "sign in to continue"))?;
        let token_hash = sha256_hex(token.as_bytes());
        let row: Option<SessionRow> = on_db!(
            &state.pool,
            "SELECT u.id, u.email, u.display_name, u.role, s.csrf_token, s.expires_at \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
            |sql, p| sqlx::query_as(sql)
                .bind(&token_hash)
                .fetch_optional(p)
                .await
        )?;
        let row =
            row.ok_or_else(|| AppError::unauthenticated("unauthenticated", "sign in to continue"))?;
        if row.expires_at <= state.now().timestamp_millis() {
            on_db!(
                &state.pool,
                "DELETE FROM sessions WHERE token_hash = ?",
                |sql, p| sqlx::query(sql)
                    .bind(&token_hash)
                    .execute(p)
                    .await
                    .map(|r| r.rows_affected())
            )?;
            return Err(AppError::unauthenticated(
                "session_expired",
                "your session has expired; sign in again",
            ));
        }
        if writes {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(sent, &row.csrf_token) {
                return Err(AppError::new(
                    StatusCode::FORBIDDEN,
                    "csrf_token_invalid",
                    "this request lacks the page's security token; reload the page and try again",
                ));
            }
        }
        Ok(CurrentUser {
            role: Role::from_code(&row.role)
                .ok_or_else(|| AppError::Internal(format!("stored role {:?}", row.role)))?,
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            csrf_token: row.csrf_token,
            session: token_hash,
            session_expires_at: DateTime::from_timestamp_millis(row.expires_at).unwrap_or_default(),
        })
    }
}

/// A signed-in person with one role. Another role gets "not found": the endpoint is not theirs,
/// and nothing about it is told.
macro_rules! role_extractor {
    ($name:ident, $role:expr) => {
        #[derive(Clone, Debug)]
        pub struct $name(pub CurrentUser);

        impl FromRequestParts<AppState> for $name {
            type Rejection = AppError;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &AppState,
            ) -> Result<Self, AppError> {
                let user = CurrentUser::from_request_parts(parts, state).await?;
                if user.role == $role {
                    Ok($name(user))
                } else {
                    Err(AppError::NotFound("endpoint"))
                }
            }
        }
    };
}

role_extractor!(Buyer, Role::Buyer);
role_extractor!(Seller, Role::Seller);
role_extractor!(Mediator, Role::Mediator);

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: String,
    email: String,
    display_name: String,
    role: String,
    password_hash: Option<String>,
}

async fn me(pool: &Db, user: &CurrentUser) -> Result<Me, AppError> {
    let stores = on_db!(
        pool,
        "SELECT id, name FROM stores WHERE owner_id = ? ORDER BY name",
        |sql, p| sqlx::query_as::<_, (String, String)>(sql)
            .bind(&user.id)
            .fetch_all(p)
            .await
    )?
    .into_iter()
    .map(|(id, name)| StoreRef { id, name })
    .collect();
    Ok(Me {
        id: user.id.clone(),
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        role: user.role,
        stores,
        csrf_token: user.csrf_token.clone(),
    })
}

pub async fn get_me(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: CurrentUser,
) -> Result<Json<Me>, AppError> {
    remember_language(&state, &headers, &user).await?;
    Ok(Json(me(&state.pool, &user).await?))
}

/// Keeps the language chosen in the app (its cookie) for the person's e-mails.
pub(crate) async fn remember_language(
    state: &AppState,
    headers: &HeaderMap,
    user: &CurrentUser,
) -> Result<(), AppError> {
    if let Some(asked) = cookie(headers, LOCALE_COOKIE) {
        let code = crate::words::Words::choose(Some(asked), None).code();
        crate::store::notifications::set_locale(&state.pool, &user.id, code).await?;
    }
    Ok(())
}

/// `GET /api/session`: who is signed in, or `null` for nobody (nor for an expired session). The
/// app asks this as it starts, so a visitor who has not signed in yet meets no error.
pub async fn get_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: Result<CurrentUser, AppError>,
) -> Result<Json<Option<Me>>, AppError> {
    match user {
        Ok(user) => {
            remember_language(&state, &headers, &user).await?;
            Ok(Json(Some(me(&state.pool, &user).await?)))
        }
        Err(AppError::Invalid {
            status: StatusCode::UNAUTHORIZED,
            ..
        }) => Ok(Json(None)),
        Err(other) => Err(other),
    }
}

fn session_cookie(state: &AppState, headers: &HeaderMap, value: &str, max_age: i64) -> String {
    let https = state.secure_cookies
        || (state.trusted_proxy
            && headers
                .get("x-forwarded-proto")
                .is_some_and(|v| v.as_bytes() == b"https"));
    format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        if https { "; Secure" } else { "" }
    )
}

/// `POST /api/login`: checks the password and opens a session.
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    parts: SameOrigin,
    ApiJson(login): ApiJson<Login>,
) -> Result<Response, AppError> {
    let email = login.email.trim().to_lowercase();
    if email.is_empty() || login.password.is_empty() {
        return Err(AppError::unprocessable(
            "credentials_required",
            "enter your email address and password",
        ));
    }
    let now = state.now();
    let mut keys = vec![(format!("account:{email}"), PER_ACCOUNT)];
    if let Some(addr) = addr {
        keys.push((format!("address:{addr}"), PER_ADDRESS));
    }
    // Counted before the password is checked, in the database all instances share.
    limits::reserve(&state.pool, &keys, now)
        .await?
        .map_err(|retry_after_secs| AppError::TooManyAttempts { retry_after_secs })?;
    let account: Option<AccountRow> = on_db!(
        &state.pool,
        "SELECT id, email, display_name, role, password_hash FROM users WHERE email = ?",
        |sql, p| sqlx::query_as(sql).bind(&email).fetch_optional(p).await
    )?;
    let stored = account
        .as_ref()
        .and_then(|a| a.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.to_owned());
    let password = login.password;
    let matches = WorkLimits::run_blocking(&state.limits.hashes, move || {
        password_matches(&password, &stored)
    })
    .await?;
    let Some(account) = account.filter(|a| matches && a.password_hash.is_some()) else {
        return Err(AppError::unauthenticated(
            "wrong_credentials",
            "the email address or the password is wrong",
        ));
    };
    limits::succeed(&state.pool, &keys).await?;
    let token = random_hex(32)?;
    let csrf = random_hex(32)?;
    let expires = now + state.session_ttl;
    on_db!(
        &state.pool,
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
         VALUES (?, ?, ?, ?, ?)",
        |sql, p| sqlx::query(sql)
            .bind(sha256_hex(token.as_bytes()))
            .bind(&account.id)
            .bind(&csrf)
            .bind(now.timestamp_millis())
            .bind(expires.timestamp_millis())
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    )?;
    let user = CurrentUser {
        role: Role::from_code(&account.role)
            .ok_or_else(|| AppError::Internal(format!("stored role {:?}", account.role)))?,
        id: account.id,
        email: account.email,
        display_name: account.display_name,
        csrf_token: csrf,
        session: sha256_hex(token.as_bytes()),
        session_expires_at: expires,
    };
    let cookie = session_cookie(&state, &parts.0, &token, state.session_ttl.num_seconds());
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(me(&state.pool, &user).await?),
    )
        .into_response())
}

/// `POST /api/logout`: ends the session on the server and clears the cookie.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: CurrentUser,
) -> Result<Response, AppError> {
    on_db!(
        &state.pool,
        "DELETE FROM sessions WHERE token_hash = ?",
        |sql, p| sqlx::query(sql)
            .bind(&user.session)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    )?;
    // Live streams opened under this session close now.
    state.live.end_session(&user.session);
    let cookie = session_cookie(&state, &headers, "", 0);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// The request's headers, once it proved it comes from our own site.
pub struct SameOrigin(pub HeaderMap);

impl FromRequestParts<AppState> for SameOrigin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        check_same_origin(parts, state.trusted_proxy)?;
        Ok(SameOrigin(parts.headers.clone()))
    }
}

/// Removes sessions that have expired (the sweeper calls it).
pub async fn delete_expired_sessions(pool: &Db, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    Ok(on_db!(
        pool,
        "DELETE FROM sessions WHERE expires_at <= ?",
        |sql, p| sqlx::query(sql)
            .bind(now.timestamp_millis())
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_is_a_valid_argon2id_hash_that_matches_nothing_typed() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!password_matches("", DUMMY_HASH));
        assert!(!password_matches("password", DUMMY_HASH));
    }

    #[test]
    fn a_hash_matches_its_password_only() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(password_matches("correct horse", &hash));
        assert!(!password_matches("correct horse ", &hash));
    }

    #[test]
    fn tokens_are_compared_whole() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
        assert!(!constant_time_eq("", "a"));
    }
}
