export * from "./clinics";
export * from "./users";
export * from "./referrals";
export * from "./orders";
export * from "./ledger";
export * from "./events";
export * from "./audit";
export * from "./stats";
