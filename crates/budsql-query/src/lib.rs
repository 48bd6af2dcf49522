//! SQL over a budsql store: a DataFusion session with the typed views.
//!
//! The stored tables are registered in the schema `store` as hive-partitioned listing
//! tables over a [`SnapshotStore`] (the files of the manifest read at open); the views in
//! the default schema put the identity columns first. Sessions are read-only: statements
//! that write (`INSERT`, `COPY`) are refused with the reason.

mod snapshot;
mod stats;

mod catalogue;
mod derived;
pub mod unit_keys;

use std::path::Path;
use std::sync::Arc;

use budsql_store::{Manifest, Store, StoreError, Table, partition_fields};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::MemorySchemaProvider;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::{
    ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl,
};
use datafusion::execution::cache::cache_manager::FileStatisticsCache;
use datafusion::execution::memory_pool::FairSpillPool;
use datafusion::execution::object_store::ObjectStoreUrl;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::execution::{SessionState, SessionStateBuilder};
use datafusion::logical_expr::{LogicalPlan, ScalarUDF};
use datafusion::prelude::{DataFrame, SQLOptions, SessionConfig, SessionContext};
use datafusion::sql::parser::{DFParser, Statement};
use datafusion::sql::sqlparser::dialect::GenericDialect;

pub use snapshot::SnapshotStore;
pub use unit_keys::UnitKeys;

/// Errors of a query session.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error(transparent)]
    Store(#[from] StoreError),

    #[error("{}", clean_message(.0))]
    DataFusion(datafusion::error::DataFusionError),

    #[error("unknown table or view `{name}`")]
    UnknownTable { name: String, hint: Option<String> },

    #[error(
        "{statement} is not allowed: the store is read-only in a query session (use `budsql ingest` to change it)"
    )]
    ReadOnly { statement: String },

    #[error(
        "`COPY` into the store directory (`{target}`) is not allowed: the store changes only through `budsql ingest`"
    )]
    IntoStore { target: String },

    #[error("unknown view `{name}`")]
    UnknownView { name: String, hint: Option<String> },
}

impl QueryError {
    /// `name` is no view: the error, with the closest view's name (case aside, as SQL
    /// names are) as a hint.
    fn unknown_view(name: &str) -> QueryError {
        let lower = name.to_lowercase();
        let hint = closest(&lower, Session::views().into_iter().map(|(n, _)| n))
            .map(|c| format!("did you mean `{c}`?"));
        QueryError::UnknownView {
            name: name.to_string(),
            hint,
        }
    }

    /// Where in the statement text the error is, as DataFusion gives it: (line, column),
    /// both from 1. A syntax error says `at Line: L, Column: C`; a planning error may
    /// carry a span.
    pub fn position(&self) -> Option<(usize, usize)> {
        let QueryError::DataFusion(e) = self else {
            return None;
        };
        if let Some(span) = e.diagnostic().and_then(|d| d.span)
            && span.start.line > 0
        {
            return Some((
                usize::try_from(span.start.line).ok()?,
                usize::try_from(span.start.column).ok()?,
            ));
        }
        let msg = e.to_string();
        let at = msg.rfind("at Line: ")?;
        let rest = msg.get(at + "at Line: ".len()..)?;
        let (line, rest) = rest.split_once(", Column: ")?;
        let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((line.trim().parse().ok()?, column.parse().ok()?))
    }

    /// A likely fix, printed as `hint:` under the error.
    pub fn hint(&self) -> Option<String> {
        match self {
            QueryError::ReadOnly { statement } if statement == "`COPY`" => Some(
                "to export a result, run budsql with `--allow-export` and COPY to a path outside the store"
                    .into(),
            ),
            QueryError::UnknownView { hint, .. } | QueryError::UnknownTable { hint, .. } => {
                hint.clone()
            }
            QueryError::DataFusion(e) => match e.find_root() {
                datafusion::error::DataFusionError::ResourcesExhausted(_) => Some(
                    "raise the limit with `--memory-limit`, or filter the query to fewer rows"
                        .into(),
                ),
                _ => None,
            },
            _ => None,
        }
    }
}

