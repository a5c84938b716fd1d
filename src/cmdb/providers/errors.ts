/** A bk-cmdb business error: its upstream code and English message (resources/errors/english). */
export class CmdbApiError extends Error {
  override name = "CmdbApiError";
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** The upstream codes of list_process_related_info (src/common/errInfo.go). */
export const BkErrorCode = {
  JsonUnmarshalFailed: 1199000,
  HttpRequestFailed: 1199002,
  ParamsInvalid: 1199006,
  ParamsIsInvalid: 1199011,
  /** Placeholder until checked against upstream's errInfo.go: an unauthenticated request. */
  AuthenticationFailed: 1199002,
} as const;

export const bkErrors = {
  jsonUnmarshalFailed: () => new CmdbApiError(BkErrorCode.JsonUnmarshalFailed, "Deserializing JSON data failed"),
  /** `CCErrCommParamsInvalid`: "'<arg>' data parameter verification does not pass". */
  paramsInvalid: (arg: string) => new CmdbApiError(BkErrorCode.ParamsInvalid, `'${arg}' data parameter verification does not pass`),
  /** `CCErrCommParamsIsInvalid`: "'<arg>' the parameter is invalid or does not exist". */
  paramsIsInvalid: (arg: string) => new CmdbApiError(BkErrorCode.ParamsIsInvalid, `'${arg}' the parameter is invalid or does not exist`),
  httpRequestFailed: () => new CmdbApiError(BkErrorCode.HttpRequestFailed, "HTTP request failed"),
};
