const DIGIT_0 = 48;
const DIGIT_9 = 57;
const POWERS_OF_TEN = [1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
/** Up to this many digits the integer and the power of ten are exact doubles, so one division is exact-rounded. */
const MAX_EXACT_DIGITS = 15;

/**
 * Reads a JSON number in place from bytes. The shapes k6 writes most ("1", "0", "22.070131") are read
 * digit by digit, which gives the same double as `Number()` because mantissa and divisor are both
 * exact; anything longer or with an exponent ("1e-06") is decoded and handed to `Number()`.
 */
export class JsonNumberReader {
  /** Index just after the number, valid after a successful `read`. */
  end = 0;

  /** Returns NaN when no JSON number starts at `start`. */
  read(bytes: Uint8Array, start: number): number {
    let index = start;
    const negative = bytes[index] === 45;
    if (negative) index++;
    let mantissa = 0;
    let digits = 0;
    let fractionDigits = 0;
    let code = bytes[index] ?? 0;
    while (code >= DIGIT_0 && code <= DIGIT_9) {
      mantissa = mantissa * 10 + (code - DIGIT_0);
      digits++;
      code = bytes[++index] ?? 0;
    }
    if (digits === 0) return Number.NaN;
    if (code === 46 /* . */) {
      code = bytes[++index] ?? 0;
      while (code >= DIGIT_0 && code <= DIGIT_9) {
        mantissa = mantissa * 10 + (code - DIGIT_0);
        digits++;
        fractionDigits++;
        code = bytes[++index] ?? 0;
      }
      if (fractionDigits === 0) return Number.NaN;
    }
    if (code === 101 /* e */ || code === 69 /* E */ || digits > MAX_EXACT_DIGITS) {
      return this.readSlowly(bytes, start, index);
    }
    this.end = index;
    const magnitude = fractionDigits === 0 ? mantissa : mantissa / (POWERS_OF_TEN[fractionDigits] ?? 1);
    return negative ? -magnitude : magnitude;
  }

  private readSlowly(bytes: Uint8Array, start: number, from: number): number {
    let index = from;
    for (;;) {
      const code = bytes[index] ?? 0;
      const partOfNumber =
        (code >= DIGIT_0 && code <= DIGIT_9) || code === 101 || code === 69 || code === 43 || code === 45 || code === 46;
      if (!partOfNumber) break;
      index++;
    }
    this.end = index;
    return Number(Buffer.from(bytes.buffer, bytes.byteOffset + start, index - start).toString('latin1'));
  }
}
