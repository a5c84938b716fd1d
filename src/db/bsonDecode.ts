import { BSON, Long, ObjectId, type Document } from "mongodb";

/**
 * What the mongodb 7.9 driver hands to `BSON.deserialize` for each document a cursor yields, at
 * its defaults, keeping the options bson reads (the driver also passes `index`, the document's
 * offset in the reply, and options bson ignores such as `enableUtf8Validation: true`, whose effect
 * is `validation`). lib/cursor/abstract_cursor.js builds them from resolveBSONOptions' defaults
 * plus `validation: { utf8: true }`; on_demand/document.js `toObject` adds
 * `allowObjectSmallerThanBufferSize`. A test reads them off a real cursor.
 */
export const DRIVER_OPTIONS: Readonly<BSON.DeserializeOptions> = Object.freeze({
  fieldsAsRaw: Object.freeze({}),
  raw: false,
  bsonRegExp: false,
  promoteBuffers: false,
  promoteLongs: true,
  promoteValues: true,
  useBigInt64: false,
  validation: Object.freeze({ utf8: true as const }),
  allowObjectSmallerThanBufferSize: true,
});

/** What a reader returns when the bytes hold anything it leaves to bson. */
const FALLBACK: unique symbol = Symbol("fallback to BSON.deserialize");
type Decoded = Document | unknown[] | typeof FALLBACK;

/** MongoDB stores at most 100 levels; deeper input goes to bson (iterative) instead of our stack. */
const MAX_DEPTH = 100;
const TWO_PWR_32 = 4294967296;
/** bson promotes an int64 to a number when -2^53 <= v <= 2^53 (its JS_INT_MIN/MAX, inclusive). */
const SAFE_HIGH = 0x200000;

// One float is read at a time, as bson's NumberUtils.getFloat64LE does (NaN and -0 come out alike).
const FLOAT = new Float64Array(1);
const FLOAT_BYTES = new Uint8Array(FLOAT.buffer, 0, 8);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// bson 7's ObjectId takes (bytes, offset) and copies the 12 bytes into its fields; the overload
// is missing from its typings. The tests compare the instances with bson's own.
const ObjectIdAt = ObjectId as unknown as new (bytes: Uint8Array, offset: number) => ObjectId;

/**
 * Field names repeat across the documents of a collection, and so do many short values ("0", "1",
 * "root", a path): a direct-mapped cache hands back the same string for the same ASCII bytes
 * instead of building one each time.
 */
const ASCII_CACHE_SLOTS = 1024;
const ASCII_CACHE_MAX_BYTES = 32;
const asciiCache: string[] = new Array<string>(ASCII_CACHE_SLOTS).fill("");

/**
 * Decodes one raw BSON document (the driver's `raw: true`) into what
 * `BSON.deserialize(bytes, DRIVER_OPTIONS)` returns, without bson's per-(sub)document options
 * copy and per-int64 Longs. Only the common types are read here: double, string, document, array,
 * ObjectId, boolean, date, null, int32, int64. Any other type, a `__proto__` or `$`-prefixed
 * field name (bson may turn the document into a DBRef), an array under a name Object.prototype
 * has (see below), a string that is not valid UTF-8, or bytes whose sizes do not add up send the
 * whole document to bson, so the result or the error is bson's own.
 */
export function decodeDocument(bytes: Uint8Array): Document {
  return tryDecodeDocument(bytes) ?? BSON.deserialize(bytes, DRIVER_OPTIONS);
}

/**
 * The fast path alone: the document, or undefined when it holds anything left to bson (so a
 * caller can count how often that happens).
 */
export function tryDecodeDocument(bytes: Uint8Array): Document | undefined {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 5) return undefined;
  const size = readInt32(buf, 0);
  // Bytes after the document are ignored, as with allowObjectSmallerThanBufferSize.
  if (size < 5 || size > buf.length || buf[size - 1] !== 0) return undefined;
  const decoded = readDocument(buf, 0, size, false, 0);
  return decoded === FALLBACK ? undefined : (decoded as Document);
}

function readInt32(buf: Buffer, at: number): number {
  return buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16) | (buf[at + 3] << 24);
}

/**
 * Reads the document (or array) at [start, end): its size field has been checked to be `end -
 * start` and its last byte to be 0. Every element must lie before that last byte.
 */
