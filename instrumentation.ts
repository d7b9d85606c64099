export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Rule N3 (item 11): whatever logs an error, its message and SQL parameters stay out of the log.
  (await import("./server/log")).redactConsoleErrors();
  const { startOrExit } = await import("./server/startup");
  await startOrExit({ production: process.env.NODE_ENV === "production" });
}
