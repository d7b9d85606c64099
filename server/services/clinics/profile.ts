import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { clinicLogos, clinics } from "@/db/schema";
import { type clinicProfileInput, LOGO_MAX_BYTES } from "@/server/schemas/clinic-profile";
import { auditBy } from "@/server/kernel/audit";
import { withTransaction, type ServiceContext } from "@/server/kernel/context";
import { DomainError } from "@/server/kernel/errors";

export const logoPath = (logoId: string) => `/api/logos/${logoId}`;

export async function clinicProfile(ctx: ServiceContext) {
  const [row] = await ctx.db
    .select({ name: clinics.name, brandColor: clinics.brandColor, addressLine: clinics.addressLine, phone: clinics.phone, website: clinics.website, logoId: clinics.logoId })
    .from(clinics)
    .where(eq(clinics.id, ctx.clinicId));
  if (!row) throw new DomainError("not_found", "No such clinic.");
  const { logoId, ...profile } = row;
  return { ...profile, logoUrl: logoId ? logoPath(logoId) : null };
}

export async function updateClinicProfile(ctx: ServiceContext, input: z.output<typeof clinicProfileInput>) {
  const values = input;
  await withTransaction(ctx, async (txCtx) => {
    const { db: tx, actor, clinicId } = txCtx;
    const before = await clinicProfile(txCtx);
    await tx.update(clinics).set(values).where(eq(clinics.id, clinicId));
    await auditBy(tx, actor, { clinicId, action: "clinic.profile", targetType: "clinic", targetId: clinicId, before, after: values });
  });
  return clinicProfile(ctx);
}

/** The image's type by its first bytes, never by what the upload claims: PNG, JPEG or WebP (no SVG: it can carry script). */
export function imageTypeOf(bytes: Uint8Array): "image/png" | "image/jpeg" | "image/webp" | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return "image/webp";
  return null;
}

/** Issue 13: a new logo for the clinic, checked by size and type; the old one stays for pages still cached. */
export async function saveLogo(ctx: ServiceContext, input: { bytes: Uint8Array }) {
  if (input.bytes.byteLength === 0) throw new DomainError("invalid", "Choose an image file for the logo.", "logo");
  if (input.bytes.byteLength > LOGO_MAX_BYTES) throw new DomainError("invalid", "The logo is larger than 1 MB. Use a smaller image.", "logo");
  const contentType = imageTypeOf(input.bytes);
  if (!contentType) throw new DomainError("invalid", "Use a PNG, JPEG or WebP image for the logo.", "logo");
  return withTransaction(ctx, async ({ db: tx, actor, clinicId }) => {
    const [logo] = await tx.insert(clinicLogos).values({ clinicId, contentType, bytes: input.bytes }).returning({ id: clinicLogos.id });
    if (!logo) throw new Error("the logo was not stored");
    await tx.update(clinics).set({ logoId: logo.id }).where(eq(clinics.id, clinicId));
    await auditBy(tx, actor, { clinicId, action: "clinic.logo", targetType: "clinic", targetId: clinicId, after: { logoId: logo.id, contentType, bytes: input.bytes.byteLength } });
    return { logoUrl: logoPath(logo.id) };
  });
}

/** A public lookup: logos are served by their id to anyone (sign-in pages, emails), before any clinic or actor is known. */
export async function logoById(ctx: { db: Db }, input: { logoId: string }) {
  const [row] = await ctx.db.select({ contentType: clinicLogos.contentType, bytes: clinicLogos.bytes }).from(clinicLogos).where(eq(clinicLogos.id, input.logoId));
  return row ?? null;
}

export type LogoUploadOutcome = { ok: true; logoUrl: string } | { ok: false; status: 400; message: string };

/** The upload route's decision for a clinic admin the guard let through (rules N1, C5; the route builds `ctx` from it); the file checked by saveLogo. */
export async function uploadLogo(ctx: ServiceContext, input: { bytes: Uint8Array }): Promise<LogoUploadOutcome> {
  try {
    return { ok: true, ...(await saveLogo(ctx, { bytes: input.bytes })) };
  } catch (error) {
    if (error instanceof DomainError && error.kind === "invalid") return { ok: false, status: 400, message: error.message };
    throw error;
  }
}
