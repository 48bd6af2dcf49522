//! The codes of the `warnings` view: each thing the extractor repaired, could not read with
//! certainty, or did not store.

use std::fmt;

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal : $meaning:literal, )*) => {
        /// A warning's code, as stored in `warnings.code`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum WarningCode {
            $( $(#[$doc])* $variant, )*
        }

        impl WarningCode {
            /// Every code, in the order the documentation lists them.
            pub const ALL: &'static [WarningCode] = &[$(WarningCode::$variant,)*];

            /// The code as stored: `unplaced_figure`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( WarningCode::$variant => $name, )*
                }
            }

            /// What the code means and what was (not) stored, one sentence.
            pub fn meaning(self) -> &'static str {
                match self {
                    $( WarningCode::$variant => $meaning, )*
                }
            }

            /// The code named `name`, if there is one.
            pub fn from_name(name: &str) -> Option<WarningCode> {
                WarningCode::ALL.iter().copied().find(|c| c.as_str() == name)
            }
        }
    };
}

codes! {
    // the document as a whole
    UndecodableBytes = "undecodable_bytes":
        "bytes that are not text in the detected encoding were replaced",
    GarbledPage = "garbled_page":
        "a page whose text layer is mostly private-use, control or undecodable characters: not read",
    ImagePage = "image_page":
        "a PDF page that is an image without a text layer: not read",
    OverlongLine = "overlong_line":
        "a line over 64 KiB, which no table row is: not read",
    UnitNotStated = "unit_not_stated":
        "the document names no unit anywhere: `unit_name` is NULL",
    UnitFromFileName = "unit_from_file_name":
        "the document names no unit; the file name's is used",
    YearFromFileName = "year_from_file_name":
        "the document states no year; the file name's is used",
    MissingTable = "missing_table":
        "a standard table was not recognised",
    UntitledTable = "untitled_table":
        "rows of figures under no recognised table title: not stored",
    // tables
    UnreadTable = "unread_table":
        "a table whose layout cannot be read with certainty: nothing of it is stored",
    DerivedTable = "derived_table":
        "a table the document does not print, read from another table's column (gpb_basic from the 基本支出 column of gpb_economic)",
    MixedClassifications = "mixed_classifications":
        "a table by economic subject printing codes of both the 部门 (30x) and the 政府 (50x) economic classifications: which code belongs to which row is not certain",
    AssumedColumns = "assumed_columns":
        "a 收支总表 without a 收入/支出 header, read in the standard column order",
    UnmappedColumn = "unmapped_column":
        "figures under a column whose meaning is not recognised, or that are not the document's own (another year's, `上年`, a final account's budget, a budget's final account, a change such as `增减`, where a column of the table names the document's own): not stored",
    UncertainFunds = "uncertain_funds":
        "an income table whose 合计 by source of funds disagrees with the 收支总表's lines of those funds: its fund columns (gpb, gov_fund, soe), and each other source column whose 合计 the 收支总表 states otherwise, are not stored",
    UnplacedFigure = "unplaced_figure":
        "a figure that cannot be placed in a column or row with certainty: not stored",
    PlacedByArithmetic = "placed_by_arithmetic":
        "layout text without its PDF: a row's figures, placed by spacing, broke the table's arithmetic (合计 = 基本 + 项目, 基本 = 人员 + 公用), or a figure stood between two columns; the one order-keeping placement that keeps it is stored (where several do, the one column the same code's row of another expenditure table spends in, or between 人员经费 and 公用经费 the one the economic subject's class names; and a row's figure standing in a column where no other table spends the code moves to the one blank column where one does, the arithmetic still holding); an income table's 合计 whose figures stand under sources the 收支总表 states otherwise takes the one order-keeping placement where each figure equals its column's 收支总表 line, and every row's figures move as the 合计's did",
    FigureWithoutLabel = "figure_without_label":
        "a 收支总表 figure with no label on its side: not stored",
    ConflictingFigure = "conflicting_figure":
        "one figure printed twice with different values: the first (or the narrative's) is kept",
    UnknownItem = "unknown_item":
        "a 三公 row that names no known item: not stored",
    DuplicateRow = "duplicate_row":
        "a row printed twice: the repeat is not stored",
    UnitRow = "unit_row":
        "a row of a table by unit, its code the unit's and its name a unit's: stored without a subject code (a unit code of three digits, read like a 类's, is said row by row; the six-digit codes of the units below a department, `305001`, once a table)",
    RowWithoutCode = "row_without_code":
        "a row of a classified table without a subject code: its level is NULL",
    CodeFromName = "code_from_name":
        "a table that prints its rows by name alone: each name the subject catalogue gives one code under the rows placed above it takes that code; the others keep none",
    UnreadableCode = "unreadable_code":
        "a subject code that is not 3, 5 or 7 digits: kept as printed, its level NULL",
    CodeRepaired = "code_repaired":
        "a code read from parts printed apart: a one-digit part with a leading zero, or a 款's or 项's two digits printed under its parent without the parent's (the parent's code joined where the next 项 prints it, or the subject catalogue names it so)",
    UnreadableAmount = "unreadable_amount":
        "an amount cell that is not a number: NULL",
    AmountOutOfRange = "amount_out_of_range":
        "a figure beyond 14 digits and 6 decimal places of 万元: NULL",
    // 绩效目标表 and assets
    ScrambledTable = "scrambled_table":
        "a 绩效目标表 whose cells came out scrambled: one row per 二级指标 with only level1/level2",
    UnreadGoal = "unread_goal":
        "a 绩效目标表 whose 项目总目标 and 年度总体目标 run together: `project_goal` is NULL",
    ShortRow = "short_row":
        "a 绩效目标表 row with too few cells to be an indicator: not stored",
    ProjectsInColumn = "projects_in_column":
        "a 绩效目标表 listing many projects in a 项目名称 column: each indicator placed with the project whose name stands nearest the middle of its rows (uncertain at a boundary), or, where the names are not read, `project_name` is the table's title",
    UnplacedIndicator = "unplaced_indicator":
        "a 绩效目标表 indicator whose 一级/二级指标 are not indicator names (its cells were not placed with certainty): not stored",
    UnreadableLevel1 = "unreadable_level1":
        "a 一级指标 cell that is unreadable and that the 二级指标 does not determine: the value above is used",
    TargetRepaired = "target_repaired":
        "a target value repaired from broken extraction (`1183. 74`)",
    UnreadableQuantity = "unreadable_quantity":
        "an asset quantity that is not a number: NULL",
}

impl fmt::Display for WarningCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for WarningCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut names: Vec<&str> = WarningCode::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), WarningCode::ALL.len());
        for c in WarningCode::ALL {
            assert_eq!(WarningCode::from_name(c.as_str()), Some(*c));
            assert!(!c.meaning().is_empty());
        }
        assert_eq!(WarningCode::from_name("no_such_code"), None);
    }

    #[test]
    fn every_code_is_documented() {
        let views = include_str!("../../../docs/views.md");
        for c in WarningCode::ALL {
            let row = format!("| `{}` | {} |", c.as_str(), c.meaning());
            assert!(views.contains(&row), "docs/views.md lacks {row}");
        }
    }
}
