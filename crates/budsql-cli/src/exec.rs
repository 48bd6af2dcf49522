//! Running SQL text: statements in order, each result printed; the first error stops.

use std::io::Write;

use budsql_query::Session;

use crate::error::CliError;
use crate::print::{Format, print};

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
        let batches = df.collect().await?;
        print(out, format, &schema, &batches)?;
    }
    out.flush()?;
    Ok(())
}
