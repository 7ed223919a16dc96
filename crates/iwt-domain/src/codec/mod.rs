//! The canonical leaf encoding (format version 1, see `docs/ledger-format.md`).
//!
//! A leaf is a fixed header in network byte order followed by the event body in a
//! canonical binary value encoding. Every value has exactly one valid byte form:
//! decoding re-encodes and compares, so any other byte string is rejected.
mod leaf;
mod value;

#[cfg(test)]
mod tests;

pub use leaf::{FORMAT_VERSION, NONE_INDEX, decode_event, encode_event, pii_commitment};
pub use value::{decode_value, encode_value, nfc_value};
