//! `budsql-cluster`: budsql's views on a DataFusion Ballista cluster.
//!
//! ```text
//! budsql-cluster scheduler --bind 127.0.0.1:50050 --store STORE
//! budsql-cluster executor --bind 127.0.0.1:50051 --grpc-port 50052 --scheduler 127.0.0.1:50050 --store STORE
//! budsql-cluster query --cluster df://127.0.0.1:50050 --store STORE -f queries/01_spending_by_class.sql
//! ```

mod codec;
mod engine;
mod query;
mod serve;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    version,
    about = "Runs budsql's views on a DataFusion Ballista cluster"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs a scheduler: it plans each query over the files of the store's manifest
    Scheduler {
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1:50050")]
        bind: SocketAddr,
        /// The store: a directory or s3://bucket/prefix
        #[arg(long, env = "BUDSQL_STORE")]
        store: PathBuf,
    },
    /// Runs an executor: it runs the scheduler's tasks, reading the store's files
    Executor {
        /// Address of its Arrow Flight service (results and shuffles)
        #[arg(long, default_value = "127.0.0.1:50051")]
        bind: SocketAddr,
        /// Port of its gRPC service
        #[arg(long, default_value_t = 50052)]
        grpc_port: u16,
        /// The scheduler's address
        #[arg(long, default_value = "127.0.0.1:50050")]
        scheduler: SocketAddr,
        /// The store: a directory or s3://bucket/prefix
        #[arg(long, env = "BUDSQL_STORE")]
        store: PathBuf,
        /// Tasks it runs at once
        #[arg(long, default_value_t = 2)]
        slots: usize,
        /// Folder for its shuffle files (a temporary one if not given)
        #[arg(long)]
        work_dir: Option<String>,
    },
    /// Runs SQL over the store's views and prints the last statement's rows as CSV
    Query {
        /// The store: a directory or s3://bucket/prefix
        #[arg(long, env = "BUDSQL_STORE")]
        store: PathBuf,
        /// The scheduler (`df://host:port`); without it the query runs in this process
        #[arg(long)]
        cluster: Option<String>,
        /// SQL to run
        #[arg(short = 'c', long, conflicts_with = "file")]
        command: Option<String>,
        /// File of SQL to run
        #[arg(short = 'f', long)]
        file: Option<PathBuf>,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // Ballista's own messages, on stderr, as `RUST_LOG` selects (none by default)
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_default_env() {
        tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(std::io::stderr)
            .with_env_filter(filter)
            .init();
    }
    // (plans are deep trees: Ballista's own binaries run with 32 MB stacks)
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(32 << 20)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: starting the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            let mut source = e.source();
            while let Some(s) = source {
                eprintln!("  caused by: {s}");
                source = s.source();
            }
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), Box<dyn std::error::Error>> {
    match command {
        Command::Scheduler { bind, store } => serve::scheduler(bind, &store).await,
        Command::Executor {
            bind,
            grpc_port,
            scheduler,
            store,
            slots,
            work_dir,
        } => serve::executor(bind, grpc_port, scheduler, &store, slots, work_dir).await,
        Command::Query {
            store,
            cluster,
            command,
            file,
        } => {
            let sql = match (command, file) {
                (Some(sql), _) => sql,
                (None, Some(f)) => {
                    std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?
                }
                (None, None) => return Err("give SQL with -c or a file with -f".into()),
            };
            let session = query::open(&store, cluster.as_deref()).await?;
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            query::run(&session, &sql, &mut out).await?;
            Ok(())
        }
    }
}
