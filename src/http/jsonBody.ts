import express, { type RequestHandler } from "express";

/** The media types the short road takes (how clients spell JSON in UTF-8); any other goes to body-parser. */
const PLAIN_JSON_TYPES = new Set(["application/json", "application/json; charset=utf-8", "application/json;charset=utf-8", "application/json; charset=UTF-8"]);

const BYTE_ORDER_MARK = 0xfeff;

/** A refusal as body-parser makes it: the HTTP status and the `type` the JSON error handler reads (rest.ts). */
function bodyError(status: number, type: string, message: string): Error {
  return Object.assign(new Error(message), { status, statusCode: status, type, expose: true });
}

/** body-parser's JSON in strict mode: an object or an array, as its json() parser accepts. */
function parseStrictJson(text: string): unknown {
  let start = text.charCodeAt(0) === BYTE_ORDER_MARK ? 1 : 0;
  while (start < text.length && (text[start] === " " || text[start] === "\t" || text[start] === "\n" || text[start] === "\r")) start++;
  if (text[start] !== "{" && text[start] !== "[") throw bodyError(400, "entity.parse.failed", `Unexpected token ${JSON.stringify(text[start] ?? "")} in JSON: not an object or array`);
  try {
    return JSON.parse(start === 0 ? text : text.slice(start));
  } catch (error) {
    throw bodyError(400, "entity.parse.failed", (error as Error).message);
  }
}

/**
 * `express.json({ limit })` with a short road of its own for the request nearly every client sends:
 * a JSON body in UTF-8 of declared length (Content-Length, up to the limit), neither compressed nor
 * chunked. That road reads the bytes with three listeners and parses them; body-parser's (media-type
 * matching, charset lookup, raw-body's five listeners and stream decoder) cost a trivial query
 * about a twentieth of its CPU. Every other request (chunked, compressed, another charset or media
 * type, an empty or too large body) takes body-parser's road, so its refusals (413, 415, 400) stay
 * body-parser's; the short road's parse errors carry the same status and type. (`bodyParser`: that
 * other road, given by tests to see which road a request took.)
 */
export function jsonBody(limitBytes: number, bodyParser: RequestHandler = express.json({ limit: limitBytes })): RequestHandler {
  return (req, res, next) => {
    const headers = req.headers;
    const declared = headers["content-length"];
    const type = headers["content-type"];
    if (declared === undefined || type === undefined || headers["transfer-encoding"] !== undefined || headers["content-encoding"] !== undefined || !PLAIN_JSON_TYPES.has(type) || req.readableEnded) {
      return bodyParser(req, res, next);
    }
    const length = Number(declared);
    if (!(length > 0 && length <= limitBytes)) return bodyParser(req, res, next);

    let first: Buffer | undefined;
    let more: Buffer[] | undefined;
    let settled = false;
    req.on("data", (chunk: Buffer) => {
      if (first === undefined) first = chunk;
      else (more ??= [first]).push(chunk);
    });
    req.on("error", () => {
      if (settled) return;
      settled = true;
      next(bodyError(400, "request.aborted", "request aborted"));
    });
    req.on("end", () => {
      if (settled) return;
      settled = true;
      // Node's parser delivers exactly Content-Length bytes, or ends the request with an error.
      const bytes = more ? Buffer.concat(more) : first;
      try {
        req.body = parseStrictJson(bytes === undefined ? "" : bytes.toString("utf8"));
      } catch (error) {
        return next(error);
      }
      next();
    });
  };
}