impl From<datafusion::error::DataFusionError> for QueryError {
    fn from(e: datafusion::error::DataFusionError) -> Self {
        // `table 'budsql.public.budget_line' not found` → a typo hint
        if let datafusion::error::DataFusionError::Plan(m) = e.find_root()
            && let Some(rest) = m.strip_prefix("table '")
            && let Some(full) = rest.strip_suffix("' not found")
        {
            let name = full.rsplit('.').next().unwrap_or(full).to_string();
            let hint = closest(&name, Table::ALL.iter().map(|t| t.name()))
                .map(|c| format!("did you mean `{c}`? (`\\d` lists the views)"))
                .or_else(|| Some("`\\d` lists the views".to_string()));
            return QueryError::UnknownTable { name, hint };
        }
        QueryError::DataFusion(e)
    }
}

/// A DataFusion error as a sentence for a researcher: no backtraces, no enum dumps.
fn clean_message(e: &datafusion::error::DataFusionError) -> String {
    use datafusion::error::DataFusionError as E;
    let root = e.find_root();
    let text = match root {
        E::SQL(err, _) => {
            let m = err.to_string();
            format!(
                "syntax error: {}",
                m.strip_prefix("sql parser error: ").unwrap_or(&m)
            )
        }
        E::Plan(m) => m.clone(),
        E::ResourcesExhausted(m) => format!("the query needs more memory than its limit: {m}"),
        other => other.strip_backtrace(),
    };
    let text = text.strip_prefix("Schema error: ").unwrap_or(&text);
    // (an unknown column: the suggestion stays, the list of every column of the view goes;
    // `\d VIEW` lists them)
    text.split("\nValid fields are")
        .next()
        .unwrap_or(text)
        .to_string()
}

/// Session settings.
#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    /// Parallelism of query plans; `None` uses every core.
    pub target_partitions: Option<usize>,
    /// Memory limit in bytes for query execution (spilling beyond it); `None` is unlimited.
    pub memory_limit: Option<usize>,
    /// Lets `COPY … TO` write files outside the store (exports). The store itself is never
    /// written through SQL.
    pub allow_export: bool,
}

/// A read-only SQL session over one committed state of a store.
pub struct Session {
    ctx: SessionContext,
    manifest: Manifest,
    root: std::path::PathBuf,
    allow_export: bool,
    /// The research views created so far: each is planned on first use, so a session
    /// that does not name one does not pay for planning it.
    derived_ready: std::sync::Mutex<Vec<&'static str>>,
}

/// Where a session finds the store's files: an object store of this URL serving the paths
/// of the manifest's files (see [`SnapshotStore`]).
pub const STORE_URL: &str = "budsql://store/";

impl Session {
    /// Opens a session over the store at `root` (an absent store reads as empty).
    pub async fn open(root: &Path, opts: &SessionOptions) -> Result<Session, QueryError> {
        Session::open_with(root, opts, |state| async move {
            Ok(SessionContext::new_with_state(state))
        })
        .await
    }

