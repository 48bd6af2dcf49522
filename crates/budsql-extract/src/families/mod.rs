//! One reader per table family, each on the shared stages of [`crate::table`].

pub mod classified;
pub mod income;
pub mod summary;
pub mod three_public;

use budsql_schema::{AmountCol, Amounts, Decimal};

/// A row's amounts weighed against its table's identities (`合计 = 基本 + 项目`, `本年收入 =
/// its sources`), a blank cell counting 0, as the readers placing a layout text's figures
/// by them need: an identity is weighed where the table prints its whole and one of its
/// parts, and [`Identities::result`] is `None` where none was.
pub(crate) struct Identities<'a> {
    amounts: &'a Amounts,
    cols: &'a [AmountCol],
    half: Decimal,
    checked: bool,
    holds: bool,
}

impl<'a> Identities<'a> {
    pub(crate) fn new(amounts: &'a Amounts, cols: &'a [AmountCol], half: Decimal) -> Self {
        Identities {
            amounts,
            cols,
            half,
            checked: false,
            holds: true,
        }
    }

    /// Whether the table prints the column.
    pub(crate) fn has(&self, c: AmountCol) -> bool {
        self.cols.contains(&c)
    }

    /// Weighs `whole` against the sum of those of `parts` the table prints, within half a
    /// unit of each printed figure.
    pub(crate) fn weigh(&mut self, whole: AmountCol, parts: &[AmountCol]) {
        let parts: Vec<AmountCol> = parts.iter().copied().filter(|c| self.has(*c)).collect();
        if !self.has(whole) || parts.is_empty() {
            return;
        }
        let get = |c: AmountCol| self.amounts.get(c).unwrap_or_default();
        let sum: Decimal = parts.iter().map(|c| get(*c)).sum();
        let tolerance = self.half * Decimal::from(parts.len() as i64 + 1);
        self.checked = true;
        self.holds &= (get(whole) - sum).abs() <= tolerance;
    }

    /// Whether every identity weighed holds; `None` where none was weighed.
    pub(crate) fn result(&self) -> Option<bool> {
        self.checked.then_some(self.holds)
    }
}
