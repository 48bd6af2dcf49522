//! A scheduler and executors of a Ballista cluster that read a budsql store: the scheduler
//! plans over exactly the files of the store's manifest (read when a session begins), the
//! executors read those files by path.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use ballista_core::registry::BallistaFunctionRegistry;
use ballista_core::utils::default_session_builder;
use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::start_server;
use datafusion::error::DataFusionError;
use datafusion::execution::FunctionRegistry;
use datafusion::execution::object_store::ObjectStoreUrl;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::SessionConfig;
use object_store::ObjectStore;
use object_store::local::LocalFileSystem;

use crate::codec::Codec;
use crate::engine::Engine;

/// Runs a scheduler on `addr` for the store at `store` until the process ends.
pub async fn scheduler(addr: SocketAddr, store: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let root = store.to_path_buf();
    let mut config = SchedulerConfig::default()
        .with_hostname(addr.ip().to_string())
        .with_port(addr.port());
    config.bind_host = addr.ip().to_string();
    config.override_logical_codec = Some(Arc::new(Codec::default()));
    // every session (one a query) plans on the store's state at its start
    config.override_session_builder = Some(Arc::new(move |mut c: SessionConfig| {
        // (a hash join's dynamic filter is built before this scheduler's planner swaps the
        // join's inputs between stages, which DataFusion then refuses: "Cannot swap
        // HashJoinExec inputs after dynamic filters have been constructed"; the task fails
        // and, in Ballista 55, the job never ends)
        let optimizer = &mut c.options_mut().optimizer;
        optimizer.enable_dynamic_filter_pushdown = false;
        optimizer.enable_join_dynamic_filter_pushdown = false;
        optimizer.enable_topk_dynamic_filter_pushdown = false;
        optimizer.enable_aggregate_dynamic_filter_pushdown = false;
        let mut state = default_session_builder(c)?;
        let (snapshot, unit_keys) = budsql_query::snapshot_store(&root)
            .map_err(|e| DataFusionError::External(Box::new(e)))?;
        // the function the views' unit_key goes through, where the store has unit aliases
        if let Some(f) = unit_keys {
            state.register_udf(Arc::new(f))?;
        }
        let url = ObjectStoreUrl::parse(budsql_query::STORE_URL)?;
        state
            .runtime_env()
            .register_object_store(url.as_ref(), Arc::new(snapshot));
        Ok(state)
    }));
    let cluster = BallistaCluster::new_from_config(&config).await?;
    start_server(cluster, addr, Arc::new(config)).await?;
    Ok(())
}

/// Runs an executor on `addr` (its flight service on `addr`'s port, its gRPC service on
/// `grpc_port`) for the scheduler at `scheduler`, reading the store at `store`.
pub async fn executor(
    addr: SocketAddr,
    grpc_port: u16,
    scheduler: SocketAddr,
    store: &Path,
    slots: usize,
    work_dir: Option<String>,
) -> Result<(), Box<dyn std::error::Error>> {
    let files = files_of(store)?;
    let runtime = Arc::new(move |_: &SessionConfig| {
        let rt = RuntimeEnvBuilder::new().build()?;
        let url = ObjectStoreUrl::parse(budsql_query::STORE_URL)?;
        rt.register_object_store(url.as_ref(), files.clone());
        Ok(Arc::new(rt))
    });
    // (Ballista's registry has DataFusion's default functions but not its array functions,
    // which the views use: `array_has`, `array_agg` results)
    let mut functions = BallistaFunctionRegistry::default();
    for f in datafusion::functions_nested::all_default_nested_functions() {
        functions.scalar_functions.insert(f.name().to_string(), f);
    }
    if let Some(f) = budsql_query::unit_key_function(store)? {
        functions
            .scalar_functions
            .insert(f.name().to_string(), Arc::new(f));
    }
    let config = ExecutorProcessConfig {
        override_function_registry: Some(Arc::new(functions)),
        override_execution_engine: Some(Arc::new(Engine::default())),
        bind_host: addr.ip().to_string(),
        external_host: Some(addr.ip().to_string()),
        port: addr.port(),
        grpc_port,
        scheduler_host: scheduler.ip().to_string(),
        scheduler_port: scheduler.port(),
        vcores: slots.max(1),
        work_dir,
        override_runtime_producer: Some(runtime),
        override_logical_codec: Some(Arc::new(Codec::default())),
        ..Default::default()
    };
    start_executor_process(Arc::new(config)).await?;
    Ok(())
}

/// The store's files by their path in the store (what a plan of the scheduler names).
fn files_of(store: &Path) -> Result<Arc<dyn ObjectStore>, Box<dyn std::error::Error>> {
    if budsql_store::remote::is_remote(store) {
        return Ok(budsql_store::remote::object_store_for(
            &store.to_string_lossy(),
        )?);
    }
    Ok(Arc::new(LocalFileSystem::new_with_prefix(store)?))
}