    /// [`Session::open`], with the context made from the session's state by `make`: e.g.
    /// one whose plans run on a cluster (the tables, views and the store's files are
    /// registered on the context `make` returns).
    pub async fn open_with<F, Fut>(
        root: &Path,
        opts: &SessionOptions,
        make: F,
    ) -> Result<Session, QueryError>
    where
        F: FnOnce(SessionState) -> Fut,
        Fut: std::future::Future<Output = datafusion::error::Result<SessionContext>>,
    {
        let store = Store::open_existing(root)?;
        // the files only: the per-document part of the manifest grows with the store
        let manifest = store.manifest_files()?;
        let mut config = SessionConfig::new()
            .with_information_schema(true)
            .with_default_catalog_and_schema("budsql", "public")
            .with_create_default_catalog_and_schema(true);
        if let Some(n) = opts.target_partitions {
            config = config.with_target_partitions(n.max(1));
        }
        // where in a statement a planning error is (an unknown column), for the shell's caret
        config.options_mut().sql_parser.collect_spans = true;
        let mut runtime = RuntimeEnvBuilder::new();
        if let Some(limit) = opts.memory_limit {
            runtime = runtime.with_memory_pool(Arc::new(FairSpillPool::new(limit)));
            // a sort keeps this much back for merging its spill files: a share of the limit,
            // so that a small limit spills rather than fails
            let reserve = (limit / 8).clamp(64 << 10, 10 << 20);
            config.options_mut().execution.sort_spill_reservation_bytes = reserve;
            config.options_mut().execution.sort_in_place_threshold_bytes = reserve;
        }
        let state = SessionStateBuilder::new()
            .with_config(config)
            .with_runtime_env(runtime.build_arc()?)
            .with_default_features()
            .build();
        let base = SessionContext::new_with_state(state);
        // `count(DISTINCT x)` with a hash set per group rather than rewritten into a second
        // GROUP BY on x: on these views' group sizes (a few hundred documents per region,
        // year and class) the set is cheaper (query 01 on 10,000 documents: 49 → 44 ms,
        // same rows). A debug build checks the rule still goes by this name.
        let removed = base.remove_optimizer_rule("single_distinct_aggregation_to_group_by");
        debug_assert!(removed, "DataFusion renamed the single-distinct rule");
        let ctx = make(base.state()).await?;

        let snapshot = snapshot_of(&store, &manifest)?;
        let url = ObjectStoreUrl::parse(STORE_URL)?;
        ctx.register_object_store(url.as_ref(), Arc::new(snapshot));

        let catalog = ctx
            .catalog("budsql")
            .ok_or_else(|| datafusion::error::DataFusionError::Plan("no catalog".into()))?;
        catalog.register_schema("store", Arc::new(MemorySchemaProvider::new()))?;
        let stats: Arc<FileStatisticsCache> = Arc::new(stats::ManifestStatistics::new(&manifest));
        // one unit_key for a unit whose code some of its documents print and others not
        let unit_keys = UnitKeys::of(&manifest);
        let aliased = unit_keys.is_some();
        if let Some(f) = unit_keys {
            ctx.register_udf(f);
        }
        for table in Table::ALL {
            let url = ListingTableUrl::parse(format!("{STORE_URL}{}/", table.name()))?;
            let options = ListingOptions::new(Arc::new(ParquetFormat::default()))
                .with_file_extension(".parquet")
                .with_table_partition_cols(partition_fields());
            let config = ListingTableConfig::new(url)
                .with_listing_options(options)
                .with_schema(table.file_schema());
            let provider = ListingTable::try_new(config)?.with_cache(Some(Arc::clone(&stats)));
            ctx.register_table(format!("store.{}", table.name()), Arc::new(provider))?;
            ctx.sql(&view_sql(table, aliased)).await?;
        }
        ctx.register_table("store.failures", failures_table(&manifest)?)?;
        ctx.sql(DOCUMENTS_VIEW).await?;
        Ok(Session {
            ctx,
            manifest,
            root: root.to_path_buf(),
            allow_export: opts.allow_export,
            derived_ready: std::sync::Mutex::new(Vec::new()),
        })
    }

    /// The DataFusion context, for callers that need more than SQL text.
    pub fn context(&self) -> &SessionContext {
        &self.ctx
    }

    /// The committed state the session reads.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Splits SQL text into statements.
    pub fn parse(&self, sql: &str) -> Result<Vec<Statement>, QueryError> {
        let dialect = GenericDialect {};
        Ok(DFParser::parse_sql_with_dialect(sql, &dialect)?
            .into_iter()
            .collect())
    }

