//! Accounts and sessions over real HTTP: sign-in, the cookie, CSRF, expiry and rate limiting.

mod common;

use chrono::TimeDelta;
use common::{error_of, filing, spawn_app};
use reqwest::StatusCode;
use retour_server::on_db;
use rules::api::{Me, Role};
use serde_json::json;

fn credentials(email: &str, password: &str) -> serde_json::Value {
    json!({"email": email, "password": password})
}

#[tokio::test]
async fn signing_in_sets_an_http_only_cookie_and_signing_out_ends_the_session() {
    let app = spawn_app().await;
    let session = app.anonymous();
    let response = session
        .post(
            "/api/login",
            &credentials("  Mei@Demo.Retour ", "mei-demo-1"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    for attribute in ["retour_session=", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");
    let me: Me = response.json().await.unwrap();
    assert_eq!(
        (me.role, me.display_name.as_str()),
        (Role::Seller, "Mei Lin")
    );
    assert_eq!(me.stores.len(), 1);
    assert_eq!(me.csrf_token.len(), 64);

    // The database keeps a hash of the token, never the token; passwords are Argon2id.
    let token = cookie
        .trim_start_matches("retour_session=")
        .split(';')
        .next()
        .unwrap();
    let stored: Vec<String> = on_db!(
        &app.state.pool,
        "SELECT token_hash FROM sessions",
        |sql, p| sqlx::query_scalar(sql).fetch_all(p).await
    )
    .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token);
    let hash: String = on_db!(
        &app.state.pool,
        "SELECT password_hash FROM users WHERE id = 'u-mei'",
        |sql, p| sqlx::query_scalar(sql).fetch_one(p).await
    )
    .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");

    let again: Me = session.get_json("/api/me").await;
    assert_eq!(again.id, "u-mei");
    let mut signed_in = session;
    signed_in.csrf = again.csrf_token;
    let out = signed_in.post("/api/logout", &json!({})).await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert!(out.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let (status, error) = error_of(signed_in.get("/api/me").await).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthenticated"))
    );
}

/// Signs in through a client that says it came through a proxy: HTTPS, from `host`, for
/// `client_ip`.
async fn login_forwarded(app: &common::TestApp, host: &str, client_ip: &str) -> reqwest::Response {
    app.anonymous()
        .client
        .post(app.url("/api/login"))
        .header("origin", format!("https://{host}"))
        .header("x-forwarded-host", host)
        .header("x-forwarded-proto", "https")
        .header("x-forwarded-for", client_ip)
        .json(&credentials("wei@demo.retour", "wei-demo-1"))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn forwarded_headers_are_believed_only_behind_a_trusted_proxy() {
    // By default anyone could send them: the forwarded host proves no origin.
    let app = spawn_app().await;
    let response = login_forwarded(&app, "returns.example", "203.0.113.7").await;
    assert_eq!(error_of(response).await.1["code"], "cross_site_request");

    let app = common::spawn_app_with(|state| state.trusted_proxy = true).await;
    let response = login_forwarded(&app, "returns.example", "203.0.113.7").await;
    assert_eq!(response.status(), StatusCode::OK);
    // Behind HTTPS the cookie is Secure.
    assert!(response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("; Secure"));
}

#[tokio::test]
async fn the_per_address_limit_sees_the_real_client_only_behind_a_trusted_proxy() {
    // Each attempt names another account, so only the per-address limit (20) can stop them.
    let attempts = |app: &common::TestApp, spoof: bool| {
        let session = app.anonymous();
        let url = app.url("/api/login");
        async move {
            let mut statuses = Vec::new();
            for i in 0..21 {
                let mut request = session
                    .client
                    .post(&url)
                    .json(&credentials(&format!("nobody{i}@example.com"), "guess"));
                if spoof {
                    request = request.header("x-forwarded-for", format!("198.51.100.{i}"));
                }
                statuses.push(request.send().await.unwrap().status());
            }
            statuses
        }
    };
    // Untrusted: a made-up X-Forwarded-For changes nothing, the 21st attempt waits.
    let app = spawn_app().await;
    let statuses = attempts(&app, true).await;
    assert_eq!(statuses[..20], [StatusCode::UNAUTHORIZED; 20]);
    assert_eq!(statuses[20], StatusCode::TOO_MANY_REQUESTS);
    // Trusted: the proxy's address for each client counts, and 21 clients are 21 addresses.
    let app = common::spawn_app_with(|state| state.trusted_proxy = true).await;
    let statuses = attempts(&app, true).await;
    assert_eq!(statuses, [StatusCode::UNAUTHORIZED; 21]);
}

#[tokio::test]
async fn wrong_credentials_are_refused_alike_whoever_the_account() {
    let app = spawn_app().await;
    let session = app.anonymous();
    for (email, password) in [
        ("mei@demo.retour", "wrong"),
        ("nobody@demo.retour", "mei-demo-1"),
    ] {
        let (status, error) = error_of(
            session
                .post("/api/login", &credentials(email, password))
                .await,
        )
        .await;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("wrong_credentials")),
            "{email}"
        );
    }
    let (status, error) = error_of(session.post("/api/login", &credentials("", "")).await).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("credentials_required")
        )
    );
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_account_and_the_limit_passes() {
    let app = spawn_app().await;
    let session = app.anonymous();
    for _ in 0..5 {
        let response = session
            .post("/api/login", &credentials("jordan@demo.retour", "guess"))
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password waits now: a guesser cannot tell.
    let blocked = session
        .post(
            "/api/login",
            &credentials("jordan@demo.retour", "jordan-demo-1"),
        )
        .await;
    let retry_after: u64 = blocked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    let (status, error) = error_of(blocked).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("too_many_attempts"))
    );
    // Another account is not locked out by them.
    app.wei().await;
    app.clock.advance(TimeDelta::minutes(15));
    app.jordan().await;
}

