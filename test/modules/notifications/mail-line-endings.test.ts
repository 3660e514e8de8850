import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMail } from '../../../src/platform/mail/smtp.js';
import { buyNotices } from '../../../src/modules/orders/notices.js';
import type { MediaBuyRow } from '../../../src/modules/orders/store.js';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { eventually } from '../../support/eventually.js';
import { startSmtpServer } from '../../support/smtp-server.js';

/*
 * Tenant text in a mail (a seller's reviewer notes, a work item's title, a source's name or its
 * own error text) never puts a bare CR or LF on the SMTP wire (RFC 5321 2.3.8): a seller writing
 * `B\r.\r\nMAIL FROM:<…>` must not end the operator's message and start another (SMTP
 * smuggling). Checked on the bytes a recording SMTP server on a real socket received.
 */
const smuggle =
  'B\r.\r\nMAIL FROM:<evil@attacker.example>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\n' +
  'Subject: forged\r\n\r\nsecond\r\n.\r\nA\n.\nC\r\rD\u001bE\u007fF';
/** The same with a NUL too, which only text that never went through PostgreSQL can hold. */
const withNul = `${smuggle}\u0000G`;

/** What is left of the wire once every CRLF is taken out: no CR, no LF may remain. */
const bareLineBreaks = (wire: string) => (wire.replace(/\r\n/g, '').match(/[\r\n]/g) ?? []).length;

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let h: Harness;

beforeAll(async () => {
  smtp = await startSmtpServer();
  h = await createHarness({
    INTERCHANGE_SMTP_URL: smtp.url,
    INTERCHANGE_SMTP_FROM: 'notices@interchange.example',
    INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: '0.5',
    INTERCHANGE_NOTIFICATIONS_SWEEP_SECONDS: '0',
  });
  await h.services.jobs.start();
}, 120_000);
afterAll(async () => {
  await h?.close();
  await smtp?.close();
});

describe('mail over SMTP', () => {
  it('sends CRLF line endings only and no other control, whatever the subject and body hold', async () => {
    const before = smtp.wire().length;
    const mailsBefore = smtp.mails.length;
    await sendMail(
      { url: smtp.url, from: 'notices@interchange.example' },
      {
        to: 'buyer@example.com',
        subject: `Notes: ${withNul}`,
        text: `The seller rejected media buy mb_1. Reviewer's notes: ${withNul}`,
        messageId: `${randomUUID()}@interchange`,
      },
    );
    const wire = smtp.wire().slice(before);
    expect(bareLineBreaks(wire)).toBe(0);
    // eslint-disable-next-line no-control-regex -- control characters are what must be absent
    expect(wire).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/);
    // One message, to the one recipient: the notes stayed text inside it, dot-stuffed.
    expect(smtp.mails).toHaveLength(mailsBefore + 1);
    const mail = smtp.mails.at(-1)!;
    expect(mail.to).toEqual(['buyer@example.com']);
    expect(wire).toContain('B\r\n..\r\nMAIL FROM:<evil@attacker.example>');
    const headers = mail.data.slice(0, mail.data.indexOf('\r\n\r\n'));
    // The header block is the eight headers the sender writes, no line more.
    expect(headers.split('\r\n').map((line) => line.split(':')[0])).toEqual([
      'From',
      'To',
      'Subject',
      'Message-ID',
      'Date',
      'MIME-Version',
      'Content-Type',
      'Content-Transfer-Encoding',
    ]);
  });

  it('keeps every notification a tenant writes into on CRLF lines, from reviewer notes to source errors', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const seller = await createCustomer(h, { role: 'SELLER' });
    for (const [key, customer] of [
      [buyer.key, buyer.id],
      [seller.key, seller.id],
    ] as const) {
      const persona = customer === buyer.id ? 'buyer' : 'storefront';
      const prefs = await h.call('PUT', `/api/v2/${persona}/notification-preferences`, {
        key,
        body: {
          optIns: [
            'media_buy.rejected',
            'source.action_required',
            'inventory_source.unhealthy',
          ].map((notificationType) => ({ notificationType, channel: 'email' })),
        },
      });
      expect(prefs.status, prefs.text).toBe(200);
    }
    const storefront = await h.call('GET', '/api/v2/storefront', { key: seller.key });
    const storefrontId = storefront.body.data.id as number;
    const notifications = h.services.notifications;
    const before = smtp.wire().length;
    const mailsBefore = smtp.mails.length;
    // A seller's reviewer notes, as the buy's decision tells the buyer (modules/orders/notices.ts).
    await buyNotices({
      notify: (e) => notifications.notify(e),
      sellerOf: async () => seller.id,
    }).decided({
      mediaBuyId: `mb_${randomUUID().slice(0, 8)}`,
      storefrontId,
      buyerCustomerId: buyer.id,
      approvalStatus: 'rejected',
      reviewerNotes: smuggle,
    } as unknown as MediaBuyRow);
    // A work item's title, a source's name and its own error text, as the seller hears of them.
    for (const [type, message] of [
      ['source.action_required', `New work item: ${smuggle}`],
      ['inventory_source.unhealthy', `${smuggle} stopped answering: ${smuggle}`],
    ] as const) {
      await notifications.notify({
        customerId: seller.id,
        type,
        status: 'warning',
        message,
        actionUrl: '/console/reviews',
        data: {},
        eventKey: randomUUID(),
      });
    }
    await eventually(
      async () => smtp.mails.length - mailsBefore,
      (n) => n === 3,
      60_000,
      250,
    );
    const wire = smtp.wire().slice(before);
    expect(bareLineBreaks(wire)).toBe(0);
    expect(smtp.mails.slice(mailsBefore).map((m) => m.from)).toEqual(
      Array(3).fill('notices@interchange.example'),
    );
  }, 90_000);
});
