import type { Db } from "@/db/client";
import { staffActor } from "@/server/events/actor";
import { loadActor } from "../accounts";
import { DomainError } from "../errors";
import { parseImportFile } from "./parse";
import { previewOf } from "./preview";
import { createImport } from "./run";

export type UploadOutcome = { ok: true; preview: ReturnType<typeof previewOf> } | { ok: false; status: 400 | 401 | 403; message: string; field?: string };

/**
 * Issue 13: a CSV file up to 20 MB becomes a draft import and its preview; staff start it after
 * reading the preview. Only a clinic's admins may import (rules N1, C5).
 */
export async function uploadImport(db: Db, input: { userId: string | null; text: string }): Promise<UploadOutcome> {
  if (!input.userId) return { ok: false, status: 401, message: "Please sign in to import patients." };
  const user = await loadActor(db, input.userId);
  if (!user) return { ok: false, status: 401, message: "Your session has ended. Please sign in again." };
  if (!user.clinicId || user.role !== "admin") return { ok: false, status: 403, message: "Only the clinic's admins can import patients." };
  try {
    const file = parseImportFile(input.text);
    const importId = await createImport(db, { ...staffActor(user.id, user.clinicId), clinicId: user.clinicId }, { file, start: false, sendInvitations: false });
    return { ok: true, preview: previewOf(file, importId) };
  } catch (error) {
    if (error instanceof DomainError && error.code === "BAD_REQUEST") return { ok: false, status: 400, message: error.message, field: error.field };
    throw error;
  }
}
