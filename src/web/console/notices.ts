/**
 * What a successful console action says after its redirect (POST, then 303 to the page with
 * ?notice=…&subject=…): a closed list, so the URL cannot put arbitrary text on the page
 * beyond the escaped subject.
 */
export const notices = {
  'buyer-approve': (s: string) => `${s} is approved: the buyer can now buy.`,
  'buyer-reject': (s: string) => `${s} was rejected (suspended).`,
  'buyer-suspend': (s: string) => `${s} is suspended.`,
  'buyer-reactivate': (s: string) => `${s} is active again.`,
  'media-buy-approved': (s: string) => `Media buy ${s} approved and forwarded to its sources.`,
  'media-buy-approved-unforwarded': (s: string) =>
    `Media buy ${s} approved, but forwarding to its sources did not complete: see its forward ` +
    'result and retry with POST /api/v2/storefront/media-buy-approvals/{mediaBuyId}/retry-forward.',
  'media-buy-rejected': (s: string) => `Media buy ${s} rejected; the buyer is told.`,
  'creative-approved': (s: string) => `Creative ${s} approved and forwarded to its sources.`,
  'creative-approved-unforwarded': (s: string) =>
    `Creative ${s} approved, but at least one source did not take it: see its forward result.`,
  'creative-rejected': (s: string) => `Creative ${s} rejected.`,
  'session-ended': () => 'The session is ended: that browser must sign in again.',
  'other-sessions-ended': (s: string) =>
    `${s === '1' ? 'One other session' : `${s} other sessions`} ended: only this browser stays signed in.`,
} as const;

export function noticeText(
  code: string | undefined,
  subject: string | undefined,
): string | undefined {
  const notice = code === undefined ? undefined : notices[code as keyof typeof notices];
  return notice ? notice((subject ?? '').slice(0, 255)) : undefined;
}
