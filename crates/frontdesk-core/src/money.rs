//! 金额: money is integer fen (分) everywhere — in Rust, SQL and JSON. Yuan exist only as text
//! typed by a person or shown to one.
#![deny(clippy::float_arithmetic)]

use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Fen(pub i64);

/// The largest amount one line of money may hold: ¥10,000,000.00.
const MAX_FEN: i64 = 1_000_000_000;

impl Fen {
    /// Parses yuan as typed at the desk: `25`, `25.5`, `25.50`, `¥1,230.00`. At most two
    /// decimals; never negative.
    pub fn parse_yuan(field: &'static str, text: &str) -> Result<Fen> {
        let bad = || Error::invalid(field, Problem::BadFormat);
        let t: String = text
            .trim()
            .trim_start_matches(['¥', '￥'])
            .chars()
            .filter(|c| *c != ',')
            .collect();
        if t.is_empty() {
            return Err(Error::invalid(field, Problem::Required));
        }
        let (whole, frac) = match t.split_once('.') {
            Some((w, f)) => (w, f),
            None => (t.as_str(), ""),
        };
        if whole.is_empty()
            || whole.len() > 8
            || frac.len() > 2
            || !whole.chars().all(|c| c.is_ascii_digit())
            || !frac.chars().all(|c| c.is_ascii_digit())
        {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        let fen = whole * 100 + frac;
        if fen > MAX_FEN {
            return Err(Error::invalid(field, Problem::OutOfRange(0, MAX_FEN / 100)));
        }
        Ok(Fen(fen))
    }

    /// `25.00`, as receipts and screens print it (without the ¥).
    pub fn yuan(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", a / 100, a % 100)
    }
}

crate::sql_integer!(Fen);

impl Fen {
    pub const ZERO: Fen = Fen(0);

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn abs(self) -> Fen {
        Fen(self.0.abs())
    }

    /// This amount, or nothing when it is negative.
    pub fn at_least_zero(self) -> Fen {
        Fen(self.0.max(0))
    }

    /// `n` pieces of this amount (a denomination counted).
    pub fn times(self, n: i64) -> Fen {
        Fen(self.0 * n)
    }
}

impl std::ops::Add for Fen {
    type Output = Fen;
    fn add(self, other: Fen) -> Fen {
        Fen(self.0 + other.0)
    }
}

impl std::ops::Sub for Fen {
    type Output = Fen;
    fn sub(self, other: Fen) -> Fen {
        Fen(self.0 - other.0)
    }
}

impl std::ops::Neg for Fen {
    type Output = Fen;
    fn neg(self) -> Fen {
        Fen(-self.0)
    }
}

impl std::ops::AddAssign for Fen {
    fn add_assign(&mut self, other: Fen) {
        self.0 += other.0;
    }
}

impl std::ops::SubAssign for Fen {
    fn sub_assign(&mut self, other: Fen) {
        self.0 -= other.0;
    }
}

impl std::iter::Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        iter.fold(Fen::ZERO, |a, b| a + b)
    }
}

impl<'a> std::iter::Sum<&'a Fen> for Fen {
    fn sum<I: Iterator<Item = &'a Fen>>(iter: I) -> Fen {
        iter.copied().sum()
    }
}

/// `¥25.00`, `-¥1.00`: as people write money.
impl std::fmt::Display for Fen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}¥{}", Fen(self.0.abs()).yuan())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_as_typed_becomes_fen() {
        for (text, fen) in [
            ("25", 2500),
            ("25.5", 2550),
            ("25.50", 2550),
            ("0.01", 1),
            ("¥1,230.00", 123_000),
            (" 10 ", 1000),
            ("0", 0),
        ] {
            assert_eq!(
                Fen::parse_yuan("fee_fen", text).unwrap(),
                Fen(fen),
                "{text}"
            );
        }
    }

    #[test]
    fn bad_money_is_refused() {
        for text in ["", "-5", "1.234", "abc", "1e3", ".5", "25.", "99999999999"] {
            let r = Fen::parse_yuan("fee_fen", text);
            if text == "25." {
                // "25." is read as 25 yuan: a trailing point is a common slip, not an error.
                assert_eq!(r.unwrap(), Fen(2500));
            } else {
                assert!(r.is_err(), "{text}");
            }
        }
    }

    #[test]
    fn fen_adds_subtracts_and_sums_without_leaving_fen() {
        for (a, b, sum, diff) in [
            (2500, 1000, 3500, 1500),
            (0, 150, 150, -150),
            (-100, -100, -200, 0),
        ] {
            assert_eq!(Fen(a) + Fen(b), Fen(sum), "{a} + {b}");
            assert_eq!(Fen(a) - Fen(b), Fen(diff), "{a} - {b}");
        }
        assert_eq!([Fen(1), Fen(2), Fen(-4)].iter().sum::<Fen>(), Fen(-1));
        assert_eq!(Vec::<Fen>::new().into_iter().sum::<Fen>(), Fen::ZERO);
        assert_eq!(-Fen(5), Fen(-5));
        assert_eq!(Fen(-5).abs(), Fen(5));
        assert_eq!(Fen(-5).at_least_zero(), Fen::ZERO);
        assert_eq!(Fen(50).times(3), Fen(150));
        let mut f = Fen(10);
        f += Fen(5);
        f -= Fen(1);
        assert_eq!(f, Fen(14));
    }

    #[test]
    fn fen_prints_as_yuan() {
        assert_eq!(Fen(2500).yuan(), "25.00");
        assert_eq!(Fen(1).yuan(), "0.01");
        assert_eq!(Fen(-150).yuan(), "-1.50");
        assert_eq!(Fen(-100).to_string(), "-¥1.00");
        assert_eq!(Fen(123_456).to_string(), "¥1234.56");
    }
}
