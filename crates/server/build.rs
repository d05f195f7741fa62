// The migrations are compiled into the binary (`sqlx::migrate!`): a new or changed file in either
// engine's folder must rebuild it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=migrations-postgres");
}
