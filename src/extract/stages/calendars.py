"""Calendar conversion (Jalali, Hijri → Gregorian) and ISO values for periods.

Jalali by the arithmetic algorithm of jalaali-js (Borkowski's leap-year breaks; agrees
with the official calendar for 1178–1633 AP and with convertdate's astronomical persian
calendar, which is ~1000x slower, on every day tested); Hijri through hijridate (Umm
al-Qura, 1343–1500 AH) and convertdate's arithmetic islamic calendar outside that range.
A month or year of another calendar is given the Gregorian month/year of its middle.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from convertdate import islamic

# jalaali-js: the years (AP) where the 33-year leap cycle pattern breaks
_BREAKS = (-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394,
           2456, 3178)


def _jal_cal(jy: int) -> tuple[int, int]:
    """(Gregorian year of Farvardin 1, its day in March) of Jalali year jy."""
    gy = jy + 621
    leap_j = -14
    jp = _BREAKS[0]
    if jy < jp or jy >= _BREAKS[-1]:
        raise ValueError("jalali year out of range")
    jump = 0
    for jm in _BREAKS[1:]:
        jump = jm - jp
        if jy < jm:
            break
        leap_j += jump // 33 * 8 + (jump % 33) // 4
        jp = jm
    n = jy - jp
    leap_j += n // 33 * 8 + ((n % 33) + 3) // 4
    if jump % 33 == 4 and jump - n == 4:
        leap_j += 1
    leap_g = gy // 4 - (gy // 100 + 1) * 3 // 4 - 150
    march = 20 + leap_j - leap_g
    return gy, march


@lru_cache(maxsize=4096)
def jalali_to_gregorian(jy: int, jm: int, jd: int) -> date:
    gy, march = _jal_cal(jy)
    start = date(gy, 3, march)
    offset = (jm - 1) * 31 + jd - 1 if jm <= 7 else 6 * 31 + (jm - 7) * 30 + jd - 1
    return start + timedelta(days=offset)


@lru_cache(maxsize=4096)
def gregorian_to_jalali(day: date) -> tuple[int, int, int]:
    jy = day.year - 621
    gy, march = _jal_cal(jy)
    start = date(gy, 3, march)
    if day < start:
        jy -= 1
        gy, march = _jal_cal(jy)
        start = date(gy, 3, march)
    k = (day - start).days
    if k < 186:
        return jy, 1 + k // 31, 1 + k % 31
    k -= 186
    return jy, 7 + k // 30, 1 + k % 30

CALENDARS = ("gregorian", "jalali", "hijri")


@lru_cache(maxsize=8192)
def to_gregorian(calendar: str, year: int, month: int, day: int) -> date:
    if calendar == "gregorian":
        return date(year, month, day)
    if calendar == "jalali":
        if not (1 <= month <= 12 and 1 <= day <= (31 if month <= 6 else 30)):
            raise ValueError("bad jalali date")
        return jalali_to_gregorian(year, month, day)
    if calendar == "hijri":
        if not (1 <= month <= 12 and 1 <= day <= 30):
            raise ValueError("bad hijri date")
        if 1343 <= year <= 1500:
            try:
                from hijridate import Hijri

                return Hijri(year, month, day).to_gregorian()
            except (ValueError, OverflowError):
                pass
        return date(*islamic.to_gregorian(year, month, day))
    raise ValueError(calendar)


def from_gregorian(calendar: str, day: date) -> tuple[int, int, int]:
    if calendar == "gregorian":
        return day.year, day.month, day.day
    if calendar == "jalali":
        return gregorian_to_jalali(day)
    if 1937 <= day.year <= 2076:
        from hijridate import Gregorian

        h = Gregorian(day.year, day.month, day.day).to_hijri()
        return h.year, h.month, h.day
    return islamic.from_gregorian(day.year, day.month, day.day)


def iso_value(calendar: str, year: int, month: int | None = None, day: int | None = None) -> tuple[str, str]:
    """(ISO value in the Gregorian calendar, granularity) of a year, month or day."""
    if day is not None and month is not None:
        return to_gregorian(calendar, year, month, day).isoformat(), "day"
    if month is not None:
        if calendar == "gregorian":
            if not 1 <= month <= 12:
                raise ValueError("bad month")
            return f"{year:04d}-{month:02d}", "month"
        middle = to_gregorian(calendar, year, month, 15)
        return f"{middle.year:04d}-{middle.month:02d}", "month"
    if calendar == "gregorian":
        return f"{year:04d}", "year"
    middle = to_gregorian(calendar, year, 6 if calendar == "jalali" else 7, 15)
    return f"{middle.year:04d}", "year"


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError("month arithmetic")


def shift(day: date, unit: str, n: int) -> date:
    if unit == "day":
        return day + timedelta(days=n)
    if unit == "week":
        return day + timedelta(weeks=n)
    if unit == "month":
        return add_months(day, n)
    if unit == "year":
        return add_months(day, 12 * n)
    if unit == "decade":
        return add_months(day, 120 * n)
    if unit == "century":
        return add_months(day, 1200 * n)
    return day


def format_at(day: date, unit: str) -> str:
    """`day` written at the granularity `unit`."""
    if unit == "day" or unit in ("hour", "minute"):
        return day.isoformat()
    if unit == "week":
        y, w, _ = day.isocalendar()
        return f"{y:04d}-W{w:02d}"
    if unit == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if unit == "year":
        return f"{day.year:04d}"
    if unit == "decade":
        return f"{day.year // 10:03d}"
    if unit == "century":
        return f"{day.year // 100:02d}"
    return day.isoformat()
