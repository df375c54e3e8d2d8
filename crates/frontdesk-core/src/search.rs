//! 患者检索: search as fast as the clerk types — by 就诊卡号, phone (whole, prefix or last four
//! digits), name (prefix), pinyin initials (`zs` → 张三), full pinyin (prefix) and 身份证号.
//!
//! Each patient has search keys in `patient_key`, derived from the row by [`keys`] and rebuilt
//! with it: `c:` card, `t:` phone, `d:` ID number, `n:` name, `p:` full pinyin, `i:` initials.
//! A polyphonic character gives every reading (单 → dan, chan, shan; 曾 → ceng, zeng), capped
//! at [`MAX_READINGS`] per name. The last four digits of a phone need no key: an index on the
//! phone's last four, in list order, answers them (migration 0005).
//!
//! A query is classified and looked up by key range scans (`key >= lo AND key < hi`, never
//! `LIKE`), each bounded to [`PER_PROBE`] candidates, so a one-letter query costs the same on
//! a million patients as on a hundred:
//! - digits: the card (as typed, and zero-padded to 8: `42` finds `00000042`), the last four of
//!   a phone (exactly 4 digits), the beginning of a phone (from 5 digits), of an ID number
//!   (from 6) or of a card (from 6), a whole ID number (18);
//! - digits ending in X: an ID number;
//! - letters: pinyin initials and full pinyin, both from their beginning (Latin names are
//!   their own pinyin);
//! - Chinese: the beginning of the name.
//!
//! Ranking: an exact card or ID number first, then the most recent visit (never-seen last),
//! then name.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use pinyin::ToPinyinMulti;
use serde::Serialize;

use crate::error::{Error, Problem, Result};
use crate::holds_place_sql;
use crate::ids::{DepartmentId, PatientId};
use crate::patient::{age_from, mask_id_number, mask_phone, CARD_DIGITS};
use crate::store::{Conn, Row, ToSql, Tx};

/// Results returned when the caller does not say.
pub const DEFAULT_LIMIT: usize = 20;
/// The longest query accepted.
pub const MAX_QUERY_CHARS: usize = 40;
/// Pinyin readings kept per name (the cartesian product of its characters' readings).
pub const MAX_READINGS: usize = 32;
/// Candidates one key range may contribute before ranking.
pub const PER_PROBE: i64 = 200;
/// Digits typed before they are read as the beginning of a phone number: fewer are the
/// carrier's prefix (`138`), which every other patient shares.
pub const MIN_PHONE_PREFIX: usize = 5;
/// Digits typed before they are read as the beginning of an ID number (its region code).
pub const MIN_ID_PREFIX: usize = 6;
/// Digits typed before they are read as the beginning of a card number; fewer find the card
/// they are, zero-padded (`42` → `00000042`).
pub const MIN_CARD_PREFIX: usize = 6;

/// A patient as the search list shows them: phone and ID number masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatientHit {
    pub id: PatientId,
    pub card_no: String,
    pub name: String,
    pub sex: String,
    pub birth_date: Option<String>,
    pub age: Option<i64>,
    /// `138****8000`
    pub phone_masked: Option<String>,
    /// `110105********002X`
    pub id_number_masked: Option<String>,
    pub last_visit_at: Option<i64>,
    /// The last registration that was not cancelled: its department and chief complaint, so
    /// the list can say 上次 神经内科 and the form can offer the complaint again.
    pub last_department: Option<String>,
    pub last_department_id: Option<DepartmentId>,
    pub last_complaint: Option<String>,
    /// What the query matched, the strongest kind when several did.
    pub matched: Match,
}

/// The kinds of key a query can match, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    Card,
    IdNumber,
    Phone,
    LastFour,
    Name,
    Pinyin,
    Initials,
}

impl Match {
    const ALL: [Match; 7] = [
        Match::Card,
        Match::IdNumber,
        Match::Phone,
        Match::LastFour,
        Match::Name,
        Match::Pinyin,
        Match::Initials,
    ];
}

// ---- keys --------------------------------------------------------------------------------

/// One way to read a name aloud: `zhangsan` and its initials `zs`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reading {
    pub full: String,
    pub initials: String,
}

