import { readFileSync } from 'node:fs';
import pg from 'pg';
import { eventually, httpsRequest, type HttpsAnswer } from '@ketenpoort/testing';
import type { RunningStack } from '../../apps/cli/src/stack/stack.js';
import { issueDevToken } from '../../apps/cli/src/token/token.command.js';

/** Talks to a running stack the way partners, officers and analysts do: over TLS with real certificates. */
export class StackClient {
  readonly ca: string;

  constructor(
    private readonly stack: RunningStack,
    private readonly dataDir: string,
  ) {
    this.ca = readFileSync(stack.pki.caCert, 'utf8');
  }

  private credentials(partnerId: string) {
    return {
      cert: readFileSync(this.stack.pki.partners[partnerId].cert, 'utf8'),
      key: readFileSync(this.stack.pki.partners[partnerId].key, 'utf8'),
    };
  }

  send(partnerId: string, body: unknown): Promise<HttpsAnswer> {
    return httpsRequest(`${this.stack.gateway.partnerUrl}/v1/signals`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
      ca: this.ca,
      ...this.credentials(partnerId),
    });
  }

  partnerGet(partnerId: string, path: string): Promise<HttpsAnswer> {
    return httpsRequest(`${this.stack.gateway.partnerUrl}${path}`, {
      ca: this.ca,
      ...this.credentials(partnerId),
    });
  }

  status(partnerId: string, signalId: string): Promise<HttpsAnswer> {
    return this.partnerGet(partnerId, `/v1/signals/${signalId}`);
  }

  waitDelivered(
    partnerId: string,
    signalId: string,
    timeoutMs?: number,
  ): Promise<{ recordId: string; policyVersion: string }> {
    return eventually(async () => {
      const answer = await this.status(partnerId, signalId);
      const body = answer.json<{ status: string; recordId: string; policyVersion: string }>();
      return body.status === 'delivered' ? body : undefined;
    }, timeoutMs);
  }

  token(
    role: string,
    sub: string,
    extra: { partnerScope?: string[]; audience?: string } = {},
  ): Promise<string> {
    return issueDevToken(this.dataDir, { role, sub, ...extra });
  }

  admin(method: string, path: string, token: string | null, body?: unknown): Promise<HttpsAnswer> {
    return httpsRequest(`${this.stack.gateway.adminUrl}${path}`, {
      method,
      ca: this.ca,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  }
}

/** One query on a database by URL. */
export async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}
