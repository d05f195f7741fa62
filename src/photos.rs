//! Photos in the browser: scaled down to at most 2048 px on the long side and re-encoded as JPEG
//! before upload (a 12-megapixel phone photo of several MB becomes a few hundred KB), and sent
//! with a progress report.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, CanvasRenderingContext2d, File, HtmlCanvasElement, ImageBitmap};

use crate::api::ApiError;

/// The longest side a photo is sent with.
pub const MAX_SIDE: u32 = 2048;
/// Files larger than this are refused before they are read: no phone photo comes near it.
pub const MAX_INPUT_BYTES: f64 = 40.0 * 1024.0 * 1024.0;
/// As many as the server keeps per case.
pub const MAX_PHOTOS: usize = 8;

/// The size that fits `width` × `height` within [`MAX_SIDE`], keeping the proportions; never
/// larger than the original.
pub fn fit(width: u32, height: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= MAX_SIDE || long == 0 {
        return (width, height);
    }
    let scale = f64::from(MAX_SIDE) / f64::from(long);
    let side = |v: u32| ((f64::from(v) * scale).round() as u32).max(1);
    (side(width), side(height))
}

/// `file` decoded, scaled to fit and encoded as JPEG. Fails with a code the UI translates: the
/// file is too large to read, or is not an image the browser can decode.
pub async fn shrink(file: &File) -> Result<Blob, &'static str> {
    if file.size() > MAX_INPUT_BYTES {
        return Err("photo_too_large");
    }
    let window = web_sys::window().ok_or("photo_not_an_image")?;
    let decoding = window
        .create_image_bitmap_with_blob(file)
        .map_err(|_| "photo_not_an_image")?;
    let bitmap: ImageBitmap = JsFuture::from(decoding)
        .await
        .map_err(|_| "photo_not_an_image")?
        .unchecked_into();
    let (width, height) = fit(bitmap.width(), bitmap.height());
    let canvas: HtmlCanvasElement = window
        .document()
        .and_then(|d| d.create_element("canvas").ok())
        .ok_or("photo_not_an_image")?
        .unchecked_into();
    canvas.set_width(width);
    canvas.set_height(height);
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .ok_or("photo_not_an_image")?
        .unchecked_into();
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(
            &bitmap,
            0.0,
            0.0,
            f64::from(width),
            f64::from(height),
        )
        .map_err(|_| "photo_not_an_image")?;
    bitmap.close();
    let encoded = js_sys::Promise::new(&mut |resolve, reject| {
        let rejected = reject.clone();
        let done = Closure::once_into_js(move |blob: JsValue| {
            let _ = if blob.is_null() {
                rejected.call0(&JsValue::NULL)
            } else {
                resolve.call1(&JsValue::NULL, &blob)
            };
        });
        if canvas
            .to_blob_with_type_and_encoder_options(
                done.unchecked_ref(),
                "image/jpeg",
                &JsValue::from(0.85),
            )
            .is_err()
        {
            let _ = reject.call0(&JsValue::NULL);
        }
    });
    JsFuture::from(encoded)
        .await
        .map(JsCast::unchecked_into)
        .map_err(|_| "photo_not_an_image")
}

/// A `blob:` address to show `blob` in an `<img>`; give it back with [`forget_preview`].
pub fn preview(blob: &Blob) -> String {
    web_sys::Url::create_object_url_with_blob(blob).unwrap_or_default()
}

pub fn forget_preview(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}

/// Where a photo goes: a case's evidence, or the buyer's photos for the filing to come.
#[derive(Clone, Copy, Debug)]
pub enum UploadTo<'a> {
    Case(&'a str),
    Filing,
}

impl UploadTo<'_> {
    fn path(self) -> String {
        match self {
            UploadTo::Case(id) => crate::api::case_path(id, "/evidence"),
            UploadTo::Filing => "/api/evidence".to_owned(),
        }
    }
}

/// Sends `blob` as evidence, calling `progress` with the share sent (0 to 1); answers the id
/// the server gave it. `fetch` reports no upload progress, so this one request goes through
/// `XMLHttpRequest`.
pub async fn upload(
    to: UploadTo<'_>,
    blob: &Blob,
    name: &str,
    progress: impl Fn(f64) + 'static,
) -> Result<String, ApiError> {
    let network = |_| ApiError::Network("the upload could not start".into());
    let request = web_sys::XmlHttpRequest::new().map_err(network)?;
    request.open("POST", &to.path()).map_err(network)?;
    request
        .set_request_header("x-csrf-token", &crate::api::csrf_token())
        .map_err(network)?;
    let form = web_sys::FormData::new().map_err(network)?;
    form.append_with_blob_and_filename("file", blob, name)
        .map_err(network)?;
    let on_progress =
        Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |ev: web_sys::ProgressEvent| {
            if ev.length_computable() && ev.total() > 0.0 {
                progress(ev.loaded() / ev.total());
            }
        });
    if let Ok(upload) = request.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let finished = js_sys::Promise::new(&mut |resolve, _| {
        let resolve_load = resolve.clone();
        let loaded = Closure::once_into_js(move || {
            let _ = resolve_load.call0(&JsValue::NULL);
        });
        let failed = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        request.set_onload(Some(loaded.unchecked_ref()));
        request.set_onerror(Some(failed.unchecked_ref()));
    });
    request
        .send_with_opt_form_data(Some(&form))
        .map_err(network)?;
    let _ = JsFuture::from(finished).await;
    drop(on_progress);
    let status = request.status().unwrap_or(0);
    if status == 0 {
        return Err(ApiError::Network("the upload was interrupted".into()));
    }
    let text = request.response_text().ok().flatten().unwrap_or_default();
    let text = crate::api::check(status, text)?;
    crate::decode::Obj::parse(&text)
        .and_then(|evidence| evidence.text("id"))
        .map_err(ApiError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_fit_within_the_long_side_and_keep_their_shape() {
        assert_eq!(fit(4000, 3000), (2048, 1536));
        assert_eq!(fit(3000, 4000), (1536, 2048));
        assert_eq!(fit(2048, 10), (2048, 10));
        assert_eq!(fit(800, 600), (800, 600));
        assert_eq!(fit(100_000, 1), (2048, 1));
    }
}