/// The readings of one character: plain pinyin without tones, `ü` written both `v` (as the
/// input methods type it) and `u`.
fn char_readings(c: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let Some(multi) = c.to_pinyin_multi() else {
        return out;
    };
    for p in multi {
        let plain = p.plain();
        let variants = if plain.contains('ü') {
            vec![plain.replace('ü', "v"), plain.replace('ü', "u")]
        } else {
            vec![plain.to_string()]
        };
        for v in variants {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// Every reading of `name` (up to [`MAX_READINGS`]), the most common first: each Chinese
/// character by its pinyin, each Latin word as written (lowercase); `·` and spaces are skipped.
pub fn readings(name: &str) -> Vec<Reading> {
    let mut tokens: Vec<Vec<String>> = Vec::new();
    let mut word = String::new();
    for c in name.chars() {
        if c.is_ascii_alphabetic() {
            word.push(c.to_ascii_lowercase());
            continue;
        }
        if !word.is_empty() {
            tokens.push(vec![std::mem::take(&mut word)]);
        }
        let r = char_readings(c);
        if !r.is_empty() {
            tokens.push(r);
        }
    }
    if !word.is_empty() {
        tokens.push(vec![word]);
    }
    if tokens.is_empty() {
        return Vec::new();
    }
    let mut acc = vec![Reading {
        full: String::new(),
        initials: String::new(),
    }];
    for token in &tokens {
        let mut next = Vec::with_capacity((acc.len() * token.len()).min(MAX_READINGS));
        'outer: for r in &acc {
            for syllable in token {
                if next.len() == MAX_READINGS {
                    break 'outer;
                }
                let mut full = r.full.clone();
                full.push_str(syllable);
                let mut initials = r.initials.clone();
                initials.push_str(&syllable[..1]);
                next.push(Reading { full, initials });
            }
        }
        acc = next;
    }
    acc
}

/// The search keys of a patient, sorted. The app, the import and the benchmark all derive
/// keys here, and only here.
pub fn keys(
    card_no: &str,
    name: &str,
    phone: Option<&str>,
    id_number: Option<&str>,
) -> Vec<String> {
    let mut keys = BTreeSet::new();
    keys.insert(format!("c:{}", card_no.to_lowercase()));
    keys.insert(format!("n:{}", name.to_lowercase()));
    for r in readings(name) {
        keys.insert(format!("p:{}", r.full));
        keys.insert(format!("i:{}", r.initials));
    }
    if let Some(phone) = phone {
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            keys.insert(format!("t:{digits}"));
        }
        if let Some((_, local)) = phone.split_once('-') {
            keys.insert(format!("t:{local}"));
        }
    }
    if let Some(id) = id_number {
        keys.insert(format!("d:{}", id.to_lowercase()));
    }
    keys.into_iter().collect()
}

/// Replaces a patient's keys: `old` (the keys of the row before the change) go, `new` come.
pub fn replace_keys(tx: &Tx, patient_id: PatientId, old: &[String], new: &[String]) -> Result<()> {
    for k in old.iter().filter(|k| !new.contains(k)) {
        tx.execute(
            "DELETE FROM patient_key WHERE key = ?1 AND patient_id = ?2",
            &[k, &patient_id],
        )?;
    }
    for k in new {
        tx.execute(
            "INSERT INTO patient_key (key, patient_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            &[k, &patient_id],
        )?;
    }
    Ok(())
}

// ---- queries -----------------------------------------------------------------------------

/// One key lookup: a prefix range, or one exact key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub key: String,
    pub prefix: bool,
    /// Ranks first (an exact card or ID number).
    pub exact: bool,
    pub kind: Match,
}

impl Probe {
    fn prefix(key: String, kind: Match) -> Probe {
        Probe {
            key,
            prefix: true,
            exact: false,
            kind,
        }
    }
    fn exact(key: String, kind: Match, ranks_first: bool) -> Probe {
        Probe {
            key,
            prefix: false,
            exact: ranks_first,
            kind,
        }
    }
}

fn has_han(s: &str) -> bool {
    s.chars().any(|c| !c.is_ascii() && c.is_alphabetic())
}

