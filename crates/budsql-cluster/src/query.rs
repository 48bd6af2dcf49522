//! Queries of a store, run in this process or on a cluster, printed as CSV.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use ballista::prelude::{SessionConfigExt, SessionContextExt};
use budsql_query::{Session, SessionOptions};
use datafusion::arrow::csv::WriterBuilder;
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::SessionContext;

use crate::codec::Codec;

/// Opens a session over the store at `store`: planned and run in this process, or, with
/// `cluster` (`df://host:port`), planned on that scheduler and run on its executors.
pub async fn open(
    store: &Path,
    cluster: Option<&str>,
) -> Result<Session, Box<dyn std::error::Error>> {
    let opts = SessionOptions::default();
    let Some(url) = cluster else {
        return Ok(Session::open(store, &opts).await?);
    };
    let url = url.to_string();
    let session = Session::open_with(store, &opts, |state| async move {
        let config = state
            .config()
            .clone()
            .with_ballista_logical_extension_codec(Arc::new(Codec::default()))
            // (Ballista 55's adaptive planner loses jobs whose stages it re-plans: "task
            // metrics array size 30 does not equal with the stage metrics array size 29",
            // and the query waits forever; seen on query 08)
            .with_ballista_adaptive_query_planner(false);
        let state = SessionStateBuilder::new_from_existing(state)
            .with_config(config)
            .build();
        SessionContext::remote_with_state(&url, state).await
    })
    .await?;
    Ok(session)
}

/// Runs every statement of `sql` and prints the last one's rows as CSV (with a header).
pub async fn run(
    session: &Session,
    sql: &str,
    out: &mut dyn Write,
) -> Result<usize, Box<dyn std::error::Error>> {
    let mut batches = Vec::new();
    for statement in session.parse(sql)? {
        batches = session.execute(statement).await?.collect().await?;
    }
    let mut writer = WriterBuilder::new().with_header(true).build(out);
    let mut rows = 0;
    for b in &batches {
        writer.write(b)?;
        rows += b.num_rows();
    }
    Ok(rows)
}