function readDocument(buf: Buffer, start: number, end: number, isArray: boolean, depth: number): Decoded {
  const last = end - 1;
  const array: unknown[] | null = isArray ? [] : null;
  const object: Record<string, unknown> | null = isArray ? null : {};
  let at = start + 4;
  while (at < last) {
    const type = buf[at++];
    if (type === 0) return FALLBACK;
    const keyStart = at;
    while (at < last && buf[at] !== 0) at++;
    if (at >= last) return FALLBACK;
    let key = "";
    if (!isArray) {
      // `$ref`/`$id`/`$db` make a DBRef; any `$` name is rare enough in stored data to leave to bson.
      if (at > keyStart) {
        if (buf[keyStart] === 0x24) return FALLBACK;
        key = readKey(buf, keyStart, at);
        if (key === "__proto__") return FALLBACK;
      }
    }
    at++;
    let value: unknown;
    switch (type) {
      case 0x01: {
        if (at + 8 > last) return FALLBACK;
        if (LITTLE_ENDIAN) for (let b = 0; b < 8; b++) FLOAT_BYTES[b] = buf[at + b];
        else for (let b = 0; b < 8; b++) FLOAT_BYTES[7 - b] = buf[at + b];
        value = FLOAT[0];
        at += 8;
        break;
      }
      case 0x02: {
        if (at + 4 > last) return FALLBACK;
        const size = readInt32(buf, at);
        at += 4;
        if (size < 1 || size > last - at || buf[at + size - 1] !== 0) return FALLBACK;
        const text = readString(buf, at, at + size - 1);
        if (text === null) return FALLBACK;
        value = text;
        at += size;
        break;
      }
      case 0x03:
      case 0x04: {
        if (at + 4 > last || depth >= MAX_DEPTH) return FALLBACK;
        // bson reads `fieldsAsRaw[name]` for an array: with the driver's `{}`, a name such as
        // `constructor` or `toString` finds Object.prototype's and the array's documents stay Buffers.
        if (type === 0x04 && !isArray && (DRIVER_OPTIONS.fieldsAsRaw as Record<string, unknown>)[key]) return FALLBACK;
        const size = readInt32(buf, at);
        if (size < 5 || size > last - at || buf[at + size - 1] !== 0) return FALLBACK;
        const inner = readDocument(buf, at, at + size, type === 0x04, depth + 1);
        if (inner === FALLBACK) return FALLBACK;
        value = inner;
        at += size;
        break;
      }
      case 0x07:
        if (at + 12 > last) return FALLBACK;
        value = new ObjectIdAt(buf, at);
        at += 12;
        break;
      case 0x08: {
        if (at + 1 > last) return FALLBACK;
        const flag = buf[at++];
        if (flag > 1) return FALLBACK;
        value = flag === 1;
        break;
      }
      case 0x09:
        if (at + 8 > last) return FALLBACK;
        // bson: new Date(new Long(low, high).toNumber()), which is high * 2^32 + unsigned low.
        value = new Date(readInt32(buf, at + 4) * TWO_PWR_32 + (readInt32(buf, at) >>> 0));
        at += 8;
        break;
      case 0x0a:
        value = null;
        break;
      case 0x10:
        if (at + 4 > last) return FALLBACK;
        value = readInt32(buf, at);
        at += 4;
        break;
      case 0x12: {
        if (at + 8 > last) return FALLBACK;
        const low = readInt32(buf, at);
        const high = readInt32(buf, at + 4);
        at += 8;
        // -2^53 <= v <= 2^53, decided on the halves: exact, and no Long for the common case.
        value = high >= -SAFE_HIGH && (high < SAFE_HIGH || (high === SAFE_HIGH && low === 0)) ? high * TWO_PWR_32 + (low >>> 0) : new Long(low, high);
        break;
      }
      default:
        return FALLBACK;
    }
    if (array !== null) array.push(value);
    else object![key] = value;
  }
  return array ?? object!;
}

/** A field name, decoded as bson does: UTF-8 without validation (invalid bytes become U+FFFD). */
function readKey(buf: Buffer, start: number, end: number): string {
  return (end - start <= ASCII_CACHE_MAX_BYTES ? cachedAscii(buf, start, end) : null) ?? buf.toString("utf8", start, end);
}

/** A string value; null when it is not valid UTF-8 (bson throws for it: the caller falls back). */
function readString(buf: Buffer, start: number, end: number): string | null {
  if (end - start <= ASCII_CACHE_MAX_BYTES) {
    const ascii = cachedAscii(buf, start, end);
    if (ascii !== null) return ascii;
  } else {
    let high = 0;
    for (let i = start; i < end; i++) high |= buf[i];
    if ((high & 0x80) === 0) return buf.toString("latin1", start, end);
  }
  const text = buf.toString("utf8", start, end);
  // Node replaces each invalid sequence with U+FFFD; a real U+FFFD is rare enough to leave to bson too.
  return text.indexOf("\uFFFD") === -1 ? text : null;
}

/** The short ASCII string in [start, end), from the cache when it holds it; null when a byte is not ASCII. */
function cachedAscii(buf: Buffer, start: number, end: number): string | null {
  const length = end - start;
  let hash = length;
  let high = 0;
  for (let i = start; i < end; i++) {
    const byte = buf[i];
    high |= byte;
    hash = Math.imul(hash ^ byte, 0x01000193);
  }
  if (high & 0x80) return null;
  const slot = (hash ^ (hash >>> 15)) & (ASCII_CACHE_SLOTS - 1);
  const cached = asciiCache[slot];
  if (cached.length === length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (cached.charCodeAt(i) !== buf[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return cached;
  }
  const text = buf.toString("latin1", start, end);
  asciiCache[slot] = text;
  return text;
}
