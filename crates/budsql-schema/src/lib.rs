//! Domain types of budget disclosures, shared by the extractor, the store and the query layer.
//!
//! Amounts are exact [`Decimal`]s in 万元 (`None` is a blank cell, never zero); subject codes
//! know their level and parent; a [`Document`] holds every row an ingested file yields for
//! the typed views, each with the line it came from.

mod amount;
mod catalogue;
mod code;
mod document;
mod names;
mod subject;
mod unit;
mod warning;

pub use amount::{AMOUNT_PRECISION, AMOUNT_SCALE, MoneyUnit, fits_store, to_wan};
pub use catalogue::code_by_name;
pub use code::{Classification, SubjectCode};
pub use document::{
    Asset, BudgetLine, Check, Document, Identity, KpiTarget, NarrativeFigure, NarrativeItem,
    Severity, SummaryLine, TableFound, ThreePublic, UnitInfo, Warning,
};
pub use names::{AmountCol, Amounts, DocKind, Scope, Side, TableName};
pub use rust_decimal::Decimal;
pub use subject::{RENUMBERED, subject_key};
pub use unit::{UNIT_KINDS, normalise_unit_name, unit_key, unit_kind};
pub use warning::WarningCode;
