//! 人员名录: the hospital's people a complaint or a praise may name — not the app's accounts.
//! Doctors are in it by themselves (an entry follows its doctor: created, renamed, moved and
//! switched off with it); nurses, guides, cashiers and others are added by the administrator.
//! Entries are never deleted (cases point at them); they are switched off.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::audit::{snapshot, Table};
use crate::error::{Error, Problem, Result};
use crate::i18n::Lang;
use crate::ids::{DepartmentId, DoctorId, PersonId};
use crate::store::{Conn, Tx};
use crate::validate;

/// What a person does at the hospital.
pub const KINDS: [&str; 6] = ["doctor", "nurse", "guide", "cashier", "service", "other"];

pub fn kind_label(kind: &str, lang: Lang) -> &'static str {
    let zh = lang == Lang::Zh;
    match kind {
        "doctor" => {
            if zh {
                "医生"
            } else {
                "Doctor"
            }
        }
        "nurse" => {
            if zh {
                "护士"
            } else {
                "Nurse"
            }
        }
        "guide" => {
            if zh {
                "导医"
            } else {
                "Guide"
            }
        }
        "cashier" => {
            if zh {
                "挂号收费员"
            } else {
                "Cashier"
            }
        }
        "service" => {
            if zh {
                "客服"
            } else {
                "Customer service"
            }
        }
        _ => {
            if zh {
                "其他"
            } else {
                "Other"
            }
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    pub kind: String,
    pub department_id: Option<DepartmentId>,
    pub department_name: Option<String>,
    /// Set for a doctor's entry, which is changed through the doctor.
    pub doctor_id: Option<DoctorId>,
    pub active: bool,
}

pub fn list(conn: &Conn) -> Result<Vec<Person>> {
    conn.all(
        "SELECT n.id, n.name, n.kind, n.department_id, d.name, n.doctor_id, n.active
         FROM person n LEFT JOIN department d ON d.id = n.department_id
         ORDER BY n.active DESC, d.code IS NULL, d.code, n.kind, n.name, n.id",
        &[],
        |r| {
            Ok(Person {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: r.get(2)?,
                department_id: r.get(3)?,
                department_name: r.get(4)?,
                doctor_id: r.get(5)?,
                active: r.get(6)?,
            })
        },
    )
}

/// 人员名录's own refusal (carried by the core's `Error` as an `AreaError`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeopleError {
    /// A doctor's entry is made and changed under 医生 (with a department and a title).
    #[error("doctors are kept under doctors")]
    DoctorsElsewhere,
}

impl crate::error::AreaError for PeopleError {
    fn code(&self) -> &'static str {
        "invalid"
    }

    fn field(&self) -> Option<&'static str> {
        Some("person_kind")
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (PeopleError::DoctorsElsewhere, Lang::Zh) => {
                "医生请在“医生”表中添加和修改，人员名录会自动同步".into()
            }
            (PeopleError::DoctorsElsewhere, Lang::En) => {
                "Doctors are added and changed under Doctors; the directory follows by itself"
                    .into()
            }
        }
    }
}

impl From<PeopleError> for Error {
    fn from(e: PeopleError) -> Self {
        Error::area(e)
    }
}

/// Creates or changes an entry that is not a doctor's.
pub fn save(tx: &mut Tx, id: Option<i64>, input: &Map<String, Value>) -> Result<i64> {
    let text = |k: &str| match input.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    // Every field is checked before refusing: the form shows all its problems at once.
    let mut c = validate::Checks::new();
    let name = c.take(
        crate::patient::normalize_name(&text("name"))
            .map_err(|e| match e {
                Error::Invalid { problem, .. } => Error::invalid("name", problem),
                e => e,
            })
            .and_then(|n| validate::text("name", &n, 1, 30)),
    );
    let kind = text("kind");
    if kind == "doctor" {
        // A doctor is added under 医生, with a department and a title.
        c.refuse(PeopleError::DoctorsElsewhere.into());
    } else if !KINDS.contains(&kind.as_str()) {
        c.refuse(Error::invalid(
            "person_kind",
            if kind.is_empty() {
                Problem::Required
            } else {
                Problem::Unknown
            },
        ));
    }
    let department = c.take(match text("department_id").trim() {
        "" => Ok(None),
        d => match d.parse::<i64>() {
            Err(_) => Err(Error::invalid("department_id", Problem::BadFormat)),
            Ok(d) => {
                let found: Option<i64> =
                    tx.value_opt("SELECT id FROM department WHERE id = ?1", &[&d])?;
                found
                    .map(Some)
                    .ok_or(Error::invalid("department_id", Problem::Unknown))
            }
        },
    });
    let active = c.take(match input.get("active") {
        None | Some(Value::Null) => Ok(true),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(Error::invalid("active", Problem::BadFormat)),
    });
    c.done()?;
    let (name, department, active) = (
        validate::kept(name),
        validate::kept(department),
        validate::kept(active),
    );
    match id {
        None => {
            let id: i64 = tx.insert(
                "INSERT INTO person (name, kind, department_id, doctor_id, active)
                 VALUES (?1, ?2, ?3, NULL, ?4) RETURNING id",
                &[&name, &kind, &department, &active],
            )?;
            tx.record("person.create", Table::Person, id, None)?;
            Ok(id)
        }
        Some(id) => {
            let doctor: Option<Option<i64>> =
                tx.value_opt("SELECT doctor_id FROM person WHERE id = ?1", &[&id])?;
            match doctor {
                None => return Err(Error::NotFound("person")),
                Some(Some(_)) => return Err(PeopleError::DoctorsElsewhere.into()),
                Some(None) => {}
            }
            let before = snapshot(tx, Table::Person, id)?;
            tx.execute(
                "UPDATE person SET name = ?2, kind = ?3, department_id = ?4, active = ?5 WHERE id = ?1",
                &[&id, &name, &kind, &department, &active],
            )?;
            tx.record("person.update", Table::Person, id, before)?;
            Ok(id)
        }
    }
}

/// Keeps a doctor's entry as the doctor is (called whenever a doctor is saved).
pub fn follow_doctor(tx: &mut Tx, doctor: i64) -> Result<()> {
    let entry: Option<i64> =
        tx.value_opt("SELECT id FROM person WHERE doctor_id = ?1", &[&doctor])?;
    match entry {
        None => {
            let id: i64 = tx.insert(
                "INSERT INTO person (name, kind, department_id, doctor_id, active)
                 SELECT name, 'doctor', department_id, id, active FROM doctor WHERE id = ?1
                 RETURNING id",
                &[&doctor],
            )?;
            tx.record("person.create", Table::Person, id, None)?;
        }
        Some(id) => {
            let before = snapshot(tx, Table::Person, id)?;
            let changed = tx.execute(
                "UPDATE person SET name = d.name, department_id = d.department_id, active = d.active
                 FROM doctor d WHERE d.id = person.doctor_id AND person.id = ?1
                   AND (person.name <> d.name OR person.department_id <> d.department_id
                        OR person.active <> d.active)",
                &[&id],
            )?;
            if changed > 0 {
                tx.record("person.update", Table::Person, id, before)?;
            }
        }
    }
    Ok(())
}
