import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { BSON, Binary, BSONRegExp, BSONSymbol, Code, DBRef, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp, UUID, type Document } from "mongodb";
import { decodeDocument, DRIVER_OPTIONS, tryDecodeDocument } from "../../src/db/bsonDecode";
import { prng } from "../../src/seed/random";
import { useTestDatabase } from "../helpers/db";

/**
 * decodeDocument must return what the driver's own `BSON.deserialize(bytes, DRIVER_OPTIONS)`
 * returns (deep-equal, classes included), and throw where it throws: random documents of every
 * fast-path type (drawn from the seeded mulberry32, so a failing seed replays), each fallback
 * type, invalid UTF-8, and corrupted bytes.
 */

const TWO_53 = 2 ** 53;
const INT64_EDGES: Long[] = [
  Long.ZERO,
  Long.ONE,
  Long.NEG_ONE,
  Long.fromNumber(2 ** 31),
  Long.fromNumber(-(2 ** 31)),
  Long.fromNumber(2 ** 32),
  Long.fromNumber(-(2 ** 32)),
  Long.fromNumber(TWO_53 - 1),
  Long.fromNumber(-(TWO_53 - 1)),
  Long.fromNumber(TWO_53),
  Long.fromNumber(-TWO_53),
  Long.fromString("9007199254740993"),
  Long.fromString("-9007199254740993"),
  Long.MAX_VALUE,
  Long.MIN_VALUE,
];
const DOUBLE_EDGES = [0, -0, NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, 2.2250738585072014e-308 / 3, Number.MAX_VALUE, 0.1, -1.5, TWO_53, 1];
const DATE_EDGES = [0, -1, 1, -86_400_000 * 365 * 300, 8.64e15, -8.64e15, 253_402_300_799_999, 1_700_000_000_123];
const CHARS = ["a", "Z", "0", " ", ".", "é", "ß", "中", "€", "😀", "𝄞", "\u0000".slice(1), "\u007f", "\u0080", "\u07ff", "\u0800", "\uffef"];

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const int = (rng: Rng, below: number) => Math.floor(rng() * below);

function randomString(rng: Rng): string {
  const length = rng() < 0.1 ? 0 : rng() < 0.1 ? 20 + int(rng, 60) : int(rng, 20);
  const ascii = rng() < 0.6;
  let text = "";
  for (let i = 0; i < length; i++) text += ascii ? String.fromCharCode(32 + int(rng, 95)) : pick(rng, CHARS);
  return text;
}

/** Field names: a pool large enough to collide in the decoder's name cache, some non-ASCII, some long. */
function randomKey(rng: Rng): string {
  const roll = rng();
  if (roll < 0.5) return pick(rng, ["bk_process_id", "bk_biz_id", "name", "ip", "a", "b", "create_time", "0", "10", "k"]);
  if (roll < 0.8) return `k${int(rng, 4000)}`;
  if (roll < 0.9) return `long_${"x".repeat(40 + int(rng, 10))}${int(rng, 50)}`;
  let key = randomString(rng).replace(/\u0000/g, "");
  if (key.startsWith("$") || key === "__proto__") key = `_${key}`;
  return key;
}

function randomInt64(rng: Rng): Long {
  const roll = rng();
  if (roll < 0.4) return pick(rng, INT64_EDGES);
  if (roll < 0.7) return Long.fromNumber(int(rng, 1_000_000));
  return new Long(int(rng, 2 ** 32) | 0, int(rng, 2 ** 32) | 0);
}

function randomValue(rng: Rng, depth: number): unknown {
  switch (int(rng, depth > 3 ? 10 : 12)) {
    case 0:
      return new Double(rng() < 0.5 ? pick(rng, DOUBLE_EDGES) : (rng() - 0.5) * 10 ** int(rng, 30));
    case 1:
      return randomString(rng);
    case 2:
      return new ObjectId(Buffer.from(Array.from({ length: 12 }, () => int(rng, 256))));
    case 3:
      return rng() < 0.5;
    case 4:
      return new Date(rng() < 0.5 ? pick(rng, DATE_EDGES) : Math.round((rng() - 0.5) * 2e13));
    case 5:
      return null;
    case 6:
      return new Int32(rng() < 0.3 ? pick(rng, [0, -1, 2147483647, -2147483648]) : int(rng, 2 ** 32) | 0);
    case 7:
    case 8:
    case 9:
      return randomInt64(rng);
    case 10:
      return randomDocument(rng, depth + 1);
    default:
      return Array.from({ length: int(rng, 6) }, () => randomValue(rng, depth + 1));
  }
}

