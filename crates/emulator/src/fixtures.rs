//! What a finished task holds: the fields an OCR reads off each side of a document, and a
//! liveness check's verdict. The data is invented but shaped like a real Tajik citizen's, and the
//! same on every run so tests and screenshots are stable.

use serde_json::{json, Map, Value};

/// Which booklet or card an upload is for, as the path and `doc_type` name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DocType {
    IdNew,
    IdOld,
}

impl DocType {
    pub(crate) fn from_path(segment: &str) -> Option<Self> {
        match segment {
            "id_new" => Some(Self::IdNew),
            "id_old" => Some(Self::IdOld),
            _ => None,
        }
    }

    pub(crate) fn from_field(value: &str) -> Option<Self> {
        match value {
            "ID_NEW" => Some(Self::IdNew),
            "ID_OLD" => Some(Self::IdOld),
            _ => None,
        }
    }

    /// The `doc_type` form value.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::IdNew => "ID_NEW",
            Self::IdOld => "ID_OLD",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    Front,
    Back,
}

impl Side {
    pub(crate) fn from_path(segment: &str) -> Option<Self> {
        match segment {
            "front" => Some(Self::Front),
            "back" => Some(Self::Back),
            _ => None,
        }
    }
}

/// The taxpayer number the OCR "reads" when the client sent none.
const READ_TAX_NUMBER: &str = "020025789";

/// What the OCR reads; `tax_number` is the one the client typed, if any.
pub(crate) fn ocr_result(doc: DocType, side: Side, tax_number: Option<&str>) -> Value {
    match (doc, side) {
        (DocType::IdNew, Side::Front) => id_new_front(),
        (DocType::IdNew, Side::Back) => id_new_back(tax_number.unwrap_or(READ_TAX_NUMBER)),
        (DocType::IdOld, Side::Front) => id_old_front(),
        (DocType::IdOld, Side::Back) => id_old_back(tax_number),
    }
}

pub(crate) fn ocr_failure(reason: &str) -> Value {
    json!({ "error": "DOCUMENT_NOT_RECOGNISED", "message": reason })
}

/// What a task spoilt by a chaos fault ends with, whatever it checked.
pub(crate) fn chaos_failure() -> Value {
    json!({ "error": "PROCESSING_FAILED", "message": "The check could not be completed." })
}

pub(crate) fn selfie_success() -> Value {
    json!({ "liveness": true, "liveness_score": 0.97, "face_match": true, "similarity": 0.93 })
}

pub(crate) fn selfie_failure(reason: &str) -> Value {
    json!({ "error": "FACE_NOT_MATCHED", "message": reason })
}

pub(crate) fn liveness_failure(errors: &[String]) -> Value {
    let message = if errors.is_empty() {
        "liveness check failed".to_owned()
    } else {
        format!("liveness check failed: {}", errors.join(", "))
    };
    json!({ "error": "LIVENESS_FAILED", "message": message, "errors": errors })
}

/// The fields of the OCR results that say who the person is, and every value they take in
/// any result (both passports, both sides, the number the OCR reads when none was typed): what
/// a client's log must never show.
pub fn personal_values() -> Vec<String> {
    const PERSONAL: &[&str] = &[
        "surname",
        "given_name",
        "patronymic",
        "birth_date",
        "document_number",
        "personal_number",
        "additional_number",
        "tax_number",
        "address",
        "mrz",
    ];
    let results = [
        ocr_result(DocType::IdNew, Side::Front, None),
        ocr_result(DocType::IdNew, Side::Back, None),
        ocr_result(DocType::IdOld, Side::Front, None),
        ocr_result(DocType::IdOld, Side::Back, Some(READ_TAX_NUMBER)),
    ];
    let mut values: Vec<String> = results
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|fields| {
            PERSONAL
                .iter()
                .filter_map(|name| fields.get(*name))
                .flat_map(|value| match value {
                    Value::String(text) => vec![text.clone()],
                    // The MRZ: its lines, each on its own.
                    Value::Array(lines) => lines
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect(),
                    _ => Vec::new(),
                })
        })
        .collect();
    values.sort();
    values.dedup();
    values
}

const CARD_NUMBER: &str = "A01234567";

fn id_new_front() -> Value {
    json!({
        "document_type": "ID_NEW",
        "side": "front",
        "surname": "RAHIMOV",
        "given_name": "FIRUZ",
        "patronymic": "SAIDOVICH",
        "birth_date": "1991-04-12",
        "birth_place": "DUSHANBE",
        "sex": "M",
        "nationality": "TJK",
        "document_number": CARD_NUMBER,
        "personal_number": "1204199100123",
        "issue_date": "2019-06-03",
        "expiry_date": "2029-06-02",
    })
}

