// Talc instead of the default dlmalloc: smaller in the bundle and faster (its wasm benchmarks).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    // Panic messages in the console while developing; release builds leave the hook out to
    // stay within the bundle budget (a panic still stops the app with an error in the console).
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(retour::session::boot());
}