    /// Creates the research views `sql` names (all of them for a look at the catalogue).
    async fn prepare_derived(&self, sql: &str) -> Result<(), QueryError> {
        let lower = sql.to_lowercase();
        let everything = lower.contains("information_schema") || lower.contains("show ");
        for c in catalogue::all() {
            if (everything || lower.contains(c.name)) && self.claim(c.name) {
                let registered = (c.build)()
                    .and_then(|table| self.ctx.register_table(c.name, table).map(|_| ()));
                if let Err(e) = registered {
                    self.release(c.name);
                    return Err(e.into());
                }
            }
        }
        // the views named and not yet created, and those their SQL names (each view is
        // listed after those it reads); each view's SQL is written once
        let all = derived::all();
        let ready = |name: &str| self.derived_ready.lock().is_ok_and(|r| r.contains(&name));
        let mut needed: Vec<(&'static str, String)> = Vec::new();
        let mut wanted: Vec<&'static str> = all
            .iter()
            .filter(|d| (everything || lower.contains(d.name)) && !ready(d.name))
            .map(|d| d.name)
            .collect();
        for d in all.iter().rev() {
            if wanted.contains(&d.name) {
                let text = (d.sql)();
                for e in &all {
                    if e.name != d.name && text.contains(e.name) && !ready(e.name) {
                        wanted.push(e.name);
                    }
                }
                needed.push((d.name, text));
            }
        }
        // (created in the order of `all`: those read first)
        for d in &all {
            let Some((name, text)) = needed.iter().find(|(n, _)| *n == d.name) else {
                continue;
            };
            if self.claim(name)
                && let Err(e) = self.ctx.sql(text).await
            {
                self.release(name);
                return Err(e.into());
            }
        }
        Ok(())
    }

    /// Marks a research view or catalogue table as created; `false` where it already is.
    fn claim(&self, name: &'static str) -> bool {
        match self.derived_ready.lock() {
            Ok(mut ready) if !ready.contains(&name) => {
                ready.push(name);
                true
            }
            _ => false,
        }
    }

    /// Undoes [`Session::claim`] after a failed creation.
    fn release(&self, name: &str) {
        if let Ok(mut ready) = self.derived_ready.lock() {
            ready.retain(|n| *n != name);
        }
    }

    /// Plans and starts one statement; writing statements are refused.
    pub async fn execute(&self, statement: Statement) -> Result<DataFrame, QueryError> {
        self.prepare_derived(&statement.to_string()).await?;
        let state = self.ctx.state();
        let plan = state.statement_to_plan(statement).await?;
        let refused = match &plan {
            LogicalPlan::Dml(d) => Some(format!("`{}`", d.op)),
            LogicalPlan::Copy(c) if self.allow_export => {
                if self.inside_store(&c.output_url) {
                    return Err(QueryError::IntoStore {
                        target: c.output_url.clone(),
                    });
                }
                None
            }
            LogicalPlan::Copy(_) => Some("`COPY`".to_string()),
            _ => None,
        };
        if let Some(statement) = refused {
            return Err(QueryError::ReadOnly { statement });
        }
        let exporting = self.allow_export && matches!(plan, LogicalPlan::Copy(_));
        SQLOptions::new()
            .with_allow_dml(exporting)
            .verify_plan(&plan)?;
        Ok(self.ctx.execute_logical_plan(plan).await?)
    }

    /// Whether a `COPY` target lies in the store's directory.
    fn inside_store(&self, target: &str) -> bool {
        let t = target.strip_prefix("file://").unwrap_or(target);
        let path = std::path::Path::new(t);
        let abs = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(path)
        };
        // resolve what exists of the path (the target itself usually does not)
        let mut probe = abs.clone();
        let mut rest: Vec<std::ffi::OsString> = Vec::new();
        while !probe.exists() {
            match (probe.file_name().map(|n| n.to_os_string()), probe.parent()) {
                (Some(n), Some(p)) => {
                    rest.push(n);
                    probe = p.to_path_buf();
                }
                _ => break,
            }
        }
        let mut resolved = std::fs::canonicalize(&probe).unwrap_or(probe);
        for n in rest.into_iter().rev() {
            resolved.push(n);
        }
        let root = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        resolved.starts_with(&root)
    }

    /// Runs SQL text (one or more statements) and collects the last statement's result.
    pub async fn query(
        &self,
        sql: &str,
    ) -> Result<Vec<datafusion::arrow::array::RecordBatch>, QueryError> {
        let mut out = Vec::new();
        for st in self.parse(sql)? {
            out = self.execute(st).await?.collect().await?;
        }
        Ok(out)
    }

    /// What defines `name`: the SQL of a stored view, of `documents` or of a research
    /// view (laid out one clause a line, to read, copy or re-weight), or a line saying
    /// where a catalogue table's data comes from.
    pub fn definition(name: &str) -> Result<String, QueryError> {
        let name = name.trim().trim_matches('"');
        let lower = name.to_ascii_lowercase();
        if let Some(t) = Table::from_name(&lower) {
            // (as stored: a session over a store with unit aliases passes `unit_key`
            // through `budsql_unit_key`, see `unit_keys`)
            return Ok(layout_sql(&view_sql(t, false)));
        }
        if lower == "documents" {
            return Ok(layout_sql(DOCUMENTS_VIEW));
        }
        if let Some(d) = derived::all().into_iter().find(|d| d.name == lower) {
            return Ok(layout_sql(&(d.sql)()));
        }
        if let Some(c) = catalogue::all().into_iter().find(|c| c.name == lower) {
            return Ok(format!(
                "-- {} is data, not a view: the catalogue shipped in datasets/subjects/ \
                 (each entry with its source)",
                c.name
            ));
        }
        Err(QueryError::unknown_view(name))
    }

