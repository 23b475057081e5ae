const MS_PER_HOUR = 3_600_000;
const MS_PER_MINUTE = 60_000;
const DIGIT_0 = 48;
const POWERS_OF_TEN = [1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const DAY_LENGTH = 10;

/**
 * Parses the RFC 3339 times k6 writes ("2026-11-28T20:30:36.583329614Z", or with a "+01:00" zone;
 * fraction trimmed or absent) to epoch milliseconds, reading bytes in place. It runs once per kept
 * point, so the date is cached (it changes once a day) and the rest is digit arithmetic; `Date.parse`
 * would also drop the sub-millisecond digits.
 */
export class Rfc3339Parser {
  /** Index just after the time's last byte, valid after a successful `parse`. */
  end = 0;
  private readonly cachedDay = new Uint8Array(DAY_LENGTH);
  private cachedDayMs = Number.NaN;

  /** Returns NaN when the bytes at `start` are not an RFC 3339 time. */
  parse(bytes: Uint8Array, start: number): number {
    if (!this.isCachedDay(bytes, start) && !this.cacheDay(bytes, start)) return Number.NaN;
    const hours = twoDigits(bytes, start + 11);
    const minutes = twoDigits(bytes, start + 14);
    const seconds = twoDigits(bytes, start + 17);
    const separator = bytes[start + 10];
    if (
      hours < 0 ||
      minutes < 0 ||
      seconds < 0 ||
      (separator !== 84 /* T */ && separator !== 116 /* t */ && separator !== 32) ||
      bytes[start + 13] !== 58 ||
      bytes[start + 16] !== 58
    ) {
      return Number.NaN;
    }
    let ms = this.cachedDayMs + hours * MS_PER_HOUR + minutes * MS_PER_MINUTE + seconds * 1000;
    let index = start + 19;
    if (bytes[index] === 46 /* . */) {
      index++;
      let fraction = 0;
      let digits = 0;
      for (;;) {
        const digit = (bytes[index] ?? 0) - DIGIT_0;
        if (digit < 0 || digit > 9) break;
        // Beyond nanoseconds the digits cannot change a double holding epoch milliseconds.
        if (digits < 9) {
          fraction = fraction * 10 + digit;
          digits++;
        }
        index++;
      }
      if (digits === 0) return Number.NaN;
      ms += (fraction * 1000) / (POWERS_OF_TEN[digits] ?? 1);
    }
    const zone = bytes[index];
    if (zone === 90 /* Z */ || zone === 122 /* z */) {
      this.end = index + 1;
      return ms;
    }
    if (zone === 43 /* + */ || zone === 45 /* - */) {
      const zoneHours = twoDigits(bytes, index + 1);
      const zoneMinutes = twoDigits(bytes, index + 4);
      if (zoneHours < 0 || zoneMinutes < 0 || bytes[index + 3] !== 58) return Number.NaN;
      const offset = zoneHours * MS_PER_HOUR + zoneMinutes * MS_PER_MINUTE;
      this.end = index + 6;
      return zone === 43 ? ms - offset : ms + offset;
    }
    return Number.NaN;
  }

  /** Convenience for the slow path, where the time is already a string. */
  parseText(text: string): number {
    return this.parse(Buffer.from(text, 'latin1'), 0);
  }

  private isCachedDay(bytes: Uint8Array, start: number): boolean {
    const day = this.cachedDay;
    for (let i = 0; i < DAY_LENGTH; i++) {
      if (bytes[start + i] !== day[i]) return false;
    }
    return !Number.isNaN(this.cachedDayMs);
  }

  private cacheDay(bytes: Uint8Array, start: number): boolean {
    const century = twoDigits(bytes, start);
    const yearOfCentury = twoDigits(bytes, start + 2);
    const month = twoDigits(bytes, start + 5);
    const day = twoDigits(bytes, start + 8);
    if (century < 0 || yearOfCentury < 0 || month < 1 || month > 12 || day < 1 || day > 31) return false;
    if (bytes[start + 4] !== 45 || bytes[start + 7] !== 45) return false;
    this.cachedDay.set(bytes.subarray(start, start + DAY_LENGTH));
    this.cachedDayMs = Date.UTC(century * 100 + yearOfCentury, month - 1, day);
    return true;
  }
}

/** The two-digit number at `index`, or a negative number when either byte is not a digit. */
function twoDigits(bytes: Uint8Array, index: number): number {
  const tens = (bytes[index] ?? 0) - DIGIT_0;
  const ones = (bytes[index + 1] ?? 0) - DIGIT_0;
  if (tens < 0 || tens > 9 || ones < 0 || ones > 9) return -1000;
  return tens * 10 + ones;
}
