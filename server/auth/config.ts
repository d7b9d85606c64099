import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/server/db";
import { authSecret } from "@/server/env";
import { signInInput } from "@/server/schemas/account";
import { checkCredentials, type SignInFailure } from "@/server/services/accounts";

class SignInRefused extends CredentialsSignin {
  constructor(reason: SignInFailure | "invalid_input") {
    super();
    this.code = reason;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: authSecret(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: 60 * 60 * 12 },
  pages: { signIn: "/signin" },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = signInInput.safeParse(raw);
        if (!parsed.success) throw new SignInRefused("invalid_input");
        const result = await checkCredentials(await getDb(), parsed.data);
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