    /// The typed views with one line each on what they hold.
    pub fn views() -> Vec<(&'static str, &'static str)> {
        let mut v: Vec<_> = Table::ALL.iter().map(|t| (t.name(), t.about())).collect();
        v.push((
            "documents",
            "the ingest report: per document, tables found and missing, warnings, findings, status",
        ));
        v.extend(derived::all().into_iter().map(|d| (d.name, d.about)));
        v.extend(catalogue::all().into_iter().map(|c| (c.name, c.about)));
        v
    }

    /// The columns of a view or table: name, type, nullable, and for the stored views the
    /// Chinese term and meaning from the view's definition.
    pub async fn describe(&self, name: &str) -> Result<Vec<ColumnDescription>, QueryError> {
        self.prepare_derived(name).await?;
        let schema: SchemaRef = match self.ctx.table(name).await {
            Ok(df) => Arc::new(df.schema().as_arrow().clone()),
            Err(_) => return Err(QueryError::unknown_view(name)),
        };
        let mut spec = Table::from_name(name)
            .map(budsql_store::spec::view_columns)
            .unwrap_or_default();
        // (the ingest report is `units` with its source path and the failed files)
        if name.eq_ignore_ascii_case("documents") {
            // (its own columns first: a column found twice takes the first meaning)
            spec = DOCUMENTS_COLUMNS
                .iter()
                .map(|(name, about)| budsql_store::spec::ColumnInfo {
                    name,
                    kind: budsql_store::spec::Kind::Text,
                    nullable: true,
                    term: "",
                    about,
                })
                .collect();
            spec.extend(budsql_store::spec::view_columns(Table::Units));
        }
        let columns = derived::all()
            .into_iter()
            .find(|d| d.name == name)
            .map(|d| d.columns)
            .or_else(|| {
                catalogue::all()
                    .into_iter()
                    .find(|c| c.name == name)
                    .map(|c| c.columns)
            });
        if let Some(columns) = columns {
            spec.extend(
                columns
                    .iter()
                    .map(|(name, term, about)| budsql_store::spec::ColumnInfo {
                        name,
                        kind: budsql_store::spec::Kind::Text,
                        nullable: true,
                        term,
                        about,
                    }),
            );
        }
        Ok(schema
            .fields()
            .iter()
            .map(|f| {
                let info = spec.iter().find(|c| c.name == f.name());
                ColumnDescription {
                    name: f.name().clone(),
                    data_type: f.data_type().to_string(),
                    nullable: f.is_nullable(),
                    term: info.map(|c| c.term.to_string()).unwrap_or_default(),
                    about: info.map(|c| c.about.to_string()).unwrap_or_default(),
                }
            })
            .collect())
    }
}

/// One column of a view, for `\d`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDescription {
    pub name: String,
    pub data_type: String,
    pub nullable: bool,
    /// The Chinese term the documents print (empty where there is none).
    pub term: String,
    pub about: String,
}

