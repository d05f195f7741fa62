//! The case file streams: however much its photos weigh, writing it holds a few hundred
//! kilobytes at most. Alone in its test binary, so the allocator it counts serves nothing else.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use common::spawn_app;
use retour_server::api::bundle::write_zip;
use retour_server::photos;
use tokio::io::AsyncWriteExt;

/// The system allocator, counting the bytes held now and the most held since the last reset.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let held = HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(held, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Counts what passes through, keeps nothing.
struct Meter(u64);

impl tokio::io::AsyncWrite for Meter {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.0 += buf.len() as u64;
        std::task::Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

/// The most the writer may hold at once, whatever the case file weighs.
const BOUND: usize = 1024 * 1024;

#[tokio::test]
async fn a_case_file_far_larger_than_the_bound_is_written_within_it() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let case = lucia
        .file_line("ord-1006", "defective", "replacement")
        .await;
    let detail = lucia.fill_with_photos(&case).await;
    assert_eq!(detail.evidence.len(), photos::MAX_PER_CASE as usize);
    // Each photo file made 8 MB on disk: a 64 MB case file.
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, _) in detail.evidence.iter().enumerate() {
        let path = dir.path().join(format!("photo-{i}"));
        let mut file = tokio::fs::File::create(&path).await.unwrap();
        let block: Vec<u8> = (0..1024 * 1024).map(|n| (n * 31 + i) as u8).collect();
        for _ in 0..8 {
            file.write_all(&block).await.unwrap();
        }
        file.flush().await.unwrap();
        files.push(path);
    }

    let mut opened: Vec<Box<dyn tokio::io::AsyncRead + Send + Unpin>> = Vec::new();
    for path in &files {
        opened.push(Box::new(tokio::fs::File::open(path).await.unwrap()));
    }
    let before = HELD.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let written = write_zip(
        Meter(0),
        &detail,
        opened,
        app.clock.now(),
        retour_server::words::Words::choose(None, None),
    )
    .await
    .expect("the case file is written")
    .0;
    let held = PEAK.load(Ordering::Relaxed) - before;
    println!("case file of {written} bytes written holding at most {held} bytes");
    assert!(written > 64 * 1024 * 1024, "{written}");
    assert!(
        held < BOUND,
        "held {held} bytes at once for a {written}-byte case file"
    );
}
