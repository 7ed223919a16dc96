//! Local time at the demo sites. Both sites keep `Europe/Vienna` time: CET (UTC+1), and
//! CEST (UTC+2) from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last
//! Sunday of October (the EU rule). Shift times are local; the ledger stores UTC.
use time::macros::{offset, time};
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// The IANA time zone of the demo sites.
pub(super) const TIMEZONE: &str = "Europe/Vienna";

/// The last Sunday of a 31-day month, at 01:00 UTC.
fn last_sunday_0100(year: i32, month: Month) -> Option<OffsetDateTime> {
    let last = Date::from_calendar_date(year, month, 31).ok()?;
    let sunday = last - Duration::days(i64::from(last.weekday().number_days_from_sunday()));
    Some(PrimitiveDateTime::new(sunday, time!(01:00)).assume_utc())
}

/// Whether summer time applies at `t`.
fn summer(t: OffsetDateTime) -> bool {
    let t = t.to_offset(UtcOffset::UTC);
    match (
        last_sunday_0100(t.year(), Month::March),
        last_sunday_0100(t.year(), Month::October),
    ) {
        (Some(start), Some(end)) => start <= t && t < end,
        _ => false,
    }
}

/// The UTC instant of a local date and time at the sites.
pub(super) fn at(date: Date, local: Time) -> OffsetDateTime {
    let naive = PrimitiveDateTime::new(date, local);
    let winter = naive.assume_offset(offset!(+1));
    let t = if summer(winter) {
        naive.assume_offset(offset!(+2))
    } else {
        winter
    };
    t.to_offset(UtcOffset::UTC)
}

/// `hh:mm` local time.
pub(super) fn hm(hour: u8, minute: u8) -> Time {
    Time::from_hms(hour % 24, minute % 60, 0).unwrap_or(Time::MIDNIGHT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn vienna_offsets() {
        assert_eq!(
            at(date!(2025 - 01 - 15), hm(7, 0)),
            datetime!(2025-01-15 06:00 UTC)
        );
        assert_eq!(
            at(date!(2025 - 07 - 15), hm(7, 0)),
            datetime!(2025-07-15 05:00 UTC)
        );
        // 2025: summer time from 30 March to 26 October.
        assert_eq!(
            at(date!(2025 - 03 - 29), hm(23, 0)),
            datetime!(2025-03-29 22:00 UTC)
        );
        assert_eq!(
            at(date!(2025 - 03 - 30), hm(7, 0)),
            datetime!(2025-03-30 05:00 UTC)
        );
        assert_eq!(
            at(date!(2025 - 10 - 26), hm(7, 0)),
            datetime!(2025-10-26 06:00 UTC)
        );
    }
}
