//! Money: exact decimals, normalised to 万元.

use rust_decimal::Decimal;

/// Decimal scale of every stored amount: 6 places of 万元 hold a 元 figure's cents exactly.
pub const AMOUNT_SCALE: u32 = 6;
/// Decimal precision of every stored amount (up to 10^14 万元).
pub const AMOUNT_PRECISION: u8 = 20;

/// The money unit a table is printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum MoneyUnit {
    /// 万元, ten thousand yuan: the unit of every stored amount.
    #[default]
    Wan,
    /// 元.
    Yuan,
    /// 千元, a thousand yuan (printed by a few regions).
    Qian,
}

impl MoneyUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            MoneyUnit::Wan => "万元",
            MoneyUnit::Yuan => "元",
            MoneyUnit::Qian => "千元",
        }
    }
}

/// Converts a printed figure to 万元 exactly.
pub fn to_wan(value: Decimal, unit: MoneyUnit) -> Decimal {
    // Dividing by a power of ten is a scale change, exact by construction.
    let shift = |places: u32, by: i64| {
        let mut v = value;
        if v.set_scale(v.scale() + places).is_err() {
            return value / Decimal::from(by);
        }
        v
    };
    match unit {
        MoneyUnit::Wan => value,
        MoneyUnit::Yuan => shift(4, 10_000),
        MoneyUnit::Qian => shift(1, 10),
    }
}

/// Whether `value` can be stored exactly as `Decimal128(20, 6)`: under 10^14 in magnitude
/// and at most 6 decimal places.
pub fn fits_store(value: Decimal) -> bool {
    let v = value.normalize();
    v.scale() <= AMOUNT_SCALE && v.abs() < Decimal::from(100_000_000_000_000_i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn yuan_to_wan_is_exact() {
        let v = Decimal::from_str("86959408.34").unwrap_or_default();
        assert_eq!(to_wan(v, MoneyUnit::Yuan).to_string(), "8695.940834");
        assert_eq!(to_wan(v, MoneyUnit::Qian).to_string(), "8695940.834");
        assert_eq!(to_wan(v, MoneyUnit::Wan), v);
    }
}
