//! 号别 and 优惠: what a registration costs — the registration type's fee (普通号, 专家号 …,
//! the hospital's editable fee table) and a promotion code (优惠活动) that prices it: a fixed
//! price, or a share of the fee (80 = 八折), valid between two dates, optionally for a number
//! of uses. The price rules are pure functions over the promotion's terms.
//!
//! A 换号 keeps the price rule the registration was made with ([`price_rule_of`]): the patient
//! who took a code's last use, or whose code was switched off since, pays the same promotion
//! price with the new doctor.
#![deny(clippy::float_arithmetic)]

use super::store::{self, RegType};
use crate::error::{Error, Problem, Result};
use crate::ids::{PromotionId, RegistrationTypeId};
use crate::money::Fen;
use crate::store::Conn;

/// How a promotion prices a fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceRule {
    /// A fixed price (never more than the fee).
    Price(Fen),
    /// This share of the fee, in percent (clamped to 0–100), rounded to the nearest fen.
    Percent(i64),
}

impl PriceRule {
    /// The price rule as the promotion table stores it (`kind`, `value`).
    pub fn from_stored(kind: &str, value: i64) -> PriceRule {
        match kind {
            "price" => PriceRule::Price(Fen(value)),
            _ => PriceRule::Percent(value),
        }
    }

    /// What is due for `fee` under this rule.
    pub fn due(self, fee: Fen) -> Fen {
        match self {
            PriceRule::Price(price) => price.min(fee),
            PriceRule::Percent(p) => Fen((fee.0 * p.clamp(0, 100) + 50) / 100),
        }
    }
}

/// A promotion's terms, as the desk checks them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub id: PromotionId,
    pub name: String,
    pub rule: PriceRule,
    pub valid_from: String,
    pub valid_to: String,
    pub max_uses: Option<i64>,
    pub uses: i64,
    pub active: bool,
}

/// A promotion may be used on `date`: switched on, within its dates, uses left.
pub fn usable(terms: &Terms, date: &str) -> Result<()> {
    if !terms.active || date < terms.valid_from.as_str() || date > terms.valid_to.as_str() {
        return Err(crate::registration::RegistrationError::PromotionNotValid {
            name: terms.name.clone(),
        }
        .into());
    }
    if terms.max_uses.is_some_and(|m| terms.uses >= m) {
        return Err(crate::registration::RegistrationError::PromotionUsedUp {
            name: terms.name.clone(),
        }
        .into());
    }
    Ok(())
}

/// A promotion applied to a fee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub promotion: Option<(PromotionId, String)>,
    pub due: Fen,
}

/// 优惠活动 by its code, applied to a fee on `date`; no code, the whole fee.
pub fn apply_promotion(conn: &Conn, code: Option<&str>, fee: Fen, date: &str) -> Result<Applied> {
    let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(Applied {
            promotion: None,
            due: fee,
        });
    };
    let found = store::promotion_by_code(conn, code)?
        .ok_or(Error::invalid("promotion_code", Problem::Unknown))?;
    usable(&found, date)?;
    Ok(Applied {
        due: found.rule.due(fee),
        promotion: Some((found.id, found.name)),
    })
}

/// The price rule of a promotion a registration was made with, whatever its state today.
pub fn price_rule_of(conn: &Conn, promotion: PromotionId) -> Result<PriceRule> {
    store::promotion_by_id(conn, promotion)?
        .map(|t| t.rule)
        .ok_or(Error::NotFound("promotion"))
}

/// The registration type asked for: given, and active.
pub(crate) fn registration_type(conn: &Conn, id: Option<RegistrationTypeId>) -> Result<RegType> {
    let id = id.ok_or(Error::invalid("registration_type_id", Problem::Required))?;
    store::active_registration_type(conn, id)?
        .ok_or(Error::invalid("registration_type_id", Problem::Unknown))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_price_rule_prices_the_fee() {
        for (rule, fee, due) in [
            (PriceRule::Price(Fen(0)), 1000, 0),
            (PriceRule::Price(Fen(500)), 1000, 500),
            (PriceRule::Price(Fen(5000)), 1000, 1000),
            (PriceRule::Percent(80), 1000, 800),
            (PriceRule::Percent(80), 2500, 2000),
            (PriceRule::Percent(33), 1000, 330),
            (PriceRule::Percent(85), 1010, 859), // 858.5 rounds up
            (PriceRule::Percent(150), 1000, 1000),
            (PriceRule::Percent(-5), 1000, 0),
        ] {
            assert_eq!(rule.due(Fen(fee)), Fen(due), "{rule:?} of {fee}");
        }
        assert_eq!(PriceRule::from_stored("price", 0), PriceRule::Price(Fen(0)));
        assert_eq!(
            PriceRule::from_stored("percent", 80),
            PriceRule::Percent(80)
        );
    }

    #[test]
    fn a_promotion_is_usable_when_on_within_its_dates_and_not_used_up() {
        let base = Terms {
            id: PromotionId(1),
            name: "新患者八折".into(),
            rule: PriceRule::Percent(80),
            valid_from: "2026-03-01".into(),
            valid_to: "2026-03-31".into(),
            max_uses: Some(10),
            uses: 9,
            active: true,
        };
        let off = Terms {
            active: false,
            ..base.clone()
        };
        let used_up = Terms {
            uses: 10,
            ..base.clone()
        };
        let unlimited = Terms {
            max_uses: None,
            uses: 1_000,
            ..base.clone()
        };
        for (terms, date, want) in [
            (&base, "2026-03-02", Ok(())),
            (&base, "2026-03-01", Ok(())),
            (&base, "2026-03-31", Ok(())),
            (&base, "2026-02-28", Err("promotion_not_valid")),
            (&base, "2026-04-01", Err("promotion_not_valid")),
            (&off, "2026-03-02", Err("promotion_not_valid")),
            (&used_up, "2026-03-02", Err("promotion_used_up")),
            (&unlimited, "2026-03-02", Ok(())),
        ] {
            assert_eq!(
                usable(terms, date).map_err(|e| e.code()),
                want,
                "{date} {terms:?}"
            );
        }
    }
}
