import { z } from 'zod';

/**
 * Audience members' identifiers, as AdCP and the hosted documents define them: a hashed e-mail
 * is the SHA-256 of the trimmed, lower-cased address and a hashed phone the SHA-256 of the E.164
 * number, each as 64 hexadecimal characters (sent lower-case, as sellers require). A value that
 * is not a digest is refused with a message that names the field and never repeats the value:
 * it may be a raw address or number, which must not be stored, logged or echoed.
 */
const hexDigest = /^[0-9a-f]{64}$/;
const looksLikeEmail = /@/;
const looksLikePhone = /^[+(]?[0-9][0-9 ().-]{5,}$/;

/** Why a value is not a SHA-256 hex digest, without quoting it; undefined when it is one. */
export function digestProblem(value: string, kind: 'email' | 'phone'): string | undefined {
  const v = value.trim().toLowerCase();
  if (hexDigest.test(v)) return undefined;
  if (looksLikeEmail.test(value))
    return 'is a raw e-mail address: send its SHA-256 (of the trimmed, lower-cased address) as 64 hex characters. It was not stored';
  if (looksLikePhone.test(value.trim()))
    return 'is a raw phone number: send the SHA-256 of its E.164 form (e.g. +12065551234) as 64 hex characters. It was not stored';
  return `must be a SHA-256 ${kind === 'email' ? 'of the trimmed, lower-cased e-mail address' : 'of the E.164 phone number'} as 64 hex characters`;
}

/** A SHA-256 hex digest, normalised to lower case (hex case carries no meaning). */
export const hashedIdentifier = (kind: 'email' | 'phone') =>
  z
    .string()
    .max(200)
    .superRefine((value, ctx) => {
      const problem = digestProblem(value, kind);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform((v) => v.trim().toLowerCase());

/** AdCP UIDType. */
export const uidTypes = [
  'rampid',
  'rampid_derived',
  'id5',
  'uid2',
  'euid',
  'pairid',
  'maid',
  'hashed_email',
  'publisher_first_party',
  'other',
] as const;

const uid = z
  .object({ type: z.enum(uidTypes), value: z.string().min(1).max(512) })
  .superRefine((u, ctx) => {
    // A universal id of type hashed_email is a hashed e-mail like any other.
    const problem = u.type === 'hashed_email' ? digestProblem(u.value, 'email') : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['value'] });
    else if (u.type !== 'hashed_email' && looksLikeEmail.test(u.value))
      ctx.addIssue({
        code: 'custom',
        message: 'is a raw e-mail address, which is never accepted as an id. It was not stored',
        path: ['value'],
      });
  })
  .transform((u) =>
    u.type === 'hashed_email' ? { ...u, value: u.value.trim().toLowerCase() } : u,
  );

/** Fields a CRM export carries that are raw PII: named in the refusal, never read further. */
const rawFields = [
  'email',
  'phone',
  'emailAddress',
  'phoneNumber',
  'email_address',
  'phone_number',
];

/** One member to add (hosted AudienceItem.add[]): an external id and at least one identifier. */
export const memberToAdd = z
  .object({
    externalId: z.string().min(1).max(255),
    hashedEmail: hashedIdentifier('email').optional(),
    hashedPhone: hashedIdentifier('phone').optional(),
    uids: z.array(uid).min(1).max(20).optional(),
  })
  .passthrough()
  .superRefine((m, ctx) => {
    for (const key of Object.keys(m)) {
      if (rawFields.includes(key))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message:
            'raw e-mail addresses and phone numbers are refused: send hashedEmail or hashedPhone (SHA-256, 64 hex characters). It was not stored',
        });
    }
    if (!m.hashedEmail && !m.hashedPhone && !m.uids)
      ctx.addIssue({
        code: 'custom',
        path: ['hashedEmail'],
        message: 'a member needs hashedEmail, hashedPhone or uids to be matched',
      });
  })
  .transform((m) => ({
    externalId: m.externalId,
    hashedEmail: m.hashedEmail ?? null,
    hashedPhone: m.hashedPhone ?? null,
    uids: m.uids ?? null,
  }));
export type MemberToAdd = z.output<typeof memberToAdd>;
