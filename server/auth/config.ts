import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { headers } from "next/headers";
import { getDb } from "@/server/db";
import { authSecret, env } from "@/server/env";
import { isHttps } from "@/server/http/forwarded";
import { logError } from "@/server/log";
import { signInInput } from "@/server/schemas/account";
import { checkCredentials, type SignInFailure } from "@/server/services/accounts";
import { requestFingerprint } from "@/server/services/clicks";

class SignInRefused extends CredentialsSignin {
  constructor(reason: SignInFailure | "invalid_input") {
    super();
    this.code = reason;
  }
}

/** Item 19: session cookies are Secure whenever the browser's connection is https, proxy or not. */
async function servedOverHttps(request: Request | undefined): Promise<boolean> {
  if (request) return isHttps(new URL(request.url), request.headers, env.TRUSTED_PROXY_HOPS);
  const incoming = await headers();
  return isHttps(new URL(`http://${incoming.get("host") ?? "localhost"}`), incoming, env.TRUSTED_PROXY_HOPS);
}

export const { handlers, auth, signIn, signOut } = NextAuth(async (request) => ({
  secret: authSecret(),
  trustHost: true,
  useSecureCookies: await servedOverHttps(request),
  session: { strategy: "jwt", maxAge: 60 * 60 * 12 },
  pages: { signIn: "/signin" },
  // Rule N3: structured and redacted like every other log; a refused sign-in is an answer, not an error.
  logger: {
    error(error) {
      if (!(error instanceof CredentialsSignin)) logError("auth", error);
    },
    warn() {},
  },
  providers: [
    Credentials({
      // Rule N6: `clinic` (a clinic's slug) picks among an email's accounts at several clinics.
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" }, clinic: { label: "Clinic", type: "text" } },
      async authorize(raw, request) {
        const parsed = signInInput.safeParse(raw);
        if (!parsed.success) throw new SignInRefused("invalid_input");
        const networkHash = requestFingerprint(request.headers, null).ipHash;
        const result = await checkCredentials(await getDb(), { ...parsed.data, networkHash });
        if (!result.ok) throw new SignInRefused(result.reason);
        return result.user;
      },
    }),
  ],
  callbacks: {
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
}));

/** The signed-in user's id, or null. Roles are looked up separately, from the database. */
export async function sessionUserId(): Promise<string | null> {
  const session = await auth();
  return session?.user?.id ?? null;
}
