//! What the seller's dashboard and the mediator's console read beside the case: saved return
//! addresses, risk signals, and the evidence bundle.

mod common;

use std::io::Read;

use chrono::TimeDelta;
use common::spawn_app;
use image::ImageFormat;
use reqwest::StatusCode;
use retour_server::photos;
use rules::api::{Queue, RiskSignals, SavedAddress, SellerStats};
use rules::{CaseState, Fault, Outcome, Reached};
use serde_json::json;
use sha2::{Digest, Sha256};

#[tokio::test]
async fn a_return_address_given_is_offered_again_first() {
    let app = spawn_app().await;
    let (lucia, jordan, mei) = (app.lucia().await, app.jordan().await, app.mei().await);
    let seeded: Vec<SavedAddress> = jordan.get_json("/api/seller/addresses").await;
    assert_eq!(seeded.len(), 2, "{seeded:?}");
    assert!(seeded.iter().all(|a| a.store == "Northwind Outfitters"));
    let theirs: Vec<SavedAddress> = mei.get_json("/api/seller/addresses").await;
    assert!(
        theirs.iter().all(|a| a.store == "Lin's Tea House") && theirs.len() == 1,
        "{theirs:?}"
    );
    // Another role's endpoint is not theirs.
    assert_eq!(
        lucia.get("/api/seller/addresses").await.status(),
        StatusCode::NOT_FOUND
    );

    let case = lucia
        .file_line("ord-1005", "defective", "return_and_refund")
        .await;
    let case = jordan
        .act(
            &jordan.case(&case.summary.id).await,
            "accept",
            json!({"of": "buyer"}),
        )
        .await;
    assert_eq!(case.summary.state, CaseState::AwaitingReturnAddress);
    app.clock.advance(TimeDelta::minutes(1));
    let new = "Northwind returns desk, 9 Pier Road, Portland OR 97201, USA";
    jordan
        .act(
            &case,
            "give-return-address",
            json!({ "address": format!("  {new} ") }),
        )
        .await;
    let saved: Vec<SavedAddress> = jordan.get_json("/api/seller/addresses").await;
    assert_eq!(saved.len(), 3);
    assert_eq!(
        saved[0].address, new,
        "the newest first, trimmed: {saved:?}"
    );
}

