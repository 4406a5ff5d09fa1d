import { z } from 'zod';
import { networkInputShape, type NetworkProblem, type NetworkTestResult, type NetworkView } from '../network';

/** Settings → Network: proxy, an extra trusted CA certificate, custom cloud endpoints; and a test of them. */
export const networkRequests = {
  'network:get': z.undefined(),
  /** Validates everything first; nothing is written unless all of it is right. */
  'network:save': networkInputShape,
  /** Tests the given (unsaved) values: reaches the cloud's token host as the next test or sync would. */
  'network:test': networkInputShape,
} as const;

/** A save either takes effect (the next test or sync uses it) or names every field to correct. */
export type NetworkSaveResult =
  { readonly saved: true; readonly view: NetworkView } | { readonly saved: false; readonly problems: readonly NetworkProblem[] };

/** A test either ran, or could not run because a field is wrong. */
export type NetworkTestAnswer =
  | { readonly tested: true; readonly result: NetworkTestResult }
  | { readonly tested: false; readonly problems: readonly NetworkProblem[] };

export interface NetworkResults {
  'network:get': NetworkView;
  'network:save': NetworkSaveResult;
  'network:test': NetworkTestAnswer;
}

export type NetworkEvents = Record<never, never>;
