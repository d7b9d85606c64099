import type { ServiceContext } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";
import { parseImportFile } from "./parse";
import { previewOf } from "./preview";
import { createImport } from "./run";

export type UploadOutcome = { ok: true; preview: ReturnType<typeof previewOf> } | { ok: false; status: 400; message: string; field?: string };

/**
 * Issue 13: a CSV file up to 20 MB becomes a draft import and its preview; staff start it after
 * reading the preview. Only a clinic's admins may import (rules N1, C5): the route's guard says who.
 */
export async function uploadImport(ctx: ServiceContext, input: { text: string }): Promise<UploadOutcome> {
  try {
    const file = parseImportFile(input.text);
    const importId = await createImport(ctx, { file, start: false, sendInvitations: false });
    return { ok: true, preview: previewOf(file, importId) };
  } catch (error) {
    if (error instanceof DomainError && error.kind === "invalid") return { ok: false, status: 400, message: error.message, field: error.field };
    throw error;
  }
}