fn id_new_back(tax_number: &str) -> Value {
    let mrz = td1_mrz(&Td1 {
        document_number: CARD_NUMBER,
        birth: "910412",
        sex: 'M',
        expiry: "290602",
        nationality: "TJK",
        names: "RAHIMOV<<FIRUZ<SAIDOVICH",
    });
    json!({
        "document_type": "ID_NEW",
        "side": "back",
        "authority": "VKD JT 01001",
        "marital_status": "MARRIED",
        "additional_number": "0458712",
        "tax_number": tax_number,
        "mrz": mrz,
    })
}

fn id_old_front() -> Value {
    json!({
        "document_type": "ID_OLD",
        "side": "front",
        "surname": "RAHIMOV",
        "given_name": "FIRUZ",
        "patronymic": "SAIDOVICH",
        "birth_date": "1991-04-12",
        "birth_place": "DUSHANBE",
        "sex": "M",
        "nationality": "TJK",
        "document_number": "A4512307",
        "issue_date": "2008-09-15",
        "expiry_date": "2018-09-14",
        "authority": "SHVKD NOHIYAI SOMONI SH. DUSHANBE",
    })
}

fn id_old_back(tax_number: Option<&str>) -> Value {
    let mut fields = Map::new();
    fields.insert("document_type".into(), "ID_OLD".into());
    fields.insert("side".into(), "back".into());
    fields.insert(
        "address".into(),
        "SH. DUSHANBE, NOHIYAI SOMONI, KUCHAI RUDAKI 45, HUJRAI 12".into(),
    );
    fields.insert("registration_date".into(), "2009-02-10".into());
    fields.insert("registered_by".into(), "SHVKD NOHIYAI SOMONI".into());
    fields.insert("marital_status".into(), "MARRIED".into());
    if let Some(tax_number) = tax_number {
        fields.insert("tax_number".into(), tax_number.into());
    }
    Value::Object(fields)
}

/// The printed fields of an ID-1 card that its machine-readable zone repeats.
struct Td1<'a> {
    document_number: &'a str,
    /// YYMMDD.
    birth: &'a str,
    sex: char,
    /// YYMMDD.
    expiry: &'a str,
    nationality: &'a str,
    /// `SURNAME<<GIVEN<NAMES`, already in MRZ letters.
    names: &'a str,
}

/// The three 30-character lines of an ICAO 9303 TD1 zone, check digits included, so a
/// client that validates the MRZ sees a consistent one.
fn td1_mrz(card: &Td1) -> [String; 3] {
    const WIDTH: usize = 30;
    let number = format!("{:<<9}", card.document_number);
    let upper = format!(
        "{:<<WIDTH$}",
        format!("ID{}{number}{}", card.nationality, check_digit(&number))
    );
    let dates = format!(
        "{}{}{}{}{}{}",
        card.birth,
        check_digit(card.birth),
        card.sex,
        card.expiry,
        check_digit(card.expiry),
        card.nationality
    );
    let middle_start = format!("{dates:<<29}");
    let composite = format!(
        "{}{}{}{}",
        &upper[5..30],
        &middle_start[0..7],
        &middle_start[8..15],
        &middle_start[18..29]
    );
    let middle = format!("{middle_start}{}", check_digit(&composite));
    let lower = format!("{:<<WIDTH$}", card.names);
    [upper, middle, lower]
}

/// ICAO 9303 check digit: weights 7, 3, 1 over digits, letters (A = 10) and fillers (0).
fn check_digit(text: &str) -> char {
    let sum: u32 = text
        .chars()
        .zip([7, 3, 1].into_iter().cycle())
        .map(|(c, weight)| {
            let value = match c {
                '0'..='9' => c as u32 - '0' as u32,
                'A'..='Z' => c as u32 - 'A' as u32 + 10,
                _ => 0,
            };
            value * weight
        })
        .sum();
    char::from_digit(sum % 10, 10).unwrap_or('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_personal_values_are_who_the_person_is_and_nothing_generic() {
        let values = personal_values();
        for expected in [
            "RAHIMOV",
            "FIRUZ",
            "1204199100123",
            "A4512307",
            READ_TAX_NUMBER,
        ] {
            assert!(values.iter().any(|v| v == expected), "{expected}");
        }
        // The MRZ's three lines.
        assert_eq!(values.iter().filter(|v| v.len() == 30).count(), 3);
        for generic in ["ID_NEW", "front", "back", "M", "TJK", "MARRIED"] {
            assert!(!values.iter().any(|v| v == generic), "{generic}");
        }
    }

    #[test]
    fn check_digit_matches_icao_example() {
        // ICAO 9303 part 3, worked example: "520727" -> 3, "L898902C3" -> 6.
        assert_eq!(check_digit("520727"), '3');
        assert_eq!(check_digit("L898902C3"), '6');
    }

    #[test]
    fn td1_lines_are_thirty_characters() {
        let Value::Array(lines) = &id_new_back("123456789")["mrz"] else {
            panic!("mrz is not an array");
        };
        assert_eq!(lines.len(), 3);
        for line in lines {
            assert_eq!(line.as_str().map(str::len), Some(30), "{line}");
        }
        assert_eq!(lines[0], "IDTJKA012345678<<<<<<<<<<<<<<<");
    }
}
