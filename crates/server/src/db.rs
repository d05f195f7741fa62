//! The database: SQLite (a file, the embedded default) or PostgreSQL (for several instances).
//!
//! One store serves both. Every query is written once, with `?` placeholders in bind order, and
//! run through [`on_db!`] (on the pool) or [`on_tx!`] (in a transaction), which compile the same
//! code for each engine: SQLite takes the text as it is, PostgreSQL gets it with `$1, $2, …`
//! ([`numbered`]). What else differs between the two is in the migrations, one folder each.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

/// A pool of connections to one of the two engines.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A transaction on either engine; dropped without [`Tx::commit`], it rolls back.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Which engine a [`Db`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Db {
    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    /// The SQL for the text at `path` inside the JSON text in `column`: the one function the
    /// two engines spell differently that the store needs.
    pub fn json_text(&self, column: &str, path: &[&str]) -> String {
        match self {
            Db::Sqlite(_) => format!("json_extract({column}, '$.{}')", path.join(".")),
            Db::Postgres(_) => format!("({column}::jsonb #>> '{{{}}}')", path.join(",")),
        }
    }

    /// What a subquery that picks rows to claim ends with: PostgreSQL locks them and skips
    /// those another instance holds; SQLite has one writer, which is the same guarantee.
    pub fn skip_locked(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "",
            Db::Postgres(_) => "FOR UPDATE SKIP LOCKED",
        }
    }

    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Waits for the connections in use and closes them all.
    pub async fn close(&self) {
        match self {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx) => tx.rollback().await,
            Tx::Postgres(tx) => tx.rollback().await,
        }
    }
}

/// `url` without its password, for messages and logs.
pub fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// `sql` with its `?` placeholders numbered `$1, $2, …` in order, as PostgreSQL wants them. A
/// `?` inside a quoted string or identifier is text and stays.
pub fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut quote: Option<char> = None;
    let mut n = 0;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            // `?3` names its argument already: the same number.
            (None, '?') if chars.peek().is_some_and(char::is_ascii_digit) => out.push('$'),
            (None, '\'' | '"') => {
                quote = Some(c);
                out.push(c);
            }
            (Some(q), c) if c == q => {
                quote = None;
                out.push(c);
            }
            (None, '?') => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

/// Runs `$body` on whichever engine `$db` is, with `$p` its pool and `$sql` the query text in
/// that engine's placeholders. The body is compiled once per engine.
///
/// ```ignore
/// let n: i64 = on_db!(db, "SELECT COUNT(*) FROM cases WHERE store_id = ?", |sql, p| {
///     on_db!(p, sql, |sql, p| sqlx::query_scalar(sql).bind(store).fetch_one(p).await)
/// })?;
/// ```
#[macro_export]
macro_rules! on_db {
    ($db:expr, $text:expr, |$sql:ident, $p:ident| $body:expr) => {{
        let text: &str = &$text;
        match $db {
            $crate::db::Db::Sqlite($p) => {
                let $sql = text;
                $body
            }
            $crate::db::Db::Postgres($p) => {
                let numbered = $crate::db::numbered(text);
                let $sql = numbered.as_str();
                $body
            }
        }
    }};
}

/// [`on_db!`] inside a transaction: `$c` is the transaction's connection.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $text:expr, |$sql:ident, $c:ident| $body:expr) => {{
        let text: &str = &$text;
        match $tx {
            $crate::db::Tx::Sqlite(tx) => {
                let $c = &mut **tx;
                let $sql = text;
                $body
            }
            $crate::db::Tx::Postgres(tx) => {
                let $c = &mut **tx;
                let numbered = $crate::db::numbered(text);
                let $sql = numbered.as_str();
                $body
            }
        }
    }};
}

/// Opens (creating it if needed) and migrates the database at `url`: `sqlite://FILE` or
/// `postgres://…`. SQLite runs in WAL mode with foreign keys on and a busy timeout, so
/// concurrent writers wait instead of failing.
pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations-postgres").run(&pool).await?;
        return Ok(Db::Postgres(pool));
    }
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    if let Some(parent) = Path::new(options.get_filename()).parent() {
        std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(Db::Sqlite(pool))
}

#[cfg(test)]
mod tests {
    use super::numbered;

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            super::redacted("postgres://retour:s3cret@db:5432/retour"),
            "postgres://retour:***@db:5432/retour"
        );
        assert_eq!(
            super::redacted("sqlite://data/retour.db"),
            "sqlite://data/retour.db"
        );
    }

    #[test]
    fn placeholders_are_numbered_in_order_outside_quotes() {
        assert_eq!(
            numbered(
                "SELECT a FROM t WHERE b = ? AND c LIKE ? ESCAPE '\\' AND d = '?' AND e IN (?, ?)"
            ),
            "SELECT a FROM t WHERE b = $1 AND c LIKE $2 ESCAPE '\\' AND d = '?' AND e IN ($3, $4)"
        );
        assert_eq!(numbered("SELECT \"?\" FROM t"), "SELECT \"?\" FROM t");
        assert_eq!(numbered("SELECT ?2, ?1, ?2"), "SELECT $2, $1, $2");
    }
}
