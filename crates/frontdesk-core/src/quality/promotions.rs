//! 优惠数据统计与效果分析 (manual 1.3.4, 3.2.7): per promotion and month, how often it was used,
//! the registration fees it gave up, and the new patients it brought in; beside it, per staff
//! member and month, the complaints upheld against them and the praise they received (the
//! complaint figures' own count).
//!
//! Definitions: a use is a registration that held its place (退号 and 换号 away from it do not
//! count) made with the promotion; given up is its fee less what was due; a new patient is one
//! whose first registration that held its place was that one.

use serde::Serialize;

use crate::complaint::figures::Period;
use crate::error::Result;
use crate::store::Conn;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PromotionMonth {
    pub month: String,
    pub promotion_id: i64,
    pub code: String,
    pub name: String,
    pub uses: i64,
    /// Fees given up, in fen.
    pub given_up_fen: i64,
    pub new_patients: i64,
}

pub fn by_month(conn: &Conn, period: Period) -> Result<Vec<PromotionMonth>> {
    conn.all(
        concat!(
            "SELECT substr(r.date, 1, 7), p.id, p.code, p.name, count(*),
                    CAST(coalesce(sum(r.fee_fen - r.due_fen), 0) AS BIGINT),
                    CAST(coalesce(sum(CASE WHEN NOT EXISTS (
                        SELECT 1 FROM registration e WHERE e.patient_id = r.patient_id
                          AND e.id < r.id AND e.status IN ('waiting', 'seen'))
                        THEN 1 ELSE 0 END), 0) AS BIGINT)
             FROM registration r JOIN promotion p ON p.id = r.promotion_id
             WHERE r.date >= ?1 AND r.date <= ?2 AND ",
            crate::holds_place_sql!("r"),
            " GROUP BY substr(r.date, 1, 7), p.id, p.code, p.name
              ORDER BY substr(r.date, 1, 7), p.code"
        ),
        &[&period.from.to_string(), &period.to.to_string()],
        |r| {
            Ok(PromotionMonth {
                month: r.get(0)?,
                promotion_id: r.get(1)?,
                code: r.get(2)?,
                name: r.get(3)?,
                uses: r.get(4)?,
                given_up_fen: r.get(5)?,
                new_patients: r.get(6)?,
            })
        },
    )
}