#[tokio::test]
async fn sessions_expire_after_their_lifetime() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    app.clock
        .advance(TimeDelta::days(7) - TimeDelta::seconds(1));
    let _: Me = lucia.get_json("/api/me").await;
    app.clock.advance(TimeDelta::seconds(1));
    let (status, error) = error_of(lucia.get("/api/orders").await).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("session_expired"))
    );
    // The expired session is gone: asking again is plain "sign in".
    let (_, error) = error_of(lucia.get("/api/orders").await).await;
    assert_eq!(error["code"], "unauthenticated");
}

#[tokio::test]
async fn a_write_without_the_pages_token_or_from_another_site_is_refused() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let mut body = filing("ord-1006", "ord-1006-1", 1, "defective", "replacement");
    body["evidence"] = json!([lucia.unfiled_photo().await]);
    let send = |token: Option<&str>, origin: Option<&str>| {
        let mut request = lucia
            .client
            .post(lucia.url("/api/cases"))
            .header("idempotency-key", common::uuid())
            .json(&body);
        if let Some(token) = token {
            request = request.header("x-csrf-token", token);
        }
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        request.send()
    };
    let (status, error) = error_of(send(None, None).await.unwrap()).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("csrf_token_invalid"))
    );
    let (_, error) = error_of(send(Some("0".repeat(64).as_str()), None).await.unwrap()).await;
    assert_eq!(error["code"], "csrf_token_invalid");
    let (status, error) = error_of(
        send(Some(&lucia.csrf), Some("https://evil.example"))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("cross_site_request"))
    );
    // Nothing was filed by the refused requests.
    let cases: i64 = on_db!(
        &app.state.pool,
        "SELECT COUNT(*) FROM cases WHERE order_id = 'ord-1006'",
        |sql, p| sqlx::query_scalar(sql).fetch_one(p).await
    )
    .unwrap();
    assert_eq!(cases, 0);
    // Our own origin, with the token, goes through.
    let own = format!("http://{}", app.addr);
    let response = send(Some(&lucia.csrf), Some(&own)).await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);

    // Nobody can be signed in from another site either.
    let login = app
        .anonymous()
        .client
        .post(app.url("/api/login"))
        .header("origin", "https://evil.example")
        .json(&credentials("lucia@demo.retour", "lucia-demo-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(login).await.1["code"], "cross_site_request");
}

#[tokio::test]
async fn without_a_session_only_the_public_endpoints_answer() {
    let app = spawn_app().await;
    let anonymous = app.anonymous();
    for path in [
        "/api/me",
        "/api/orders",
        "/api/cases",
        "/api/cases/case-3001",
    ] {
        let (status, error) = error_of(anonymous.get(path).await).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("unauthenticated")),
            "{path}"
        );
    }
    let health = anonymous.get("/api/health").await;
    assert_eq!(health.status(), StatusCode::OK);
}

