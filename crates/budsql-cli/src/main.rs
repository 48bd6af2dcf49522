//! `budsql`: ingest budget disclosures into a Parquet store and query them with SQL.
//!
//! This file only parses arguments and dispatches; the work is in the modules.

mod command;
mod error;
mod exec;
mod export;
mod helper;
mod ingest;
mod maintain;
mod manifest_csv;
mod pager;
mod paths;

mod print;
mod repl;
mod report;
mod settings;
mod xlsx;

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use budsql_extract::Overrides;
use budsql_query::{Session, SessionOptions};
use budsql_schema::{DocKind, Scope};
use clap::{Parser, Subcommand, ValueEnum};

use error::{CliError, report};

/// Parsing allocates many small strings; mimalloc serves them faster than the system
/// allocator (measured in docs/benchmarks.md). Built without asking for transparent huge
/// pages (the workspace's `no_thp`): the kernel zeroed a 2 MB page at each fault of an
/// ingest's fresh memory, and the ingest ran slower in more memory.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use print::Format;

/// SQL over Chinese government budget and final-account disclosures.
///
/// Without a command, `budsql` opens a SQL shell over the store; with `-c` or `-f` (or SQL
/// on standard input) it runs the statements and exits.
#[derive(Parser, Debug)]
#[command(name = "budsql", version, about, long_about = None)]
struct Args {
    /// Run these SQL statements (repeatable) and exit
    #[arg(
        short = 'c',
        long = "command",
        value_name = "SQL",
        allow_hyphen_values = true
    )]
    commands: Vec<String>,

    /// Run the statements in FILE (repeatable) and exit
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Output format of query results (xlsx needs `--out`)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,

    /// Write query results to FILE instead of standard output (an Excel workbook with
    /// `--format xlsx`, one sheet per statement)
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,

    /// Set a variable for the statements: `-v year=2024` makes `:year` 2024 and `:'year'`
    /// the literal '2024' (repeatable)
    #[arg(short = 'v', long = "set", value_name = "NAME=VALUE", value_parser = parse_var)]
    vars: Vec<(String, String)>,

    /// The store: a directory, or s3://bucket/prefix (credentials, region and endpoint from
    /// the AWS_* variables) [default: $XDG_DATA_HOME/budsql/store or ~/.local/share/budsql/store]
    #[arg(long, env = "BUDSQL_STORE", value_name = "DIR|S3_URL", global = true)]
    store: Option<PathBuf>,

    /// Query parallelism (default: every core)
    #[arg(long, value_name = "N")]
    threads: Option<usize>,

    /// Memory a query may use before it spills to disk or, if it cannot, fails with a clear
    /// message: a size such as 512M or 4G, or `none` [default: half the machine's memory, at
    /// most 8G]
    #[arg(long, env = "BUDSQL_MEMORY_LIMIT", value_name = "SIZE", value_parser = paths::parse_size)]
    memory_limit: Option<paths::Limit>,

    /// Let `COPY (query) TO 'file'` write exports outside the store (the store itself is
    /// never written through SQL)
    #[arg(long)]
    allow_export: bool,

    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Read disclosure files (or folders, recursively) into the store
    Ingest(IngestArgs),
    /// Generate a corpus of realistic documents and the ground truth of every view
    Gen(GenArgs),
    /// Check the store end to end: every committed file present, readable, with the rows
    /// the manifest says; files no commit references listed
    Verify,
    /// Remove the files no commit references (left by an interrupted ingest)
    Vacuum,
    /// Merge each view's small files per partition into one (every ingest keeps the
    /// partitions it touches at two small files at most)
    Compact,
    /// Write a view to a .csv or .parquet file outside the store: `panel` (one row per
    /// unit, year, kind and scope with the key totals and shares) or any other view
    Export(ExportArgs),
    /// Write one self-contained HTML page of a unit's or a region's budget: spending by
    /// function class, the splits, the 三公 over the years, execution, completeness and
    /// check findings, every figure linked to its document and line
    Report(ReportArgs),
}

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("about").required(true).args(["unit", "region"])))]
struct ReportArgs {
    /// The unit: its name (or a part of it that names one unit) or its unit_key
    #[arg(long, value_name = "NAME")]
    unit: Option<String>,

    /// The region, as `units.region` names it
    #[arg(long, value_name = "NAME")]
    region: Option<String>,

