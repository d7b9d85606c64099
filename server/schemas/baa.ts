import { z } from "zod";

/**
 * Issue 19: the platform's Business Associate Agreement. A new text gets a new version, and every
 * clinic's admin accepts it again before the clinic can go live (server/services/programs/going-live.ts).
 */
export const BAA_VERSION = "2026-12-01";

export const BAA_TITLE = "Business Associate Agreement";

/** Where the text and the list of subprocessors are published (app/(public)/baa, app/(public)/subprocessors). */
export const BAA_PATH = "/baa";
export const SUBPROCESSORS_PATH = "/subprocessors";

export type BaaSection = { heading: string; paragraphs: string[] };

export const BAA_SECTIONS: BaaSection[] = [
  {
    heading: "1. Parties and scope",
    paragraphs: [
      "This Business Associate Agreement (the \"Agreement\") is made between the practice named in the acceptance (the \"Covered Entity\") and the operator of this referral platform (the \"Business Associate\"). It applies to all protected health information (\"PHI\") that the Business Associate creates, receives, maintains or transmits for the Covered Entity through the platform, and it is meant to meet 45 CFR 164.502(e), 164.504(e), 164.308(b) and 164.314(a).",
      "Terms used here and not defined have the meaning given in the HIPAA Privacy, Security, Breach Notification and Enforcement Rules at 45 CFR Parts 160 and 164 (the \"HIPAA Rules\").",
    ],
  },
  {
    heading: "2. Permitted uses and disclosures",
    paragraphs: [
      "The Business Associate uses and discloses PHI only to run the Covered Entity's referral program: keeping patient accounts and referral links, attributing referrals, recording orders and rewards, sending the messages the Covered Entity's program sets up, and reporting to the Covered Entity's staff. It also uses PHI as required by law, and for its own proper management and administration or to carry out its legal responsibilities as 45 CFR 164.504(e)(4) allows.",
      "The Business Associate uses, discloses and requests only the minimum PHI necessary. It does not sell PHI, does not use it for its own marketing or for anyone else's, and does not use or disclose it in any way that would break Subpart E of 45 CFR Part 164 if the Covered Entity did it. It may de-identify PHI under 45 CFR 164.514(b); de-identified data is not PHI.",
    ],
  },
  {
    heading: "3. Safeguards",
    paragraphs: [
      "The Business Associate keeps administrative, physical and technical safeguards that comply with Subpart C of 45 CFR Part 164 for electronic PHI, including: encryption of PHI in transit, encryption of stored credentials, access limited to each person's role at their clinic, second-factor sign-in available to every staff account and enforceable by the clinic, and an audit log of staff actions that nobody can edit.",
    ],
  },
  {
    heading: "4. Reporting and breach notification",
    paragraphs: [
      "The Business Associate reports to the Covered Entity any use or disclosure of PHI not provided for by this Agreement, any security incident, and any breach of unsecured PHI, without unreasonable delay and no later than 10 business days after discovery (and never later than 45 CFR 164.410 allows). A breach report names, as far as known, each individual affected and the other information 45 CFR 164.410(c) requires, and is completed as facts become known.",
      "This clause is notice of unsuccessful security incidents that happen all the time and reach no PHI (such as pings, port scans and refused sign-in attempts); no further report of them is owed. The Business Associate mitigates, as far as practicable, any harmful effect it knows of.",
    ],
  },
  {
    heading: "5. Subcontractors",
    paragraphs: [
      "The Business Associate makes sure that each subcontractor that creates, receives, maintains or transmits PHI on its behalf agrees in writing to the same restrictions, conditions and requirements that apply to the Business Associate here (45 CFR 164.502(e)(1)(ii) and 164.308(b)(2)). The current subcontractors and the data each receives are listed on the public subprocessors page; the list is updated before a new subcontractor receives PHI.",
    ],
  },
  {
    heading: "6. Individuals' rights and records",
    paragraphs: [
      "Within 15 days of the Covered Entity's request, the Business Associate makes PHI available for access (45 CFR 164.524), makes amendments the Covered Entity directs (164.526), and gives the information needed for an accounting of disclosures (164.528). It forwards to the Covered Entity any such request it receives directly from an individual.",
      "The Business Associate makes its internal practices, books and records about PHI available to the Secretary of Health and Human Services to determine compliance with the HIPAA Rules.",
    ],
  },
  {
    heading: "7. The Covered Entity's obligations",
    paragraphs: [
      "The Covered Entity tells the Business Associate of any limitation in its notice of privacy practices, any change or revocation of an individual's permission, and any restriction it agreed to, where these affect the Business Associate's use of PHI. It does not ask the Business Associate to use or disclose PHI in any way the HIPAA Rules would not permit the Covered Entity. It is responsible for having each patient's permission for the messages its program sends, and for the outgoing integrations (webhooks, Slack) its own staff configure.",
    ],
  },
  {
    heading: "8. Term and termination",
    paragraphs: [
      "This Agreement takes effect when an admin of the Covered Entity accepts it and lasts as long as the Covered Entity uses the platform. If either party learns of a material breach by the other, it may give written notice; if the breach is not cured within 30 days, it may end this Agreement and the services that require it.",
    ],
  },
  {
    heading: "9. Return or destruction of PHI",
    paragraphs: [
      "When this Agreement ends, the Business Associate returns PHI to the Covered Entity (as exports from the console) or destroys it within 30 days, and keeps no copies. Where return or destruction is not feasible (for example, records the law requires it to keep, or backups until they expire), it extends this Agreement's protections to that PHI and limits further uses to the purposes that make return or destruction infeasible, for as long as it keeps it.",
    ],
  },
  {
    heading: "10. General",
    paragraphs: [
      "The parties will amend this Agreement as needed to follow changes in the HIPAA Rules; a new version is published with a new date and takes effect for the Covered Entity when one of its admins accepts it. Any ambiguity is read to permit compliance with the HIPAA Rules. Nothing here gives rights to anyone other than the parties. Sections 2, 3, 4 and 9 survive for as long as the Business Associate holds PHI.",
    ],
  },
];

