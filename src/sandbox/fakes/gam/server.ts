import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { importSPKI, jwtVerify } from 'jose';
import { makeNetwork, type FakeNetwork, type Obj } from './network.js';
import { decideOrder } from './forecast-and-approval.js';
import { PqlError } from './pql.js';
import { dispatchSoap, type DispatchContext, type ReportJob } from './dispatch.js';
import { envelope, Fault, faultXml, ns, parser, xml } from './soap.js';

/*
 * A fake Google Ad Manager, written from its public documentation, over a real loopback socket:
 * - the OAuth token endpoint of a service account (developers.google.com/identity/protocols/
 *   oauth2/service-account): a JWT-bearer grant, its RS256 signature checked against the key
 *   the fake issued, invalid_grant otherwise;
 * - the SOAP API (developers.google.com/ad-manager/api/soap_xml and the v2025xx reference):
 *   RequestHeader networkCode, bearer token, `*ByStatement` reads paged by PQL LIMIT/OFFSET (and
 *   `id >` bounds), creates, actions, report jobs, and ApiExceptionFault faults
 *   (AuthenticationError, PermissionError, QuotaError, ServerError, RequiredError…);
 * - a report download URL answering a gzipped CSV_DUMP.
 * The code under test only knows its base URLs.
 */

/** Ad Manager's Active View columns (ReportService Column), reported when a job asks for both. */
const activeViewAsked = [
  'AD_SERVER_ACTIVE_VIEW_MEASURABLE_IMPRESSIONS',
  'AD_SERVER_ACTIVE_VIEW_VIEWABLE_IMPRESSIONS',
];

export interface FakeGam {
  url: string;
  soapUrl: string;
  tokenUrl: string;
  networks: Map<string, FakeNetwork>;
  /** A service account's JSON key, granted access to `networks`. */
  serviceAccount(networks: string[]): Record<string, string>;
  /** The network's admin adds the service account `email` as an API user (Access & authorization). */
  grant(email: string, networkCode: string): void;
  addNetwork(networkCode: string, adUnitCount: number): FakeNetwork;
  /** The next `times` calls of `method` fail with `kind` (`truncated`: a 200 whose envelope is cut off). */
  failNext(method: string, kind: FailureKind, times?: number): void;
  /** A line item whose name contains `marker` is refused (and so its whole create call). */
  refuseLineItemsNamed?: string;
  /** Orders approved through the API wait PENDING_APPROVAL for the network's approver. */
  holdOrdersForApproval?: boolean;
  /** The network's approver approves or disapproves an order waiting for approval. */
  decideOrder(
    networkCode: string,
    orderId: string,
    decision: 'APPROVED' | 'DISAPPROVED',
    notes?: string,
  ): void;
  /** Milliseconds each availability forecast takes (a slow ad server). */
  forecastDelayMs?: number;
  /**
   * Every SOAP call received: service, method, network, the service account whose token it
   * carried (once known) and, for reads, the objects answered.
   */
  calls: Array<{
    service: string;
    method: string;
    networkCode: string;
    account?: string;
    results?: number;
  }>;
  /** Every Authorization header and body received, to prove no secret travels where it should not. */
  received: string[];
  close(): Promise<void>;
}

type FailureKind = 'quota' | 'server' | 'http429' | 'truncated' | 'permission';