/// The sign-in limits live in the database every instance shares: a window per key from its
/// first attempt, refused attempts not counted, a success giving back its place.
#[tokio::test]
async fn sign_in_limits_are_counted_in_the_shared_database() {
    use retour_server::store::limits::{forget_expired, reserve, succeed, WINDOW};
    let app = spawn_app().await;
    let pool = &app.state.pool;
    let t0 = app.clock.now();
    let account = [("account:a@example.com".to_owned(), 2)];
    assert_eq!(reserve(pool, &account, t0).await.unwrap(), Ok(()));
    let t1 = t0 + TimeDelta::minutes(1);
    assert_eq!(reserve(pool, &account, t1).await.unwrap(), Ok(()));
    // Both places are taken before either password was checked: the third waits until the
    // window that began with the first attempt ends.
    let t5 = t0 + TimeDelta::minutes(5);
    assert_eq!(reserve(pool, &account, t5).await.unwrap(), Err(600));
    assert_eq!(reserve(pool, &account, t5).await.unwrap(), Err(600));
    assert_eq!(reserve(pool, &account, t0 + WINDOW).await.unwrap(), Ok(()));
    succeed(pool, &account).await.unwrap();
    assert_eq!(reserve(pool, &account, t0 + WINDOW).await.unwrap(), Ok(()));

    // A refused key counts nothing for the others; a success gives the address one place back.
    let both = [
        ("account:b@example.com".to_owned(), 5),
        ("address:192.0.2.1".to_owned(), 2),
    ];
    assert_eq!(reserve(pool, &both, t0).await.unwrap(), Ok(()));
    assert_eq!(reserve(pool, &both, t0).await.unwrap(), Ok(()));
    assert!(reserve(pool, &both, t0).await.unwrap().is_err());
    succeed(pool, &both).await.unwrap();
    assert_eq!(reserve(pool, &both, t0).await.unwrap(), Ok(()));
    assert!(reserve(pool, &both, t0).await.unwrap().is_err());
    assert!(
        forget_expired(pool, t0 + WINDOW + TimeDelta::minutes(2))
            .await
            .unwrap()
            >= 2
    );
    assert_eq!(reserve(pool, &both, t0 + WINDOW * 2).await.unwrap(), Ok(()));
}

/// The app's first question, who is signed in, is answered without an error for a visitor who
/// is not (nor after signing out), and with the person otherwise.
#[tokio::test]
async fn the_session_says_who_is_signed_in_or_nobody_without_an_error() {
    let app = spawn_app().await;
    let nobody = app.anonymous().get("/api/session").await;
    assert_eq!(nobody.status(), StatusCode::OK);
    assert_eq!(nobody.json::<Option<Me>>().await.unwrap(), None);
    let mut lucia = app.lucia().await;
    let me: Option<Me> = lucia.get_json("/api/session").await;
    let me = me.expect("Lucía is signed in");
    assert_eq!(me.email, "lucia@demo.retour");
    lucia.csrf = me.csrf_token;
    let out = lucia.post("/api/logout", &json!({})).await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let after: Option<Me> = lucia.get_json("/api/session").await;
    assert_eq!(after, None);
}
