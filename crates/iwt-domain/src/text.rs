//! Text rules shared by records: bounded lengths, NFC, and the normalised form used for
//! unique keys and search (serials are compared case-insensitively, without spaces).
use crate::error::DomainError;
use unicode_normalization::UnicodeNormalization;

/// Longest ordinary text field, in characters.
pub const MAX_SHORT: usize = 200;
/// Longest free-text field (notes, reasons), in characters.
pub const MAX_LONG: usize = 2000;

/// Checks a required short field: not blank, at most [`MAX_SHORT`] characters.
pub fn required(field: &str, value: &str) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        return Err(DomainError::field(field, "must not be empty"));
    }
    bounded(field, value, MAX_SHORT)
}

/// Checks that `value` is at most `max` characters and has no control characters.
pub fn bounded(field: &str, value: &str, max: usize) -> Result<(), DomainError> {
    if value.chars().count() > max {
        return Err(DomainError::field(
            field,
            format!("longer than {max} characters"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(DomainError::field(field, "contains control characters"));
    }
    Ok(())
}

/// Checks an optional short field.
pub fn optional(field: &str, value: &Option<String>) -> Result<(), DomainError> {
    match value {
        Some(v) => bounded(field, v, MAX_SHORT),
        None => Ok(()),
    }
}

/// The normalised form of an identifier for keys and search: NFC, upper case, with
/// spaces and dashes removed (a serial engraved "AB 123-4" is found as "ab1234").
pub fn norm_key(value: &str) -> String {
    value
        .nfc()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

/// NFC form of a string, as stored in the ledger.
pub fn nfc(value: &str) -> String {
    value.nfc().collect()
}

/// Whether `value` is already in NFC.
pub fn is_nfc(value: &str) -> bool {
    unicode_normalization::is_nfc(value)
}

/// Checks an ISO 3166-1 alpha-2 or alpha-3 country code (upper-case letters).
pub fn country(field: &str, value: &str) -> Result<(), DomainError> {
    let ok =
        (value.len() == 2 || value.len() == 3) && value.bytes().all(|b| b.is_ascii_uppercase());
    if ok {
        Ok(())
    } else {
        Err(DomainError::field(
            field,
            "must be an ISO 3166-1 country code such as DE or USA",
        ))
    }
}

/// Checks a year of manufacture or import: between 1800 and 2200.
pub fn year(field: &str, value: i32) -> Result<(), DomainError> {
    if (1800..=2200).contains(&value) {
        Ok(())
    } else {
        Err(DomainError::field(
            field,
            "must be a year between 1800 and 2200",
        ))
    }
}
