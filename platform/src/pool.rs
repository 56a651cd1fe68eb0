//! The database pool's guard against a transaction left open by a cancelled `BEGIN`.

use std::future::Future;
use std::pin::Pin;

use sea_orm::sqlx::{self, Executor, Row, pool::PoolConnectionMetadata, postgres::PgConnection};

type Released<'c> = Pin<Box<dyn Future<Output = Result<bool, sqlx::Error>> + Send + 'c>>;

/// Run on every connection handed back to the pool (`after_release`).
///
/// sqlx counts a transaction only once the server has answered its `BEGIN`. A future
/// dropped while it waits for that answer — an HTTP request its client gave up, a worker
/// task aborted at shutdown — hands the connection back *inside* a transaction nobody
/// owns, and sqlx's own rollback-on-drop does not fire (it sees depth 0). The next
/// autocommit write on that connection (a new session's row, say) then joins the stray
/// transaction and is lost when it ends. So each released connection is asked whether a
/// transaction block is open: in the implicit transaction of a single statement `now()`
/// is that statement's own start, inside an explicit block it is the block's earlier
/// start. An open block is rolled back; a connection that cannot answer (a block already
/// aborted by an error) is closed rather than reused.
pub fn after_release(conn: &mut PgConnection, _: PoolConnectionMetadata) -> Released<'_> {
    Box::pin(async move {
        match in_block(conn).await {
            Ok(false) => Ok(true),
            Ok(true) => {
                tracing::warn!("a connection came back inside a transaction; rolled it back");
                conn.execute("ROLLBACK").await?;
                Ok(true)
            }
            Err(_) => Ok(false),
        }
    })
}

/// Whether an explicit transaction block is open on `conn`.
pub async fn in_block(conn: &mut PgConnection) -> Result<bool, sqlx::Error> {
    // The simple protocol: one message, so outside a block the implicit transaction
    // starts with this very statement. (Over the extended protocol the statement's clock
    // restarts at Execute, after the transaction began at Bind: every check would read
    // "open".)
    sqlx::raw_sql("SELECT now() <> statement_timestamp()")
        .fetch_one(&mut *conn)
        .await
        .and_then(|row| row.try_get::<bool, _>(0))
}
