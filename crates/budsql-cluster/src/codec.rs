//! The plan codec of a budsql cluster: Ballista's, plus the in-memory tables a session
//! registers (the classification catalogue, the store's record of failed files), sent to
//! the scheduler as Arrow IPC.

use std::sync::Arc;

use ballista_core::serde::BallistaLogicalExtensionCodec;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::ipc::reader::StreamReader;
use datafusion::arrow::ipc::writer::StreamWriter;
use datafusion::catalog::TableProvider;
use datafusion::common::TableReference;
use datafusion::datasource::MemTable;
use datafusion::datasource::file_format::FileFormatFactory;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::TaskContext;
use datafusion::logical_expr::{Extension, LogicalPlan};
use datafusion_proto::logical_plan::LogicalExtensionCodec;

/// A table provider encoded by Ballista's codec.
const OTHER: u8 = 0;
/// An in-memory table: its batches as an Arrow IPC stream.
const MEMORY: u8 = 1;

/// Ballista's logical codec with in-memory tables added.
#[derive(Debug, Default)]
pub struct Codec {
    inner: BallistaLogicalExtensionCodec,
}

impl LogicalExtensionCodec for Codec {
    fn try_decode(
        &self,
        buf: &[u8],
        inputs: &[LogicalPlan],
        ctx: &TaskContext,
    ) -> Result<Extension> {
        self.inner.try_decode(buf, inputs, ctx)
    }

    fn try_encode(&self, node: &Extension, buf: &mut Vec<u8>) -> Result<()> {
        self.inner.try_encode(node, buf)
    }

    fn try_decode_table_provider(
        &self,
        buf: &[u8],
        table_ref: &TableReference,
        schema: SchemaRef,
        ctx: &TaskContext,
    ) -> Result<Arc<dyn TableProvider>> {
        match buf.split_first() {
            Some((&MEMORY, ipc)) => {
                let reader = StreamReader::try_new(ipc, None)?;
                let batches = reader.collect::<std::result::Result<Vec<_>, _>>()?;
                Ok(Arc::new(MemTable::try_new(schema, vec![batches])?))
            }
            Some((&OTHER, rest)) => self
                .inner
                .try_decode_table_provider(rest, table_ref, schema, ctx),
            _ => Err(DataFusionError::Internal(format!(
                "table {table_ref}: a plan encoded by another codec"
            ))),
        }
    }

    fn try_encode_table_provider(
        &self,
        table_ref: &TableReference,
        node: Arc<dyn TableProvider>,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        if let Some(mem) = node.downcast_ref::<MemTable>() {
            buf.push(MEMORY);
            let mut writer = StreamWriter::try_new(&mut *buf, &mem.schema())?;
            for partition in &mem.batches {
                let batches = partition.try_read().map_err(|_| {
                    DataFusionError::Internal(format!("table {table_ref} is being written"))
                })?;
                for b in batches.iter() {
                    writer.write(b)?;
                }
            }
            writer.finish()?;
            return Ok(());
        }
        buf.push(OTHER);
        self.inner.try_encode_table_provider(table_ref, node, buf)
    }

    fn try_decode_file_format(
        &self,
        buf: &[u8],
        ctx: &TaskContext,
    ) -> Result<Arc<dyn FileFormatFactory>> {
        self.inner.try_decode_file_format(buf, ctx)
    }

    fn try_encode_file_format(
        &self,
        buf: &mut Vec<u8>,
        node: Arc<dyn FileFormatFactory>,
    ) -> Result<()> {
        self.inner.try_encode_file_format(buf, node)
    }
}