/// Formats a decimal exactly, dropping trailing zeros beyond two decimal places
/// (`1220.180000` → `1220.18`, `0.000000` → `0.00`, `8695.940834` stays).
pub fn format_decimal(value: i128, scale: i8) -> String {
    let neg = value < 0;
    let digits = value.unsigned_abs().to_string();
    let scale = usize::try_from(scale.max(0)).unwrap_or(0);
    let (int, frac) = if scale == 0 {
        (digits, String::new())
    } else if digits.len() > scale {
        let (i, f) = digits.split_at(digits.len() - scale);
        (i.to_string(), f.to_string())
    } else {
        ("0".to_string(), format!("{digits:0>scale$}"))
    };
    let keep = scale.min(2);
    let trimmed = frac.trim_end_matches('0');
    let frac = if trimmed.len() < keep {
        frac.get(..keep).unwrap_or(&frac).to_string()
    } else {
        trimmed.to_string()
    };
    let sign = if neg { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

/// The ingest report: one row per stored document, what was and was not understood, and
/// one per file whose last ingest failed (status 'failed', the reason in `error`).
const DOCUMENTS_VIEW: &str = "CREATE VIEW documents AS \
    SELECT source_path AS path, doc_id, region, unit_code, \
    unit_name, unit_key, year, doc_kind, scope, title, layout, encoding, amount_unit, tables_found, tables, \
    tables_missing, tables_unread, kpi_tables, rows, warnings, check_findings, status, \
    CAST(NULL AS VARCHAR) AS error, CAST(NULL AS BIGINT) AS error_line FROM store.units \
    UNION ALL \
    SELECT path, CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), \
    CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS INT), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), \
    CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), \
    CAST(NULL AS INT), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), \
    CAST(NULL AS INT), \
    CAST(NULL AS INT), CAST(NULL AS INT), CAST(NULL AS INT), 'failed', message, line \
    FROM store.failures";

/// The columns `documents` adds to those of `units`, and their meaning.
const DOCUMENTS_COLUMNS: [(&str, &str); 4] = [
    ("path", "the file as ingested (units.source_path)"),
    (
        "status",
        "'ok', 'warnings', 'findings', 'incomplete', or 'failed' where the file's last ingest failed",
    ),
    (
        "error",
        "why the file's last ingest failed, naming the file and, where known, the line; NULL for a stored document",
    ),
    ("error_line", "the line the error names, where it names one"),
];

/// The manifest's failed files as a table (path, message, line).
fn failures_table(
    manifest: &Manifest,
) -> Result<Arc<dyn datafusion::catalog::TableProvider>, QueryError> {
    use datafusion::arrow::array::{Int64Array, RecordBatch, StringArray};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    let schema = Arc::new(Schema::new(vec![
        Field::new("path", DataType::Utf8, false),
        Field::new("message", DataType::Utf8, false),
        Field::new("line", DataType::Int64, true),
    ]));
    let (paths, rest): (Vec<&str>, Vec<(&str, Option<i64>)>) = manifest
        .failures
        .iter()
        .map(|(p, f)| {
            (
                p.as_str(),
                (
                    f.message.as_str(),
                    f.line.and_then(|l| i64::try_from(l).ok()),
                ),
            )
        })
        .unzip();
    let (messages, lines): (Vec<&str>, Vec<Option<i64>>) = rest.into_iter().unzip();
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(StringArray::from(paths)),
            Arc::new(StringArray::from(messages)),
            Arc::new(Int64Array::from(lines)),
        ],
    )
    .map_err(datafusion::error::DataFusionError::from)?;
    Ok(Arc::new(datafusion::datasource::MemTable::try_new(
        schema,
        vec![vec![batch]],
    )?))
}