/// What a query is looked up as. Empty for an empty query; over [`MAX_QUERY_CHARS`] refused.
pub fn probes(query: &str) -> Result<Vec<Probe>> {
    let q = query.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::invalid("query", Problem::TooLong(MAX_QUERY_CHARS)));
    }
    let lower = q.to_lowercase();
    let compact: String = lower
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let mut out = Vec::new();
    if !compact.chars().any(char::is_alphanumeric) {
        // Only punctuation: nothing to look for.
        return Ok(out);
    }
    let digits = compact.bytes().all(|b| b.is_ascii_digit());
    let id_with_x = compact.len() >= 2
        && compact.ends_with('x')
        && compact[..compact.len() - 1]
            .bytes()
            .all(|b| b.is_ascii_digit());
    if digits {
        let n = compact.len();
        out.push(Probe::exact(format!("c:{compact}"), Match::Card, true));
        if n < CARD_DIGITS {
            out.push(Probe::exact(
                format!("c:{compact:0>width$}", width = CARD_DIGITS),
                Match::Card,
                true,
            ));
        }
        if n >= MIN_CARD_PREFIX {
            out.push(Probe::prefix(format!("c:{compact}"), Match::Card));
        }
        if n == 4 {
            // Not a key: the phone's last four are answered by their own index (0005).
            out.push(Probe::exact(format!("4:{compact}"), Match::LastFour, false));
        }
        if n >= MIN_PHONE_PREFIX {
            out.push(Probe::prefix(format!("t:{compact}"), Match::Phone));
        }
        if n == 18 {
            out.push(Probe::exact(format!("d:{compact}"), Match::IdNumber, true));
        } else if n >= MIN_ID_PREFIX {
            out.push(Probe::prefix(format!("d:{compact}"), Match::IdNumber));
        }
    } else if id_with_x {
        if compact.len() == 18 {
            out.push(Probe::exact(format!("d:{compact}"), Match::IdNumber, true));
        } else {
            out.push(Probe::prefix(format!("d:{compact}"), Match::IdNumber));
        }
    } else if lower
        .chars()
        .all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '\'')
    {
        // Latin names are read as written, so `p:` finds them too (`johnsm` → John Smith). One
        // letter begins the initials and the full pinyin alike: one range is enough.
        let letters: String = lower.chars().filter(char::is_ascii_alphabetic).collect();
        out.push(Probe::prefix(format!("i:{letters}"), Match::Initials));
        if letters.len() > 1 {
            out.push(Probe::prefix(format!("p:{letters}"), Match::Pinyin));
        }
    } else if has_han(&lower) {
        let name = crate::patient::normalize_name(q)
            .map(|n| n.to_lowercase())
            .unwrap_or(lower);
        out.push(Probe::prefix(format!("n:{name}"), Match::Name));
    } else {
        // Letters with digits: an old system's card number, kept by an import.
        out.push(Probe::exact(format!("c:{compact}"), Match::Card, true));
        out.push(Probe::prefix(format!("c:{compact}"), Match::Card));
    }
    Ok(out)
}

/// The first key after every key that starts with `prefix`.
fn upper_bound(prefix: &str) -> String {
    format!("{prefix}\u{10ffff}")
}

/// Searches the index: at most `limit` patients, ranked (see the module's doc).
pub fn search(conn: &Conn, query: &str, limit: usize, today: NaiveDate) -> Result<Vec<PatientHit>> {
    let probes = probes(query)?;
    if probes.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let limit = limit.min(1000);
    if probes.iter().any(|p| p.kind == Match::LastFour) {
        return search_last_four(conn, &probes, limit, today);
    }
    let mut sql = String::from("WITH hit (pid, exact, kind) AS (");
    let mut params: Vec<String> = Vec::new();
    for (i, p) in probes.iter().enumerate() {
        if i > 0 {
            sql.push_str(" UNION ALL ");
        }
        let kind = Match::ALL.iter().position(|m| *m == p.kind).unwrap_or(0);
        let exact = i32::from(p.exact);
        params.push(p.key.clone());
        let lo = params.len();
        if p.prefix {
            params.push(upper_bound(&p.key));
            sql.push_str(&format!(
                "SELECT * FROM (SELECT patient_id, CAST({exact} AS BIGINT), CAST({kind} AS BIGINT) \
                 FROM patient_key WHERE key >= ?{lo} AND key < ?{} ORDER BY key LIMIT {PER_PROBE}) p{i}",
                lo + 1
            ));
        } else {
            sql.push_str(&format!(
                "SELECT * FROM (SELECT patient_id, CAST({exact} AS BIGINT), CAST({kind} AS BIGINT) \
                 FROM patient_key WHERE key = ?{lo} LIMIT {PER_PROBE}) p{i}"
            ));
        }
    }
    sql.push_str(&format!(
        "), ranked AS (
             SELECT p.id, p.card_no, p.name, p.sex, p.birth_date, p.phone, p.id_number,
                    p.last_visit_at, max(h.exact) AS exact, min(h.kind) AS kind
             FROM hit h JOIN patient p ON p.id = h.pid
             GROUP BY p.id
             ORDER BY exact DESC, p.last_visit_at DESC NULLS LAST, p.name, p.id
             LIMIT {}
         )
         SELECT k.*, d.name, r.department_id, r.chief_complaint
         FROM ranked k {LAST_REGISTRATION}
         ORDER BY k.exact DESC, k.last_visit_at DESC NULLS LAST, k.name, k.id",
        limit.min(1000)
    ));
    let params: Vec<&dyn ToSql> = params.iter().map(|p| p as &dyn ToSql).collect();
    conn.all(&sql, &params, |r| hit_from_row(r, today))
}

