import type { PaasEnvName, PaasResourceKind } from "./collections";

/**
 * Upstream's identifier rules (bk-paas `AppIDField` / `ModuleNameField`; docs/paas.md, "Identifier
 * rules") and procgraph's stored keys. App codes and module names never contain `/`, so the composite `_id`s below are
 * unambiguous and can be split again.
 */

export const ENV_NAMES: readonly PaasEnvName[] = ["stag", "prod"];
const RESERVED = ["-dot-", "0us0", "--", "-m-"];

function dnsSafe(value: string, min: number, max: number): boolean {
  return (
    value.length >= min &&
    value.length <= max &&
    /^[a-z0-9-]+$/.test(value) &&
    !/^[0-9]/.test(value) &&
    !value.startsWith("-") &&
    !value.endsWith("-") &&
    !RESERVED.some((word) => value.includes(word))
  );
}

/** `^[a-z0-9-]{3,20}$`, no leading digit, no leading/trailing `-`, none of `-dot-`, `0us0`, `--`, `-m-`. */
export function isValidAppCode(code: string): boolean {
  return dnsSafe(code, 3, 20);
}

/** The same rules as an app code, at most 16 characters. */
export function isValidModuleName(name: string): boolean {
  return dnsSafe(name, 1, 16);
}

export function isEnvName(value: string): value is PaasEnvName {
  return (ENV_NAMES as readonly string[]).includes(value);
}

export const moduleId = (appCode: string, moduleName: string): string => `${appCode}/${moduleName}`;
export const envId = (appCode: string, moduleName: string, environment: PaasEnvName): string => `${moduleId(appCode, moduleName)}/${environment}`;
/** Processes are keyed by type, specs by name (= process type), instances by pod name. */
export const childId = (env: string, name: string): string => `${env}/${name}`;
export const resourceVersionId = (env: string, kind: PaasResourceKind): string => `${env}/${kind}`;

/** The app a stored key belongs to: every PaaS `_id` and parent key starts with its app code. */
export const appCodeOfKey = (key: string): string => {
  const end = key.indexOf("/");
  return end < 0 ? key : key.slice(0, end);
};

/** The module of a module environment `_id` (`{app_code}/{module_name}/{environment}`). */
export const moduleIdOfEnv = (env: string): string => env.slice(0, env.lastIndexOf("/"));

/** `^(?:a|b)/`: keys of these apps (every PaaS key starts with its app code). Codes are validated, and escaped anyway. */
export function appPrefix(codes: readonly string[]): RegExp {
  return new RegExp(`^(?:${codes.map((code) => code.replace(/[^a-z0-9]/g, (c) => `\\${c}`)).join("|")})/`);
}

export interface EnvScope {
  appCode: string;
  moduleName: string;
  moduleId: string;
  environment: PaasEnvName;
}

/** Splits a module environment `_id` (`{app_code}/{module_name}/{environment}`). */
export function envScope(env: string): EnvScope {
  const [appCode, moduleName, environment] = env.split("/");
  return { appCode, moduleName, moduleId: moduleId(appCode, moduleName), environment: environment as PaasEnvName };
}
