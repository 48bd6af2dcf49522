//! The ground truth: every value the views must show for the generated documents, written
//! as CSV in the column order and row order of the queries that read them back
//! (`datasets/truth.sql`), amounts in 万元 as budsql prints them.

use std::path::Path;

use crate::format::wan;
use crate::model::Fen;

/// The amount columns of `budget_lines` the truth carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetCols {
    Total,
    Basic,
    Project,
    CurrentIncome,
    FiscalAppropriation,
    BusinessIncome,
    OtherIncome,
    Carryover,
    Personnel,
    PublicFunds,
    /// A printed column the truth does not list (always blank in generated documents).
    Skip,
}

const BUDGET_COLS: [BudgetCols; 10] = [
    BudgetCols::Total,
    BudgetCols::Basic,
    BudgetCols::Project,
    BudgetCols::CurrentIncome,
    BudgetCols::FiscalAppropriation,
    BudgetCols::BusinessIncome,
    BudgetCols::OtherIncome,
    BudgetCols::Carryover,
    BudgetCols::Personnel,
    BudgetCols::PublicFunds,
];

pub const BUDGET_HEADER: [&str; 15] = [
    "file",
    "table_name",
    "row_no",
    "subject_code",
    "subject_name",
    "total",
    "basic",
    "project",
    "current_income",
    "fiscal_appropriation",
    "business_income",
    "other_income",
    "carryover",
    "personnel",
    "public_funds",
];

pub const SUMMARY_HEADER: [&str; 5] = ["file", "table_name", "side", "item_name", "amount"];
pub const THREE_PUBLIC_HEADER: [&str; 13] = [
    "file",
    "total",
    "outbound",
    "vehicle",
    "vehicle_purchase",
    "vehicle_operation",
    "reception",
    "budget_total",
    "budget_outbound",
    "budget_vehicle",
    "budget_vehicle_purchase",
    "budget_vehicle_operation",
    "budget_reception",
];
pub const KPI_HEADER: [&str; 10] = [
    "file",
    "project_no",
    "project_name",
    "project_goal",
    "indicator_no",
    "level1",
    "level2",
    "level3",
    "target_raw",
    "basis",
];
pub const UNITS_HEADER: [&str; 8] = [
    "file",
    "region",
    "unit_code",
    "unit_name",
    "year",
    "doc_kind",
    "scope",
    "amount_unit",
];

/// A printed amount cell: blank (NULL) for zero, as the generated documents print it.
pub fn opt_wan(v: Fen) -> String {
    if v == 0 { String::new() } else { wan(v) }
}

/// An amount printed even when zero.
pub fn wan_cell(v: Fen) -> String {
    wan(v)
}

/// Rows of every view, each with a sort key (file, table, position).
#[derive(Debug, Default)]
pub struct Truth {
    budget: Vec<((String, String, usize), Vec<String>)>,
    summary: Vec<((String, String, usize), Vec<String>)>,
    three: Vec<(String, Vec<String>)>,
    kpi: Vec<((String, usize, usize), Vec<String>)>,
    units: Vec<(String, Vec<String>)>,
}

impl Truth {
    pub fn budget_line(
        &mut self,
        file: &str,
        table: &str,
        row_no: usize,
        code: &str,
        name: &str,
        values: &[(BudgetCols, String)],
    ) {
        let mut row = vec![
            file.to_string(),
            table.to_string(),
            row_no.to_string(),
            code.to_string(),
            name.to_string(),
        ];
        for col in BUDGET_COLS {
            row.push(
                values
                    .iter()
                    .find(|(c, _)| *c == col)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default(),
            );
        }
        self.budget
            .push(((file.to_string(), table.to_string(), row_no), row));
    }

    /// One printed label of a 收支总表; `pos` orders the labels as printed (line, then
    /// income before expenditure).
    pub fn summary_line(
        &mut self,
        file: &str,
        table: &str,
        pos: usize,
        side: &str,
        item: &str,
        amount: String,
    ) {
        self.summary.push((
            (file.to_string(), table.to_string(), pos),
            vec![
                file.to_string(),
                table.to_string(),
                side.to_string(),
                item.to_string(),
                amount,
            ],
        ));
    }

    /// The 三公 figures of `file`, and the 预算数 a 决算 prints beside them (empty where
    /// none are printed).
    pub fn three_public(&mut self, file: &str, values: [String; 6], budget: Option<[String; 6]>) {
        let mut row = vec![file.to_string()];
        row.extend(values);
        row.extend(budget.unwrap_or_default());
        self.three.push((file.to_string(), row));
    }

    #[allow(clippy::too_many_arguments)]
    pub fn kpi(
        &mut self,
        file: &str,
        project_no: usize,
        project_name: &str,
        goal: &str,
        indicator_no: usize,
        levels: [&str; 3],
        target: &str,
        basis: &str,
    ) {
        let [l1, l2, l3] = levels;
        self.kpi.push((
            (file.to_string(), project_no, indicator_no),
            vec![
                file.to_string(),
                project_no.to_string(),
                project_name.to_string(),
                goal.to_string(),
                indicator_no.to_string(),
                l1.to_string(),
                l2.to_string(),
                l3.to_string(),
                target.to_string(),
                basis.to_string(),
            ],
        ));
    }

    pub fn unit(&mut self, file: &str, values: [String; 7]) {
        let mut row = vec![file.to_string()];
        row.extend(values);
        self.units.push((file.to_string(), row));
    }

    /// Writes `units.csv`, `budget_lines.csv`, `summary_lines.csv`, `three_public.csv` and
    /// `kpi_targets.csv` into `dir`.
    pub fn write(mut self, dir: &Path) -> Result<(), crate::GenError> {
        std::fs::create_dir_all(dir).map_err(|e| crate::GenError::io(dir, e))?;
        self.budget.sort_by(|a, b| a.0.cmp(&b.0));
        self.summary.sort_by(|a, b| a.0.cmp(&b.0));
        self.three.sort_by(|a, b| a.0.cmp(&b.0));
        self.kpi.sort_by(|a, b| a.0.cmp(&b.0));
        self.units.sort_by(|a, b| a.0.cmp(&b.0));
        write_csv(
            &dir.join("units.csv"),
            &UNITS_HEADER,
            self.units.into_iter().map(|r| r.1),
        )?;
        write_csv(
            &dir.join("budget_lines.csv"),
            &BUDGET_HEADER,
            self.budget.into_iter().map(|r| r.1),
        )?;
        write_csv(
            &dir.join("summary_lines.csv"),
            &SUMMARY_HEADER,
            self.summary.into_iter().map(|r| r.1),
        )?;
        write_csv(
            &dir.join("three_public.csv"),
            &THREE_PUBLIC_HEADER,
            self.three.into_iter().map(|r| r.1),
        )?;
        write_csv(
            &dir.join("kpi_targets.csv"),
            &KPI_HEADER,
            self.kpi.into_iter().map(|r| r.1),
        )?;
        Ok(())
    }
}

fn write_csv(
    path: &Path,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<(), crate::GenError> {
    let mut w = csv::Writer::from_path(path).map_err(|e| crate::GenError::csv(path, e))?;
    w.write_record(header)
        .map_err(|e| crate::GenError::csv(path, e))?;
    for r in rows {
        w.write_record(&r)
            .map_err(|e| crate::GenError::csv(path, e))?;
    }
    w.flush().map_err(|e| crate::GenError::io(path, e))?;
    Ok(())
}