/// The columns [`hit_from_row`] reads, in its order, after `id, card_no, name, sex, birth_date,
/// phone, id_number, last_visit_at, exact, kind`: the last registration that was not cancelled.
const LAST_REGISTRATION: &str = concat!(
    "
    LEFT JOIN registration r ON r.id = (
        SELECT id FROM registration WHERE patient_id = k.id AND ",
    holds_place_sql!(),
    "
        ORDER BY created_at DESC, id DESC LIMIT 1)
    LEFT JOIN department d ON d.id = r.department_id"
);

fn hit_from_row(r: &Row, today: NaiveDate) -> Result<PatientHit> {
    let birth_date: Option<String> = r.get(4)?;
    let age = age_from(birth_date.as_deref(), today);
    let phone: Option<String> = r.get(5)?;
    let id_number: Option<String> = r.get(6)?;
    let kind: i64 = r.get(9)?;
    Ok(PatientHit {
        id: r.get(0)?,
        card_no: r.get(1)?,
        name: r.get(2)?,
        sex: r.get(3)?,
        birth_date,
        age,
        phone_masked: phone.as_deref().map(mask_phone),
        id_number_masked: id_number.as_deref().map(mask_id_number),
        last_visit_at: r.get(7)?,
        last_department: r.get(10)?,
        last_department_id: r.get(11)?,
        last_complaint: r.get::<Option<String>>(12)?.filter(|c| !c.is_empty()),
        matched: Match::ALL
            .get(kind as usize)
            .copied()
            .unwrap_or(Match::Name),
    })
}

