export * from "./clinics";
export * from "./users";
export * from "./referrals";
export * from "./orders";
export * from "./ledger";