    /// Only this year
    #[arg(long)]
    year: Option<i32>,

    /// The HTML file to write
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

#[derive(clap::Args, Debug)]
struct ExportArgs {
    /// The view: panel, units, budget_lines, execution, disclosure, …
    #[arg(value_name = "VIEW")]
    view: String,

    /// The file to write; its extension (.csv or .parquet) gives the format
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

#[derive(clap::Args, Debug)]
struct GenArgs {
    /// Output directory (documents in OUT/docs, truth in OUT/truth)
    #[arg(long, value_name = "DIR")]
    out: PathBuf,

    /// Random seed: the same seed gives the same corpus
    #[arg(long, default_value_t = 1)]
    seed: u64,

    /// Number of units
    #[arg(long, default_value_t = 10)]
    units: usize,

    /// Years, comma-separated (one document per unit and year)
    #[arg(long, value_delimiter = ',', default_value = "2023,2024")]
    years: Vec<i32>,

    /// Percent of documents that are final accounts (决算)
    #[arg(long, default_value_t = 25)]
    finals: u32,

    /// Percent of unit-years published as both a 预算 and a 决算 (pairs for `execution`)
    #[arg(long, default_value_t = 0)]
    pairs: u32,

    /// Percent of documents that are department (部门) documents
    #[arg(long, default_value_t = 20)]
    departments: u32,

    /// Percent of documents in the layout form (as `pdftotext -layout` prints); the rest
    /// in the tab form of the bundled sample
    #[arg(long, default_value_t = 50)]
    layout: u32,

    /// Noise to add: all, none, or a comma-separated list (split_decimals, cjk_spaces,
    /// page_breaks, junk_headers, merged_cells, gb18030, crlf, bom, yuan, wrapped_names)
    #[arg(long, default_value = "all")]
    variants: String,
}

#[derive(clap::Args, Debug)]
struct IngestArgs {
    /// Files or folders to ingest
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Region of every file, instead of what the titles say
    #[arg(long)]
    region: Option<String>,

    /// Budget year of every file, instead of what the titles say
    #[arg(long)]
    year: Option<i32>,

    /// Unit name of every file, instead of what the documents say
    #[arg(long)]
    unit_name: Option<String>,

    /// Kind of every file, instead of what the titles say
    #[arg(long, value_enum)]
    kind: Option<KindArg>,

    /// Scope of every file, instead of what the titles say
    #[arg(long, value_enum)]
    scope: Option<ScopeArg>,

    /// CSV of per-file identity (path, region, unit_name, year, doc_kind, scope); its
    /// values win over the flags above and over what documents say
    #[arg(long, value_name = "CSV")]
    manifest: Option<PathBuf>,

