/**
 * Exact decimal arithmetic on the strings an e-invoice carries. Values are bigints scaled by
 * 10^scale; operations align scales, so "0.1" + "0.2" is "0.3" and "00123" stays a decimal, never
 * a float. Quantities and unit prices may carry more decimals than money, so the scale is free.
 */
export interface Dec {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const MAX_DIGITS = 40;

export function isDecimal(value: string): boolean {
  return DECIMAL.test(value) && value.replace(/[^\d]/g, '').length <= MAX_DIGITS;
}

export function dec(value: string): Dec {
  const text = value.trim();
  if (!isDecimal(text)) throw new Error(`not a decimal number: ${value.slice(0, 40)}`);
  const negative = text.startsWith('-');
  const [whole = '', fraction = ''] = text.replace(/^[+-]/, '').split('.');
  const units = BigInt((whole || '0') + fraction);
  return { units: negative ? -units : units, scale: fraction.length };
}

export const ZERO: Dec = { units: 0n, scale: 0 };

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale), scale];
}

export function add(a: Dec, b: Dec): Dec {
  const [x, y, scale] = align(a, b);
  return { units: x + y, scale };
}

export function sub(a: Dec, b: Dec): Dec {
  const [x, y, scale] = align(a, b);
  return { units: x - y, scale };
}

export function mul(a: Dec, b: Dec): Dec {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function neg(a: Dec): Dec {
  return { units: -a.units, scale: a.scale };
}

export function sum(values: readonly Dec[]): Dec {
  return values.reduce(add, ZERO);
}

export function compare(a: Dec, b: Dec): -1 | 0 | 1 {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function equals(a: Dec, b: Dec): boolean {
  return compare(a, b) === 0;
}

export function abs(a: Dec): Dec {
  return a.units < 0n ? neg(a) : a;
}

/** Rounds half away from zero, as commercial rounding (and EN 16931's examples) do. */
export function round(a: Dec, decimals: number): Dec {
  if (a.scale <= decimals) return a;
  const divisor = 10n ** BigInt(a.scale - decimals);
  const negative = a.units < 0n;
  const magnitude = negative ? -a.units : a.units;
  let quotient = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) quotient += 1n;
  return { units: negative ? -quotient : quotient, scale: decimals };
}

/** Divides by 100 exactly (a percentage rate becomes a factor). */
export function percent(a: Dec): Dec {
  return { units: a.units, scale: a.scale + 2 };
}

/** Plain decimal notation with at least `minDecimals` decimals and no trailing zeros beyond. */
export function format(a: Dec, minDecimals = 0): string {
  const negative = a.units < 0n;
  const digits = (negative ? -a.units : a.units).toString().padStart(a.scale + 1, '0');
  const whole = digits.slice(0, digits.length - a.scale);
  let fraction = a.scale > 0 ? digits.slice(digits.length - a.scale) : '';
  fraction = fraction.replace(/0+$/, '');
  if (fraction.length < minDecimals) fraction = fraction.padEnd(minDecimals, '0');
  const text = fraction ? `${whole}.${fraction}` : whole;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

/** Number of decimals as written ("12.50" has 2). */
export function decimalsOf(value: string): number {
  const dot = value.indexOf('.');
  return dot < 0 ? 0 : value.length - dot - 1;
}
