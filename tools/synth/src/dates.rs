//! Calendar dates as day numbers, printed as ISO `YYYY-MM-DD`.
//!
//! Day 0 is 1970-01-01 (proleptic Gregorian calendar). Conversion walks whole
//! years, then months; the generator converts only a few hundred distinct
//! dates per data set, so clarity beats speed here.

/// Whether `year` has a 29 February.
fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn month_days(year: i64, month: usize) -> i64 {
    const DAYS: [i64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if month == 1 && is_leap(year) {
        29
    } else {
        DAYS[month]
    }
}

/// Day number of `year-month-day` (month and day from 1); years from 1970.
pub fn day_number(year: i64, month: usize, day: i64) -> i64 {
    let mut n = 0;
    for y in 1970..year {
        n += if is_leap(y) { 366 } else { 365 };
    }
    for m in 0..month - 1 {
        n += month_days(year, m);
    }
    n + day - 1
}

/// ISO date of a day number ≥ 0.
pub fn iso_date(mut n: i64) -> String {
    let mut year = 1970;
    loop {
        let len = if is_leap(year) { 366 } else { 365 };
        if n < len {
            break;
        }
        n -= len;
        year += 1;
    }
    let mut month = 0;
    while n >= month_days(year, month) {
        n -= month_days(year, month);
        month += 1;
    }
    format!("{year:04}-{:02}-{:02}", month + 1, n + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_date(day_number(2018, 1, 8)), "2018-01-08");
        assert_eq!(iso_date(day_number(2020, 2, 29)), "2020-02-29");
        assert_eq!(iso_date(day_number(2020, 2, 29) + 1), "2020-03-01");
        assert_eq!(iso_date(day_number(2000, 12, 31) + 1), "2001-01-01");
        assert_eq!(day_number(2018, 1, 1), 17532);
    }
}
