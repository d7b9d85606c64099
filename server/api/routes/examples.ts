/** What the OpenAPI document shows in its examples: one id and one time for every resource. */
export const EXAMPLE_ID = "3f6c2a8e-5b1d-4c7a-9e2f-1a2b3c4d5e6f";
export const EXAMPLE_AT = "2026-12-01T12:00:00.000Z";
