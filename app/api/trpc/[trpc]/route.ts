import { createRequestContext } from "@/server/context";
import { handleTrpc } from "@/server/http/trpc";

function handler(req: Request) {
  return handleTrpc(req, () => createRequestContext(req.headers));
}

export { handler as GET, handler as POST };