function randomDocument(rng: Rng, depth = 0): Document {
  const document: Document = {};
  const fields = depth === 0 ? 1 + int(rng, 12) : int(rng, 6);
  for (let i = 0; i < fields; i++) document[randomKey(rng)] = randomValue(rng, depth);
  return document;
}

type Outcome = { value: unknown } | { error: string };
function outcome(decode: () => unknown): Outcome {
  try {
    return { value: decode() };
  } catch (error) {
    return { error: `${(error as Error).constructor.name}: ${(error as Error).message}` };
  }
}
const bsonOutcome = (bytes: Uint8Array) => outcome(() => BSON.deserialize(bytes, DRIVER_OPTIONS));
const ourOutcome = (bytes: Uint8Array) => outcome(() => decodeDocument(bytes));

/** isDeepStrictEqual finds two invalid Dates unequal; corrupted dates compare by their (NaN) time instead. */
function comparable(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? { invalidDate: true } : value;
  if (Array.isArray(value)) return value.map(comparable);
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) Object.defineProperty(copy, key, { value: comparable(inner), enumerable: true, writable: true, configurable: true });
    return copy;
  }
  return value;
}

function expectSame(bytes: Uint8Array, label: string): void {
  const expected = BSON.deserialize(bytes, DRIVER_OPTIONS);
  const actual = decodeDocument(bytes);
  if (!isDeepStrictEqual(actual, expected)) throw new Error(`${label}: decodeDocument differs from bson\nbson: ${BSON.EJSON.stringify(expected, { relaxed: false })}\nours: ${BSON.EJSON.stringify(actual, { relaxed: false })}`);
}

const testDb = useTestDatabase();