    /// Read every file again, also those the store holds unchanged (same path, same bytes,
    /// same stated identity, same budsql version), which are otherwise passed over
    #[arg(long)]
    force: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum KindArg {
    Budget,
    Final,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ScopeArg {
    Unit,
    Department,
}

fn parse_var(s: &str) -> Result<(String, String), String> {
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}`: expected NAME=VALUE"))?;
    let name = name.trim();
    if name.is_empty()
        || !name.chars().all(|c| c.is_alphanumeric() || c == '_')
        || name.starts_with(|c: char| c.is_ascii_digit())
    {
        return Err(format!("`{name}` is not a variable name"));
    }
    Ok((name.to_string(), value.to_string()))
}

fn main() {
    let args = Args::parse();
    let code = match run(args) {
        Ok(()) => 0,
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            report(&e, &mut std::io::stderr());
            e.exit_code()
        }
    };
    std::process::exit(code);
}

fn run(args: Args) -> Result<(), CliError> {
    let store = args.store.clone().unwrap_or_else(paths::default_store);
    if let Some(Cmd::Gen(g)) = &args.command {
        let config = budsql_gen::Config {
            seed: g.seed,
            units: g.units,
            years: g.years.clone(),
            finals: g.finals.min(100),
            pairs: g.pairs.min(100),
            departments: g.departments.min(100),
            layout: g.layout.min(100),
            variants: budsql_gen::Variants::parse(&g.variants)
                .map_err(|e| CliError::Usage(e.to_string()))?,
        };
        let s =
            budsql_gen::generate(&config, &g.out).map_err(|e| CliError::Usage(e.to_string()))?;
        println!(
            "generated {} document(s), {:.1} MB, into {} (truth in {})",
            s.documents,
            s.bytes as f64 / 1e6,
            g.out.join("docs").display(),
            g.out.join("truth").display()
        );
        return Ok(());
    }
    if let Some(Cmd::Verify) = &args.command {
        return maintain::verify(&store, &mut std::io::stdout());
    }
    if let Some(Cmd::Vacuum) = &args.command {
        return maintain::vacuum(&store, &mut std::io::stdout());
    }
    if let Some(Cmd::Compact) = &args.command {
        return maintain::compact(&store, &mut std::io::stdout());
    }
    if let Some(Cmd::Ingest(a)) = args.command {
        let overrides = Overrides {
            region: a.region,
            unit_name: a.unit_name,
            year: a.year,
            doc_kind: a.kind.map(|k| match k {
                KindArg::Budget => DocKind::Budget,
                KindArg::Final => DocKind::Final,
            }),
            scope: a.scope.map(|s| match s {
                ScopeArg::Unit => Scope::Unit,
                ScopeArg::Department => Scope::Department,
            }),
        };
        let per_file = match &a.manifest {
            Some(m) => manifest_csv::read(m)?,
            None => Default::default(),
        };
        let identity = budsql_ingest::Identity {
            all: overrides,
            per_file,
        };
        let stdout = std::io::stdout();
        let report = ingest::ingest(
            &store,
            &a.paths,
            &identity,
            budsql_ingest::Options { force: a.force },
            &mut stdout.lock(),
            &mut std::io::stderr(),
            std::io::stderr().is_terminal(),
        )?;
        if !report.failures.is_empty() {
            return Err(CliError::IngestFailures {
                failed: report.failures.len(),
                total: report.failures.len() + report.documents,
            });
        }
        return Ok(());
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let opts = SessionOptions {
            target_partitions: args.threads,
            memory_limit: match args.memory_limit {
                Some(paths::Limit::Bytes(n)) => Some(n),
                Some(paths::Limit::None) => None,
                None => Some(paths::default_memory_limit()),
            },
            allow_export: args.allow_export,
        };
        if let Some(Cmd::Export(e)) = &args.command {
            let opts = SessionOptions {
                allow_export: true,
                ..opts
            };
            let session = Session::open(&store, &opts).await?;
            return export::export(&session, &e.view, &e.out, &mut std::io::stdout()).await;
        }
        if let Some(Cmd::Report(r)) = &args.command {
            let session = Session::open(&store, &opts).await?;
            let subject = match (&r.unit, &r.region) {
                (Some(u), _) => report::Subject::Unit(u.clone()),
                (None, Some(g)) => report::Subject::Region(g.clone()),
                (None, None) => return Err(CliError::Usage("--unit or --region".into())),
            };
            return report::report(&session, &subject, r.year, &r.out, &mut std::io::stdout())
                .await;
        }
        let session = Session::open(&store, &opts).await?;
        let mut settings = settings::Settings::new(args.format);
        settings.vars.extend(args.vars.iter().cloned());
        if let Some(out) = &args.out {
            settings.set_output(Some(out))?;
        } else if args.format == Format::Xlsx {
            return Err(CliError::Usage(
                "`--format xlsx` writes a workbook: give its file with `--out FILE.xlsx`".into(),
            ));
        }
        let result = run_queries(&args, &session, &mut settings).await;
        // (a workbook is written when its output closes, also after an error)
        let closed = settings.close_output();
        result.and(closed)
    })
}

async fn run_queries(
    args: &Args,
    session: &Session,
    settings: &mut settings::Settings,
) -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if !args.commands.is_empty() || !args.files.is_empty() {
        for sql in &args.commands {
            repl::run_script(session, sql, settings, &mut out).await?;
        }
        for f in &args.files {
            let text = std::fs::read_to_string(f).map_err(|source| CliError::Read {
                path: f.clone(),
                source,
            })?;
            repl::run_script(session, &text, settings, &mut out).await?;
        }
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        return repl::run_script(session, &text, settings, &mut out).await;
    }
    drop(out);
    // the shell: a row limit and a pager for what does not fit the terminal
    settings.max_rows = Some(1000);
    settings.pager = std::io::stdout().is_terminal();
    repl::repl(session, settings).await?;
    std::io::stdout().flush()?;
    Ok(())
}
