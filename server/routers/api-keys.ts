import { z } from "zod";
import { apiKeySummary, createApiKeyInput, revokeApiKeyInput } from "@/server/schemas/api";
import { createApiKey, listApiKeys, revokeApiKey } from "@/server/services/integrations/api-keys";
import { adminProcedure, platformProcedure } from "@/server/trpc";

const created = z.object({ key: z.string(), apiKey: apiKeySummary });

/** API keys for the REST API (rule A1): clinic admins for their clinic, platform admins for the partner program. Part of `integrations`. */
export const apiKeyProcedures = {
  apiKeys: adminProcedure.output(z.array(apiKeySummary)).query(({ ctx }) => listApiKeys(ctx.service)),
  /** The secret is answered this once; only its hash is kept. */
  createApiKey: adminProcedure
    .input(createApiKeyInput)
    .output(created)
    .mutation(({ ctx, input }) => createApiKey(ctx.service, input)),
  revokeApiKey: adminProcedure
    .input(revokeApiKeyInput)
    .output(apiKeySummary)
    .mutation(({ ctx, input }) => revokeApiKey(ctx.service, { keyId: input.keyId })),

  platformApiKeys: platformProcedure.output(z.array(apiKeySummary)).query(({ ctx }) => listApiKeys(ctx.service)),
  createPlatformApiKey: platformProcedure
    .input(createApiKeyInput)
    .output(created)
    .mutation(({ ctx, input }) => createApiKey(ctx.service, input)),
  revokePlatformApiKey: platformProcedure
    .input(revokeApiKeyInput)
    .output(apiKeySummary)
    .mutation(({ ctx, input }) => revokeApiKey(ctx.service, { keyId: input.keyId })),
};
