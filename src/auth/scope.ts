/**
 * What one caller may read: a set of CMDB businesses (`bk_biz_id`) and PaaS apps (codes), or all.
 * Everything outside it answers as if it did not exist.
 */
export class AccessScope {
  static readonly ALL = new AccessScope("all", "all");

  constructor(
    readonly cmdbBusinesses: ReadonlySet<number> | "all",
    readonly paasApps: ReadonlySet<string> | "all",
  ) {}

  allowsCmdbBusiness(bizId: number): boolean {
    return this.cmdbBusinesses === "all" || this.cmdbBusinesses.has(bizId);
  }

  allowsPaasApp(code: string): boolean {
    return this.paasApps === "all" || this.paasApps.has(code);
  }

  /** No CMDB business is allowed: every CMDB read answers empty without a query. */
  get noCmdbBusinesses(): boolean {
    return this.cmdbBusinesses !== "all" && this.cmdbBusinesses.size === 0;
  }

  /** No PaaS app is allowed: every PaaS read answers empty without a query. */
  get noPaasApps(): boolean {
    return this.paasApps !== "all" && this.paasApps.size === 0;
  }

  /** A MongoDB condition on a business-id field, or undefined when every business is allowed. */
  cmdbBusinessFilter(field = "bk_biz_id"): Record<string, unknown> | undefined {
    return this.cmdbBusinesses === "all" ? undefined : { [field]: { $in: [...this.cmdbBusinesses] } };
  }

  /** A MongoDB condition on an app-code field, or undefined when every app is allowed. */
  paasAppFilter(field: string): Record<string, unknown> | undefined {
    return this.paasApps === "all" ? undefined : { [field]: { $in: [...this.paasApps] } };
  }

  toJSON(): ScopeDefinition {
    return {
      cmdbBusinesses: this.cmdbBusinesses === "all" ? "*" : [...this.cmdbBusinesses].sort((a, b) => a - b),
      paasApps: this.paasApps === "all" ? "*" : [...this.paasApps].sort(),
    };
  }
}

/** The stored and configured form: `"*"` for all, or a list (possibly empty: nothing). */
export interface ScopeDefinition {
  cmdbBusinesses: "*" | number[];
  paasApps: "*" | string[];
}

export class ScopeDefinitionError extends Error {
  override name = "ScopeDefinitionError";
}

const APP_CODE = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export function parseScope(value: unknown, where: string): AccessScope {
  if (value === "all" || value === "*") return AccessScope.ALL;
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new ScopeDefinitionError(`${where}: a scope is "*" or {"cmdbBusinesses": "*" | [ids], "paasApps": "*" | [codes]}`);
  }
  const { cmdbBusinesses, paasApps, ...rest } = value as Record<string, unknown>;
  const unknownKeys = Object.keys(rest);
  if (unknownKeys.length > 0) throw new ScopeDefinitionError(`${where}: unknown scope key ${unknownKeys[0]}`);
  const businesses =
    cmdbBusinesses === "*"
      ? ("all" as const)
      : Array.isArray(cmdbBusinesses ?? []) && ((cmdbBusinesses ?? []) as unknown[]).every((id) => Number.isSafeInteger(id) && (id as number) >= 0)
        ? new Set((cmdbBusinesses ?? []) as number[])
        : undefined;
  if (!businesses) throw new ScopeDefinitionError(`${where}: cmdbBusinesses must be "*" or a list of business ids`);
  const apps =
    paasApps === "*"
      ? ("all" as const)
      : Array.isArray(paasApps ?? []) && ((paasApps ?? []) as unknown[]).every((code) => typeof code === "string" && APP_CODE.test(code))
        ? new Set((paasApps ?? []) as string[])
        : undefined;
  if (!apps) throw new ScopeDefinitionError(`${where}: paasApps must be "*" or a list of app codes`);
  return new AccessScope(businesses, apps);
}