/** Issue 19: the services that may carry patient data for the platform, and what each receives. */
export const SUBPROCESSORS: { name: string; purpose: string; data: string; when: string }[] = [
  {
    name: "Email delivery provider (the SMTP service the platform's operator configures)",
    purpose: "Sends account, referral and reward emails.",
    data: "Recipients' email addresses and first names, the clinic's name, and the message text (reward amounts, links into the portal).",
    when: "Always, for every email the platform sends.",
  },
  {
    name: "Twilio",
    purpose: "Sends text messages and receives STOP replies.",
    data: "Patients' mobile numbers, first names, and the message text (reward amounts, links into the portal).",
    when: "When SMS is set up and a patient has a mobile number on file.",
  },
  {
    name: "Stripe",
    purpose: "Takes card payments for orders.",
    data: "Each order's amount and currency, and the card details the patient types, which go straight to Stripe and are never stored by the platform. No name, email or phone number is sent.",
    when: "When the platform takes card payments through Stripe.",
  },
  {
    name: "Slack",
    purpose: "Posts staff alerts and digests to a clinic's own Slack channel.",
    data: "Without a BAA with Slack: counts and links into the console only, never a patient's name. With one: patients' first names in those posts.",
    when: "Only when a clinic's admin adds a Slack webhook; names only when the admin confirms the workspace is covered by a BAA.",
  },
];

/** Issue 19: why a clinic cannot go live yet, named so the admin knows where to act. */
export const ACCEPT_BAA_FIRST = `The clinic has not accepted the Business Associate Agreement (version ${BAA_VERSION}). A clinic admin accepts it in Settings; the program can go live after that.`;

export const BAA_REQUIRED = "Accept the Business Associate Agreement to continue.";

/** The checkbox on the forms that accept the agreement; the signer's name comes from the account. */
export const baaAcceptedField = z.boolean({ error: BAA_REQUIRED }).refine((v) => v, BAA_REQUIRED);

/** Issue 19: an admin accepts the agreement in the console; the version is the one they read, refused if it changed meanwhile. */
export const acceptBaaInput = z.object({ version: z.string().min(1).max(40), accepted: baaAcceptedField });

export const baaStatusOutput = z.object({
  version: z.string(),
  accepted: z.object({ signerName: z.string(), acceptedAt: z.date(), version: z.string() }).nullable(),
});
export type BaaStatus = z.infer<typeof baaStatusOutput>;
