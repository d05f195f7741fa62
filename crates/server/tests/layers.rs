//! The server's layers, checked: handlers (`api`) parse and answer; the case workflows
//! (`workflow`) are shared by the handlers, the sweeper and the carrier webhook; the store knows
//! nothing of HTTP or sessions. A `use` across the line fails here, not in review.

use std::path::Path;

/// Every source file under `dir` (relative to the crate), with its text.
fn sources(dir: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files = Vec::new();
    let entries = if root.is_dir() {
        std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect()
    } else {
        vec![root]
    };
    for path in entries {
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            files.push((path.display().to_string(), text));
        }
    }
    assert!(!files.is_empty(), "no sources under {dir}");
    files
}

fn assert_none_mention(dir: &str, forbidden: &[&str]) {
    for (path, text) in sources(dir) {
        for needle in forbidden {
            assert!(
                !text.contains(needle),
                "{path} mentions {needle}: that layer must not depend on it"
            );
        }
    }
}

#[test]
fn the_store_knows_nothing_of_http_sessions_or_handlers() {
    assert_none_mention(
        "src/store",
        &[
            "axum",
            "crate::auth",
            "crate::api",
            "crate::workflow",
            "AppError",
            "CurrentUser",
        ],
    );
}

#[test]
fn workflows_and_background_work_never_call_the_handlers() {
    for dir in [
        "src/workflow.rs",
        "src/sweeper.rs",
        "src/carrier.rs",
        "src/demo.rs",
        "src/auth.rs",
    ] {
        assert_none_mention(dir, &["crate::api"]);
    }
    // Sessions are the edge's: the workflows see an `Actor`, not a signed-in session.
    assert_none_mention("src/workflow.rs", &["CurrentUser", "HeaderMap", "axum"]);
}
