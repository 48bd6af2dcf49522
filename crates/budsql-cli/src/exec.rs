//! Running SQL text: statements in order, each result printed; the first error stops.

use std::io::Write;

use budsql_query::Session;

use crate::error::CliError;
use crate::print::{self, Format, print};

/// Runs every statement of `sql`, printing each result to `out`.
pub async fn run_sql(
    session: &Session,
    sql: &str,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    for statement in session.parse(sql)? {
        let df = session.execute(statement).await?;
        let schema = std::sync::Arc::new(df.schema().as_arrow().clone());
        if print::streams(format) {
            // row formats print batches as they come: a large result is not held in memory
            use futures::StreamExt;
            let mut stream = df.execute_stream().await?;
            print::begin(out, format, &schema)?;
            while let Some(batch) = stream.next().await {
                print::rows(out, format, &schema, &batch?)?;
            }
            continue;
        }
        let batches = df.collect().await?;
        print(out, format, &schema, &batches)?;
    }
    out.flush()?;
    Ok(())
}