describe("decodeDocument", () => {
  test("DRIVER_OPTIONS are what a mongodb cursor passes to bson for each document it yields", async () => {
    const driverBson = require(require.resolve("bson", { paths: [path.dirname(require.resolve("mongodb"))] })) as typeof BSON;
    const documents = testDb.db.collection("driver_options");
    await documents.insertOne({ _id: 1 as never, n: new Long(5, 0), s: "x" });
    const deserialize = jest.spyOn(driverBson, "deserialize");
    let calls: Parameters<typeof BSON.deserialize>[];
    try {
      expect(await documents.find({ _id: 1 as never }).toArray()).toEqual([{ _id: 1, n: 5, s: "x" }]);
      calls = deserialize.mock.calls.filter((_, i) => isDeepStrictEqual(deserialize.mock.results[i].value, { _id: 1, n: 5, s: "x" }));
    } finally {
      deserialize.mockRestore();
    }
    expect(calls).toHaveLength(1);
    const passed = calls[0][1] as Record<string, unknown>;
    const read = ["fieldsAsRaw", "raw", "bsonRegExp", "promoteBuffers", "promoteLongs", "promoteValues", "useBigInt64", "validation", "allowObjectSmallerThanBufferSize"];
    expect(Object.fromEntries(read.filter((key) => key in passed).map((key) => [key, passed[key]]))).toEqual(DRIVER_OPTIONS);
    // What else the driver passes bson does not read, except the document's offset in the reply.
    expect(Object.keys(passed).filter((key) => !read.includes(key))).toContain("index");
  });

  test("5000 random documents of the fast-path types decode as bson does, on the fast path", () => {
    for (let seed = 1; seed <= 5000; seed++) {
      const bytes = BSON.serialize(randomDocument(prng(seed)));
      expectSame(bytes, `seed ${seed}`);
      if (tryDecodeDocument(bytes) === undefined) throw new Error(`seed ${seed}: left to bson although it holds only fast-path types`);
    }
  });

  test("int64: a number from -2^53 to 2^53 inclusive (bson's bounds), a Long beyond, Long.MIN/MAX included", () => {
    const bytes = BSON.serialize({ values: INT64_EDGES });
    const { values } = tryDecodeDocument(bytes)!;
    expect(values).toEqual([0, 1, -1, 2 ** 31, -(2 ** 31), 2 ** 32, -(2 ** 32), TWO_53 - 1, -(TWO_53 - 1), TWO_53, -TWO_53, expect.any(Long), expect.any(Long), expect.any(Long), expect.any(Long)]);
    expect((values as Long[]).slice(11).map(String)).toEqual(["9007199254740993", "-9007199254740993", "9223372036854775807", "-9223372036854775808"]);
    expect((values as Long[])[11]).toStrictEqual(new Long(1, 0x200000));
    expectSame(bytes, "int64 edges");
  });

  test("doubles keep -0, NaN, infinities and denormals; an int32 stays a number", () => {
    const bytes = BSON.serialize({ d: DOUBLE_EDGES.map((n) => new Double(n)), i: new Int32(-2147483648) });
    const decoded = tryDecodeDocument(bytes)!;
    expect(Object.is((decoded.d as number[])[1], -0)).toBe(true);
    expect((decoded.d as number[]).map(String)).toEqual(DOUBLE_EDGES.map(String));
    expect(decoded.i).toBe(-2147483648);
    expectSame(bytes, "double edges");
  });

  test("dates: epoch, before it, the far ends of the Date range, and beyond it (an invalid Date, as bson gives)", () => {
    const inRange = BSON.serialize({ dates: DATE_EDGES.map((t) => new Date(t)) });
    expect((tryDecodeDocument(inRange)!.dates as Date[]).map((d) => d.getTime())).toEqual(DATE_EDGES);
    expectSame(inRange, "dates");
    // Past ±8.64e15 ms and up to the int64 extremes: serialize the times as int64, then retype them as dates.
    const times = [Long.fromNumber(8.64e15 + 1), Long.fromNumber(-8.64e15 - 1), Long.MAX_VALUE, Long.MIN_VALUE, new Long(-1, 0x7fffffff), new Long(0, -1)];
    const bytes = Buffer.from(BSON.serialize({ t: times }));
    for (let at = bytes.indexOf(0x12); at !== -1; at = bytes.indexOf(0x12, at + 1)) if (bytes[at + 1] >= 0x30 && bytes[at + 1] <= 0x39 && bytes[at + 2] === 0) bytes[at] = 0x09;
    const expected = BSON.deserialize(bytes, DRIVER_OPTIONS).t as Date[];
    const actual = tryDecodeDocument(bytes)!.t as Date[];
    expect(actual.every((d) => d instanceof Date)).toBe(true);
    expect(actual.map((d) => d.getTime())).toEqual(expected.map((d) => d.getTime()));
    expect(actual.map((d) => d.getTime())).toEqual([NaN, NaN, NaN, NaN, NaN, -4294967296]);
  });

  test("field order, empty names, numeric and inherited names, empty strings, documents and arrays", () => {
    const document = { z: 1, "10": new Long(5, 0), "": "", a: {}, b: [], constructor: "x", toString: new Long(2, 0), valueOf: {}, "2": null };
    const bytes = BSON.serialize(document);
    const decoded = tryDecodeDocument(bytes)!;
    expect(Object.keys(decoded)).toEqual(Object.keys(BSON.deserialize(bytes, DRIVER_OPTIONS)));
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Array.isArray(decoded.b)).toBe(true);
    expectSame(bytes, "names");
  });

  test("an ObjectId is bson's class with the same bytes", () => {
    const id = new ObjectId("0123456789abcdefABCDEF00");
    const decoded = tryDecodeDocument(BSON.serialize({ _id: id }))!;
    expect(decoded._id).toBeInstanceOf(ObjectId);
    expect(isDeepStrictEqual(decoded._id, id)).toBe(true);
    expect((decoded._id as ObjectId).toHexString()).toBe("0123456789abcdefabcdef00");
  });

  test("a Uint8Array that is not a Buffer, and bytes after the document (ignored, as the driver allows)", () => {
    const bytes = BSON.serialize({ a: new Long(7, 0), s: "x" });
    const padded = new Uint8Array(bytes.length + 9);
    padded.set(bytes, 3);
    const view = padded.subarray(3);
    expect(Buffer.isBuffer(view)).toBe(false);
    expect(tryDecodeDocument(view)).toEqual({ a: 7, s: "x" });
    expectSame(view, "trailing bytes");
  });

  describe("everything else is bson's own result", () => {
    /** `{ u: null }` retyped as the deprecated undefined (0x06), which BSON.serialize no longer writes. */
    const undefinedElement = Buffer.from(BSON.serialize({ u: null }));
    undefinedElement[4] = 0x06;
    const cases: Record<string, Document | Buffer> = {
      binary: { b: new Binary(Buffer.from([1, 2, 3])), old: new Binary(Buffer.from([4]), 2) },
      uuid: { u: new UUID("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0") },
      decimal128: { d: Decimal128.fromString("1.5") },
      timestamp: { t: new Timestamp({ t: 5, i: 7 }) },
      regexp: { r: /a+b/imsu },
      bsonRegExp: { r: new BSONRegExp("x", "smx") },
      minKey: { m: new MinKey() },
      maxKey: { m: new MaxKey() },
      code: { c: new Code("return 1") },
      codeWithScope: { c: new Code("return x", { x: new Long(3, 0) }) },
      symbol: { s: new BSONSymbol("sym") },
      undefined: undefinedElement,
      dbRef: { r: new DBRef("coll", new ObjectId(), "db", { extra: 1 }) },
      dbRefLike: { r: { $ref: "coll", $id: new Long(5, 0) } },
      dbRefLikeRoot: { $ref: "coll", $id: 5, other: "x" },
      dollarNotDbRef: { r: { $ref: "coll", $id: 1, $where: "x" }, $set: 1 },
      nestedDeep: { a: [{ b: [{ c: new Decimal128("0") }] }] },
      // fieldsAsRaw is `{}`: bson finds Object.prototype.toString there and leaves the array's documents raw.
      arrayNamedLikeObjectPrototype: { toString: [{ a: 1 }], constructor: [[{ b: 2 }]] },
    };
    for (const [name, document] of Object.entries(cases)) {
      test(name, () => {
        const bytes = Buffer.isBuffer(document) ? document : BSON.serialize(document);
        expect(tryDecodeDocument(bytes)).toBeUndefined();
        expectSame(bytes, name);
      });
    }
    test("a DBRef-like document becomes a DBRef, as with bson", () => {
      const decoded = decodeDocument(BSON.serialize({ r: { $ref: "coll", $id: new Long(5, 0) } }));
      expect(decoded.r).toBeInstanceOf(DBRef);
    });
    test("a __proto__ field is an own property, the prototype untouched", () => {
      const bytes = Buffer.from(BSON.serialize({ xxxxxxxxx: { a: 1 }, ok: new Long(1, 0) }));
      bytes.write("__proto__", bytes.indexOf("xxxxxxxxx"), "latin1");
      expect(tryDecodeDocument(bytes)).toBeUndefined();
      const decoded = decodeDocument(bytes);
      expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
      expect(Object.keys(decoded)).toEqual(["__proto__", "ok"]);
      expectSame(bytes, "__proto__");
    });
    test("more than 100 levels of nesting", () => {
      let deep: Document = { leaf: new Long(1, 0) };
      for (let i = 0; i < 150; i++) deep = { d: deep };
      const bytes = BSON.serialize(deep);
      expect(tryDecodeDocument(bytes)).toBeUndefined();
      expectSame(bytes, "deep");
    });
  });

  describe("UTF-8", () => {
    const invalid: Record<string, number[]> = {
      "a lone continuation byte": [0x61, 0x80],
      "a truncated 2-byte sequence": [0xc3, 0x28],
      "an overlong encoding": [0xc0, 0xaf],
      "an encoded surrogate": [0xed, 0xa0, 0x80],
      "a truncated 4-byte sequence": [0xf0, 0x9f, 0x98],
      "a code point past U+10FFFF": [0xf4, 0x90, 0x80, 0x80],
    };
    /** `{ <key>: <value> }` with raw bytes for both, nested one level down when asked. */
    function rawDocument(key: number[], value: number[], nested: boolean): Buffer {
      const element = Buffer.from([0x02, ...key, 0, ...int32(value.length + 1), ...value, 0]);
      const inner = Buffer.concat([Buffer.from(int32(element.length + 5)), element, Buffer.from([0])]);
      if (!nested) return inner;
      const outer = Buffer.concat([Buffer.from([0x03, 0x6e, 0]), inner]);
      return Buffer.concat([Buffer.from(int32(outer.length + 5)), outer, Buffer.from([0])]);
    }
    const int32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];

    for (const [name, bytes] of Object.entries(invalid)) {
      for (const nested of [false, true]) {
        test(`a string value with ${name}${nested ? " in a subdocument" : ""} throws bson's error`, () => {
          const document = rawDocument([0x73], bytes, nested);
          const expected = bsonOutcome(document);
          expect(expected).toEqual({ error: "BSONError: Invalid UTF-8 string in BSON document" });
          expect(ourOutcome(document)).toEqual(expected);
        });
        test(`a field name with ${name}${nested ? " in a subdocument" : ""} decodes as bson does (bson does not validate names)`, () => {
          const document = rawDocument(bytes, [0x76], nested);
          const expected = bsonOutcome(document);
          expect("value" in expected).toBe(true);
          expect(ourOutcome(document)).toEqual(expected);
          const decoded = decodeDocument(document);
          expect(Object.keys(nested ? decoded.n : decoded)[0]).toContain("\uFFFD");
          expectSame(document, name);
        });
      }
    }

    test("valid 2-, 3- and 4-byte characters, in names and values, and a real U+FFFD", () => {
      const bytes = BSON.serialize({ "é中😀": "ß€𝄞", ["x".repeat(30) + "é"]: ["中".repeat(50)], r: "a\uFFFDb" });
      expectSame(bytes, "unicode");
      expect(decodeDocument(bytes).r).toBe("a\uFFFDb");
    });
  });

  describe("malformed documents throw bson's own error", () => {
    /** A document of the given element bytes, its size field computed, closed by its 0. */
    const doc = (...elements: number[][]): number[] => {
      const body = elements.flat();
      return [...le32(body.length + 5), ...body, 0];
    };
    const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
    const nullField = [0x0a, 0x74, 0];
    const cases: Record<string, number[]> = {
      "a string of size 0 (its size field ends in 0, like a terminator)": doc([0x02, 0x73, 0, ...le32(0)], nullField),
      "a negative string size": doc([0x02, 0x73, 0, ...le32(-1), 0x61, 0]),
      "a string size past the document": doc([0x02, 0x73, 0, ...le32(9), 0x61, 0], nullField),
      "a string without its 0": doc([0x02, 0x73, 0, ...le32(2), 0x61, 0x62], nullField),
      "a boolean byte of 2": doc([0x08, 0x62, 0, 2]),
      "a subdocument one byte longer than its bytes": doc([0x03, 0x64, 0, ...le32(6), 0x0a, 0x61, 0, 0]),
      "a subdocument whose last byte is not 0": doc([0x03, 0x64, 0, ...le32(5), 0, 0, 0, 0, 7], nullField),
      "a subdocument of size 4": doc([0x03, 0x64, 0, ...le32(4)], nullField),
      "an array running past its parent": doc([0x04, 0x61, 0, ...le32(13), 0x10, 0x30, 0, 1, 0, 0, 0, 0]),
      "a terminator before the end": doc(nullField, [0], nullField),
      "an int64 cut short by the end": doc([0x12, 0x6e, 0, 1, 2, 3, 4]),
      "a date cut short by the end": doc([0x09, 0x6e, 0, 1, 2, 3, 4]),
      "an ObjectId cut short by the end": doc([0x07, 0x6f, 0, 1, 2, 3, 4, 5, 6, 7, 8]),
      "a field name without its 0": doc([0x0a, 0x61, 0x62]),
      "an unknown element type": doc([0x20, 0x61, 0]),
      "a size field larger than the bytes": [...le32(40), 0x0a, 0x61, 0, 0],
      "a size field under 5": [...le32(4), 0x0a, 0x61, 0, 0],
      "four bytes": [5, 0, 0, 0],
    };
    for (const [name, bytes] of Object.entries(cases)) {
      test(name, () => {
        const buffer = Buffer.from(bytes);
        const expected = bsonOutcome(buffer);
        expect(expected).toEqual({ error: expect.stringMatching(/Error: /) });
        expect(ourOutcome(buffer)).toEqual(expected);
      });
    }
  });

  test("corrupted and truncated documents: decodeDocument throws exactly when bson throws, else equals it", () => {
    let threw = 0;
    let decoded = 0;
    let fastDecoded = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const rng = prng(seed * 7919);
      const original = Buffer.from(BSON.serialize(randomDocument(rng)));
      const bytes = Buffer.from(original);
      const kind = seed % 4;
      if (kind === 0) {
        // Truncated, with the outer size and terminator made to agree: the inner sizes no longer do.
        const length = 5 + int(rng, original.length - 5);
        const cut = Buffer.from(original.subarray(0, length));
        cut.writeInt32LE(length, 0);
        cut[length - 1] = 0;
        check(cut);
        continue;
      }
      const flips = 1 + int(rng, 3);
      for (let i = 0; i < flips; i++) {
        const at = kind === 1 ? 4 + int(rng, bytes.length - 4) : int(rng, bytes.length);
        bytes[at] = kind === 2 ? pick(rng, [0, 1, 0xff, 0x7f, 0x80, 0x02, 0x03, 0x04, 0x12]) : int(rng, 256);
      }
      check(bytes);
    }
    function check(bytes: Buffer): void {
      const expected = bsonOutcome(bytes);
      const actual = ourOutcome(bytes);
      if ("error" in expected) {
        threw++;
        expect(actual).toEqual(expected);
      } else {
        decoded++;
        if (tryDecodeDocument(bytes) !== undefined) fastDecoded++;
        if (!("value" in actual) || !isDeepStrictEqual(comparable(actual.value), comparable(expected.value))) {
          throw new Error(`differs from bson on ${bytes.toString("hex")}: ${JSON.stringify(actual)}`);
        }
      }
    }
    // Both outcomes occur often enough for the comparison to mean something.
    expect(threw).toBeGreaterThan(500);
    expect(decoded).toBeGreaterThan(500);
    expect(fastDecoded).toBeGreaterThan(200);
  });
});