/// The object store a session reads `store`'s files through: exactly the files `manifest`
/// lists, under [`STORE_URL`].
fn snapshot_of(store: &Store, manifest: &Manifest) -> Result<SnapshotStore, QueryError> {
    let root = store.root();
    let files = manifest.files.iter().map(|f| (f.path.clone(), f.bytes));
    let snapshot = if store.is_remote() {
        // an object store of the session's own (its connections live on this runtime)
        let inner = budsql_store::remote::object_store_for(&store.location())?;
        SnapshotStore::remote(inner, files)
    } else {
        // a store not created yet reads as empty (no file is listed, so none is read)
        let fs_root = if root.exists() {
            root.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        SnapshotStore::new(&fs_root, files)
            .map_err(|e| datafusion::error::DataFusionError::External(Box::new(e)))?
    };
    Ok(snapshot)
}

/// The object store for [`STORE_URL`] over the committed state of the store at `root`, as a
/// session registers it, and the function its views' `unit_key` goes through where the
/// store has unit aliases (see [`unit_key_function`]), from one read of the manifest: for a
/// process that plans queries of the store but opens no session (a cluster's scheduler).
pub fn snapshot_store(root: &Path) -> Result<(SnapshotStore, Option<ScalarUDF>), QueryError> {
    let store = Store::open_existing(root)?;
    let manifest = store.manifest_files()?;
    Ok((snapshot_of(&store, &manifest)?, UnitKeys::of(&manifest)))
}

/// The view over a stored table: identity columns first, then the table's own. With
/// `aliased`, `unit_key` goes through the store's unit aliases ([`unit_keys`]).
fn view_sql(table: Table, aliased: bool) -> String {
    let ids: Vec<String> = budsql_store::spec::VIEW_IDENTITY
        .iter()
        .map(|c| match *c {
            "unit_key" if aliased => format!("{}(unit_key) AS unit_key", unit_keys::NAME),
            c => c.to_string(),
        })
        .collect();
    let own: Vec<String> = budsql_store::spec::view(table)
        .infos()
        .iter()
        .map(|c| format!("\"{}\"", c.name))
        .collect();
    format!(
        "CREATE VIEW {name} AS SELECT {ids}, {own} FROM store.{name}",
        name = table.name(),
        ids = ids.join(", "),
        own = own.join(", ")
    )
}

/// The function that gives every view's `unit_key` (see [`unit_keys`]) for the store at
/// `root`: for a process that runs queries of the store but opens no session (a cluster's
/// executors). `None` where the store has no unit alias (the views then read the stored key
/// as it is).
pub fn unit_key_function(root: &Path) -> Result<Option<ScalarUDF>, QueryError> {
    let store = Store::open_existing(root)?;
    Ok(UnitKeys::of(&store.manifest_files()?))
}

/// `sql` with a line break before each clause keyword (`SELECT`, `FROM`, `WHERE`, joins,
/// `GROUP BY`, `UNION ALL`, …) outside quotes, and `WITH`'s parts one a line.
fn layout_sql(sql: &str) -> String {
    const BREAK_BEFORE: [&str; 11] = [
        "SELECT ",
        "FROM ",
        "WHERE ",
        "GROUP BY ",
        "ORDER BY ",
        "UNION ALL ",
        "LEFT JOIN ",
        "FULL JOIN ",
        "JOIN ",
        "HAVING ",
        "WINDOW ",
    ];
    let mut out = String::with_capacity(sql.len() + sql.len() / 16);
    let mut quoted = false;
    let mut rest = sql;
    while let Some(c) = rest.chars().next() {
        if c == '\'' {
            quoted = !quoted;
        }
        // `WITH`'s parts: `), name AS (`
        if !quoted && let Some(after) = rest.strip_prefix("), ") {
            let word = after
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if word > 0 && after.get(word..).is_some_and(|t| t.starts_with(" AS (")) {
                out.push_str("),\n");
                rest = after;
                continue;
            }
        }
        // (a keyword begins a word: not the end of another one)
        if !quoted
            && (out.ends_with(' ') || out.ends_with('('))
            && let Some(k) = BREAK_BEFORE.iter().find(|k| rest.starts_with(**k))
        {
            let kept = out.trim_end_matches(' ').len();
            out.truncate(kept);
            out.push('\n');
            out.push_str(k);
            rest = rest.get(k.len()..).unwrap_or_default();
            continue;
        }
        out.push(c);
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
    }
    out.push(';');
    out
}

/// The candidate closest to `name` by edit distance, if close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (levenshtein(name, c), c))
        .filter(|(d, c)| *d <= 3.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::{format_decimal, layout_sql};

    #[test]
    fn clauses_one_a_line_and_quotes_kept() {
        assert_eq!(
            layout_sql(
                "CREATE VIEW v AS WITH a AS (SELECT x FROM t), b AS (SELECT 'a FROM b' AS y FROM a JOIN t ON a.x = t.x) SELECT * FROM b WHERE y = 'WHERE '"
            ),
            "CREATE VIEW v AS WITH a AS (\nSELECT x\nFROM t),\nb AS (\nSELECT 'a FROM b' AS y\nFROM a\nJOIN t ON a.x = t.x)\nSELECT *\nFROM b\nWHERE y = 'WHERE ';"
        );
    }

    #[test]
    fn decimals() {
        assert_eq!(format_decimal(1_220_180_000, 6), "1220.18");
        assert_eq!(format_decimal(0, 6), "0.00");
        assert_eq!(format_decimal(8_695_940_834, 6), "8695.940834");
        assert_eq!(format_decimal(-500_000, 6), "-0.50");
        assert_eq!(format_decimal(1234, 0), "1234");
        assert_eq!(format_decimal(5, 1), "0.5");
    }
}
