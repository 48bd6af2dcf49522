//! State shared by the table readers of one document: warnings and printed precision.

use budsql_schema::WarningCode;
use std::collections::BTreeMap;
use std::str::FromStr;

use budsql_schema::{Decimal, MoneyUnit, TableName, Warning, to_wan};
use budsql_text::parse_number;

/// What the readers of one document share.
#[derive(Debug, Default)]
pub struct Ctx {
    pub warnings: Vec<Warning>,
    /// Per table, half a unit of the last printed digit, in 万元: what rounding of one
    /// printed figure can explain.
    pub half_units: BTreeMap<TableName, Decimal>,
    /// Figures of layout text that the table's arithmetic places in more than one column,
    /// to be placed by the same code's rows in the other tables once all are read (see
    /// `families::classified::place_by_other_tables`).
    pub undecided: Vec<Undecided>,
    /// Rows of layout text whose figures (some of the row's columns only) were placed by
    /// spacing, to be weighed against the other tables once all are read.
    pub by_spacing: Vec<BySpacing>,
    /// The document's kind and year, once known: a column of another year or measure
    /// (`2017年预算数` in a 2018 budget, `年初预算数` in a final account) is not its own.
    pub period: Option<(budsql_schema::DocKind, i32)>,
}

/// A classified row of layout text placed by the spacing of its figures.
#[derive(Debug, Clone)]
pub struct BySpacing {
    pub table: TableName,
    pub line_no: usize,
    /// Its table's amount columns, left to right.
    pub cols: Vec<budsql_schema::AmountCol>,
}

/// A figure of a classified row that stands between two columns of a squeezed line and
/// keeps the table's arithmetic in more than one of them.
#[derive(Debug, Clone)]
pub struct Undecided {
    pub table: TableName,
    pub line_no: usize,
    /// The figure as printed and its value in 万元.
    pub text: String,
    pub value: Decimal,
    /// The columns where it keeps the arithmetic, left to right.
    pub candidates: Vec<budsql_schema::AmountCol>,
    /// The warning it takes where it stays unplaced.
    pub unplaced: String,
}

impl Ctx {
    pub fn warn(
        &mut self,
        line_no: usize,
        table: Option<TableName>,
        code: WarningCode,
        message: impl Into<String>,
        raw: Option<&str>,
    ) {
        self.warnings.push(Warning {
            line_no: i32::try_from(line_no).unwrap_or(i32::MAX),
            table_name: table.map(|t| t.as_str().to_string()),
            code,
            message: message.into(),
            raw: raw.map(str::to_string),
        });
    }

    /// Reads an amount cell: `None` for a blank cell; a warning and `None` for a cell that is
    /// not certainly a number. Records the printed precision for the table's checks.
    /// The value [`Ctx::amount`] would read from `cell`, in 万元, without its warnings
    /// (`None` for a blank, a dash or anything unreadable).
    pub fn peek_amount(cell: &str, unit: MoneyUnit) -> Option<Decimal> {
        let cell = cell.trim();
        if cell.is_empty() || budsql_text::is_nil_mark(cell) {
            return None;
        }
        let value = parse_number(cell).and_then(|n| Decimal::from_str(&n).ok())?;
        Some(to_wan(value, unit).normalize()).filter(|w| budsql_schema::fits_store(*w))
    }

    pub fn amount(
        &mut self,
        cell: &str,
        unit: MoneyUnit,
        line_no: usize,
        table: TableName,
        what: &str,
    ) -> Option<Decimal> {
        let cell = cell.trim();
        // a dash printed instead of a figure says "nothing", like a blank cell
        if cell.is_empty() || budsql_text::is_nil_mark(cell) {
            return None;
        }
        let parsed = parse_number(cell);
        if let Some(n) = &parsed
            && Decimal::from_str(n).is_err()
        {
            self.warn(
                line_no,
                Some(table),
                WarningCode::AmountOutOfRange,
                format!(
                    "{} `{what}`: `{cell}` has more digits than an amount can hold (14 digits and 6 decimal places of 万元); the cell is stored as NULL",
                    table.as_str()
                ),
                Some(cell),
            );
            return None;
        }
        let Some(value) = parsed.and_then(|n| Decimal::from_str(&n).ok()) else {
            self.warn(
                line_no,
                Some(table),
                WarningCode::UnreadableAmount,
                format!(
                    "{} `{what}`: `{cell}` is not a number; the cell is stored as NULL",
                    table.as_str()
                ),
                Some(cell),
            );
            return None;
        };
        let wan = to_wan(value, unit).normalize();
        // the store keeps Decimal128(20, 6) 万元: 14 integer digits, 6 decimal places
        if !budsql_schema::fits_store(wan) {
            self.warn(
                line_no,
                Some(table),
                WarningCode::AmountOutOfRange,
                format!(
                    "{} `{what}`: `{cell}` does not fit an amount of at most 14 digits and 6 decimal places of 万元; the cell is stored as NULL",
                    table.as_str()
                ),
                Some(cell),
            );
            return None;
        }
        let half = half_unit(value.scale(), unit);
        let slot = self.half_units.entry(table).or_insert(half);
        if half > *slot {
            *slot = half;
        }
        Some(wan)
    }

    /// Half a unit of the last printed digit for `table`, in 万元 (0.005 when unknown).
    pub fn half_unit(&self, table: TableName) -> Decimal {
        self.half_units
            .get(&table)
            .copied()
            .unwrap_or_else(|| Decimal::new(5, 3))
    }
}

/// Half a unit of the last digit of a figure printed with `scale` decimals, in 万元.
pub fn half_unit(scale: u32, unit: MoneyUnit) -> Decimal {
    let half = Decimal::new(5, scale + 1);
    to_wan(half, unit)
}
