//! 脱敏: how a person's name, phone and ID number are shown to whoever may not see them in
//! full — the waiting-room list, the registers exported masked, the follow-up screens of those
//! who do not call, the audit log's view. One rule each, used by every screen and register,
//! and which stored columns hold them.

use serde_json::Value;

/// `张*三`, `张*`, `欧**锋`: the first and last character kept; a one-character name hidden.
pub fn name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// `138****8000`, `0571-****6666`: the area code or the mobile prefix and the last four.
pub fn phone(phone: &str) -> String {
    let (head, local) = match phone.split_once('-') {
        Some((area, local)) => (format!("{area}-"), local),
        None if phone.len() == 11 && phone.is_ascii() => (phone[..3].to_string(), &phone[3..]),
        None => (String::new(), phone),
    };
    let n = local.chars().count();
    let keep = n.min(4);
    let tail: String = local.chars().skip(n - keep).collect();
    format!("{head}{}{tail}", "*".repeat(n - keep))
}

/// `110105********002X`: the region and the last four only.
pub fn id_number(id: &str) -> String {
    if id.len() != 18 || !id.is_ascii() {
        return "*".repeat(id.chars().count());
    }
    format!("{}********{}", &id[..6], &id[14..])
}

/// What a stored personal field is, so it is masked the way its kind is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Personal {
    Name,
    Phone,
    IdNumber,
    /// Free text that identifies (an address): hidden whole.
    Text,
}

impl Personal {
    pub fn mask(self, value: &str) -> String {
        match self {
            Personal::Name => name(value),
            Personal::Phone => phone(value),
            Personal::IdNumber => id_number(value),
            Personal::Text if value.is_empty() => String::new(),
            Personal::Text => "***".into(),
        }
    }
}

/// The columns of each table that hold a person's identity (the same the removal past the
/// retention period clears).
pub fn personal_columns(table: &str) -> &'static [(&'static str, Personal)] {
    match table {
        "patient" => &[
            ("name", Personal::Name),
            ("phone", Personal::Phone),
            ("id_number", Personal::IdNumber),
            ("address", Personal::Text),
        ],
        "complaint" => &[
            ("complainant", Personal::Name),
            ("contact", Personal::Phone),
        ],
        "followup_attempt" => &[("phone", Personal::Phone)],
        _ => &[],
    }
}

/// A row's copy as the audit log keeps it (JSON text), with its personal fields masked and
/// everything else as it was, in its order; text that is not a JSON object comes back as it
/// was, and so does a field written otherwise than the log writes it (`"key":"value"`).
pub fn row_copy(table: &str, copy: &str) -> String {
    let columns = personal_columns(table);
    if columns.is_empty() {
        return copy.to_string();
    }
    let Ok(Value::Object(row)) = serde_json::from_str::<Value>(copy) else {
        return copy.to_string();
    };
    let mut out = copy.to_string();
    for (column, kind) in columns {
        if let Some(v @ Value::String(text)) = row.get(*column) {
            let key = Value::from(*column);
            let pair = format!("{key}:{v}");
            let masked = format!("{key}:{}", Value::from(kind.mask(text)));
            out = out.replace(&pair, &masked);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_masked_keeping_the_first_and_last_character() {
        for (n, masked) in [
            ("张小三", "张*三"),
            ("张三", "张*"),
            ("欧阳明锋", "欧**锋"),
            ("欧阳娜娜", "欧**娜"),
            ("王", "*"),
            ("", ""),
        ] {
            assert_eq!(name(n), masked, "{n}");
        }
    }

    #[test]
    fn phones_and_id_numbers_keep_only_what_identifies_at_a_glance() {
        assert_eq!(phone("13800138000"), "138****8000");
        assert_eq!(phone("0571-88886666"), "0571-****6666");
        assert_eq!(phone("010-1234567"), "010-***4567");
        assert_eq!(id_number("11010519491231002X"), "110105********002X");
    }

    #[test]
    fn a_row_copy_loses_its_personal_fields_and_keeps_the_rest() {
        let copy = r#"{"id":7,"name":"张小三","phone":"13800138000","id_number":"11010519491231002X","address":"北京市朝阳区","card_no":"00000100"}"#;
        let text = row_copy("patient", copy);
        assert!(
            text.starts_with(r#"{"id":7,"name":"张*三","phone":"138****8000""#),
            "{text}"
        );
        let masked: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(masked["name"], "张*三");
        assert_eq!(masked["phone"], "138****8000");
        assert_eq!(masked["id_number"], "110105********002X");
        assert_eq!(masked["address"], "***");
        assert_eq!(masked["card_no"], "00000100");
        assert_eq!(row_copy("department", copy), copy);
        assert_eq!(row_copy("patient", "not json"), "not json");
    }
}
