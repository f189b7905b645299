/** Runs the detectors a set of kinds asks for over one string and resolves their overlaps. */
import { findAssignments } from "./assignments";
import { findKubernetesSecrets, findPemBlocks } from "./blocks";
import { findCurlUser, findUrlCredentials } from "./context";
import { type Finding, resolveOverlaps } from "./finding";
import type { RedactKind } from "./kinds";
import { findEmails, findHomeUsers } from "./personal";
import { findShapes } from "./shapes";

export function detect(s: string, kinds: readonly RedactKind[]): Finding[] {
  const out: Finding[] = [];
  if (s.length < 4) return out;
  if (kinds.includes("secrets")) {
    findShapes(s, out);
    findPemBlocks(s, out);
    findKubernetesSecrets(s, out);
    findCurlUser(s, out);
    findUrlCredentials(s, out);
    findAssignments(s, out); // also `Authorization:` header values, at their operator
  }
  if (kinds.includes("paths")) findHomeUsers(s, out);
  if (kinds.includes("emails")) findEmails(s, out);
  return resolveOverlaps(out);
}
