//! Photo uploads over real HTTP: checked by content, limited in size and number, stored under
//! their SHA-256 and served only to the case's parties.

mod common;

use common::{error_of, spawn_app};
use image::ImageFormat;
use reqwest::StatusCode;
use retour_server::on_db;
use retour_server::photos::{self, MAX_BYTES};
use rules::api::EvidenceView;

async fn count(app: &common::TestApp, case_id: &str) -> i64 {
    on_db!(
        &app.state.pool,
        "SELECT COUNT(*) FROM evidence WHERE case_id = ?",
        |sql, p| sqlx::query_scalar(sql).bind(case_id).fetch_one(p).await
    )
    .unwrap()
}

#[tokio::test]
async fn photos_of_each_format_are_stored_by_hash_and_served_to_the_parties_only() {
    let app = spawn_app().await;
    let (lucia, mei, wei) = (app.lucia().await, app.mei().await, app.wei().await);
    for (format, content_type) in [
        (ImageFormat::Jpeg, "image/jpeg"),
        (ImageFormat::Png, "image/png"),
        (ImageFormat::WebP, "image/webp"),
    ] {
        let bytes = photos::sample(120, 90, [30, 60, 90], format);
        // The name says nothing: the content decides.
        let response = lucia
            .upload("case-3001", "IMG_0001.HEIC", bytes.clone())
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "{content_type}");
        let evidence: EvidenceView = response.json().await.unwrap();
        assert_eq!(
            (
                evidence.content_type.as_str(),
                evidence.width,
                evidence.height,
                evidence.party
            ),
            (content_type, 120, 90, rules::Party::Buyer)
        );
        assert_eq!(evidence.sha256, retour_server::digest::sha256_hex(&bytes));
        assert!(photos::path(&app.state.data_dir, &evidence.sha256).exists());

        let served = mei.get(&evidence.url).await;
        assert_eq!(served.status(), StatusCode::OK);
        assert_eq!(served.headers()["content-type"], content_type);
        assert_eq!(
            served.headers()["cache-control"],
            "private, max-age=31536000, immutable"
        );
        assert_eq!(served.headers()["x-content-type-options"], "nosniff");
        let etag = served.headers()["etag"].to_str().unwrap().to_owned();
        assert_eq!(served.bytes().await.unwrap().as_ref(), bytes.as_slice());
        let again = mei
            .client
            .get(mei.url(&evidence.url))
            .header("if-none-match", etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(wei.get(&evidence.url).await.status(), StatusCode::NOT_FOUND);
    }
    let case = lucia.case("case-3001").await;
    assert_eq!(case.evidence.len(), 4, "the demo photo and three uploads");
}

#[tokio::test]
async fn a_renamed_document_an_oversize_file_and_a_cut_off_jpeg_are_refused_clearly() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let before = count(&app, "case-3001").await;
    let jpeg = photos::sample(200, 150, [200, 10, 10], ImageFormat::Jpeg);
    let mut oversize = jpeg.clone();
    oversize.resize(MAX_BYTES + 1, 0);
    let refused = [
        (
            "report.jpg",
            b"%PDF-1.7\n%binary document".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "photo_not_an_image",
        ),
        (
            "big.jpg",
            oversize,
            StatusCode::PAYLOAD_TOO_LARGE,
            "photo_too_large",
        ),
        (
            "cut.jpg",
            jpeg[..jpeg.len() / 2].to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "photo_damaged",
        ),
        (
            "empty.jpg",
            vec![],
            StatusCode::UNPROCESSABLE_ENTITY,
            "photo_empty",
        ),
    ];
    for (name, bytes, status, code) in refused {
        let (got, error) = error_of(lucia.upload("case-3001", name, bytes).await).await;
        assert_eq!(
            (got, error["code"].as_str()),
            (status, Some(code)),
            "{name}: {error}"
        );
        assert_eq!(error["details"]["field"], "file");
        assert!(!error["message"].as_str().unwrap().is_empty());
    }
    let missing = lucia
        .client
        .post(lucia.url("/api/cases/case-3001/evidence"))
        .header("x-csrf-token", &lucia.csrf)
        .multipart(reqwest::multipart::Form::new().text("note", "no file"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(missing).await.1["code"], "file_missing");
    assert_eq!(
        count(&app, "case-3001").await,
        before,
        "a refused file was recorded"
    );
}

