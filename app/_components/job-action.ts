import "server-only";
import { TRPCError } from "@trpc/server";
import { revalidatePath } from "next/cache";
import { redirect, unstable_rethrow } from "next/navigation";
import type { JobNotice } from "./failed-jobs";

/** Runs a Retry or Discard and returns to the list with its outcome as a notice (no job id in the address). */
export async function jobAction(path: string, done: JobNotice, run: () => Promise<unknown>): Promise<never> {
  let notice: JobNotice = done;
  try {
    await run();
  } catch (error) {
    unstable_rethrow(error);
    notice = error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST") ? "gone" : "failed";
  }
  revalidatePath(path);
  redirect(`${path}?notice=${notice}`);
}

export const jobIdOf = (data: FormData) => {
  const value = data.get("jobId");
  return typeof value === "string" ? value : "";
};
