import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Years 2000..2999 in epoch milliseconds: a number below is a unit mistake (epoch seconds), not a date. */
const MIN_MS = 946_684_800_000;
const MAX_MS = 32_503_680_000_000;

function toDate(value: unknown): Date {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < MIN_MS || value > MAX_MS) throw new GraphQLError(`Instant cannot represent ${value}: epoch milliseconds from 2000 to 2999 (epoch seconds are too small)`);
    return new Date(value);
  }
  if (typeof value === "string") {
    if (/^\d{1,16}$/.test(value)) return toDate(Number(value));
    const time = ISO_DATE_TIME.test(value) ? Date.parse(value) : NaN;
    if (Number.isNaN(time)) throw new GraphQLError(`Instant cannot represent "${value.slice(0, 64)}": an ISO-8601 date-time with a zone (2026-01-05T08:10:00Z) or epoch milliseconds`);
    return new Date(time);
  }
  throw new GraphQLError("Instant is an ISO-8601 date-time string or epoch milliseconds");
}

/**
 * An input point in time given either way dashboards hold one: ISO-8601 (`${__from:date:iso}`) or
 * epoch milliseconds (Grafana's `$__from`, the Wild GraphQL data source's `from`/`to` variables).
 */
export const GraphQLInstant = new GraphQLScalarType<Date, string>({
  name: "Instant",
  description: "A point in time: an ISO-8601 date-time with a zone (2026-01-05T08:10:00Z), or epoch milliseconds as a number or digits (1767600600000). Answered as ISO-8601.",
  serialize: (value) => (value instanceof Date ? value : toDate(value)).toISOString(),
  parseValue: toDate,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return toDate(Number(ast.value));
    if (ast.kind === Kind.STRING) return toDate(ast.value);
    throw new GraphQLError("Instant is an ISO-8601 date-time string or epoch milliseconds", { nodes: ast });
  },
});
