/*
 * procgraph's own collections of the cross-model domain and their typed documents
 * (docs/graph.md, "App ↔ business links"; docs/dashboards.md, "Health history").
 */

/**
 * The operator's mapping between PaaS apps and CMDB businesses (`npm run link`). An app belongs to
 * at most one business; a business has any number of apps.
 */
export const APP_BUSINESS_LINKS = "procgraph_app_business_links";

export interface AppBusinessLinkDoc {
  /** The app code. */
  _id: string;
  bk_biz_id: number;
  updated_at: Date;
}

/** The health samples the sampler takes every HEALTH_HISTORY_INTERVAL (docs/dashboards.md, "Health history"). */
export const HEALTH_HISTORY = "procgraph_health_history";

/** Health counts as `[total, healthy, unhealthy, stopped, unknown]`: a sample holds many. */
export type HealthTuple = [number, number, number, number, number];

/**
 * One sample: the counts of every app and the CMDB process count of every business at the start of
 * one interval slot. `_id` is the slot's start (epoch ms): one sample per slot, whoever writes it.
 */
export interface HealthSampleDoc {
  _id: number;
  /** The slot's start again, as a date: what the TTL index expires on. */
  time: Date;
  /** When the aggregations ran (a little after the slot's start). */
  sampledAt: Date;
  /** Every PaaS app: code, the business it was linked to (or null), its processes' health. */
  apps: Array<{ k: string; b: number | null; h: HealthTuple }>;
  /** CMDB processes per business (`k` null: processes without a business). */
  businesses: Array<{ k: number | null; n: number }>;
}
