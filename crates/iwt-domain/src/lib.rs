//! Pure domain of IoTWeaponTracker: registry records, domain events, their canonical
//! leaf encoding, the projection rules and validation. No I/O, no async runtime, no
//! database: everything here is a function over values and an injected clock.
#![warn(missing_docs)]

pub mod clock;
pub mod codec;
pub mod error;
pub mod event;
pub mod kinds;
pub mod projection;
pub mod records;
pub mod role;
pub mod text;
pub mod validate;
pub mod vocab;

pub use clock::{Clock, FixedClock, SystemClock};
pub use error::DomainError;
pub use event::{Event, EventBody, Subject};
pub use kinds::EntityKind;
pub use records::Record;
pub use role::Role;