/// Four digits: the patients whose phone ends with them, newest visitor first, read in list
/// order straight from the index of migration 0005 (no patient row is visited), after any card
/// the digits are. The general query would gather, join and sort the same rows; this asks
/// SQLite for them already ranked, which is what makes the commonest phone question fast.
fn search_last_four(
    conn: &Conn,
    probes: &[Probe],
    limit: usize,
    today: NaiveDate,
) -> Result<Vec<PatientHit>> {
    let four = probes
        .iter()
        .find(|p| p.kind == Match::LastFour)
        .map(|p| p.key.trim_start_matches("4:").to_string())
        .unwrap_or_default();
    let exact: Vec<&Probe> = probes
        .iter()
        .filter(|p| p.kind != Match::LastFour)
        .collect();
    debug_assert!(exact.iter().all(|p| !p.prefix && p.exact));
    let mut sql = String::from(
        "WITH k (id, card_no, name, sex, birth_date, phone, id_number, last_visit_at, exact, kind) AS (",
    );
    let mut params: Vec<String> = vec![four];
    if !exact.is_empty() {
        let keys: Vec<String> = exact
            .iter()
            .map(|p| {
                params.push(p.key.clone());
                format!("pk.key = ?{}", params.len())
            })
            .collect();
        let kind = Match::ALL
            .iter()
            .position(|m| *m == Match::Card)
            .unwrap_or(0);
        sql.push_str(&format!(
            "SELECT p.id, p.card_no, p.name, p.sex, p.birth_date, p.phone, p.id_number,
                    p.last_visit_at, CAST(1 AS BIGINT), CAST({kind} AS BIGINT)
             FROM patient_key pk JOIN patient p ON p.id = pk.patient_id
             WHERE {}
             UNION ALL ",
            keys.join(" OR ")
        ));
    }
    let kind = Match::ALL
        .iter()
        .position(|m| *m == Match::LastFour)
        .unwrap_or(0);
    sql.push_str(&format!(
        "SELECT * FROM (
             SELECT id, card_no, name, sex, birth_date, phone, id_number, last_visit_at,
                    CAST(0 AS BIGINT), CAST({kind} AS BIGINT)
             FROM patient WHERE {last_four} = ?1
             ORDER BY last_visit_at DESC NULLS LAST, name, id LIMIT {limit}) four
         )
         SELECT k.*, d.name, r.department_id, r.chief_complaint FROM k {LAST_REGISTRATION}",
        last_four = conn.last_four_sql()
    ));
    let params: Vec<&dyn ToSql> = params.iter().map(|p| p as &dyn ToSql).collect();
    let rows = conn.all(&sql, &params, |r| {
        Ok((r.get::<i64>(8)? == 1, hit_from_row(r, today)?))
    })?;
    let mut ranked: Vec<(bool, PatientHit)> = Vec::with_capacity(limit + exact.len());
    for (is_exact, hit) in rows {
        // A card that is also someone's last four digits: listed once, as the card.
        match ranked.iter_mut().find(|(_, h)| h.id == hit.id) {
            Some((e, h)) => {
                *e |= is_exact;
                let strongest = |m: Match| Match::ALL.iter().position(|x| *x == m);
                if strongest(hit.matched) < strongest(h.matched) {
                    h.matched = hit.matched;
                }
            }
            None => ranked.push((is_exact, hit)),
        }
    }
    ranked.sort_by(|(ea, a), (eb, b)| {
        eb.cmp(ea)
            .then(a.last_visit_at.is_none().cmp(&b.last_visit_at.is_none()))
            .then(b.last_visit_at.cmp(&a.last_visit_at))
            .then_with(|| a.name.cmp(&b.name))
            .then(a.id.cmp(&b.id))
    });
    ranked.truncate(limit);
    Ok(ranked.into_iter().map(|(_, h)| h).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fulls(name: &str) -> Vec<String> {
        readings(name).into_iter().map(|r| r.full).collect()
    }

    #[test]
    fn polyphonic_characters_give_every_reading() {
        let shan = fulls("单雄信");
        for r in ["danxiongxin", "shanxiongxin", "chanxiongxin"] {
            assert!(shan.contains(&r.to_string()), "{r} not in {shan:?}");
        }
        let zeng = fulls("曾国藩");
        assert!(zeng.contains(&"zengguofan".to_string()), "{zeng:?}");
        assert!(zeng.contains(&"cengguofan".to_string()), "{zeng:?}");
        assert_eq!(fulls("吕布"), ["lvbu", "lubu"]);
        assert_eq!(fulls("Anna Li"), ["annali"]);
        assert_eq!(readings("阿依·古丽")[0].initials, "aygl");
    }

    #[test]
    fn readings_are_capped() {
        // 行 and 重 have three distinct readings each: 3^5 = 243 before the cap.
        assert_eq!(readings("行重行重行").len(), MAX_READINGS);
    }

    #[test]
    fn keys_cover_every_kind() {
        let k = keys(
            "00000042",
            "张三",
            Some("13800138000"),
            Some("11010519491231002X"),
        );
        for want in [
            "c:00000042",
            "n:张三",
            "p:zhangsan",
            "i:zs",
            "t:13800138000",
            "d:11010519491231002x",
        ] {
            assert!(k.contains(&want.to_string()), "{want} not in {k:?}");
        }
        let landline = keys("1", "王五", Some("0571-88886666"), None);
        assert!(landline.contains(&"t:057188886666".to_string()));
        assert!(landline.contains(&"t:88886666".to_string()));
        // The last four are read from the phone column's own index, not from keys.
        assert!(!k.iter().chain(&landline).any(|k| k.starts_with("4:")));
    }

    #[test]
    fn queries_are_classified() {
        let kinds = |q: &str| -> Vec<(String, bool)> {
            probes(q)
                .unwrap()
                .into_iter()
                .map(|p| (p.key, p.prefix))
                .collect()
        };
        assert!(probes("   ").unwrap().is_empty());
        assert!(kinds("8000").contains(&("4:8000".to_string(), false)));
        assert!(kinds("42").contains(&("c:00000042".to_string(), false)));
        assert_eq!(
            kinds("11010519491231002x"),
            [("d:11010519491231002x".to_string(), false)]
        );
        assert!(kinds("ZS").contains(&("i:zs".to_string(), true)));
        assert_eq!(kinds("z"), [("i:z".to_string(), true)]);
        assert_eq!(
            kinds("138"),
            [
                ("c:138".to_string(), false),
                ("c:00000138".to_string(), false)
            ]
        );
        assert_eq!(kinds("张"), [("n:张".to_string(), true)]);
        assert!(probes(&"1".repeat(41)).is_err());
    }
}
