import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { refreshQueries } from "./refresh";

/** A list read from a store, answered `delayMs` after it was asked, as the store stood when asked. */
function slowList(store: string[], delayMs: number) {
  return () => {
    const asked = [...store];
    return new Promise<string[]>((resolve) => setTimeout(() => resolve(asked), delayMs));
  };
}

async function settled(observer: { getCurrentResult(): { data?: string[] } }) {
  await new Promise((resolve) => setTimeout(resolve, 120));
  return observer.getCurrentResult().data;
}

describe("a change made while a page's first load is still in flight", () => {
  it("shows after refreshQueries, which starts a load after the change", async () => {
    const store: string[] = [];
    const client = new QueryClient();
    const observer = new QueryObserver(client, { queryKey: ["addresses"], queryFn: slowList(store, 50) });
    const unsubscribe = observer.subscribe(() => {});
    store.push("the new address");
    await refreshQueries(client, ["addresses"]);
    expect(await settled(observer)).toEqual(["the new address"]);
    unsubscribe();
  });

  it("plain invalidation joins the load that began before the change (why refreshQueries exists)", async () => {
    const store: string[] = [];
    const client = new QueryClient();
    const observer = new QueryObserver(client, { queryKey: ["addresses"], queryFn: slowList(store, 50) });
    const unsubscribe = observer.subscribe(() => {});
    store.push("the new address");
    await client.invalidateQueries({ queryKey: ["addresses"] });
    expect(await settled(observer)).toEqual([]);
    unsubscribe();
  });
});