#[tokio::test]
async fn the_mediator_weighs_both_sides_records() {
    let app = spawn_app().await;
    let (wei, mei, amara) = (app.wei().await, app.mei().await, app.amara().await);
    let case = wei
        .file_line("ord-2001", "not_as_described", "return_and_refund")
        .await;
    let path = format!("/api/cases/{}/risk", case.summary.id);
    // Not escalated: not the mediator's; and never the parties'.
    assert_eq!(amara.get(&path).await.status(), StatusCode::NOT_FOUND);
    let case = mei
        .act(&case, "reject", json!({"reason": "As pictured"}))
        .await;
    wei.act(&case, "escalate", json!({})).await;
    assert_eq!(wei.get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(mei.get(&path).await.status(), StatusCode::NOT_FOUND);

    let risk: RiskSignals = amara.get_json(&path).await;
    assert_eq!(risk.days, 90);
    // Every demo case was filed within the last 90 days: the queues hold the same cases.
    let buyers: Queue = wei.get_json("/api/cases?limit=200").await;
    assert_eq!(risk.buyer.cases, buyers.total);
    assert!(risk.buyer.refunded + risk.buyer.credited <= risk.buyer.cases);
    assert_eq!(
        risk.buyer.refund_rate_basis_points,
        risk.buyer.refunded * 10_000 / risk.buyer.cases
    );
    let sellers: Queue = mei.get_json("/api/cases?limit=200").await;
    assert_eq!(risk.seller.cases, sellers.total);
    // The fault rate counts what outcomes established, over the settled cases: read back from
    // each of the seller's cases as the rules keep it.
    let (mut settled, mut established) = (0, 0);
    for item in &sellers.items {
        let detail = mei.case(&item.summary.id).await;
        let Some(outcome) = detail.case.outcome else {
            continue;
        };
        settled += 1;
        let remedied = outcome.remedied();
        let by = detail.case.agreement.map(|a| a.reached);
        if remedied
            && (by == Some(Reached::Ruling)
                || (by == Some(Reached::Accepted)
                    && detail.summary.reason.fault() == Fault::Seller))
        {
            established += 1;
        }
    }
    assert_eq!(risk.seller.settled, settled);
    assert_eq!(risk.seller.seller_fault, established);
    assert_eq!(
        risk.seller.fault_rate_basis_points,
        established * 10_000 / settled.max(1)
    );
    // A filing for a seller-fault reason, rejected and escalated, establishes nothing; the
    // mediator's ruling for the buyer does, and settles one more case.
    let ruled = amara
        .act(
            &mei.case(&case.summary.id).await,
            "rule",
            json!({"decree": {"plan": {"resolution": "refund_only"}}, "reason": "Not as pictured"}),
        )
        .await;
    assert!(
        matches!(ruled.case.outcome, Some(Outcome::Refunded { .. })),
        "{:?}",
        ruled.case.outcome
    );
    let after: RiskSignals = amara.get_json(&path).await;
    assert_eq!(after.seller.seller_fault, established + 1);
    assert_eq!(after.seller.settled, settled + 1);
    let from = (app.clock.now() - TimeDelta::days(90)).to_rfc3339();
    let stats: SellerStats = mei
        .get_json(&format!("/api/seller/stats?from={}", urlencode(&from)))
        .await;
    assert_eq!(
        risk.seller.automatic_actions,
        stats.automatic_actions.iter().map(|c| c.count).sum::<u64>()
    );
}

fn urlencode(text: &str) -> String {
    text.replace('+', "%2B").replace(':', "%3A")
}

#[tokio::test]
async fn the_evidence_bundle_holds_the_case_and_every_photo_with_its_sum() {
    let app = spawn_app().await;
    let (lucia, jordan, mei) = (app.lucia().await, app.jordan().await, app.mei().await);
    let case = lucia
        .file_line("ord-1005", "defective", "return_and_refund")
        .await;
    let id = case.summary.id.clone();
    let photo = photos::sample(160, 120, [200, 40, 40], ImageFormat::Png);
    let uploaded = lucia.upload(&id, "scratch.png", photo.clone()).await;
    assert_eq!(uploaded.status(), StatusCode::CREATED);
    lucia
        .post(
            &format!("/api/cases/{id}/messages"),
            &json!({"body": "The screen is cracked"}),
        )
        .await;

    let path = format!("/api/cases/{id}/bundle");
    assert_eq!(mei.get(&path).await.status(), StatusCode::NOT_FOUND);
    let response = jordan.get(&path).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/zip");
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains(&format!("retour-case-{id}.zip")));
    let bytes = response.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut read = |name: &str| {
        let mut out = Vec::new();
        zip.by_name(name)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .read_to_end(&mut out)
            .unwrap();
        out
    };
    let summary = String::from_utf8(read("summary.txt")).unwrap();
    // People know a case by its short number; the opaque id stays internal.
    let number = format!("Case: {}", case.summary.number);
    for needle in [
        number.as_str(),
        "ord-1005",
        "Reason: It is defective or of poor quality",
        "The screen is cracked",
        "filed the request, asking for: Return the goods for a refund",
        "scratch.png",
    ] {
        assert!(summary.contains(needle), "summary.txt lacks {needle:?}");
    }
    // No raw code for a person to decode.
    for code in ["return_and_refund", "awaiting_seller", "(buyer)"] {
        assert!(
            !summary.contains(code),
            "summary.txt shows {code:?}: {summary}"
        );
    }
    let case: serde_json::Value = serde_json::from_slice(&read("case.json")).unwrap();
    assert_eq!(case["id"], id.as_str());
    assert_eq!(case["messages"][0]["body"], "The screen is cracked");
    let sums = String::from_utf8(read("SHA256SUMS")).unwrap();
    // The photo cited at filing, then the one added.
    let lines: Vec<_> = sums.lines().collect();
    assert_eq!(lines.len(), 2, "{sums}");
    for (i, line) in lines.iter().enumerate() {
        let (sum, name) = line.split_once("  ").expect("a sum and a name");
        let stored = read(name);
        assert_eq!(sum, hex(&Sha256::digest(&stored)), "{name}");
        assert_eq!(case["evidence"][i]["sha256"], sum);
        if i == 1 {
            assert_eq!(stored, photo, "the photo is kept byte for byte");
        }
    }
}

/// The summary is written in the language of the person downloading it: the app's, passed along,
/// else the browser's.
#[tokio::test]
async fn the_case_files_summary_speaks_the_downloaders_language() {
    let app = spawn_app().await;
    let (lucia, jordan) = (app.lucia().await, app.jordan().await);
    let case = lucia
        .file_line("ord-1005", "defective", "return_and_refund")
        .await;
    let summary_of = |zipped: Vec<u8>| {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zipped)).unwrap();
        let mut text = String::new();
        zip.by_name("summary.txt")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let path = format!("/api/cases/{}/bundle", case.summary.id);
    let spanish = summary_of(
        jordan
            .get(&format!("{path}?lang=es"))
            .await
            .bytes()
            .await
            .unwrap()
            .to_vec(),
    );
    for needle in [
        "Expediente del caso de Retour",
        "Motivo: Es defectuoso o de mala calidad",
        "presentó la solicitud",
        // The photo the filing cited, under its Spanish label.
        "; pruebas: ",
    ] {
        assert!(spanish.contains(needle), "{needle:?} in {spanish}");
    }
    let by_browser = jordan
        .client
        .get(app.url(&path))
        .header("accept-language", "zh-CN,zh;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    let chinese = summary_of(by_browser.bytes().await.unwrap().to_vec());
    assert!(chinese.contains("Retour 案件档案"), "{chinese}");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
