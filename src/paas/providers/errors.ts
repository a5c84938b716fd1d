/**
 * The two failures of the PaaS model, independent of the interface: REST answers them with
 * upstream's bodies (400 `VALIDATION_ERROR` / 404 `ERROR`), GraphQL with `BAD_USER_INPUT` / `NOT_FOUND`.
 */
export class PaasValidationError extends Error {
  constructor(readonly fields: Record<string, string[]>) {
    super(validationDetail(fields));
    this.name = "PaasValidationError";
  }
}

export class PaasNotFoundError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = "PaasNotFoundError";
  }
}

/** blue-krill's `stringify_validation_error`: every message as `field: msg`, sorted, the first one. */
function validationDetail(fields: Record<string, string[]>): string {
  const messages = Object.entries(fields).flatMap(([field, list]) => list.map((message) => `${field}: ${message}`));
  return messages.sort()[0] ?? "invalid input";
}
