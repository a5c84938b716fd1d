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

/** The upstream codes of list_process_related_info and its refusals (src/common/errInfo.go). */
export const BkErrorCode = {
  JsonUnmarshalFailed: 1199000,
  HttpRequestFailed: 1199002,
  ParamsInvalid: 1199006,
  ParamsIsInvalid: 1199011,
  /**
   * `CCErrAPINoPassSourceCertification`: the API server's answer when the caller's credentials
   * (the API gateway's JWT) do not pass (src/apiserver/service/filter.go `JwtFilter`).
   */
  NoPassSourceCertification: 1100004,
  /** `CCErrTooManyRequestErr`: the API server's rate limiter (src/apiserver/service/filter.go `LimiterFilter`). */
  TooManyRequests: 1199997,
} as const;

export const bkErrors = {
  jsonUnmarshalFailed: () => new CmdbApiError(BkErrorCode.JsonUnmarshalFailed, "Deserializing JSON data failed"),
  /** `CCErrCommParamsInvalid`: "'<arg>' data parameter verification does not pass". */
  paramsInvalid: (arg: string) => new CmdbApiError(BkErrorCode.ParamsInvalid, `'${arg}' data parameter verification does not pass`),
  /** `CCErrCommParamsIsInvalid`: "'<arg>' the parameter is invalid or does not exist". */
  paramsIsInvalid: (arg: string) => new CmdbApiError(BkErrorCode.ParamsIsInvalid, `'${arg}' the parameter is invalid or does not exist`),
  httpRequestFailed: () => new CmdbApiError(BkErrorCode.HttpRequestFailed, "HTTP request failed"),
  /** 1199997 "too many requests", as upstream's rate limiter answers it. */
  tooManyRequests: () => new CmdbApiError(BkErrorCode.TooManyRequests, "too many requests"),
  /** 1100004 "call source authentication failed." (resources/errors/english/en/apiserver.json), with procgraph's reason. */
  noPassSourceCertification: (reason: string) => new CmdbApiError(BkErrorCode.NoPassSourceCertification, `call source authentication failed: ${reason}`),
};