#[tokio::test]
async fn a_case_holds_at_most_eight_photos_and_a_photo_is_stored_once() {
    let app = spawn_app().await;
    let wei = app.wei().await;
    let already = count(&app, "case-3004").await;
    let same = photos::sample(64, 64, [1, 2, 3], ImageFormat::Png);
    for _ in already..8 {
        let response = wei.upload("case-3004", "p.png", same.clone()).await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let (status, error) = error_of(wei.upload("case-3004", "p.png", same.clone()).await).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("too_many_photos"))
    );
    assert_eq!(count(&app, "case-3004").await, 8);
    let dir = photos::path(
        &app.state.data_dir,
        &retour_server::digest::sha256_hex(&same),
    );
    let copies = std::fs::read_dir(dir.parent().unwrap()).unwrap().count();
    assert_eq!(copies, 1, "the same bytes are kept once");
}

/// Instances that share no disk share the database: a photo uploaded through one is read, and
/// bundled, through another, and no file is written on either.
#[tokio::test]
async fn photos_kept_in_the_database_are_read_through_another_instance() {
    use retour_server::photos::PhotoStore;
    let one = common::spawn_app_with(|s| s.photos = PhotoStore::Database(s.pool.clone())).await;
    let url = common::database_url(&one.state.data_dir).await;
    let elsewhere = tempfile::tempdir().unwrap();
    let mut state = retour_server::AppState::new(
        retour_server::db::connect(&url).await.unwrap(),
        one.clock.clock(),
        elsewhere.path().to_path_buf(),
        elsewhere.path().to_path_buf(),
    );
    state.photos = PhotoStore::Database(state.pool.clone());
    let other = common::start(state, one.clock.clone()).await;

    // A new case, so every photo it holds went in through the database store.
    let lucia = one.lucia().await;
    let case = lucia
        .file_line("ord-1006", "defective", "replacement")
        .await;
    let bytes = photos::sample(120, 90, [10, 200, 30], ImageFormat::Png);
    let response = lucia
        .upload(&case.summary.id, "shelf.png", bytes.clone())
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let evidence: EvidenceView = response.json().await.unwrap();
    let served = other.mei().await.get(&evidence.url).await;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.bytes().await.unwrap().as_ref(), bytes.as_slice());
    let bundle = other
        .lucia()
        .await
        .get(&format!("/api/cases/{}/bundle", case.summary.id))
        .await;
    assert_eq!(bundle.status(), StatusCode::OK);
    let zip = bundle.bytes().await.unwrap();
    let needle = &bytes[..64];
    assert!(
        zip.windows(needle.len()).any(|w| w == needle),
        "the photo is in the case file"
    );
    for dir in [&one.state.data_dir, &other.state.data_dir] {
        assert!(
            !photos::path(dir, &evidence.sha256).exists(),
            "no file in {dir:?}"
        );
    }

    // A photo uploaded for a filing that never came leaves the database with its row.
    let unfiled = photos::sample(80, 60, [5, 90, 250], ImageFormat::Png);
    let sha256 = retour_server::digest::sha256_hex(&unfiled);
    let uploaded = lucia.upload_unfiled("never-filed.png", unfiled).await;
    assert_eq!(uploaded.status(), StatusCode::CREATED);
    let kept = |sha256: String| {
        let pool = one.state.pool.clone();
        async move {
            on_db!(
                &pool,
                "SELECT COUNT(*) FROM photo_files WHERE sha256 = ?",
                |sql, p| sqlx::query_scalar::<_, i64>(sql)
                    .bind(&sha256)
                    .fetch_one(p)
                    .await
            )
            .unwrap()
        }
    };
    assert_eq!(kept(sha256.clone()).await, 1);
    one.clock.advance(chrono::TimeDelta::days(2));
    retour_server::sweeper::sweep(&one.state).await.unwrap();
    assert_eq!(kept(sha256).await, 0, "the unfiled photo's bytes are gone");
    assert_eq!(
        kept(evidence.sha256.clone()).await,
        1,
        "a filed photo stays"
    );
}
