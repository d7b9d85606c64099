import { env } from "@/server/env";

/** The address a person types to reach the app; links in messages start with it. */
export const appUrl = (path: string) => `${env.APP_URL.replace(/\/$/, "")}${path}`;
