//! The OpenAPI document against the router: every operation it lists is served, every schema it
//! points to is in it, and every action of the rules has its endpoint.

mod common;

use common::spawn_app;
use reqwest::Method;
use rules::ActionKind;
use serde_json::Value;

fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn every_documented_operation_is_routed_and_every_schema_resolves() {
    let app = spawn_app().await;
    let anonymous = app.anonymous();
    let doc: Value = anonymous.get_json("/api/openapi.json").await;
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let mut operations = 0;
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            operations += 1;
            assert!(operation["summary"].is_string(), "{method} {path}");
            let concrete = path
                .split('/')
                .map(|s| if s.starts_with('{') { "x" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = anonymous
                .client
                .request(method.clone(), anonymous.url(&concrete))
                .send()
                .await
                .unwrap();
            let status = response.status();
            let body: Value = if status.is_success() {
                Value::Null
            } else {
                response.json().await.unwrap_or(Value::Null)
            };
            assert!(
                !matches!(
                    body["code"].as_str(),
                    Some("unknown_endpoint" | "method_not_allowed")
                ),
                "{method} {path} is documented but not routed: {status} {body}"
            );
        }
    }
    for kind in ActionKind::ALL {
        let path = format!("/api/cases/{{id}}/{}", kind.code().replace('_', "-"));
        assert!(paths[&path]["post"]["requestBody"].is_object(), "{path}");
    }
    assert!(operations >= 28, "{operations} operations");

    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("a reference outside the components: {r}"));
        assert!(schemas.contains_key(name), "{r} does not resolve");
    }
    for name in [
        "CaseDetail",
        "Queue",
        "ErrorResponse",
        "Eligibility",
        "Case",
        "Event",
    ] {
        assert!(
            schemas
                .keys()
                .any(|k| k == name || k.starts_with(&format!("{name}_"))),
            "no schema for {name}"
        );
    }
}

#[tokio::test]
async fn an_undocumented_path_is_not_served() {
    let app = spawn_app().await;
    let response = app.anonymous().get("/api/returns").await;
    assert_eq!(response.status(), reqwest::StatusCode::NOT_FOUND);
}