export async function startFakeGam(
  options: { adUnits?: number; networkCode?: string } = {},
): Promise<FakeGam> {
  const networks = new Map<string, FakeNetwork>();
  const accounts = new Map<string, { publicKey: string; kid: string; networks: Set<string> }>();
  const tokens = new Map<string, string>();
  const failures = new Map<string, FailureKind[]>();
  const reports = new Map<string, ReportJob>();
  let nextId = 900_000;
  const newId = () => String(nextId++);
  let base = '';
  const context: DispatchContext = {
    newId,
    base: () => base,
    reports,
    get refuseLineItemsNamed() {
      return fake.refuseLineItemsNamed;
    },
    get holdOrdersForApproval() {
      return fake.holdOrdersForApproval;
    },
  };

  const fake: FakeGam = {
    url: '',
    soapUrl: '',
    tokenUrl: '',
    networks,
    calls: [],
    received: [],
    addNetwork(code, count) {
      const network = makeNetwork(code, count);
      networks.set(code, network);
      return network;
    },
    serviceAccount(grants) {
      const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const email = `sa-${randomBytes(4).toString('hex')}@fake-project.iam.gserviceaccount.com`;
      const kid = randomBytes(8).toString('hex');
      accounts.set(email, {
        publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        kid,
        networks: new Set(grants),
      });
      return {
        type: 'service_account',
        project_id: 'fake-project',
        private_key_id: kid,
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        client_email: email,
        client_id: '1234567890',
        token_uri: fake.tokenUrl,
      };
    },
    grant(email, networkCode) {
      accounts.get(email)!.networks.add(networkCode);
    },
    failNext(method, kind, times = 1) {
      failures.set(method, [
        ...(failures.get(method) ?? []),
        ...Array<typeof kind>(times).fill(kind),
      ]);
    },
    decideOrder(networkCode, orderId, decision, notes) {
      decideOrder(networks.get(networkCode)!, orderId, decision, notes);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  async function token(body: string, res: ServerResponse) {
    const form = new URLSearchParams(body);
    const refuse = (error: string, description: string) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error, error_description: description }));
    };
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return refuse('unsupported_grant_type', 'Invalid grant_type');
    }
    const assertion = form.get('assertion') ?? '';
    const [, payloadPart] = assertion.split('.');
    let claims: Obj;
    try {
      claims = JSON.parse(Buffer.from(payloadPart ?? '', 'base64url').toString()) as Obj;
    } catch {
      return refuse('invalid_grant', 'Invalid JWT');
    }
    const account = accounts.get(String(claims['iss']));
    if (!account) return refuse('invalid_grant', 'Invalid JWT Signature.');
    try {
      const verified = await jwtVerify(assertion, await importSPKI(account.publicKey, 'RS256'), {
        audience: fake.tokenUrl,
        issuer: String(claims['iss']),
      });
      if (verified.payload['scope'] !== 'https://www.googleapis.com/auth/dfp') {
        return refuse('invalid_scope', 'Invalid OAuth scope');
      }
    } catch {
      return refuse('invalid_grant', 'Invalid JWT Signature.');
    }
    const accessToken = `ya29.${randomBytes(24).toString('base64url')}`;
    tokens.set(accessToken, String(claims['iss']));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: accessToken, expires_in: 3599, token_type: 'Bearer' }));
  }

  /**
   * Delivery the fake reports: 1,000 impressions and 12 clicks a day per line item, at its CPM;
   * of them Active View measured 900 and found 630 viewable, when the job asks for those columns.
   */
  function reportCsv(id: string): string {
    const job = reports.get(id)!;
    const network = networks.get(job.networkCode)!;
    const activeView = activeViewAsked.every((c) => job.columns.includes(c));
    const rows = [
      'Dimension.LINE_ITEM_ID,Dimension.DATE,Column.AD_SERVER_IMPRESSIONS,Column.AD_SERVER_CLICKS,Column.AD_SERVER_CPM_AND_CPC_REVENUE' +
        (activeView ? activeViewAsked.map((c) => `,Column.${c}`).join('') : ''),
    ];
    const today = new Date();
    for (const lineItemId of job.lineItemIds) {
      const li = network.lineItems.get(lineItemId);
      if (!li) continue;
      const cpmMicros = Number((li['costPerUnit'] as Obj | undefined)?.['microAmount'] ?? 0);
      for (
        let d = new Date(job.from);
        d <= job.to && d <= today;
        d = new Date(d.getTime() + 86_400_000)
      ) {
        const day = d.toISOString().slice(0, 10);
        rows.push(`${lineItemId},${day},1000,12,${cpmMicros}${activeView ? ',900,630' : ''}`);
      }
    }
    return rows.join('\n');
  }

  async function soap(service: string, body: string, req: IncomingMessage, res: ServerResponse) {
    const send = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/xml; charset=utf-8' });
      res.end(text);
    };
    let method = '';
    try {
      const doc = parser.parse(body) as Obj;
      const env = (doc['Envelope'] ?? {}) as Obj;
      const header = ((env['Header'] as Obj | undefined)?.['RequestHeader'] ?? {}) as Obj;
      const soapBody = (env['Body'] ?? {}) as Obj;
      method = Object.keys(soapBody).find((k) => !k.startsWith('@_')) ?? '';
      const networkCode = String(header['networkCode'] ?? '');
      fake.calls.push({ service, method, networkCode });
      const queued = failures.get(method);
      const failure = queued?.shift();
      if (failure === 'http429') return send(429, 'Too Many Requests');
      if (failure === 'truncated') {
        const whole = envelope(`<${method}Response xmlns="${ns}"><rval><results><id>1`);
        return send(200, whole.slice(0, whole.length - 40));
      }
      if (failure === 'quota') throw new Fault('QuotaError', 'EXCEEDED_QUOTA');
      if (failure === 'server') throw new Fault('ServerError', 'SERVER_ERROR');
      if (failure === 'permission') throw new Fault('PermissionError', 'PERMISSION_DENIED');
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const email = bearer ? tokens.get(bearer) : undefined;
      if (!email) throw new Fault('AuthenticationError', 'AUTHENTICATION_FAILED');
      fake.calls[fake.calls.length - 1]!.account = email;
      const network = networks.get(networkCode);
      if (!network) throw new Fault('AuthenticationError', 'NETWORK_NOT_FOUND');
      if (!accounts.get(email)!.networks.has(networkCode))
        throw new Fault('PermissionError', 'PERMISSION_DENIED');
      const params = (soapBody[method] ?? {}) as Obj;
      if (method === 'getAvailabilityForecast' && fake.forecastDelayMs)
        await new Promise((r) => setTimeout(r, fake.forecastDelayMs));
      const rval = dispatchSoap(context, network, method, params);
      const results = (rval as Obj | undefined)?.['results'];
      if (Array.isArray(results)) fake.calls[fake.calls.length - 1]!.results = results.length;
      send(
        200,
        envelope(`<${method}Response xmlns="${ns}">${xml('rval', rval)}</${method}Response>`),
      );
    } catch (error) {
      if (error instanceof Fault) return send(error.status, faultXml(error));
      if (error instanceof PqlError)
        return send(
          500,
          faultXml(new Fault('PublisherQueryLanguageSyntaxError', 'UNPARSABLE', 'filterStatement')),
        );
      send(500, faultXml(new Fault('InternalApiError', 'UNEXPECTED_INTERNAL_API_ERROR', method)));
    }
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      fake.received.push(`${req.headers.authorization ?? ''} ${body}`);
      if (fake.received.length > 2000) fake.received.splice(0, 1000);
      const url = new URL(req.url ?? '/', base);
      if (req.method === 'POST' && url.pathname === '/token') return void token(body, res);
      const soapPath = /^\/apis\/ads\/publisher\/v\d+\/(\w+Service)$/.exec(url.pathname);
      if (req.method === 'POST' && soapPath) return void soap(soapPath[1]!, body, req, res);
      // A stand-in CDN for creatives' images (the adapter fetches and uploads the bytes).
      if (req.method === 'GET' && /^\/cdn\/[\w-]+\.png$/.test(url.pathname)) {
        res.writeHead(200, { 'content-type': 'image/png' });
        return res.end(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
      }
      const download = /^\/download\/report-(\d+)\.csv\.gz$/.exec(url.pathname);
      if (req.method === 'GET' && download && reports.has(download[1]!)) {
        res.writeHead(200, { 'content-type': 'application/x-gzip' });
        return res.end(gzipSync(reportCsv(download[1]!)));
      }
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.url = base;
  fake.soapUrl = `${base}/apis/ads/publisher`;
  fake.tokenUrl = `${base}/token`;
  if (options.networkCode) fake.addNetwork(options.networkCode, options.adUnits ?? 50);
  return fake;
}
