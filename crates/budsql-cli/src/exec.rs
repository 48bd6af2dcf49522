//! Running SQL text: variables substituted, statements in order, each result printed as the
//! settings say (and timed with `\timing`); the first error stops, naming where in the
//! statement it is when DataFusion says.

use std::io::Write;
use std::time::Instant;

use budsql_query::{QueryError, Session};

use crate::error::CliError;
use crate::print::{self, Format};
use crate::settings::Settings;

/// Runs every statement of `sql`. Results go where the settings send them; the timing
/// line goes to `out` (the terminal), not into a `\o` file.
pub async fn run_sql(
    session: &Session,
    sql: &str,
    settings: &mut Settings,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let sql = settings.substitute(sql)?;
    let statements = session.parse(&sql).map_err(|e| located(&sql, e))?;
    for statement in statements {
        let started = Instant::now();
        let df = session
            .execute(statement)
            .await
            .map_err(|e| located(&sql, e))?;
        let schema = std::sync::Arc::new(df.schema().as_arrow().clone());
        let opts = settings.print_options();
        if opts.format == Format::Xlsx {
            let batches = df.collect().await?;
            match settings.workbook() {
                Some(wb) => wb.add(&schema, &batches)?,
                None => {
                    return Err(CliError::Usage(
                        "the xlsx format writes a workbook: give it a file with `--out FILE` (or `\\o FILE` in the shell)"
                            .into(),
                    ));
                }
            }
        } else if print::streams(opts.format) {
            // row formats print batches as they come: a large result is not held in memory
            use futures::StreamExt;
            let mut stream = df.execute_stream().await?;
            let sink = settings.sink(out);
            print::begin(sink, opts.format, &schema)?;
            while let Some(batch) = stream.next().await {
                print::rows(sink, opts.format, &schema, &batch?)?;
            }
            sink.flush()?;
        } else {
            let batches = df.collect().await?;
            let sink = settings.sink(out);
            print::print_with(sink, &opts, &schema, &batches)?;
            sink.flush()?;
        }
        if settings.timing {
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            writeln!(out, "Time: {ms:.3} ms")?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The error with the statement's line and column where DataFusion names one: a syntax
/// error (`at Line: 1, Column: 8`) or a planning error's span (an unknown column).
fn located(sql: &str, e: QueryError) -> CliError {
    match e.position() {
        Some((line_no, column)) => match sql.lines().nth(line_no.saturating_sub(1)) {
            Some(line) => CliError::At {
                line: line.to_string(),
                line_no,
                column,
                source: Box::new(e.into()),
            },
            None => e.into(),
        },
        None => e.into(),
    }
}
