import { z } from "zod";
import { apiKeySummary, createApiKeyInput, revokeApiKeyInput } from "@/server/schemas/api";
import { createApiKey, listApiKeys, revokeApiKey } from "@/server/services/integrations/api-keys";
import { adminProcedure, platformProcedure } from "@/server/trpc";

const created = z.object({ key: z.string(), apiKey: apiKeySummary });

/** API keys for the REST API (rule A1): clinic admins for their clinic, platform admins for the partner program. Part of `integrations`. */
export const apiKeyProcedures = {
  apiKeys: adminProcedure.output(z.array(apiKeySummary)).query(({ ctx }) => listApiKeys(ctx.db, { clinicId: ctx.clinicId })),
  /** The secret is answered this once; only its hash is kept. */
  createApiKey: adminProcedure
    .input(createApiKeyInput)
    .output(created)
    .mutation(({ ctx, input }) => createApiKey(ctx.db, ctx.actor, { clinicId: ctx.clinicId, ...input })),
  revokeApiKey: adminProcedure
    .input(revokeApiKeyInput)
    .output(apiKeySummary)
    .mutation(({ ctx, input }) => revokeApiKey(ctx.db, ctx.actor, { clinicId: ctx.clinicId, keyId: input.keyId })),

  platformApiKeys: platformProcedure.output(z.array(apiKeySummary)).query(({ ctx }) => listApiKeys(ctx.db, { clinicId: null })),
  createPlatformApiKey: platformProcedure
    .input(createApiKeyInput)
    .output(created)
    .mutation(({ ctx, input }) => createApiKey(ctx.db, ctx.actor, { clinicId: null, ...input })),
  revokePlatformApiKey: platformProcedure
    .input(revokeApiKeyInput)
    .output(apiKeySummary)
    .mutation(({ ctx, input }) => revokeApiKey(ctx.db, ctx.actor, { clinicId: null, keyId: input.keyId })),
};
