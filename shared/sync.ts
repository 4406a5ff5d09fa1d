/**
 * The sync's domain: policy (settings schema with defaults), the normalised source model, plan items, guard
 * verdicts, run history and progress events. Pure TS + zod: the renderer, the services and every host share it.
 *
 * Each concept has its own file; this module gathers them so importers need one path.
 */
import type { GuardVerdict, PlanRisk } from './brake';

export type { GuardVerdict, PlanRisk };
export * from './sync-policy';
export * from './sync-source';
export * from './sync-plan';
export * from './sync-run';
export * from './directory-browser';
