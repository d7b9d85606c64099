import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { headers } from "next/headers";
import { getDb } from "@/server/db";
import { authSecret, env } from "@/server/env";
import { isHttps } from "@/server/http/forwarded";
import { logError } from "@/server/log";
import { signInInput } from "@/server/schemas/account";
import { checkCredentials, type SignInFailure } from "./accounts";
import { requestFingerprint } from "@/server/http/clicks";
import { checkSession, deviceLabel, endSession, openSession, SESSION_MAX_AGE_SECONDS, type SessionRef } from "./sessions";
import { checkSecondFactor } from "./two-factor";

declare module "next-auth" {
  interface Session {
    /** The auth_sessions row this browser's token names (rule N6). */
    sessionId?: string;
  }
}
declare module "@auth/core/jwt" {
  interface JWT {
    sid?: string;
  }
}

type SecondFactorRefusal = "second_factor_required" | "second_factor_invalid" | "second_factor_throttled";

class SignInRefused extends CredentialsSignin {
  constructor(reason: SignInFailure | SecondFactorRefusal | "invalid_input") {
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

async function userAgentOf(request: Request | undefined): Promise<string | null> {
  return request ? request.headers.get("user-agent") : (await headers()).get("user-agent");
}

export const { handlers, auth, signIn, signOut } = NextAuth(async (request) => ({
  secret: authSecret(),
  trustHost: true,
  useSecureCookies: await servedOverHttps(request),
  // A signed token that names a database session row: every call checks the row (rule N6).
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
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
      // Rule N6: `clinic` (a clinic's slug) picks among an email's accounts at several clinics; `code` is the second factor.
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
        clinic: { label: "Clinic", type: "text" },
        code: { label: "Authenticator or recovery code", type: "text" },
      },
      async authorize(raw, request) {
        const parsed = signInInput.safeParse(raw);
        if (!parsed.success) throw new SignInRefused("invalid_input");
        const networkHash = requestFingerprint(request.headers, null).ipHash;
        const result = await checkCredentials(await getDb(), { ...parsed.data, networkHash });
        if (!result.ok) throw new SignInRefused(result.reason);
        // Rule N6: the second factor is asked for only once the password was right.
        const second = await checkSecondFactor(await getDb(), { userId: result.user.id, code: typeof raw.code === "string" ? raw.code : null });
        if (second === "required") throw new SignInRefused("second_factor_required");
        if (second === "invalid") throw new SignInRefused("second_factor_invalid");
        if (second === "throttled") throw new SignInRefused("second_factor_throttled");
        return result.user;
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      // `user` is there only at sign-in: the new browser gets its session row.
      if (user?.id) token.sid = await openSession(await getDb(), { userId: user.id, device: deviceLabel(await userAgentOf(request)) });
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      if (token.sid) session.sessionId = token.sid;
      return session;
    },
  },
  events: {
    async signOut(message) {
      const sid = "token" in message ? message.token?.sid : undefined;
      if (sid) await endSession(await getDb(), sid);
    },
  },
}));

/** What the browser's token says, not yet checked against the database; a token from before sessions names none. */
export async function sessionRef(): Promise<SessionRef | null> {
  const session = await auth();
  const userId = session?.user?.id;
  return userId && session.sessionId ? { userId, sessionId: session.sessionId } : null;
}

/** The signed-in user's id while the session stands (rule N6), or null. Roles are looked up separately, from the database. */
export async function sessionUserId(): Promise<string | null> {
  const ref = await sessionRef();
  return ref && (await checkSession(await getDb(), ref)) ? ref.userId : null;
}
