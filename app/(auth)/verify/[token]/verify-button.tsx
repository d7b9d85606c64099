"use client";

import { useMutation } from "@tanstack/react-query";
import { Alert, Button } from "@/app/_components/ui";
import { useTRPC } from "@/app/_trpc/client";

export function VerifyButton({ token }: { token: string }) {
  const trpc = useTRPC();
  const verify = useMutation(trpc.accountEmails.verifyEmail.mutationOptions());
  if (verify.data?.verified) return <Alert tone="success">Thank you: your email address is confirmed.</Alert>;
  return (
    <div className="flex flex-col gap-4">
      {verify.data && !verify.data.verified && <Alert>This link has expired or was already used.</Alert>}
      {verify.isError && <Alert>That didn&apos;t work. Please try again.</Alert>}
      <Button type="button" busy={verify.isPending} onClick={() => verify.mutate({ token })}>
        Confirm my email address
      </Button>
    </div>
  );
}
