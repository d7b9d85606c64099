/** Item 18: what one tRPC request may carry. Uploads get their own route and limit when they come. */
export const MAX_BATCH_SIZE = 10;
export const MAX_BODY_BYTES = 256 * 1024;
/** Procedures that take a pasted CSV of up to 1 MB (issue 13), which JSON escaping may double. */
export const LARGE_BODY_PROCEDURES = new Set(["patients.importCsv", "patients.previewCsv"]);
export const MAX_LARGE_BODY_BYTES = 2.5 * 1024 * 1024;

/** The limit for a tRPC URL: the large one only when every procedure called takes a CSV. */
export function bodyLimitFor(url: string): number {
  let paths: string[];
  try {
    paths = decodeURIComponent(new URL(url).pathname.replace(/^\/api\/trpc\//, "")).split(",");
  } catch {
    // Bad percent-encoding names no procedure; tRPC answers it 404.
    return MAX_BODY_BYTES;
  }
  return paths.length > 0 && paths.every((path) => LARGE_BODY_PROCEDURES.has(path)) ? MAX_LARGE_BODY_BYTES : MAX_BODY_BYTES;
}

const tooLarge = (limit: number) =>
  Response.json(
    { error: { message: `The request is larger than ${Math.round(limit / 1024)} KB.`, code: "PAYLOAD_TOO_LARGE" } },
    { status: 413, headers: { "cache-control": "no-store" } },
  );

/**
 * The request with its body read up to `limit` bytes, or a 413 answer: a declared length over
 * the limit is refused unread, and a body without one is counted as it streams in.
 */
export async function readLimitedBody(request: Request, limit: number): Promise<{ ok: true; request: Request } | { ok: false; response: Response }> {
  if (!request.body) return { ok: true, request };
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > limit) {
    await request.body.cancel().catch(() => {});
    return { ok: false, response: tooLarge(limit) };
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return { ok: false, response: tooLarge(limit) };
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, request: new Request(request.url, { method: request.method, headers: request.headers, body }) };
}
